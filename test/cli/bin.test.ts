import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesize } from '../../synth/synthesize';
import { defineEnvironments } from '../../config';
import { exampleInput, FIXTURE_NODE_GROUPS, tempDir, useNodeGroups } from '../support/synth';

const bin = join(__dirname, '..', '..', 'bin', 'deploykit.js');

/**
 * Two synth outputs, `<root>/a` and `<root>/b`, that differ in every object and resource (a new image tag and a
 * new system name, six extra services): their diff report is far larger than a pipe buffer (64 KiB).
 * `input` holds the definitions of `b`.
 */
function outputsDifferingEverywhere(): { root: string; input: any } {
  const root = tempDir();
  const input = exampleInput();
  for (let i = 1; i <= 6; i++) {
    input.services[`extra-${i}`] = { ...input.services['company-web'], ingressFromNamespaces: [] };
    for (const env of input.environments) env.services[`extra-${i}`] = {};
  }
  // Room for the extra services at their maximum replicas, whatever compute mode the example uses.
  for (const env of input.environments) useNodeGroups(env, { general: { ...FIXTURE_NODE_GROUPS.general, maxSize: 20 } });
  synthesize(defineEnvironments(input), { outDir: join(root, 'a') });
  input.system.name = `${input.system.name}-next`;
  synthesize(defineEnvironments(input), { outDir: join(root, 'b'), imageTag: '0123456789abcdef0123456789abcdef01234567' });
  return { root, input };
}

describe('bin/deploykit.js', () => {
  test('writes large output completely into a pipe and exits with the command status', () => {
    const { root } = outputsDifferingEverywhere();
    // A slow reader: the pipe fills up while deploykit is still writing.
    const command = `"${process.execPath}" "${bin}" diff --base "${join(root, 'a')}" --head "${join(root, 'b')}" --format json --fail-on any | (sleep 1; cat)`;
    const run = spawnSync('bash', ['-o', 'pipefail', '-c', command], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(run.stdout.length).toBeGreaterThan(65536);
    expect(JSON.parse(run.stdout).totals.changed).toBeGreaterThan(0);
    expect(run.status).toBe(1);
  }, 120_000);
});

describe('bin/deploykit.js with a definitions module that keeps a handle open', () => {
  test('exits when done, without cutting off large output to a slow pipe', () => {
    const { root, input } = outputsDifferingEverywhere();
    writeFileSync(join(root, 'definitions.json'), JSON.stringify(input));
    // A module that keeps the event loop alive forever, as a module with a metrics timer or an open client would.
    writeFileSync(join(root, 'definitions.js'), "setInterval(() => {}, 60_000);\nmodule.exports = { default: require('./definitions.json') };\n");
    const command =
      `"${process.execPath}" "${bin}" diff --base "${join(root, 'a')}" --head "${join(root, 'b')}" --config "${join(root, 'definitions.js')}" ` +
      `--format json --fail-on any | (sleep 1; cat)`;
    const started = Date.now();
    const run = spawnSync('bash', ['-o', 'pipefail', '-c', command], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 90_000 });
    expect(run.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(90_000);
    expect(run.stdout.length).toBeGreaterThan(65536);
    expect(JSON.parse(run.stdout).totals.changed).toBeGreaterThan(0);
    expect(run.status).toBe(1);
  }, 120_000);

  test('synth with such a module exits 0 once the output is written', () => {
    const root = tempDir();
    writeFileSync(join(root, 'definitions.json'), JSON.stringify(exampleInput()));
    writeFileSync(join(root, 'definitions.js'), "setInterval(() => {}, 60_000);\nmodule.exports = { default: require('./definitions.json') };\n");
    const run = spawnSync(process.execPath, [bin, 'synth', '--config', join(root, 'definitions.js'), '--out', join(root, 'dist'), '--no-pipelines'], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`deploykit synth → ${join(root, 'dist')}/`);
    expect(JSON.parse(readFileSync(join(root, 'dist', 'manifest.json'), 'utf8')).generator).toBe('deploykit');
  }, 120_000);
});
