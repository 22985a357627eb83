import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleInput, tempDir } from '../support/synth';

const bin = join(__dirname, '..', '..', 'bin', 'deploykit.js');
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });

/**
 * A team's repository in which deploykit is not the project: its definitions (a JSON module, so the test needs no
 * installed copy of deploykit's library) and a lockfile naming another deploykit version than the one running.
 */
function teamRepository(input: unknown): string {
  const repo = join(tempDir('deploykit-team-'), 'team-platform');
  mkdirSync(repo);
  git(repo, 'init', '--quiet');
  writeFileSync(join(repo, 'package.json'), `${JSON.stringify({ name: 'team-platform', private: true, dependencies: { deploykit: '0.0.1' } }, null, 2)}\n`);
  writeFileSync(join(repo, 'package-lock.json'), `${JSON.stringify({ name: 'team-platform', lockfileVersion: 3, packages: { 'node_modules/deploykit': { version: '0.0.1' } } }, null, 2)}\n`);
  writeFileSync(join(repo, 'definitions.json'), JSON.stringify(input));
  git(repo, 'add', '.');
  git(repo, 'commit', '--quiet', '-m', 'platform definitions');
  return repo;
}

describe('diff --base <ref> in a team repository', () => {
  test("synthesizes the revision with the running deploykit and the revision's definitions, and says when the revision locked another deploykit", () => {
    const input = exampleInput();
    const [serviceName] = Object.keys(input.services);
    const envName: string = input.environments[0].name;
    const repo = teamRepository(input);
    // The working tree's edit: one new environment variable of one service.
    input.services[serviceName].env = { ...(input.services[serviceName].env ?? {}), TEAM_FEATURE_FLAG: 'on' };
    writeFileSync(join(repo, 'definitions.json'), JSON.stringify(input));

    const run = spawnSync(process.execPath, [bin, 'diff', '--base', 'HEAD', '--config', 'definitions.json', '--env', envName, '--format', 'json'], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(run.stderr).toContain('--base HEAD: the revision locks deploykit 0.0.1 but is synthesized with the installed');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    const [env] = report.environments;
    expect(env.name).toBe(envName);
    expect(env.terraform).toEqual([]);
    const changed = env.kubernetes.map((item: { type: string; action: string }) => `${item.action} ${item.type}`);
    expect(changed).toEqual(['changed Deployment']);
    const fields = env.kubernetes[0].fields.map((f: { path: string; after?: unknown }) => f.after);
    expect(fields).toContainEqual(expect.objectContaining({ name: 'TEAM_FEATURE_FLAG', value: 'on' }));
    // The temporary worktree is gone.
    expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  }, 120_000);
});
