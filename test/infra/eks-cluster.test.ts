import type { Construct } from 'constructs';
import { CLUSTER_ADDONS, EksCluster, type EksClusterProps } from '../../infra/constructs/eks-cluster';
import { EncryptionKey } from '../../infra/constructs/encryption-key';
import { emptyStack, onlyResource, policyOf, resourceAt, resourcesOf, synthScope, synthStack } from '../../testing';
import { validationErrorOf } from '../support/validation';

function props(scope: Construct, overrides: Partial<EksClusterProps> = {}): EksClusterProps {
  return {
    clusterName: 'company-prod',
    kubernetesVersion: '1.35',
    account: '333333333333',
    region: 'ap-east-1',
    subnetIds: ['subnet-a', 'subnet-b'],
    logEncryptionKey: new EncryptionKey(scope, 'LogsKey', {
      account: '333333333333',
      region: 'ap-east-1',
      aliasName: 'logs',
      description: 'logs',
      allowCloudWatchLogs: true,
    }),
    ...overrides,
  };
}

const NODES = { nodeGroupName: 'general', instanceTypes: ['m6i.large'], minSize: 2, desiredSize: 2, maxSize: 4 };

function cluster(overrides: Partial<EksClusterProps> = {}) {
  return synthScope((scope) => new EksCluster(scope, 'Cluster', props(scope, overrides)).addNodeGroup(NODES));
}

