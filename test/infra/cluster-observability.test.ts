import { CLOUDWATCH_AGENT, clusterComponentRoleName, containerInsightsLogGroupName, defineEnvironments, type Definitions } from '../../config';
import { CLOUDWATCH_AGENT_POLICY, CLOUDWATCH_OBSERVABILITY_ADDON, ClusterObservability } from '../../infra/constructs/cluster-observability';
import { EksCluster } from '../../infra/constructs/eks-cluster';
import { EncryptionKey } from '../../infra/constructs/encryption-key';
import { envInputOf, exampleInput, useAutoMode, useNodeGroups } from '../support/synth';
import { addressAt, policyOf, resourceAt, resourcesOf, synthScope } from '../../testing';
import { synthEnvironment } from './tf-json';

/**
 * Definitions with one environment built here: its own system, cluster name, compute mode and
 * observability settings.
 */
function fixture(observability: Record<string, unknown> = {}, compute: 'node-groups' | 'auto-mode' = 'node-groups'): Definitions {
  const input = exampleInput();
  input.system = { name: 'shop' };
  const env = envInputOf(input, 'staging');
  env.cluster.name = 'shop-eks-blue';
  env.observability = observability;
  if (compute === 'node-groups') {
    useNodeGroups(env, { general: { instanceTypes: ['m6i.large'], minSize: 2, desiredSize: 2, maxSize: 4 }, batch: { instanceTypes: ['m6i.xlarge'], minSize: 0, desiredSize: 0, maxSize: 2 } });
  } else {
    useAutoMode(env);
  }
  input.environments = [env];
  return defineEnvironments(input);
}

