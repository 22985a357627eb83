/**
 * Real Terraform against the real hashicorp/aws provider schema (offline, from the plugin mirror):
 * `terraform init -backend=false` once, then `terraform validate` for every synthesized environment.
 */
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { synthesize } from '../../cli/synth';
import { exampleDefs, tempDir } from '../support/synth';
import { runTerraform, terraformToolchain } from '../support/terraform';

const toolchain = terraformToolchain();
const envs = exampleDefs().environments.map((e) => e.name);

if (!toolchain.available) {
  test.skip(`terraform validate (skipped: ${toolchain.reason})`, () => undefined);
} else {
  const tc = toolchain;
  describe('terraform validate with the real AWS provider', () => {
    const out = tempDir();
    const shared = tempDir('deploykit-tf-init-');
    beforeAll(() => {
      synthesize(exampleDefs(), { outDir: out });
      // Every stack requires the same provider: initialise once, share the plugin directory.
      copyFileSync(join(out, 'dev', 'terraform', 'cdk.tf.json'), join(shared, 'cdk.tf.json'));
      runTerraform(tc, shared, ['init', '-backend=false', '-input=false']);
    }, 120_000);

    test.each(envs)('the %s stack is valid', (env) => {
      const dir = join(out, env, 'terraform');
      mkdirSync(dir, { recursive: true });
      symlinkSync(join(shared, '.terraform'), join(dir, '.terraform'));
      copyFileSync(join(shared, '.terraform.lock.hcl'), join(dir, '.terraform.lock.hcl'));
      expect(runTerraform(tc, dir, ['validate'])).toContain('Success! The configuration is valid.');
    }, 120_000);
  });
}
