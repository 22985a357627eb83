import { defineEnvironments } from '../../config';
import { uncoveredResourceTypes } from '../../infra/bootstrap/apply-permissions';
import { SECRETS_STORE_CSI_DRIVER_ADDON } from '../../infra/constructs/secrets-store-csi-driver';
import { envInputOf, exampleInput, useAutoMode, useNodeGroups } from '../support/synth';
import { addressAt, policyOf, resourceAt, resourcesOf } from '../../testing';
import { synthEnvironment } from './tf-json';

const API = 'company-api';

/**
 * The example with staging's company-api reading one JSON key of a Secrets Manager secret and one SSM
 * parameter, nothing else reading AWS secrets; staging on two node groups, or on Auto Mode.
 */
function fixture(withSecrets: boolean, compute: 'node-groups' | 'auto-mode' = 'node-groups') {
  const input = exampleInput();
  for (const env of input.environments) {
    for (const svc of Object.values<any>(env.services)) delete svc.secretEnv;
  }
  delete input.services[API].secretEnv;
  const staging = envInputOf(input, 'staging');
  if (compute === 'node-groups') {
    useNodeGroups(staging, {
      general: { instanceTypes: ['m6i.large'], minSize: 2, desiredSize: 2, maxSize: 4 },
      spot: { instanceTypes: ['m6i.large', 'm5.large'], capacityType: 'SPOT', minSize: 0, desiredSize: 0, maxSize: 4 },
    });
  } else {
    useAutoMode(staging);
  }
  const arn = `arn:aws:secretsmanager:${staging.region}:${staging.account}:secret:fixture/db-Zx98Yw`;
  const parameterArn = `arn:aws:ssm:${staging.region}:${staging.account}:parameter/fixture/token`;
  if (withSecrets) {
    staging.services[API] = {
      secretEnv: { DB_PASSWORD: { secretsManager: { arn, key: 'password' } }, TOKEN: { ssmParameter: { name: '/fixture/token' } } },
    };
  }
  const defs = defineEnvironments(input);
  const env = defs.environments.find((e) => e.name === 'staging')!;
  expect(env.cluster.compute).toBe(compute);
  return { arn, parameterArn, ...synthEnvironment(defs, env) };
}

describe('AWS secrets in the environment stack', () => {
  const { arn, parameterArn, json } = fixture(true);

  test('installs the aws-secrets-store-csi-driver-provider add-on with secret sync, after every node group, version left to EKS', () => {
    const addon = resourceAt(json, 'aws_eks_addon', 'SecretsStoreCsiDriver');
    expect(addon.addon_name).toBe(SECRETS_STORE_CSI_DRIVER_ADDON);
    expect(JSON.parse(addon.configuration_values)).toEqual({ 'secrets-store-csi-driver': { syncSecret: { enabled: true } } });
    expect(addon).not.toHaveProperty('addon_version');
    expect(addon.cluster_name).toBe(`\${aws_eks_cluster.${Object.keys(resourcesOf(json, 'aws_eks_cluster'))[0]}.name}`);
    const nodeGroups = Object.keys(resourcesOf(json, 'aws_eks_node_group'));
    expect(nodeGroups).toHaveLength(2);
    expect([...addon.depends_on].sort()).toEqual(nodeGroups.map((name) => `aws_eks_node_group.${name}`).sort());
  });

  test('installs the same add-on on Auto Mode without waiting for anything but the cluster, since Auto Mode has no node groups', () => {
    const { json: auto } = fixture(true, 'auto-mode');
    const addon = resourceAt(auto, 'aws_eks_addon', 'SecretsStoreCsiDriver');
    expect(addon.addon_name).toBe(SECRETS_STORE_CSI_DRIVER_ADDON);
    expect(JSON.parse(addon.configuration_values)).toEqual({ 'secrets-store-csi-driver': { syncSecret: { enabled: true } } });
    expect(resourcesOf(auto, 'aws_eks_node_group')).toEqual({});
    expect(addon).not.toHaveProperty('depends_on');
    expect(addon.cluster_name).toBe(`\${aws_eks_cluster.${Object.keys(resourcesOf(auto, 'aws_eks_cluster'))[0]}.name}`);
  });

  test('grants the workload role exactly the referenced ARNs and nothing broader', () => {
    const policy = policyOf(resourceAt(json, 'aws_iam_role_policy', 'WorkloadCompanyApi/Policy'));
    expect(policy.Statement).toEqual([
      { Sid: 'ReadSecretsManagerSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: arn },
      { Sid: 'ReadSsmParameters', Effect: 'Allow', Action: 'ssm:GetParameters', Resource: parameterArn },
    ]);
    expect(JSON.stringify(policy)).not.toContain('*');
    expect(resourceAt(json, 'aws_iam_role_policy', 'WorkloadCompanyApi/Policy').role).toBe(`\${${addressAt(json, 'aws_iam_role', 'WorkloadCompanyApi')}.id}`);
  });

  test('gives a service without AWS references no secret permissions', () => {
    const policies = Object.keys(resourcesOf(json, 'aws_iam_role_policy')).filter((name) => name.startsWith('WorkloadCompanyWeb'));
    expect(policies).toEqual([]);
  });

  test('needs no resource type the apply role lacks', () => {
    expect(uncoveredResourceTypes(Object.keys(json.resource))).toEqual([]);
  });

  test('installs no add-on when no service reads a secret from AWS', () => {
    const { json: plain } = fixture(false);
    expect(Object.keys(resourcesOf(plain, 'aws_eks_addon')).filter((name) => name.startsWith('SecretsStoreCsiDriver'))).toEqual([]);
  });
});