describe('EksCluster', () => {
  test('creates a private cluster of the version with secrets encryption, all log types and API authentication by default', () => {
    const json = cluster();
    const eks = resourceAt(json, 'aws_eks_cluster', 'Cluster');
    expect(eks).toMatchObject({
      name: 'company-prod',
      version: '1.35',
      enabled_cluster_log_types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      access_config: { authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false },
      encryption_config: { resources: ['secrets'] },
      vpc_config: { subnet_ids: ['subnet-a', 'subnet-b'], endpoint_private_access: true, endpoint_public_access: false },
    });
    expect(eks.vpc_config.public_access_cidrs).toBeUndefined();
    expect(eks.encryption_config.provider.key_arn).toMatch(/aws_kms_key\.Cluster_SecretsKey_\w+\.arn/);
    expect({ vpc_config: eks.vpc_config, access_config: eks.access_config }).toMatchSnapshot();
  });

  test('encrypts secrets with a dedicated, rotated key with an alias', () => {
    const json = cluster();
    expect(resourceAt(json, 'aws_kms_key', 'Cluster/SecretsKey')).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(resourceAt(json, 'aws_kms_alias', 'Cluster/SecretsKey/Alias').name).toBe('alias/company-prod/eks-secrets');
  });

  test('pre-creates the control-plane log group, encrypted with the retention, before the cluster', () => {
    const json = cluster({ logRetentionDays: 365 });
    const group = resourceAt(json, 'aws_cloudwatch_log_group', 'Cluster/LogGroup');
    expect(group).toMatchObject({ name: '/aws/eks/company-prod/cluster', retention_in_days: 365 });
    expect(group.kms_key_id).toMatch(/aws_kms_key\.LogsKey_\w+\.arn/);
    expect(resourceAt(json, 'aws_eks_cluster', 'Cluster').depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\.Cluster_LogGroup_/)]),
    );
  });

  test('keeps control-plane logs 90 days by default', () => {
    expect(resourceAt(cluster(), 'aws_cloudwatch_log_group', 'Cluster/LogGroup').retention_in_days).toBe(90);
  });

  test('opens the public endpoint only to the given networks with endpointAccess "public-and-private"', () => {
    const json = cluster({ endpointAccess: 'public-and-private', publicAccessCidrs: ['203.0.113.0/24'] });
    expect(resourceAt(json, 'aws_eks_cluster', 'Cluster').vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ['203.0.113.0/24'],
    });
  });

  test('gives the cluster role only AmazonEKSClusterPolicy plus use of its secrets key', () => {
    const json = cluster();
    const role = resourceAt(json, 'aws_iam_role', 'Cluster/Role');
    expect(policyOf(role, 'assume_role_policy').Statement).toEqual([
      { Sid: 'AssumedByService', Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    const attachments = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment')).filter((a) => a.role.includes('Cluster_Role_'));
    expect(attachments.map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy']);
    const keyPolicy = policyOf(resourceAt(json, 'aws_iam_role_policy', 'Cluster/SecretsKeyPolicy')).Statement;
    expect(keyPolicy).toHaveLength(1);
    expect(keyPolicy[0].Resource).toMatch(/aws_kms_key\.Cluster_SecretsKey_\w+\.arn/);
  });

  test('grants every admin AmazonEKSClusterAdminPolicy on the whole cluster through an access entry', () => {
    const admins = ['arn:aws:iam::333333333333:role/platform-admin', 'arn:aws:iam::333333333333:user/alice'];
    const json = cluster({ admins });
    const entries = Object.values(resourcesOf(json, 'aws_eks_access_entry'));
    expect(entries.map((e) => e.principal_arn).sort()).toEqual([...admins].sort());
    const associations = Object.values(resourcesOf(json, 'aws_eks_access_policy_association'));
    expect(associations).toHaveLength(2);
    for (const a of associations) {
      expect(a.policy_arn).toBe('arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
      expect(a.access_scope).toEqual({ type: 'cluster' });
    }
  });

  test('creates no access entry without admins', () => {
    expect(resourcesOf(cluster(), 'aws_eks_access_entry')).toEqual({});
  });

  test('installs the managed add-ons with OVERWRITE, coredns and metrics-server after the node groups', () => {
    const json = cluster();
    const addons = Object.values(resourcesOf(json, 'aws_eks_addon'));
    expect(addons.map((a) => a.addon_name).sort()).toEqual([...CLUSTER_ADDONS].sort());
    for (const a of addons) expect(a.resolve_conflicts_on_update).toBe('OVERWRITE');
    const waiting = addons.filter((a) => (a.depends_on ?? []).some((d: string) => d.startsWith('aws_eks_node_group.')));
    expect(waiting.map((a) => a.addon_name).sort()).toEqual(['coredns', 'metrics-server']);
  });

  test('enables NetworkPolicy enforcement in the vpc-cni add-on and keeps the defaults of the others', () => {
    const json = cluster();
    const vpcCni = resourceAt(json, 'aws_eks_addon', 'Cluster/AddonVpcCni');
    expect(vpcCni.addon_name).toBe('vpc-cni');
    expect(JSON.parse(vpcCni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    const others = Object.values(resourcesOf(json, 'aws_eks_addon')).filter((a) => a.addon_name !== 'vpc-cni');
    expect(others).toHaveLength(CLUSTER_ADDONS.length - 1);
    for (const a of others) expect(a.configuration_values).toBeUndefined();
  });

  test('places node groups in the cluster subnets and names their role after the cluster', () => {
    const json = cluster();
    const ng = onlyResource(json, 'aws_eks_node_group');
    expect(ng.subnet_ids).toEqual(['subnet-a', 'subnet-b']);
    expect(ng.cluster_name).toMatch(/aws_eks_cluster\.Cluster_\w+\.name/);
    expect(resourceAt(json, 'aws_iam_role', 'Cluster/NodeGroupGeneral/Role').name).toBe('company-prod-general-node');
  });

  test('fails validation when no node group is added', () => {
    const stack = emptyStack();
    new EksCluster(stack, 'Cluster', props(stack));
    expect(() => synthStack(stack)).toThrow(
      'test/Cluster: the cluster has no node group, so coredns and metrics-server cannot run; call addNodeGroup() or use compute "auto-mode"',
    );
  });

  describe('with compute "auto-mode"', () => {
    const autoMode = () => synthScope((scope) => new EksCluster(scope, 'Cluster', props(scope, { compute: 'auto-mode' })));

    test('needs no node group and names its node role after the cluster by default', () => {
      const json = autoMode();
      expect(resourceAt(json, 'aws_iam_role', 'Cluster/AutoModeNodeRole').name).toBe('company-prod-auto-node');
      expect(resourceAt(json, 'aws_eks_cluster', 'Cluster').compute_config).toMatchObject({ enabled: true, node_pools: ['general-purpose', 'system'] });
      expect(Object.values(resourcesOf(json, 'aws_eks_addon')).map((a) => a.addon_name)).toEqual(['metrics-server']);
    });

    test('fails when a node group is added', () => {
      const stack = emptyStack();
      const eks = new EksCluster(stack, 'Cluster', props(stack, { compute: 'auto-mode' }));
      expect(() => eks.addNodeGroup(NODES)).toThrow(
        'test/Cluster: \'nodeGroupName\' ("general") is a node group on a cluster with compute "auto-mode", where EKS Auto Mode provides and scales the nodes; remove the node group or use compute "node-groups"',
      );
    });

    test('fails when an Auto Mode node role name is given to a node-groups cluster', () => {
      const stack = emptyStack();
      expect(() => new EksCluster(stack, 'Cluster', props(stack, { autoModeNodeRoleName: 'company-prod-auto-node' }))).toThrow(
        `test/Cluster: 'autoModeNodeRoleName' ("company-prod-auto-node") is set while 'compute' is "node-groups"; remove it or use compute "auto-mode"`,
      );
    });
  });

  test('fails when a public endpoint has no allowed networks', () => {
    const stack = emptyStack();
    expect(() => new EksCluster(stack, 'Cluster', props(stack, { endpointAccess: 'public-and-private' }))).toThrow(
      `test/Cluster: 'publicAccessCidrs' ([]) is empty while 'endpointAccess' is "public-and-private", which EKS would open to 0.0.0.0/0; list the networks allowed to reach the API, or use "private"`,
    );
  });

  test('fails when the public endpoint is opened to the whole internet', () => {
    const stack = emptyStack();
    expect(
      () => new EksCluster(stack, 'Cluster', props(stack, { endpointAccess: 'public-and-private', publicAccessCidrs: ['0.0.0.0/0'] })),
    ).toThrow(
      `test/Cluster: 'publicAccessCidrs[0]' ("0.0.0.0/0") opens the Kubernetes API to the whole internet; list specific networks (office, VPN) or use endpointAccess "private"`,
    );
  });

  test('fails when the cluster name is not valid for EKS', () => {
    const stack = emptyStack();
    expect(() => new EksCluster(stack, 'Cluster', props(stack, { clusterName: '-bad' }))).toThrow(
      `test/Cluster: 'clusterName' ("-bad") is not a valid EKS cluster name; use 1–100 letters, digits, '-' and '_', starting with a letter or digit`,
    );
  });

  test('fails when fewer than two subnets are given', () => {
    const stack = emptyStack();
    expect(() => new EksCluster(stack, 'Cluster', props(stack, { subnetIds: ['subnet-a'] }))).toThrow(
      `test/Cluster: 'subnetIds' (["subnet-a"]) must list at least 2 subnets in different zones, which EKS requires; add a subnet in a second zone`,
    );
  });

  test('fails when an admin is listed twice', () => {
    const stack = emptyStack();
    const arn = 'arn:aws:iam::333333333333:role/platform-admin';
    expect(() => new EksCluster(stack, 'Cluster', props(stack, { admins: [arn, arn] }))).toThrow(
      `test/Cluster: 'admins[1]' ("${arn}") repeats admins[0]; list each principal once`,
    );
  });

  test('reports every bad prop in one ValidationError with fields and values', () => {
    const stack = emptyStack();
    const arn = 'arn:aws:iam::333333333333:role/platform-admin';
    const error = validationErrorOf(
      () =>
        new EksCluster(
          stack,
          'Cluster',
          props(stack, { clusterName: '-bad', subnetIds: ['subnet-a'], endpointAccess: 'public-and-private', publicAccessCidrs: ['10.0.0.0/8', '0.0.0.0/0'], admins: [arn, arn] }),
        ),
    );
    expect(error.message.split('\n')[0]).toBe('invalid props of EksCluster test/Cluster (4 problems):');
    expect(error.issues.map((i) => [i.path, i.field, i.value])).toEqual([
      ['test/Cluster', 'clusterName', '-bad'],
      ['test/Cluster', 'subnetIds', ['subnet-a']],
      ['test/Cluster', 'publicAccessCidrs[1]', '0.0.0.0/0'],
      ['test/Cluster', 'admins[1]', arn],
    ]);
    expect(error.issues.map((i) => i.fix)).toEqual([
      "use 1–100 letters, digits, '-' and '_', starting with a letter or digit",
      'add a subnet in a second zone',
      'list specific networks (office, VPN) or use endpointAccess "private"',
      'list each principal once',
    ]);
  });

  test('reports a bad network and a bad description of allowApiAccessFrom together', () => {
    const stack = emptyStack();
    const eks = new EksCluster(stack, 'Cluster', props(stack));
    const error = validationErrorOf(() => eks.allowApiAccessFrom('10.30.200.1/24', 'runners <vpc>'));
    expect(error.issues.map((i) => i.field)).toEqual(['cidr', 'description']);
    expect(eks.node.children.map((c) => c.node.id).filter((id) => id.startsWith('ApiAccessFrom'))).toEqual([]);
  });

  test('admits a network to the API on TCP 443 through the cluster security group, with a description', () => {
    const json = synthScope((scope) => {
      const eks = new EksCluster(scope, 'Cluster', props(scope));
      eks.addNodeGroup(NODES);
      eks.allowApiAccessFrom('10.30.200.0/24', 'CI runners');
    });
    const [clusterName] = Object.keys(resourcesOf(json, 'aws_eks_cluster'));
    expect(resourceAt(json, 'aws_vpc_security_group_ingress_rule', 'Cluster/ApiAccessFrom10-30-200-0-24')).toEqual({
      security_group_id: `\${aws_eks_cluster.${clusterName}.vpc_config[0].cluster_security_group_id}`,
      description: 'CI runners',
      ip_protocol: 'tcp',
      from_port: 443,
      to_port: 443,
      cidr_ipv4: '10.30.200.0/24',
    });
  });

  test('opens the cluster security group to no extra network by default', () => {
    expect(resourcesOf(cluster(), 'aws_vpc_security_group_ingress_rule')).toEqual({});
  });

  test('derives distinct ids from CIDRs whose digits read alike', () => {
    const json = synthScope((scope) => {
      const eks = new EksCluster(scope, 'Cluster', props(scope));
      eks.addNodeGroup(NODES);
      eks.allowApiAccessFrom('10.30.200.0/24', 'a');
      eks.allowApiAccessFrom('1.0.30.200/29', 'b');
    });
    expect(Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).map((r) => r.cidr_ipv4).sort()).toEqual(['1.0.30.200/29', '10.30.200.0/24']);
  });

  test.each([
    ['0.0.0.0/0', `'cidr' ("0.0.0.0/0") opens the Kubernetes API to every address; list the runners' own networks`],
    ['10.30.200.1/24', `'cidr' ("10.30.200.1/24") is not a network address (host bits are set); use "10.30.200.0/24"`],
    ['10.30.200.0', `'cidr' ("10.30.200.0") is not an IPv4 CIDR; write it as a.b.c.d/n`],
  ])('fails when API access is allowed from %s', (cidr, message) => {
    const stack = emptyStack();
    const eks = new EksCluster(stack, 'Cluster', props(stack));
    const error = validationErrorOf(() => eks.allowApiAccessFrom(cidr, 'runners'));
    expect(error.message).toBe(`invalid arguments of EksCluster.allowApiAccessFrom at test/Cluster (1 problem):\n  - test/Cluster: ${message}`);
  });

  test('fails when API access is allowed twice from the same network', () => {
    const stack = emptyStack();
    const eks = new EksCluster(stack, 'Cluster', props(stack));
    eks.allowApiAccessFrom('10.30.200.0/24', 'runners');
    expect(() => eks.allowApiAccessFrom('10.30.200.0/24', 'runners')).toThrow(
      `test/Cluster: 'cidr' ("10.30.200.0/24") is already allowed; allow each network once`,
    );
  });

  test('fails when the rule description has characters EC2 refuses', () => {
    const stack = emptyStack();
    const eks = new EksCluster(stack, 'Cluster', props(stack));
    expect(() => eks.allowApiAccessFrom('10.30.200.0/24', 'runners <vpc>')).toThrow(
      `test/Cluster: 'description' ("runners <vpc>") is not a security group rule description; use 1–255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*`,
    );
  });

  test('fails when a namespace-scoped access entry lists no namespace', () => {
    const stack = emptyStack();
    const eks = new EksCluster(stack, 'Cluster', props(stack));
    expect(() => eks.addAccessEntry('Team', { principalArn: 'arn:aws:iam::333333333333:role/team', accessPolicy: 'AmazonEKSEditPolicy', namespaces: [] })).toThrow(
      `invalid arguments of EksCluster.addAccessEntry("Team") at test/Cluster (1 problem):\n  - test/Cluster: 'namespaces' ([]) is empty; list the namespaces or omit it for cluster scope`,
    );
  });

  test('scopes an access entry to namespaces when they are given', () => {
    const json = synthScope((scope) => {
      const eks = new EksCluster(scope, 'Cluster', props(scope));
      eks.addNodeGroup(NODES);
      eks.addAccessEntry('Team', { principalArn: 'arn:aws:iam::333333333333:role/team', accessPolicy: 'AmazonEKSEditPolicy', namespaces: ['web'] });
    });
    expect(resourceAt(json, 'aws_eks_access_policy_association', 'Cluster/TeamAccessPolicy').access_scope).toEqual({
      type: 'namespace',
      namespaces: ['web'],
    });
  });
});
