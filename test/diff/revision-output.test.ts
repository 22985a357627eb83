import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeAbandonedWorktrees } from '../../cli/diff/revision-output';
import { tempDir } from '../support/synth';

const projectRoot = join(__dirname, '..', '..');
const worktrees = (repo: string) =>
  execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: repo, encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));

describe('worktrees of git revisions synthesized by diff', () => {
  test('the worktree of a diff killed with SIGKILL is removed by the next run, and the borrowed node_modules survives', async () => {
    const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
    const clone = join(tempDir('deploykit-diff-clone-'), 'repo');
    execFileSync('git', ['clone', '--quiet', repo, clone]);
    const runner = "require('./cli/main').main(process.argv.slice(1)).then((code) => { process.exitCode = code; })";
    const script = `process.chdir(${JSON.stringify(clone)}); ${runner}`;
    // Its own process group, so the kill reaches the revision's synth it spawns too.
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script, 'diff', '--base', 'HEAD', '--head', 'HEAD', '--env', 'dev'], {
      cwd: projectRoot,
      detached: true,
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 90_000;
    while (worktrees(clone).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    process.kill(-(child.pid as number), 'SIGKILL');
    await exited;
    const left = worktrees(clone).filter((w) => w !== clone);
    expect(left).toHaveLength(1);
    expect(existsSync(left[0])).toBe(true);

    expect(removeAbandonedWorktrees(clone)).toEqual(left);
    expect(worktrees(clone)).toEqual([clone]);
    expect(existsSync(join(left[0], '..'))).toBe(false);
    expect(existsSync(require.resolve('tsx/package.json'))).toBe(true);
  }, 120_000);

  test('a worktree whose owner still runs is kept; one whose directory vanished is pruned', () => {
    const repo = join(tempDir(), 'repo');
    execFileSync('git', ['init', '--quiet', repo]);
    writeFileSync(join(repo, 'file'), 'x');
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '--quiet', '--allow-empty', '-m', 'init'], { cwd: repo });
    const live = mkdtempSync(join(tmpdir(), 'deploykit-diff-base-'));
    writeFileSync(join(live, 'owner.pid'), `${process.pid}\n`);
    execFileSync('git', ['worktree', 'add', '--detach', '--quiet', join(live, 'checkout'), 'HEAD'], { cwd: repo });
    const vanished = join(tempDir(), 'elsewhere');
    execFileSync('git', ['worktree', 'add', '--detach', '--quiet', vanished, 'HEAD'], { cwd: repo });
    execFileSync('rm', ['-rf', vanished]);

    expect(removeAbandonedWorktrees(repo)).toEqual([]);
    expect(worktrees(repo).slice(1)).toEqual([join(live, 'checkout')]);
  });
});
