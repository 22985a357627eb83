import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { synthesize } from '../../synth/synthesize';
import { runCli } from '../support/cli';
import { exampleDefs, tempDir } from '../support/synth';

const projectRoot = join(__dirname, '..', '..');
const defs = exampleDefs();
const envNames = defs.environments.map((e) => e.name);

/** Every file below `dir` with its content (symlinks as `-> target`), for byte-for-byte comparisons. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else files[path] = entry.isSymbolicLink() ? `-> ${readlinkSync(join(dir, path))}` : readFileSync(join(dir, path), 'latin1');
    }
  };
  walk('');
  return files;
}

/** What deploykit keeps beside an output directory: lock, staging directories, swap backups. */
const leftovers = (out: string) => readdirSync(dirname(out)).filter((e) => e.startsWith(`.${out.split('/').pop()}.`));

const manifestEnvironments = (out: string) => Object.keys(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).environments).sort();

/**
 * Starts the real CLI (from sources) in its own process, stopped at `point` by the output directory's
 * test seam (DEPLOYKIT_TEST_HOLD_AT), and resolves once it is held there.
 */
async function startHeldAt(point: string, args: string[]) {
  const runner = "require('./cli/main').main(process.argv.slice(1)).then((code) => { process.exitCode = code; })";
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', runner, ...args], {
    cwd: projectRoot,
    env: { ...process.env, DEPLOYKIT_TEST_HOLD_AT: point },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(`deploykit: holding at ${point}\n`)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the CLI exited (${code}) before holding at ${point}: ${stderr}`)));
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_, signal) => resolve(signal)));
  return {
    pid: child.pid as number,
    kill: async () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

describe('the output directory', () => {
  test('a run killed between the two renames of the swap leaves no output; the next run, even of one environment, restores it and completes', async () => {
    const out = join(tempDir(), 'dist');
    synthesize(defs, { outDir: out });
    const before = snapshot(out);
    const held = await startHeldAt('between-renames', ['synth', '--out', out, '--no-pipelines', '--quiet']);
    expect(await held.kill()).toBe('SIGKILL');
    expect(existsSync(out)).toBe(false);
    const left = leftovers(out).sort();
    expect(left).toHaveLength(3);
    expect(left[0]).toBe('.dist.lock');
    expect(left[1]).toMatch(/^\.dist\.previous-\d+-[0-9a-z]+$/);
    expect(left[2]).toMatch(/^\.dist\.staging-\d+-[0-9a-z]+$/);

    const result = await runCli('synth', '--out', out, '--env', envNames[0], '--no-pipelines', '--quiet');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(manifestEnvironments(out)).toEqual([...envNames].sort());
    // The other environments are exactly what the killed run had swapped out.
    const after = snapshot(out);
    for (const path of Object.keys(before).filter((p) => !p.startsWith(`${envNames[0]}/`) && p !== 'manifest.json')) expect(after[path]).toBe(before[path]);
    expect(leftovers(out)).toEqual([]);
  }, 120_000);

  test('a second run refuses while another holds the lock; once the holder is killed, the next run takes over and removes its staging directory', async () => {
    const out = join(tempDir(), 'dist');
    synthesize(defs, { outDir: out, environments: [envNames[0]] });
    const before = snapshot(out);
    const held = await startHeldAt('before-swap', ['synth', '--out', out, '--no-pipelines', '--quiet']);

    const refused = await runCli('synth', '--out', out, '--no-pipelines', '--quiet');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      new RegExp(`^deploykit synth: --out ${out} is being written by another deploykit run \\(pid ${held.pid} on .+, since .+\\); wait for it to finish, or remove ${dirname(out)}/\\.dist\\.lock if that process no longer runs\\n$`),
    );
    expect(snapshot(out)).toEqual(before);

    await held.kill();
    expect(leftovers(out).filter((e) => /^\.dist\.staging-/.test(e))).toHaveLength(1);
    const result = await runCli('synth', '--out', out, '--no-pipelines', '--quiet');
    expect(result.code).toBe(0);
    expect(manifestEnvironments(out)).toEqual([...envNames].sort());
    expect(leftovers(out)).toEqual([]);
  }, 120_000);

  test('staged pipeline files a killed run left are removed by the next run, which says in one line what it repaired (not with --quiet)', async () => {
    const root = tempDir();
    const out = join(root, 'dist');
    synthesize(defs, { outDir: out, environments: [envNames[0]] });
    const held = await startHeldAt('before-swap', ['synth', '--out', out, '--pipelines-dir', root]);
    await held.kill();
    const stagedCopy = (dir: string, file: string) => readdirSync(dir).filter((e) => e.startsWith(`${file}.deploykit-${held.pid}-`) && e.endsWith('.tmp'));
    const workflows = join(root, '.github', 'workflows');
    const [gitlabCopy] = stagedCopy(root, '.gitlab-ci.yml');
    const [githubCopy] = stagedCopy(workflows, 'deploy.yml');
    expect(gitlabCopy).toBeDefined();
    expect(githubCopy).toBeDefined();
    const [staging] = leftovers(out).filter((e) => /^\.dist\.staging-/.test(e));
    // A staged copy of a run that is alive (this process) is not touched.
    const live = `.gitlab-ci.yml.deploykit-${process.pid}-0.tmp`;
    writeFileSync(join(root, live), 'in progress');

    const result = await runCli('synth', '--out', out, '--pipelines-dir', root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const repairLines = result.stdout.split('\n').filter((line) => line.includes('killed'));
    expect(repairLines).toEqual([
      `  recovered from a killed run: took over .dist.lock of pid ${held.pid}, which no longer runs; removed ${staging}, left by a killed run; ` +
        `removed ${join(root, gitlabCopy)}, left by a killed run; removed ${join(workflows, githubCopy)}, left by a killed run`,
    ]);
    expect(readdirSync(root).sort()).toEqual(['.github', '.gitlab-ci.yml', live, 'dist'].sort());
    expect(readdirSync(workflows)).toEqual(['deploy.yml']);
    expect(leftovers(out)).toEqual([]);

    // Unchanged pipeline files are not staged, but copies beside them are still removed; --quiet prints nothing.
    const again = await startHeldAt('before-swap', ['synth', '--out', out, '--pipelines-dir', root, '--quiet']);
    await again.kill();
    writeFileSync(join(root, `.gitlab-ci.yml.deploykit-${again.pid}-1.tmp`), 'left');
    const quiet = await runCli('synth', '--out', out, '--pipelines-dir', root, '--quiet');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('');
    expect(readdirSync(root).sort()).toEqual(['.github', '.gitlab-ci.yml', live, 'dist'].sort());
  }, 120_000);

  test('files a user or terraform put in the output survive a synth; files the previous synth wrote and this one does not are removed', async () => {
    const out = join(tempDir(), 'dist');
    synthesize(defs, { outDir: out });
    const [first, second] = envNames;
    const tf = join(out, first, 'terraform');
    mkdirSync(join(tf, '.terraform', 'providers'), { recursive: true });
    writeFileSync(join(tf, '.terraform', 'providers', 'plugin'), 'binary');
    writeFileSync(join(tf, '.terraform.lock.hcl'), 'lock');
    writeFileSync(join(tf, 'tfplan'), 'saved plan');
    symlinkSync('../../../shared', join(tf, 'shared-link'));
    writeFileSync(join(out, 'NOTES.txt'), 'mine');
    // A file the previous synth listed that this synth no longer writes.
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const stale = `${first}/kubernetes/namespaces/retired.k8s.yaml`;
    writeFileSync(join(out, stale), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n');
    manifest.environments[first].kubernetes.push(stale);
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest));

    for (const args of [['--env', first], ['--env', second], []]) {
      expect((await runCli('synth', '--out', out, '--no-pipelines', '--quiet', ...args)).code).toBe(0);
      expect(readFileSync(join(tf, '.terraform', 'providers', 'plugin'), 'utf8')).toBe('binary');
      expect(readFileSync(join(tf, '.terraform.lock.hcl'), 'utf8')).toBe('lock');
      expect(readFileSync(join(tf, 'tfplan'), 'utf8')).toBe('saved plan');
      expect(lstatSync(join(tf, 'shared-link')).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(out, 'NOTES.txt'), 'utf8')).toBe('mine');
      expect(existsSync(join(out, stale))).toBe(false);
      expect(manifestEnvironments(out)).toEqual([...envNames].sort());
    }
  }, 120_000);

  test('--pipelines-dir on a file fails before the swap: the previous output and pipeline files stay as they were', async () => {
    const root = tempDir();
    const out = join(root, 'dist');
    synthesize(defs, { outDir: out });
    const before = snapshot(out);
    writeFileSync(join(root, 'not-a-dir'), 'x');
    const result = await runCli('synth', '--out', out, '--pipelines-dir', join(root, 'not-a-dir'), '--quiet');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^deploykit synth: cannot write ${join(root, 'not-a-dir')}/\\.gitlab-ci\\.yml \\(.*\\); nothing was changed\\n$`));
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(root).sort()).toEqual(['dist', 'not-a-dir']);
  }, 120_000);

  // A full disk needs a small filesystem: a tmpfs, which only root may mount (CI runs as root).
  const canMount = process.getuid?.() === 0;
  (canMount ? test : test.skip)('a full disk while writing the pipeline files fails before the swap: the previous output stays as it was', async () => {
    const root = tempDir();
    const out = join(root, 'dist');
    synthesize(defs, { outDir: out });
    const before = snapshot(out);
    const pipelines = join(root, 'full');
    mkdirSync(pipelines);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', pipelines]);
    try {
      writeFileSync(join(pipelines, 'filler'), Buffer.alloc(12 * 1024));
      const result = await runCli('synth', '--out', out, '--pipelines-dir', pipelines, '--quiet');
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^deploykit synth: cannot write .*\.gitlab-ci\.yml \(ENOSPC: no space left on device, .*\); nothing was changed\n$/);
      expect(snapshot(out)).toEqual(before);
      expect(readdirSync(pipelines).filter((f) => f !== 'filler' && f !== '.github')).toEqual([]);
    } finally {
      execFileSync('umount', [pipelines]);
    }
  }, 120_000);
});
