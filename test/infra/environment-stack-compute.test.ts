/**
 * The environment stack in each compute mode, on fixtures built here from the example input: one
 * environment switched to EKS Auto Mode (no node groups), one kept on managed node groups (with an
 * extra group that may shrink to zero). Checked by meaning, then with the real `terraform validate`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from '../../infra/vendor/terraform';
import {
  CLUSTER_AUTOSCALER,
  autoModeNodeRoleName,
  awsSecretReferences,
  clusterComponentRoleName,
  clusterName,
  defineEnvironments,
  permissionsBoundaryArn,
  stackName,
  type Definitions,
  type EnvironmentDefinition,
} from '../../config';
import { uncoveredResourceTypes } from '../../infra/bootstrap/apply-permissions';
import { CLOUDWATCH_OBSERVABILITY_ADDON } from '../../infra/constructs/cluster-observability';
import { AUTO_MODE_BUILT_IN_ADDONS, AUTO_MODE_CLUSTER_POLICIES, CLUSTER_ADDONS } from '../../infra/constructs/eks-cluster';
import { SECRETS_STORE_CSI_DRIVER_ADDON } from '../../infra/constructs/secrets-store-csi-driver';
import { AUTO_MODE_NODE_MANAGED_POLICIES } from '../../infra/constructs/auto-mode-node-role';
import { CLUSTER_AUTOSCALER_READ_ACTIONS, CLUSTER_AUTOSCALER_WRITE_ACTIONS } from '../../infra/constructs/cluster-autoscaler-identity';
import { NODE_TEMPLATE_TAG_PREFIX } from '../../infra/constructs/node-group';
import { EnvironmentStack } from '../../infra/environment-stack';
import { FIXTURE_NODE_GROUPS, exampleInput, tempDir, useAutoMode, useNodeGroups } from '../support/synth';
import { initPluginDirectory, reuseInitialisedPlugins, runTerraform, terraformToolchain } from '../support/terraform';
import { policyOf, resourcesOf, type TfJson } from '../../testing';

/** The example input with its first environment on node groups (plus a group that may scale to zero) and its second on Auto Mode. */
function computeFixture(): { defs: Definitions; nodeGroupsEnv: EnvironmentDefinition; autoModeEnv: EnvironmentDefinition } {
  const input = exampleInput();
  const [ng, auto] = input.environments;
  useNodeGroups(ng, {
    ...FIXTURE_NODE_GROUPS,
    batch: {
      instanceTypes: ['m6i.large'],
      minSize: 0,
      desiredSize: 0,
      maxSize: 2,
      labels: { workload: 'batch' },
      taints: [{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }],
    },
  });
  useAutoMode(auto);
  const defs = defineEnvironments(input);
  return { defs, nodeGroupsEnv: defs.environments.find((e) => e.name === ng.name)!, autoModeEnv: defs.environments.find((e) => e.name === auto.name)! };
}

function synth(defs: Definitions, env: EnvironmentDefinition): { text: string; json: TfJson } {
  const stack = new EnvironmentStack(Testing.app(), stackName(defs.system, env), { definitions: defs, environment: env });
  const text = Testing.synth(stack, true);
  return { text, json: JSON.parse(text) as TfJson };
}

const ref = (type: string, name: string, attribute: string) => `\${${type}.${name}.${attribute}}`;
/** The `[name, role]` of the role with this IAM name. */
const roleNamed = (json: TfJson, name: string) => Object.entries(resourcesOf(json, 'aws_iam_role')).find(([, r]) => r.name === name)!;
/** Managed policy ARNs attached to the role with this Terraform name. */
const attachedTo = (json: TfJson, roleName: string) =>
  Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment'))
    .filter((a) => a.role === ref('aws_iam_role', roleName, 'name'))
    .map((a) => a.policy_arn)
    .sort();
const managed = (names: readonly string[]) => names.map((n) => `arn:aws:iam::aws:policy/${n}`).sort();
const onlyCluster = (json: TfJson) => Object.entries(resourcesOf(json, 'aws_eks_cluster'))[0];
/** Names of the stack's EKS add-ons. */
const addonNames = (json: TfJson) => Object.values(resourcesOf(json, 'aws_eks_addon')).map((a) => a.addon_name as string);
/**
 * The add-ons an environment gets beside the cluster's own, from its definition: the CloudWatch
 * Observability add-on with Container Insights, the Secrets Store CSI Driver when a service reads a secret from AWS.
 */
