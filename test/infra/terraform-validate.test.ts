/**
 * Real Terraform against the real hashicorp/aws provider schema (offline, from the plugin mirror):
 * `terraform init -backend=false` once, then `terraform validate` for every synthesized environment.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { synthesize } from '../../cli/synth';
import { exampleDefs, tempDir } from '../support/synth';
import { initPluginDirectory, reuseInitialisedPlugins, runTerraform, terraformToolchain } from '../support/terraform';

const toolchain = terraformToolchain();
const envs = exampleDefs().environments.map((e) => e.name);

if (!toolchain.available) {
  test.skip(`terraform validate (skipped: ${toolchain.reason})`, () => undefined);
} else {
  const tc = toolchain;
  describe('terraform validate with the real AWS provider', () => {
    const out = tempDir();
    let plugins = '';
    beforeAll(() => {
      synthesize(exampleDefs(), { outDir: out });
      // Every stack requires the same provider: initialise once, share the plugin directory.
      plugins = initPluginDirectory(tc, join(out, 'dev', 'terraform', 'cdk.tf.json'));
    }, 120_000);
    afterAll(() => {
      rmSync(out, { recursive: true, force: true });
      if (plugins) rmSync(plugins, { recursive: true, force: true });
    });

    test.each(envs)('the %s stack is valid', (env) => {
      const dir = join(out, env, 'terraform');
      reuseInitialisedPlugins(plugins, dir);
      expect(runTerraform(tc, dir, ['validate'])).toContain('Success! The configuration is valid.');
    }, 120_000);
  });
}
