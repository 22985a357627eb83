import type { Construct } from 'constructs';
import { EksCluster } from '../../infra/constructs/eks-cluster';
import { NODE_MANAGED_POLICIES, NODE_TEMPLATE_TAG_PREFIX, NodeGroup, type NodeGroupProps } from '../../infra/constructs/node-group';
import { emptyStack, onlyResource, policyOf, resourcesOf, synthScope } from '../../testing';
import { issueLines, validationErrorOf } from '../support/validation';

/** Props of a node group on the cluster `company-prod`, which another stack owns. */
function props(scope: Construct, overrides: Partial<NodeGroupProps> = {}): NodeGroupProps {
  return {
    cluster: EksCluster.fromClusterAttributes(scope, 'Cluster', { clusterName: 'company-prod', account: '111111111111', region: 'eu-west-1' }),
    nodeGroupName: 'general',
    subnetIds: ['subnet-a', 'subnet-b'],
    instanceTypes: ['m6i.large'],
    minSize: 2,
    desiredSize: 3,
    maxSize: 6,
    ...overrides,
  };
}

function nodeGroup(overrides: Partial<NodeGroupProps> = {}) {
  return synthScope((scope) => new NodeGroup(scope, 'NodeGroup', props(scope, overrides)));
}

/** Builds a node group in a bare stack (no synth). */
function build(overrides: Partial<NodeGroupProps>) {
  const stack = emptyStack();
  return new NodeGroup(stack, 'NodeGroup', props(stack, overrides));
}

