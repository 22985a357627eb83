/** Whether a process of this host still runs, for the ownership files of locks and temporary worktrees. */

/** True when `pid` runs on this host (a process of another user counts: signalling it is merely not permitted). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
