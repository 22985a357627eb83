/**
 * `terraform test` with a mocked AWS provider on the synthesized prod stack: the plan-time security
 * assertions of infra/tests/prod.tftest.hcl. Terraform requires the test directory inside the
 * configuration directory, so the file is copied next to the synthesized cdk.tf.json. The file
 * describes prod on EKS Auto Mode, so prod is put on that compute mode here.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from '../../infra/vendor/terraform';
import { defineEnvironments, stackName } from '../../config';
import { EnvironmentStack } from '../../infra/environment-stack';
import { envInputOf, exampleInput, tempDir, useAutoMode } from '../support/synth';
import { initPluginDirectory, reuseInitialisedPlugins, runTerraform, terraformToolchain } from '../support/terraform';

const toolchain = terraformToolchain();
const TEST_FILE = join(__dirname, '..', '..', 'infra', 'tests', 'prod.tftest.hcl');

if (!toolchain.available) {
  test.skip(`terraform test of the prod stack (skipped: ${toolchain.reason})`, () => undefined);
} else {
  const tc = toolchain;
  describe('terraform test with a mocked AWS provider', () => {
    const dir = tempDir('deploykit-tf-test-');
    let plugins = '';
    beforeAll(() => {
      // prod.tftest.hcl asserts an EKS Auto Mode prod (its node role, no node groups): put prod on it explicitly.
      const input = exampleInput();
      useAutoMode(envInputOf(input, 'prod'));
      const defs = defineEnvironments(input);
      const prod = defs.environments.find((e) => e.name === 'prod')!;
      const stack = new EnvironmentStack(Testing.app(), stackName(defs.system, prod), { definitions: defs, environment: prod });
      writeFileSync(join(dir, 'cdk.tf.json'), Testing.synth(stack, true));
      mkdirSync(join(dir, 'tests'));
      copyFileSync(TEST_FILE, join(dir, 'tests', 'prod.tftest.hcl'));
      plugins = initPluginDirectory(tc, join(dir, 'cdk.tf.json'));
      reuseInitialisedPlugins(plugins, dir);
    }, 120_000);
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
      if (plugins) rmSync(plugins, { recursive: true, force: true });
    });

    test('the prod plan passes every security assertion of prod.tftest.hcl', () => {
      const output = runTerraform(tc, dir, ['test']);
      expect(output).toContain('run "prod_plan_is_secure"... pass');
      expect(output).toMatch(/Success! 1 passed, 0 failed\./);
    }, 180_000);
  });
}
