/**
 * scripts/with-node.sh: runs a command with a pinned Node.js build first on PATH. The tests run offline, so
 * the cached build is prepared in a copy of the project (a stand-in `bin/node` that answers `--version` with
 * the pinned version, since fetching the real one needs the npm registry); `npm run test:node` runs the real one.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/synth';

const script = join(__dirname, '..', '..', 'scripts', 'with-node.sh');
const pinned = Object.fromEntries([...readFileSync(script, 'utf8').matchAll(/^\s+\[(\d+)\]=(\d+\.\d+\.\d+)$/gm)].map((m) => [m[1], m[2]]));

const projects: string[] = [];
afterAll(() => {
  for (const project of projects) rmSync(project, { recursive: true, force: true });
});

function withNode(args: string[], project?: string) {
  const path = project ? join(project, 'scripts', 'with-node.sh') : script;
  return spawnSync('bash', [path, ...args], { encoding: 'utf8', env: { ...process.env, NODE: '/elsewhere/node', npm_node_execpath: '/elsewhere/node' } });
}

/** A project copy whose cache already holds `version`, as a stand-in node that only answers `--version`. */
function projectWithCachedNode(version: string): { project: string; bin: string } {
  const project = tempDir('deploykit-with-node-');
  projects.push(project);
  mkdirSync(join(project, 'scripts'));
  cpSync(script, join(project, 'scripts', 'with-node.sh'));
  const bin = join(project, '.cache', 'node', version, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'node'), `#!/bin/sh\n[ "$1" = --version ] && echo v${version} && exit 0\necho "stand-in node: $*" >&2\nexit 99\n`);
  chmodSync(join(bin, 'node'), 0o755);
  return { project, bin };
}

describe('scripts/with-node.sh', () => {
  test('pins an exact version for Node.js 22 and 24', () => {
    expect(pinned['22']).toMatch(/^22\.\d+\.\d+$/);
    expect(pinned['24']).toMatch(/^24\.\d+\.\d+$/);
  });

  test('runs the command with the cached build first on PATH, after printing its version', () => {
    const [major, version] = Object.entries(pinned)[0];
    const { project, bin } = projectWithCachedNode(version);
    const run = withNode([major, '--', 'sh', '-c', 'echo "node=$(command -v node) NODE=$NODE execpath=$npm_node_execpath"'], project);
    expect(run.stderr).not.toContain('fetching');
    expect(run.status).toBe(0);
    const node = join(bin, 'node');
    expect(run.stdout).toBe(`v${version}\nnode=${node} NODE=${node} execpath=${node}\n`);
  });

  test('passes the exit code of the command through', () => {
    const [major, version] = Object.entries(pinned)[0];
    const { project } = projectWithCachedNode(version);
    expect(withNode([major, '--', 'sh', '-c', 'exit 7'], project).status).toBe(7);
  });

  test('fails with the pinned majors when the major has no pinned version', () => {
    const run = withNode(['18', '--', 'node', '--version']);
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(/^with-node: no pinned Node\.js version for major '18'; pin one in scripts\/with-node\.sh \(majors: /);
    for (const major of Object.keys(pinned)) expect(run.stderr).toContain(major);
  });

  test('prints its usage when the command is not after --', () => {
    const run = withNode(['22', 'node', '--version']);
    expect(run.status).toBe(64);
    expect(run.stderr).toContain('usage: bash scripts/with-node.sh <major> -- <command> [args…]');
  });
});
