import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { synthesize } from '../../cli/synth';
import { defineEnvironments } from '../../config';
import { exampleInput, tempDir } from '../support/synth';

const bin = join(__dirname, '..', '..', 'bin', 'deploykit.js');

describe('bin/deploykit.js', () => {
  test('writes large output completely into a pipe and exits with the command status', () => {
    // Two outputs that differ in every object: the report is far larger than a pipe buffer (64 KiB).
    const root = tempDir();
    const input = exampleInput();
    for (let i = 1; i <= 6; i++) {
      input.services[`extra-${i}`] = { ...input.services['company-web'], ingressFromNamespaces: [] };
      for (const env of input.environments) env.services[`extra-${i}`] = {};
    }
    for (const env of input.environments) env.cluster.nodeGroups.general.maxSize = 20;
    synthesize(defineEnvironments(input), { outDir: join(root, 'a') });
    // A new image tag and a new system name: every object and resource of every environment differs.
    input.system.name = `${input.system.name}-next`;
    synthesize(defineEnvironments(input), { outDir: join(root, 'b'), imageTag: '0123456789abcdef0123456789abcdef01234567' });
    // A slow reader: the pipe fills up while deploykit is still writing.
    const command = `"${process.execPath}" "${bin}" diff --base "${join(root, 'a')}" --head "${join(root, 'b')}" --format json --fail-on any | (sleep 1; cat)`;
    const run = spawnSync('bash', ['-o', 'pipefail', '-c', command], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(run.stdout.length).toBeGreaterThan(65536);
    expect(JSON.parse(run.stdout).totals.changed).toBeGreaterThan(0);
    expect(run.status).toBe(1);
  }, 120_000);
});