describe('ClusterObservability in an environment stack', () => {
  const defs = fixture({ logRetentionDays: 365 });
  const env = defs.environments[0];
  const { json } = synthEnvironment(defs, env);
  const addon = resourceAt(json, 'aws_eks_addon', 'Observability/Addon');

  test('installs the CloudWatch Observability add-on with a Pod Identity association for the agent ServiceAccount and its role', () => {
    expect(addon.addon_name).toBe(CLOUDWATCH_OBSERVABILITY_ADDON);
    expect(addon.cluster_name).toBe(`\${${addressAt(json, 'aws_eks_cluster', 'Cluster')}.name}`);
    expect(addon.pod_identity_association).toEqual([
      { role_arn: `\${${addressAt(json, 'aws_iam_role', 'Observability/Role')}.arn}`, service_account: CLOUDWATCH_AGENT.serviceAccount },
    ]);
    expect(CLOUDWATCH_AGENT).toEqual({ namespace: 'amazon-cloudwatch', serviceAccount: 'cloudwatch-agent' });
  });

  test('names the role after the cluster and lets only the agent ServiceAccount in its namespace on this cluster assume it', () => {
    const role = resourceAt(json, 'aws_iam_role', 'Observability/Role');
    expect(role.name).toBe(clusterComponentRoleName(defs.system, env, CLOUDWATCH_AGENT));
    expect(role.name).toBe('shop-eks-blue-cloudwatch-agent');
    const [statement] = policyOf(role, 'assume_role_policy').Statement;
    expect(statement.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(statement.Condition.StringEquals).toMatchObject({
      'aws:SourceAccount': env.account,
      'aws:RequestTag/kubernetes-namespace': 'amazon-cloudwatch',
      'aws:RequestTag/kubernetes-service-account': 'cloudwatch-agent',
      'aws:RequestTag/eks-cluster-arn': `\${${addressAt(json, 'aws_eks_cluster', 'Cluster')}.arn}`,
    });
  });

  test('grants the role CloudWatchAgentServerPolicy and nothing else (no traces, so no X-Ray)', () => {
    const roleAddress = addressAt(json, 'aws_iam_role', 'Observability/Role');
    const attachments = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment')).filter((a) => a.role === `\${${roleAddress}.name}`);
    expect(attachments.map((a) => a.policy_arn)).toEqual([`arn:aws:iam::aws:policy/${CLOUDWATCH_AGENT_POLICY}`]);
    expect(Object.values(resourcesOf(json, 'aws_iam_role_policy')).filter((p) => p.role === `\${${roleAddress}.id}`)).toEqual([]);
  });

  test('creates the Container Insights log groups with the configured retention and the logs key before the add-on', () => {
    const logsKey = `\${${addressAt(json, 'aws_kms_key', 'LogsKey')}.arn}`;
    for (const kind of ['application', 'dataplane', 'host', 'performance'] as const) {
      const group = resourceAt(json, 'aws_cloudwatch_log_group', `Observability/LogGroup${kind[0].toUpperCase()}${kind.slice(1)}`);
      expect(group).toMatchObject({ name: `/aws/containerinsights/shop-eks-blue/${kind}`, retention_in_days: 365, kms_key_id: logsKey });
      expect(group.name).toBe(containerInsightsLogGroupName(defs.system, env, kind));
      expect(addon.depends_on).toContain(addressAt(json, 'aws_cloudwatch_log_group', `Observability/LogGroup${kind[0].toUpperCase()}${kind.slice(1)}`));
    }
  });

  test('waits for every node group and the Pod Identity agent with compute "node-groups"', () => {
    expect(env.cluster.compute).toBe('node-groups');
    const nodeGroups = Object.keys(resourcesOf(json, 'aws_eks_node_group')).map((name) => `aws_eks_node_group.${name}`);
    expect(nodeGroups).toHaveLength(env.cluster.nodeGroups.length);
    expect(nodeGroups).toHaveLength(2);
    for (const address of nodeGroups) expect(addon.depends_on).toContain(address);
    expect(addon.depends_on).toContain(addressAt(json, 'aws_eks_addon', 'Cluster/AddonEksPodIdentityAgent'));
  });

  test('waits only for its own log groups and role policy with compute "auto-mode", whose nodes run the Pod Identity agent and come with the pods', () => {
    const auto = fixture({}, 'auto-mode');
    const autoEnv = auto.environments[0];
    expect(autoEnv.cluster.compute).toBe('auto-mode');
    const { json: autoJson } = synthEnvironment(auto, autoEnv);
    const autoAddon = resourceAt(autoJson, 'aws_eks_addon', 'Observability/Addon');
    expect(resourcesOf(autoJson, 'aws_eks_node_group')).toEqual({});
    expect(Object.values(resourcesOf(autoJson, 'aws_eks_addon')).map((a) => a.addon_name)).not.toContain('eks-pod-identity-agent');
    const logGroups = ['Application', 'Dataplane', 'Host', 'Performance'].map((kind) => addressAt(autoJson, 'aws_cloudwatch_log_group', `Observability/LogGroup${kind}`));
    const policy = addressAt(autoJson, 'aws_iam_role_policy_attachment', `Observability/${CLOUDWATCH_AGENT_POLICY}`);
    expect([...autoAddon.depends_on].sort()).toEqual([...logGroups, policy].sort());
    // The agent still gets its credentials through Pod Identity, which Auto Mode builds into its nodes.
    expect(autoAddon.pod_identity_association).toEqual([
      { role_arn: `\${${addressAt(autoJson, 'aws_iam_role', 'Observability/Role')}.arn}`, service_account: CLOUDWATCH_AGENT.serviceAccount },
    ]);
  });

  test('creates none of it when containerInsights is false', () => {
    const off = fixture({ containerInsights: false });
    const { json: offJson } = synthEnvironment(off, off.environments[0]);
    expect(Object.values(resourcesOf(offJson, 'aws_eks_addon')).map((a) => a.addon_name)).not.toContain(CLOUDWATCH_OBSERVABILITY_ADDON);
    expect(Object.values(resourcesOf(offJson, 'aws_cloudwatch_log_group')).map((g) => g.name)).not.toContain('/aws/containerinsights/shop-eks-blue/application');
  });
});

describe('ClusterObservability props', () => {
  const props = (logGroupNames: Record<string, string>) => (scope: import('constructs').Construct) =>
    new ClusterObservability(scope, 'Observability', {
      cluster: EksCluster.fromClusterAttributes(scope, 'Cluster', { clusterName: 'c1', account: '444455556666', region: 'eu-west-1' }),
      roleName: 'c1-cloudwatch-agent',
      agent: CLOUDWATCH_AGENT,
      logGroupNames: logGroupNames as never,
      logRetentionDays: 14,
      logEncryptionKey: new EncryptionKey(scope, 'Key', { account: '444455556666', region: 'eu-west-1', aliasName: 'c1/logs', description: 'logs', allowCloudWatchLogs: true }),
      addonVersion: 'v4.1.0-eksbuild.1',
    });
  const names = { application: '/aws/containerinsights/c1/application', dataplane: '/aws/containerinsights/c1/dataplane', host: '/aws/containerinsights/c1/host', performance: '/aws/containerinsights/c1/performance' };

  test('pins the add-on version when given', () => {
    const json = synthScope(props(names));
    expect(resourceAt(json, 'aws_eks_addon', 'Observability/Addon').addon_version).toBe('v4.1.0-eksbuild.1');
  });

  test('fails when a log group is not the one the add-on writes to', () => {
    expect(() => synthScope(props({ ...names, host: '/custom/host' }))).toThrow(
      `stack/Observability: 'logGroupNames.host' ("/custom/host") is not a Container Insights log group; use "/aws/containerinsights/<cluster>/host", the name the add-on writes to`,
    );
  });
});
