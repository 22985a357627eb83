import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runCli } from '../support/cli';
import { exampleInput, kubernetesText, tempDir } from '../support/synth';

/** Every file below `dir` with its bytes, for byte-for-byte comparisons. */
function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'base64');
    }
  };
  walk(dir);
  return out;
}

describe('deploykit synth', () => {
  test('writes every environment per the output contract', async () => {
    const out = join(tempDir(), 'dist');
    const result = await runCli('synth', '--out', out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}prod +terraform +\d+ resources +kubernetes +\d+ objects +\d+ files +\d+ ms$/m);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.environments)).toEqual(['dev', 'staging', 'prod']);
    for (const env of ['dev', 'staging', 'prod']) {
      expect(manifest.environments[env].terraform).toEqual([`${env}/terraform/cdk.tf.json`]);
      expect(manifest.environments[env].kubernetes).toEqual([
        `${env}/kubernetes/cluster.k8s.yaml`,
        `${env}/kubernetes/namespaces/company-api.k8s.yaml`,
        `${env}/kubernetes/namespaces/company-web.k8s.yaml`,
      ]);
      for (const file of [...manifest.environments[env].terraform, ...manifest.environments[env].kubernetes]) {
        expect(statSync(join(out, file)).size).toBeGreaterThan(0);
      }
    }
    const tf = JSON.parse(readFileSync(join(out, 'prod/terraform/cdk.tf.json'), 'utf8'));
    expect(tf.terraform.backend.s3).toMatchObject({
      bucket: 'company-terraform-state-333333333333',
      key: 'company/prod/terraform.tfstate',
      encrypt: true,
      use_lockfile: true,
    });
  });

  test('invalid definitions list every problem, exit 1 and leave the previous output byte-for-byte unchanged', async () => {
    const root = tempDir();
    const out = join(root, 'dist');
    expect((await runCli('synth', '--out', out)).code).toBe(0);
    const before = snapshotTree(out);

    const input = exampleInput();
    input.environments[2].services['company-web'].autoscaling = { minReplicas: 5, maxReplicas: 3 };
    input.environments[0].network.vpcCidr = '10.10.0.1/16';
    input.services['company-api'].resources.limits.memory = '1GB';
    const file = join(root, 'broken.json');
    writeFileSync(file, JSON.stringify(input));

    const result = await runCli('synth', '--config', file, '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid environment definitions (3 problems)');
    expect(result.stderr).toContain(
      `prod.services.company-web.autoscaling: 'minReplicas' (5) must be <= 'maxReplicas' (3); raise maxReplicas or lower minReplicas`,
    );
    expect(result.stderr).toContain(`dev.network: 'vpcCidr' ("10.10.0.1/16") is not a network address`);
    expect(result.stderr).toContain(`services.company-api.resources.limits: 'memory' ("1GB")`);
    expect(snapshotTree(out)).toEqual(before);
    expect(readdirSync(root).sort()).toEqual(['broken.json', 'dist']);
  });

  test('--env synthesizes only the named environments and keeps the others', async () => {
    const out = join(tempDir(), 'dist');
    await runCli('synth', '--out', out);
    const devBefore = kubernetesText(out, 'dev');
    const result = await runCli('synth', '--out', out, '--env', 'prod', '--image-tag', '3f2c9a1');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/^\s+dev /m);
    expect(kubernetesText(out, 'dev')).toBe(devBefore);
    expect(Object.keys(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).environments)).toEqual(['dev', 'staging', 'prod']);
  });

  test('refuses an unknown --env', async () => {
    const result = await runCli('synth', '--out', join(tempDir(), 'dist'), '--env', 'qa');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--env: ("qa") is not a defined environment; use one of dev, staging, prod`);
  });

  test('refuses --image-tag latest for every environment: the ECR repositories have immutable tags', async () => {
    for (const args of [[], ['--env', 'dev']]) {
      const result = await runCli('synth', '--out', join(tempDir(), 'dist'), ...args, '--image-tag', 'latest');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
          `--image-tag: ("latest") is refused: the ECR repositories have immutable tags, so "latest" could be pushed only once; pass the commit SHA`,
      );
    }
  });

  test('refuses to replace a non-empty directory that is not deploykit output', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'precious.txt'), 'keep me');
    const result = await runCli('synth', '--out', dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not empty and holds no deploykit manifest.json; refusing to replace it');
    expect(readFileSync(join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
  });

  test('reads YAML definitions with the same schema', async () => {
    const root = tempDir();
    const yaml = (await runCli('config', '--format', 'yaml')).stdout;
    writeFileSync(join(root, 'envs.yaml'), yaml);
    expect((await runCli('synth', '--config', join(root, 'envs.yaml'), '--out', join(root, 'dist'))).code).toBe(0);
  });
});

describe('deploykit config', () => {
  test('the effective definitions fed back through --config reproduce the default synth', async () => {
    const root = tempDir();
    const json = await runCli('config', '--format', 'json');
    expect(json.code).toBe(0);
    writeFileSync(join(root, 'env.json'), json.stdout);
    await runCli('synth', '--out', join(root, 'a'));
    await runCli('synth', '--config', join(root, 'env.json'), '--out', join(root, 'b'));
    expect(snapshotTree(join(root, 'b'))).toEqual(snapshotTree(join(root, 'a')));
  });

  test('shows defaults that were not written', async () => {
    const effective = JSON.parse((await runCli('config', '--format', 'json')).stdout);
    const prod = effective.environments[2];
    expect(prod.cluster.endpointAccess).toBe('private');
    expect(prod.services['company-web'].progressDeadlineSeconds).toBe(300);
  });

  test('rejects an unknown format', async () => {
    const result = await runCli('config', '--format', 'toml');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format must be yaml or json, not "toml"');
  });
});

describe('deploykit schema', () => {
  test('prints a JSON Schema', async () => {
    const result = await runCli('schema');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
  });
});
