/** Runs the real, built `deploykit` command (bin/deploykit.js) in a child process. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(__dirname, '..', '..', 'bin', 'deploykit.js');

export interface BinResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Spawns `node bin/deploykit.js ...args` (it rebuilds build/ first when a source changed). */
export function runBin(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): BinResult {
  const env = { ...process.env, DEPLOYKIT_DEBUG: undefined, ...options.env };
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A line of a JavaScript stack trace. */
export const STACK_FRAME = /^\s+at .+[:(]/m;
