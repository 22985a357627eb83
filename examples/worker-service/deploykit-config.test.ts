import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocuments } from '../../synth/kubernetes-yaml';
import { runCli } from '../../test/support/cli';
import { kubernetesText, tempDir } from '../../test/support/synth';

const config = join(__dirname, 'deploykit.config.ts');

describe('deploykit synth --config with stack and chart factories', () => {
  test('synthesizes the company stack and chart for every environment', async () => {
    const out = join(tempDir(), 'dist');
    const result = await runCli('synth', '--config', config, '--out', out, '--no-pipelines', '--quiet');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const env of ['dev', 'staging', 'prod']) {
      const tf = JSON.parse(readFileSync(join(out, env, 'terraform', 'cdk.tf.json'), 'utf8'));
      expect(Object.values(tf.resource.aws_sqs_queue).map((q: any) => q.name)).toEqual(
        expect.arrayContaining([`company-${env}-company-worker`]),
      );
      const objects = parseDocuments(kubernetesText(out, env)) as any[];
      const worker = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'company-worker');
      expect(worker).toBeDefined();
      expect(objects.find((o) => o.kind === 'Service' && o.metadata.name === 'company-worker')).toBeUndefined();
    }
  });

  test('check accepts the extended output with zero errors', async () => {
    const result = await runCli('check', '--config', config, '--project-dir', tempDir(), '--format', 'json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).summary).toMatchObject({ errors: 0 });
  });

  test('a factory export that is not a function is refused with the fix', async () => {
    const dir = tempDir();
    const file = join(dir, 'broken.config.js');
    writeFileSync(file, `module.exports = { default: require(${JSON.stringify(join(__dirname, '..', '..', 'config', 'environments.ts'))}).exampleDefinitions, stack: 'CompanyStack' };\n`);
    const result = await runCli('synth', '--config', file, '--out', join(dir, 'dist'), '--no-pipelines');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the 'stack' export (string) must be a function (scope, id, props) => EnvironmentStack; export a factory or remove it`);
  });
});
