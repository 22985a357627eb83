/**
 * The build's fast path (scripts/build.mjs, scripts/build-inputs.cjs, bin/deploykit.js): nothing is rebuilt
 * when no input changed, and a changed source is always rebuilt before the CLI runs. Runs the real build
 * on a copy of the project, so the project's own build/ is never touched.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tempDir } from '../support/synth';

const root = join(__dirname, '..', '..');
const { buildInputs, buildInputsHash, newestBuildInput } = require(join(root, 'scripts', 'build-inputs.cjs'));

/** A copy of what the build reads, with the installed node_modules linked in. */
function projectCopy(): string {
  const dir = tempDir('deploykit-build-');
  for (const entry of ['config', 'infra', 'k8s', 'pipelines', 'cli', 'policy', 'synth', 'scripts', 'bin', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Every file under dir. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

const run = (dir: string, command: string, args: string[]) =>
  spawnSync(process.execPath, [join(dir, command), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, DEPLOYKIT_NO_REBUILD: '' } });

describe('build inputs', () => {
  test('are every file of the source directories, the lockfile and the build scripts', () => {
    const inputs: string[] = buildInputs(root);
    expect(inputs).toEqual(expect.arrayContaining(['config/environments.ts', 'cli/main.ts', 'synth/synthesize.ts', 'package-lock.json', 'scripts/build.mjs', 'scripts/build-inputs.cjs']));
    expect(inputs.some((f) => f.startsWith('pipelines/scripts/') && f.endsWith('.sh'))).toBe(true);
    expect(inputs.filter((f) => f.startsWith('test/') || f.startsWith('build/') || f.startsWith('node_modules/'))).toEqual([]);
  });

  test('hash to a new id when one file changes, and to the same id when only its time changes', () => {
    const dir = tempDir();
    cpSync(join(root, 'config'), join(dir, 'config'), { recursive: true });
    const before = buildInputsHash(dir);
    utimesSync(join(dir, 'config', 'cidr.ts'), new Date(), new Date(Date.now() + 60_000));
    expect(buildInputsHash(dir)).toBe(before);
    expect(newestBuildInput(dir)).toBe(statSync(join(dir, 'config', 'cidr.ts')).mtimeMs);
    writeFileSync(join(dir, 'config', 'cidr.ts'), `${readFileSync(join(dir, 'config', 'cidr.ts'), 'utf8')}\n`);
    expect(buildInputsHash(dir)).not.toBe(before);
  });
});

describe('scripts/build.mjs and bin/deploykit.js', () => {
  const dir = projectCopy();
  const bundle = join(dir, 'build', 'cli.js');

  beforeAll(() => {
    const build = run(dir, 'scripts/build.mjs', []);
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
  }, 300_000);

  test('skips a build whose inputs are unchanged, leaving the bundle as it was', () => {
    const bundleBefore = readFileSync(bundle, 'utf8');
    const build = run(dir, 'scripts/build.mjs', ['--verbose']);
    expect(build.status).toBe(0);
    expect(build.stderr).toBe('build: inputs unchanged since the last build; skipped\n');
    expect(readFileSync(bundle, 'utf8')).toBe(bundleBefore);
  }, 60_000);

  test('the bundle patches both vendor stack-trace modules, and synthesizes the same files byte for byte with stack traces captured', () => {
    // The lazy-stack-traces patch (scripts/lazy-stack-traces.cjs, docs/adr/0009-vendor-internals.md).
    expect(readFileSync(bundle, 'utf8').match(/__captureStackTrace = exports\d*\.captureStackTrace;/g)).toHaveLength(2);
    const synth = (out: string, env: Record<string, string>) =>
      spawnSync(process.execPath, [join(dir, 'bin', 'deploykit.js'), 'synth', '--out', out, '--no-pipelines', '--quiet'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, DEPLOYKIT_NO_REBUILD: '1', DEPLOYKIT_STACK_TRACES: '', ...env },
      });
    const lazy = synth(join(dir, 'dist-lazy'), {});
    const traced = synth(join(dir, 'dist-traced'), { DEPLOYKIT_STACK_TRACES: '1' });
    expect(lazy.stderr).toBe('');
    expect(traced.stderr).toBe('');
    const files = (out: string) => listFiles(out).map((f) => [relative(out, f), readFileSync(f, 'utf8')]);
    expect(files(join(dir, 'dist-lazy')).length).toBeGreaterThan(1);
    expect(files(join(dir, 'dist-traced'))).toEqual(files(join(dir, 'dist-lazy')));
  }, 120_000);

  test('the CLI does not rebuild when nothing changed, and rebuilds before running when a source changed', () => {
    const untouched = run(dir, 'bin/deploykit.js', ['config', '--format', 'json']);
    expect(untouched.status).toBe(0);
    expect(untouched.stderr).toBe('');
    const system = JSON.parse(untouched.stdout).system.name;

    const file = join(dir, 'config', 'environments.ts');
    const renamed = `${system}x`;
    writeFileSync(file, readFileSync(file, 'utf8').replace(`system: { name: '${system}' }`, `system: { name: '${renamed}' }`));
    const changed = run(dir, 'bin/deploykit.js', ['config', '--format', 'json']);
    expect(changed.stderr).toBe('deploykit: sources changed since the last build; rebuilding\n');
    expect(changed.status).toBe(0);
    expect(JSON.parse(changed.stdout).system.name).toBe(renamed);
  }, 300_000);
});
