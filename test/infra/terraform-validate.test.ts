/**
 * Real Terraform against the real hashicorp/aws provider schema (offline, from the plugin mirror):
 * `terraform init -backend=false` once, then `terraform validate` for every synthesized environment
 * and every account's `deploykit bootstrap` output.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeBootstrap } from '../../synth/bootstrap';
import { synthesize } from '../../synth/synthesize';
import { defineEnvironments } from '../../config';
import { bootstrapAccounts } from '../../infra/bootstrap/bootstrap-stack';
import { companyApplyPermissions } from '../../examples/worker-service/apply-permissions';
import { exampleDefs, exampleInput, moveToAccount, tempDir } from '../support/synth';
import { initPluginDirectory, reuseInitialisedPlugins, runTerraform, terraformToolchain } from '../support/terraform';

const toolchain = terraformToolchain();
const envs = exampleDefs().environments.map((e) => e.name);
const accounts = bootstrapAccounts(exampleDefs());

/** One account holding every environment, with a second state bucket in another region. */
function sharedAccountDefinitions() {
  const input = exampleInput();
  for (const env of input.environments.slice(1)) {
    moveToAccount(env, input.environments[0].account);
    env.cluster.admins = [];
  }
  input.environments[2].state = { bucket: 'company-prod-state', region: 'eu-west-1' };
  return defineEnvironments(input);
}

if (!toolchain.available) {
  test.skip(`terraform validate (skipped: ${toolchain.reason})`, () => undefined);
} else {
  const tc = toolchain;
  describe('terraform validate with the real AWS provider', () => {
    const out = tempDir();
    const bootstrapOut = join(tempDir(), 'bootstrap');
    const sharedOut = join(tempDir(), 'bootstrap');
    let plugins = '';
    beforeAll(() => {
      synthesize(exampleDefs(), { outDir: out });
      writeBootstrap(exampleDefs(), { outDir: bootstrapOut, applyPermissions: companyApplyPermissions });
      writeBootstrap(sharedAccountDefinitions(), { outDir: sharedOut, backend: 's3' });
      // Every stack requires the same provider: initialise once, share the plugin directory.
      plugins = initPluginDirectory(tc, join(out, 'dev', 'terraform', 'cdk.tf.json'));
    }, 120_000);
    afterAll(() => {
      for (const dir of [out, bootstrapOut, sharedOut]) rmSync(dir, { recursive: true, force: true });
      if (plugins) rmSync(plugins, { recursive: true, force: true });
    });

    test.each(envs)('the %s stack is valid', (env) => {
      const dir = join(out, env, 'terraform');
      reuseInitialisedPlugins(plugins, dir);
      expect(runTerraform(tc, dir, ['validate'])).toContain('Success! The configuration is valid.');
    }, 120_000);

    test.each(accounts)('the bootstrap of account %s is valid', (account) => {
      const dir = join(bootstrapOut, account);
      reuseInitialisedPlugins(plugins, dir);
      expect(runTerraform(tc, dir, ['validate'])).toContain('Success! The configuration is valid.');
    }, 120_000);

    test('the bootstrap of an account with every environment and state buckets in two regions is valid', () => {
      const dir = join(sharedOut, accounts[0]);
      reuseInitialisedPlugins(plugins, dir);
      expect(runTerraform(tc, dir, ['validate'])).toContain('Success! The configuration is valid.');
    }, 120_000);
  });
}