const featureAddons = (env: EnvironmentDefinition): string[] => [
  ...(env.observability.containerInsights ? [CLOUDWATCH_OBSERVABILITY_ADDON] : []),
  ...(env.services.some((service) => awsSecretReferences(env, service).length > 0) ? [SECRETS_STORE_CSI_DRIVER_ADDON] : []),
];

const { defs, nodeGroupsEnv, autoModeEnv } = computeFixture();

describe('EnvironmentStack with compute "auto-mode"', () => {
  const { json } = synth(defs, autoModeEnv);
  const [, cluster] = onlyCluster(json);
  const clusterRoleName = cluster.role_arn.split('.')[1];
  const [nodeRoleTfName] = roleNamed(json, autoModeNodeRoleName(defs.system, autoModeEnv));

  test('enables EKS Auto Mode with the built-in node pools, load balancing and block storage, and no self-managed add-ons', () => {
    expect(cluster.compute_config).toEqual({
      enabled: true,
      node_pools: ['general-purpose', 'system'],
      node_role_arn: ref('aws_iam_role', nodeRoleTfName, 'arn'),
    });
    expect(cluster.kubernetes_network_config).toEqual({ elastic_load_balancing: { enabled: true } });
    expect(cluster.storage_config).toEqual({ block_storage: { enabled: true } });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
    // Access entries, which Auto Mode's own node and cluster entries use, without a creator admin.
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
  });

  test('gives the cluster role the five Auto Mode policies and a trust that lets EKS tag its sessions', () => {
    expect(attachedTo(json, clusterRoleName)).toEqual(managed(['AmazonEKSClusterPolicy', ...AUTO_MODE_CLUSTER_POLICIES]));
    expect(AUTO_MODE_CLUSTER_POLICIES).toEqual(
      expect.arrayContaining(['AmazonEKSComputePolicy', 'AmazonEKSBlockStoragePolicy', 'AmazonEKSLoadBalancingPolicy', 'AmazonEKSNetworkingPolicy']),
    );
    const [trust] = policyOf(resourcesOf(json, 'aws_iam_role')[clusterRoleName], 'assume_role_policy').Statement;
    expect(trust).toMatchObject({ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] });
    // The cluster waits for every policy of both roles.
    const attachments = Object.entries(resourcesOf(json, 'aws_iam_role_policy_attachment'))
      .filter(([, a]) => [clusterRoleName, nodeRoleTfName].some((r) => a.role === ref('aws_iam_role', r, 'name')))
      .map(([name]) => `aws_iam_role_policy_attachment.${name}`);
    expect(cluster.depends_on).toEqual(expect.arrayContaining(attachments));
  });

  test('creates the node role for EC2 with exactly the minimal worker and ECR pull policies, and no access entry for it', () => {
    const role = resourcesOf(json, 'aws_iam_role')[nodeRoleTfName];
    expect(policyOf(role, 'assume_role_policy').Statement).toEqual([expect.objectContaining({ Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' })]);
    expect(attachedTo(json, nodeRoleTfName)).toEqual(managed(['AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryPullOnly']));
    expect(AUTO_MODE_NODE_MANAGED_POLICIES).toHaveLength(2);
    // EKS creates the EC2 access entry of the node role it was given.
    for (const entry of Object.values(resourcesOf(json, 'aws_eks_access_entry'))) expect(entry.principal_arn).not.toContain(nodeRoleTfName);
  });

  test('installs metrics-server for the HPAs and none of the add-ons Auto Mode builds into its nodes', () => {
    const addons = addonNames(json);
    expect(addons.sort()).toEqual(['metrics-server', ...featureAddons(autoModeEnv)].sort());
    for (const builtIn of AUTO_MODE_BUILT_IN_ADDONS) expect(addons).not.toContain(builtIn);
    for (const builtIn of ['vpc-cni', 'kube-proxy', 'coredns', 'eks-pod-identity-agent']) expect(AUTO_MODE_BUILT_IN_ADDONS).toContain(builtIn);
  });

  test('creates no node group and no Cluster Autoscaler identity', () => {
    expect(resourcesOf(json, 'aws_eks_node_group')).toEqual({});
    expect(resourcesOf(json, 'aws_autoscaling_group_tag')).toEqual({});
    expect(Object.values(resourcesOf(json, 'aws_eks_pod_identity_association')).map((a) => a.namespace)).not.toContain(CLUSTER_AUTOSCALER.namespace);
    expect(Object.values(resourcesOf(json, 'aws_iam_role')).map((r) => r.name)).not.toContain(clusterComponentRoleName(defs.system, autoModeEnv, CLUSTER_AUTOSCALER));
  });

  test('tags the public subnets for internet-facing and the cluster subnets for internal load balancers', () => {
    const subnets = Object.entries(resourcesOf(json, 'aws_subnet'));
    const clusterSubnets = new Set(cluster.vpc_config.subnet_ids);
    for (const [name, subnet] of subnets) {
      const inCluster = clusterSubnets.has(ref('aws_subnet', name, 'id'));
      expect(subnet.tags[inCluster ? 'kubernetes.io/role/internal-elb' : 'kubernetes.io/role/elb']).toBe('1');
      expect(subnet.tags[`kubernetes.io/cluster/${clusterName(defs.system, autoModeEnv)}`]).toBe('shared');
    }
    expect(subnets.filter(([name]) => !clusterSubnets.has(ref('aws_subnet', name, 'id')))).toHaveLength(autoModeEnv.network.availabilityZones.length);
  });
});

describe('EnvironmentStack with compute "node-groups"', () => {
  const { json } = synth(defs, nodeGroupsEnv);
  const [, cluster] = onlyCluster(json);
  const cluster_ = clusterName(defs.system, nodeGroupsEnv);
  const [caRoleName, caRole] = roleNamed(json, clusterComponentRoleName(defs.system, nodeGroupsEnv, CLUSTER_AUTOSCALER));

  test('leaves the Auto Mode arguments unset, so existing clusters see no change, and keeps every managed add-on', () => {
    for (const key of ['compute_config', 'kubernetes_network_config', 'storage_config', 'bootstrap_self_managed_addons']) expect(cluster[key]).toBeUndefined();
    expect(attachedTo(json, cluster.role_arn.split('.')[1])).toEqual(managed(['AmazonEKSClusterPolicy']));
    expect(addonNames(json).sort()).toEqual([...CLUSTER_ADDONS, ...featureAddons(nodeGroupsEnv)].sort());
    expect(Object.values(resourcesOf(json, 'aws_eks_node_group')).map((n) => n.node_group_name).sort()).toEqual(nodeGroupsEnv.cluster.nodeGroups.map((g) => g.name).sort());
  });

  test('gives the Cluster Autoscaler a role only its ServiceAccount on this cluster can assume, through EKS Pod Identity', () => {
    const [trust] = policyOf(caRole, 'assume_role_policy').Statement;
    expect(trust).toMatchObject({ Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] });
    expect(trust.Condition.StringEquals).toMatchObject({
      'aws:SourceAccount': nodeGroupsEnv.account,
      'aws:RequestTag/kubernetes-namespace': CLUSTER_AUTOSCALER.namespace,
      'aws:RequestTag/kubernetes-service-account': CLUSTER_AUTOSCALER.serviceAccount,
    });
    const associations = Object.values(resourcesOf(json, 'aws_eks_pod_identity_association')).filter((a) => a.role_arn === ref('aws_iam_role', caRoleName, 'arn'));
    expect(associations).toEqual([expect.objectContaining({ namespace: CLUSTER_AUTOSCALER.namespace, service_account: CLUSTER_AUTOSCALER.serviceAccount })]);
    expect(associations[0].cluster_name).toMatch(/^\$\{aws_eks_cluster\./);
  });

  test("limits the Cluster Autoscaler to reads, its cluster's node groups, and resizing only Auto Scaling groups tagged as the cluster's", () => {
    const policies = Object.values(resourcesOf(json, 'aws_iam_role_policy')).filter((p) => p.role === ref('aws_iam_role', caRoleName, 'id'));
    expect(policies).toHaveLength(1);
    const statements = policyOf(policies[0]).Statement;
    const granting = (action: string) => statements.filter((s: any) => s.Effect === 'Allow' && [s.Action].flat().includes(action));
    for (const action of CLUSTER_AUTOSCALER_WRITE_ACTIONS) {
      const [write] = granting(action);
      expect(granting(action)).toHaveLength(1);
      expect(write.Condition).toEqual({ StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${cluster_}`]: 'owned' } });
      expect(write.Resource).toBe(`arn:aws:autoscaling:${nodeGroupsEnv.region}:${nodeGroupsEnv.account}:autoScalingGroup:*:autoScalingGroupName/*`);
    }
    expect(granting('eks:DescribeNodegroup')).toEqual([
      expect.objectContaining({ Resource: `arn:aws:eks:${nodeGroupsEnv.region}:${nodeGroupsEnv.account}:nodegroup/${cluster_}/*/*` }),
    ]);
    // Everything on "*" is a read AWS cannot scope.
    const unscoped = statements.filter((s: any) => s.Resource === '*').flatMap((s: any) => [s.Action].flat());
    expect(unscoped.sort()).toEqual([...CLUSTER_AUTOSCALER_READ_ACTIONS].sort());
    expect(unscoped.every((a: string) => /^(autoscaling|ec2):(Describe|Get)/.test(a))).toBe(true);
  });

  test('tags the Auto Scaling group of the group that may scale to zero with its labels and taints', () => {
    const batch = nodeGroupsEnv.cluster.nodeGroups.find((g) => g.minSize === 0)!;
    const tags = Object.values(resourcesOf(json, 'aws_autoscaling_group_tag')).map((t) => t.tag);
    expect(tags).toEqual(
      expect.arrayContaining([
        ...Object.entries(batch.labels).map(([k, v]) => ({ key: `${NODE_TEMPLATE_TAG_PREFIX}/label/${k}`, value: v, propagate_at_launch: false })),
        { key: `${NODE_TEMPLATE_TAG_PREFIX}/taint/dedicated`, value: 'batch:NoSchedule', propagate_at_launch: false },
      ]),
    );
    expect(tags).toHaveLength(Object.keys(batch.labels).length + batch.taints.length);
  });
});

describe.each([
  ['auto-mode', autoModeEnv],
  ['node-groups', nodeGroupsEnv],
] as const)('EnvironmentStack with compute "%s" and the account guard rails', (_mode, env) => {
  const { json } = synth(defs, env);

  test('puts the permissions boundary on every role, the new ones included', () => {
    const roles = Object.values(resourcesOf(json, 'aws_iam_role'));
    const expected = env.cluster.compute === 'auto-mode' ? autoModeNodeRoleName(defs.system, env) : clusterComponentRoleName(defs.system, env, CLUSTER_AUTOSCALER);
    expect(roles.map((r) => r.name)).toContain(expected);
    for (const role of roles) expect(role.permissions_boundary).toBe(permissionsBoundaryArn(defs.system, env));
  });

  test('uses only resource types the CI apply role may manage (DK-TF-030)', () => {
    expect(uncoveredResourceTypes(Object.keys(json.resource))).toEqual([]);
  });
});

const toolchain = terraformToolchain();
if (!toolchain.available) {
  test.skip(`terraform validate of both compute modes (skipped: ${toolchain.reason})`, () => undefined);
} else {
  const tc = toolchain;
  describe('terraform validate with the real AWS provider', () => {
    const out = tempDir();
    let plugins = '';
    const write = (env: EnvironmentDefinition) => {
      const dir = join(out, env.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'cdk.tf.json'), synth(defs, env).text);
      return dir;
    };
    beforeAll(() => {
      plugins = initPluginDirectory(tc, join(write(nodeGroupsEnv), 'cdk.tf.json'));
    }, 120_000);
    afterAll(() => {
      rmSync(out, { recursive: true, force: true });
      if (plugins) rmSync(plugins, { recursive: true, force: true });
    });

    test.each([
      ['auto-mode', autoModeEnv],
      ['node-groups', nodeGroupsEnv],
    ] as const)('the %s stack is valid', (_mode, env) => {
      const dir = write(env);
      reuseInitialisedPlugins(plugins, dir);
      expect(runTerraform(tc, dir, ['validate'])).toContain('Success! The configuration is valid.');
    }, 120_000);
  });
}
