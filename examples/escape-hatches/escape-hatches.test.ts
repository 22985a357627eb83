/** Each escape hatch, applied to deploykit's real stack and chart, with the JSON it produces. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing as Cdk8sTesting } from 'cdk8s';
import { Testing } from '../../infra/vendor/terraform';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { defineEnvironments, exampleDefinitions, stackName, type EnvironmentDefinition } from '../../config';
import { EnvironmentStack } from '../../infra';
import { EnvironmentChart } from '../../k8s';
import { initPluginDirectory, runTerraform, terraformToolchain } from '../../test/support/terraform';
import { allowForceDelete, setMinReadySeconds, setPriorityClass, useStandardSupportOnly } from './escape-hatches';

const definitions = defineEnvironments(structuredClone(exampleDefinitions));
const environment = (name: string): EnvironmentDefinition => definitions.environments.find((e) => e.name === name)!;
const stackOf = (name: string) => new EnvironmentStack(Testing.app(), stackName(definitions.system, environment(name)), { definitions, environment: environment(name) });
const chartOf = (name: string) => new EnvironmentChart(Cdk8sTesting.app(), stackName(definitions.system, environment(name)), { definitions, environment: environment(name) });

describe('Terraform escape hatches', () => {
  const stack = stackOf('dev');
  useStandardSupportOnly(stack.cluster);
  const repository = stack.repositories.get('company-web')!;
  allowForceDelete(repository, environment('dev'));
  const json = JSON.parse(Testing.synth(stack, true));

  test('useStandardSupportOnly sets upgrade_policy on the aws_eks_cluster and keeps the modelled fields', () => {
    const cluster = json.resource.aws_eks_cluster[stack.cluster.resource.friendlyUniqueId];
    expect(cluster.upgrade_policy).toEqual({ support_type: 'STANDARD' });
    expect(cluster.name).toBe('company-dev');
    expect(cluster.encryption_config).toBeDefined();
  });

  test('allowForceDelete sets force_delete on that repository only, and tags stay immutable', () => {
    const repositories = json.resource.aws_ecr_repository;
    expect(repositories[repository.resource.friendlyUniqueId]).toMatchObject({ force_delete: true, image_tag_mutability: 'IMMUTABLE' });
    const api = stack.repositories.get('company-api')!.resource.friendlyUniqueId;
    expect(repositories[api].force_delete).toBeUndefined();
  });

  test('allowForceDelete is refused outside development', () => {
    const prod = stackOf('prod');
    expect(() => allowForceDelete(prod.repositories.get('company-web')!, environment('prod'))).toThrow(
      'prod: allowForceDelete("company-web") is refused in a production environment; delete images deliberately, or use it in development only',
    );
  });

  const toolchain = terraformToolchain();
  if (!toolchain.available) {
    test.skip(`terraform validate of the overridden stack (skipped: ${toolchain.reason})`, () => undefined);
  } else {
    const tc = toolchain;
    test('the overridden stack passes terraform validate: the overrides name real provider fields', () => {
      const source = mkdtempSync(join(tmpdir(), 'deploykit-overrides-'));
      const file = join(source, 'cdk.tf.json');
      writeFileSync(file, JSON.stringify(json));
      const dir = initPluginDirectory(tc, file);
      try {
        expect(runTerraform(tc, dir, ['validate'])).toContain('Success! The configuration is valid.');
      } finally {
        rmSync(source, { recursive: true, force: true });
        rmSync(dir, { recursive: true, force: true });
      }
    }, 180_000);
  }
});

describe('Kubernetes escape hatches', () => {
  const chart = chartOf('prod');
  const web = chart.services['company-web'];
  setMinReadySeconds(web, 10);
  setPriorityClass(web, 'business-critical');
  const objects = Cdk8sTesting.synth(chart);
  const deploymentOf = (name: string) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);

  test('setMinReadySeconds and setPriorityClass patch the Deployment of that service', () => {
    const deployment = deploymentOf('company-web');
    expect(deployment.spec.minReadySeconds).toBe(10);
    expect(deployment.spec.template.spec.priorityClassName).toBe('business-critical');
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
  });

  test('leaves the other services untouched', () => {
    const api = deploymentOf('company-api');
    expect(api.spec.minReadySeconds).toBeUndefined();
    expect(api.spec.template.spec.priorityClassName).toBeUndefined();
  });

  test('the patched Deployment still validates against the Kubernetes schema', () => {
    expect(() => new Deployment(deploymentOf('company-web')).validate()).not.toThrow();
  });

  test('setMinReadySeconds refuses a value Kubernetes would not take', () => {
    expect(() => setMinReadySeconds(chartOf('staging').services['company-api'], -1)).toThrow(
      "company-staging/company-api: 'seconds' (-1) must be a whole number from 0 to 3600; pick a few seconds, e.g. 10",
    );
  });
});