describe('NodeGroup', () => {
  test('creates an on-demand AL2023 node group in the subnets with scaling, updates and no SSH by default', () => {
    const ng = onlyResource(nodeGroup(), 'aws_eks_node_group');
    const { node_role_arn: _role, depends_on: _deps, ...rest } = ng;
    expect(rest).toMatchSnapshot();
    expect(ng).toMatchObject({
      cluster_name: 'company-prod',
      node_group_name: 'general',
      subnet_ids: ['subnet-a', 'subnet-b'],
      capacity_type: 'ON_DEMAND',
      ami_type: 'AL2023_x86_64_STANDARD',
      disk_size: 50,
      scaling_config: { min_size: 2, desired_size: 3, max_size: 6 },
      update_config: { max_unavailable_percentage: 33 },
    });
    expect(ng.remote_access).toBeUndefined();
  });

  test('lets the autoscaler own the desired size', () => {
    expect(onlyResource(nodeGroup(), 'aws_eks_node_group').lifecycle).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
  });

  describe('Cluster Autoscaler node-template tags', () => {
    const labels = { workload: 'batch', 'example.com/tier': 'low' };
    const taints = [
      { key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' as const },
      { key: 'spot', effect: 'PREFER_NO_SCHEDULE' as const },
    ];

    test('tags the Auto Scaling group of a group with minSize 0 with its labels and taints, not propagated to instances', () => {
      const json = nodeGroup({ minSize: 0, desiredSize: 0, labels, taints });
      const ngAddress = Object.keys(resourcesOf(json, 'aws_eks_node_group'))[0];
      const tags = Object.values(resourcesOf(json, 'aws_autoscaling_group_tag'));
      expect(tags.map((t) => t.tag).sort((a, b) => a.key.localeCompare(b.key))).toEqual([
        { key: `${NODE_TEMPLATE_TAG_PREFIX}/label/example.com/tier`, value: 'low', propagate_at_launch: false },
        { key: `${NODE_TEMPLATE_TAG_PREFIX}/label/workload`, value: 'batch', propagate_at_launch: false },
        { key: `${NODE_TEMPLATE_TAG_PREFIX}/taint/dedicated`, value: 'batch:NoSchedule', propagate_at_launch: false },
        { key: `${NODE_TEMPLATE_TAG_PREFIX}/taint/spot`, value: ':PreferNoSchedule', propagate_at_launch: false },
      ]);
      // The tags go on the Auto Scaling group EKS created for this node group.
      for (const t of tags) expect(t.autoscaling_group_name).toBe(`\${aws_eks_node_group.${ngAddress}.resources[0].autoscaling_groups[0].name}`);
    });

    test('adds no tags when the group never shrinks below one node (the autoscaler learns from the nodes)', () => {
      expect(resourcesOf(nodeGroup({ labels, taints }), 'aws_autoscaling_group_tag')).toEqual({});
    });

    test('fails when a tag key would exceed what EC2 Auto Scaling accepts', () => {
      const key = `example.com/${'k'.repeat(80)}`;
      expect(() => nodeGroup({ minSize: 0, desiredSize: 0, labels: { [key]: 'v' } })).toThrow(
        `stack/NodeGroup: 'labels.${key}' ("${key}") makes the Cluster Autoscaler tag "${NODE_TEMPLATE_TAG_PREFIX}/label/${key}" of a node group with minSize 0 longer than 128 characters, which EC2 Auto Scaling rejects; shorten the label or taint key, or raise minSize above 0`,
      );
    });
  });

  test('gives the node role exactly the three node policies and trusts only EC2', () => {
    const json = nodeGroup();
    const arns = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment')).map((a) => a.policy_arn).sort();
    expect(arns).toEqual(NODE_MANAGED_POLICIES.map((p) => `arn:aws:iam::aws:policy/${p}`).sort());
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('company-prod-general-node');
    expect(policyOf(role, 'assume_role_policy').Statement[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
  });

  test('applies capacity type, AMI, disk size, update budget, labels and taints', () => {
    const ng = onlyResource(
      nodeGroup({
        instanceTypes: ['m7g.large', 'c7g.large'],
        capacityType: 'SPOT',
        amiType: 'AL2023_ARM_64_STANDARD',
        diskSizeGiB: 100,
        maxUnavailablePercent: 50,
        labels: { workload: 'batch' },
        taints: [{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }],
      }),
      'aws_eks_node_group',
    );
    expect(ng).toMatchObject({
      instance_types: ['m7g.large', 'c7g.large'],
      capacity_type: 'SPOT',
      ami_type: 'AL2023_ARM_64_STANDARD',
      disk_size: 100,
      update_config: { max_unavailable_percentage: 50 },
      labels: { workload: 'batch' },
      taint: [{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }],
    });
  });

  test('uses the given role name', () => {
    expect(onlyResource(nodeGroup({ roleName: 'nodes' }), 'aws_iam_role').name).toBe('nodes');
  });

  test('fails when the sizes are out of order', () => {
    expect(() => build({ minSize: 4, desiredSize: 3 })).toThrow(
      `test/NodeGroup: 'desiredSize' (3) with 'minSize' (4) and 'maxSize' (6) breaks minSize <= desiredSize <= maxSize with maxSize >= 1; make minSize <= desiredSize <= maxSize`,
    );
  });

  test('fails when no instance type is given', () => {
    expect(() => build({ instanceTypes: [] })).toThrow(
      `test/NodeGroup: 'instanceTypes' ([]) is empty; list at least one instance type like "m6i.large"`,
    );
  });

  test('fails when an ARM AMI is combined with x86_64 instance types', () => {
    expect(() => build({ amiType: 'AL2023_ARM_64_STANDARD' })).toThrow(
      `test/NodeGroup: 'instanceTypes' (["m6i.large"]) are x86_64 but 'amiType' is "AL2023_ARM_64_STANDARD"; use Graviton types like "m7g.large" or an x86_64 amiType`,
    );
  });

  test('fails when Graviton instance types run an x86_64 AMI', () => {
    expect(() => build({ instanceTypes: ['t4g.large'] })).toThrow(
      `test/NodeGroup: 'instanceTypes' (["t4g.large"]) are ARM (Graviton) but 'amiType' is "AL2023_x86_64_STANDARD"; use an ARM_64 amiType or x86_64 instance types`,
    );
  });

  test('fails when the update budget is out of range', () => {
    expect(() => build({ maxUnavailablePercent: 0 })).toThrow(
      `test/NodeGroup: 'maxUnavailablePercent' (0) must be a whole number from 1 to 100, the range EKS accepts; pick a share of nodes from 1 to 100`,
    );
  });

  test('fails when no subnet is given', () => {
    expect(() => build({ subnetIds: [] })).toThrow(
      `test/NodeGroup: 'subnetIds' ([]) is empty; pass the private subnets of the cluster's VPC`,
    );
  });
});

describe('NodeGroup on a cluster', () => {
  test('names the role after the literal cluster name and joins the cluster by name', () => {
    const json = nodeGroup();
    expect(onlyResource(json, 'aws_iam_role').name).toBe('company-prod-general-node');
    expect(onlyResource(json, 'aws_eks_node_group').cluster_name).toBe('company-prod');
  });

  test('reports every bad prop in one ValidationError', () => {
    const error = validationErrorOf(() => build({ instanceTypes: [], subnetIds: [], maxUnavailablePercent: 101, minSize: 5, desiredSize: 2 }));
    expect(error.message.split('\n')[0]).toBe('invalid props of NodeGroup test/NodeGroup (4 problems):');
    expect(error.issues.map((i) => [i.field, i.value])).toEqual([
      ['instanceTypes', []],
      ['desiredSize', 2],
      ['maxUnavailablePercent', 101],
      ['subnetIds', []],
    ]);
    expect(issueLines(error)).toContain(`test/NodeGroup: 'subnetIds' ([]) is empty; pass the private subnets of the cluster's VPC`);
    expect(error.issues.every((i) => i.constructPath === 'test/NodeGroup')).toBe(true);
  });
});
