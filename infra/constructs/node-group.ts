/**
 * An EKS managed node group in the private subnets, with its own node IAM role carrying exactly
 * the three AWS managed policies nodes need. No SSH (`remote_access`) and no public addresses.
 * The Cluster Autoscaler owns the group's desired size (Terraform ignores it after creation) and
 * finds the group by the tags EKS puts on its Auto Scaling group. A group that may shrink to zero
 * nodes also carries its labels and taints as `node-template` tags on the Auto Scaling group, so
 * the autoscaler knows what a new node would look like when none exists.
 */
import { AutoscalingGroupTagA as AutoscalingGroupTag, EksNodeGroup, IamRole, IamRolePolicyAttachment } from '../vendor/terraform';
import { Construct } from 'constructs';
import { propIssue, throwIfInvalidProps, truncateName, type ValidationIssue } from '../../config';
import { sidFrom } from '../policy-statement';
import { awsManagedPolicyArn } from '../private/arn';
import { serviceTrustPolicy } from '../private/trust-policy';
import type { IEksCluster } from './eks-cluster';

/** Capacity purchase option. */
export type NodeCapacityType = 'ON_DEMAND' | 'SPOT';
/** AMI family of the nodes. */
export type NodeAmiType = 'AL2023_x86_64_STANDARD' | 'AL2023_ARM_64_STANDARD' | 'BOTTLEROCKET_x86_64' | 'BOTTLEROCKET_ARM_64';
/** Effect of a node taint. */
export type NodeTaintEffect = 'NO_SCHEDULE' | 'NO_EXECUTE' | 'PREFER_NO_SCHEDULE';

/** A Kubernetes taint on every node of the group. */
export interface NodeTaint {
  /** Taint key. */
  readonly key: string;
  /** Taint value. @default - no value */
  readonly value?: string;
  /** What the taint does to pods that do not tolerate it. */
  readonly effect: NodeTaintEffect;
}

/** Kubernetes spelling of a taint effect, as the Cluster Autoscaler's node-template taint tag wants it. */
const KUBERNETES_TAINT_EFFECT: Readonly<Record<NodeTaintEffect, string>> = {
  NO_SCHEDULE: 'NoSchedule',
  NO_EXECUTE: 'NoExecute',
  PREFER_NO_SCHEDULE: 'PreferNoSchedule',
};

/** Prefix of the Auto Scaling group tags that describe a node the Cluster Autoscaler has not seen. */
export const NODE_TEMPLATE_TAG_PREFIX = 'k8s.io/cluster-autoscaler/node-template';

/** Longest tag key EC2 Auto Scaling accepts. */
const MAX_ASG_TAG_KEY_LENGTH = 128;

/**
 * The `node-template` tags the Cluster Autoscaler reads to scale a group up from zero nodes: one per
 * label (`…/label/<key>` = value) and per taint (`…/taint/<key>` = `<value>:<Effect>`).
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md#auto-discovery-setup
 */
export function nodeTemplateTags(labels: Readonly<Record<string, string>>, taints: readonly NodeTaint[]): Record<string, string> {
  return {
    ...Object.fromEntries(Object.entries(labels).map(([key, value]) => [`${NODE_TEMPLATE_TAG_PREFIX}/label/${key}`, value])),
    ...Object.fromEntries(taints.map((t) => [`${NODE_TEMPLATE_TAG_PREFIX}/taint/${t.key}`, `${t.value ?? ''}:${KUBERNETES_TAINT_EFFECT[t.effect]}`])),
  };
}

/** The managed policies every node role has, and no others. */
export const NODE_MANAGED_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'] as const;

/** Props of {@link NodeGroup}. */
export interface NodeGroupProps {
  /**
   * The EKS cluster the nodes join: one this stack creates (its name is a reference, so the group
   * waits for it) or one another stack owns (`EksCluster.fromClusterAttributes`).
   */
  readonly cluster: IEksCluster;
  /** Node group name (unique in the cluster), e.g. `general`. */
  readonly nodeGroupName: string;
  /** Private subnets the nodes run in. */
  readonly subnetIds: readonly string[];
  /** EC2 instance types, e.g. `["m6i.large"]`; several spread spot capacity. */
  readonly instanceTypes: readonly string[];
  /** Fewest nodes; with 0, the labels and taints are tagged on the Auto Scaling group for the Cluster Autoscaler. */
  readonly minSize: number;
  /** Nodes at creation; the Cluster Autoscaler owns it afterwards (Terraform ignores later changes). */
  readonly desiredSize: number;
  /** Most nodes. */
  readonly maxSize: number;
  /**
   * On-demand or spot capacity.
   * @default "ON_DEMAND"
   */
  readonly capacityType?: NodeCapacityType;
  /**
   * AMI family; ARM types need Graviton instance types.
   * @default "AL2023_x86_64_STANDARD"
   */
  readonly amiType?: NodeAmiType;
  /**
   * Root volume size in GiB.
   * @default 50
   */
  readonly diskSizeGiB?: number;
  /**
   * Share of nodes an update may replace at once (1–100).
   * @default 33
   * @see https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html
   */
  readonly maxUnavailablePercent?: number;
  /**
   * Kubernetes labels on the nodes.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Kubernetes taints on the nodes.
   * @default []
   */
  readonly taints?: readonly NodeTaint[];
  /**
   * Name of the node IAM role.
   * @default - "<cluster name>-<nodeGroupName>-node", cut to 64 characters
   */
  readonly roleName?: string;
}

/** Graviton instance families carry a `g` after the generation digit: `m7g`, `c6gn`, `t4g`. */
const GRAVITON_TYPE = /^[a-z]+\d+[a-z]*g[a-z]*\.[a-z0-9]+$/;

/** A managed node group and its node role. */
export class NodeGroup extends Construct {
  /** The underlying `aws_eks_node_group` (escape hatch). */
  public readonly resource: EksNodeGroup;
  /** The node IAM role. */
  public readonly role: IamRole;
  /** Name of the node group. */
  public readonly nodeGroupName: string;
  /** The `node-template` tags on the group's Auto Scaling group (only when minSize is 0). */
  public readonly nodeTemplateTags: readonly AutoscalingGroupTag[];

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    const amiType = props.amiType ?? 'AL2023_x86_64_STANDARD';
    const maxUnavailablePercent = props.maxUnavailablePercent ?? 33;
    const issues: ValidationIssue[] = [];
    if (props.instanceTypes.length === 0) {
      issues.push(propIssue(this, { field: 'instanceTypes', value: [], rule: 'is empty', fix: 'list at least one instance type like "m6i.large"' }));
    }
    if (!(props.minSize <= props.desiredSize && props.desiredSize <= props.maxSize) || props.maxSize < 1) {
      issues.push(
        propIssue(this, {
          field: 'desiredSize',
          value: props.desiredSize,
          rule: `with 'minSize' (${props.minSize}) and 'maxSize' (${props.maxSize}) breaks minSize <= desiredSize <= maxSize with maxSize >= 1`,
          fix: 'make minSize <= desiredSize <= maxSize',
        }),
      );
    }
    if (!Number.isInteger(maxUnavailablePercent) || maxUnavailablePercent < 1 || maxUnavailablePercent > 100) {
      issues.push(
        propIssue(this, { field: 'maxUnavailablePercent', value: maxUnavailablePercent, rule: 'must be a whole number from 1 to 100, the range EKS accepts', fix: 'pick a share of nodes from 1 to 100' }),
      );
    }
    const arm = amiType.includes('ARM_64');
    const mismatched = props.instanceTypes.filter((t) => GRAVITON_TYPE.test(t) !== arm);
    if (mismatched.length > 0) {
      issues.push(
        propIssue(
          this,
          arm
            ? { field: 'instanceTypes', value: mismatched, rule: `are x86_64 but 'amiType' is "${amiType}"`, fix: 'use Graviton types like "m7g.large" or an x86_64 amiType' }
            : { field: 'instanceTypes', value: mismatched, rule: `are ARM (Graviton) but 'amiType' is "${amiType}"`, fix: 'use an ARM_64 amiType or x86_64 instance types' },
        ),
      );
    }
    if (props.subnetIds.length === 0) {
      issues.push(propIssue(this, { field: 'subnetIds', value: [], rule: 'is empty', fix: "pass the private subnets of the cluster's VPC" }));
    }

    const templateTags = props.minSize === 0 ? nodeTemplateTags(props.labels ?? {}, props.taints ?? []) : {};
    for (const key of Object.keys(templateTags).filter((k) => k.length > MAX_ASG_TAG_KEY_LENGTH)) {
      const isLabel = key.startsWith(`${NODE_TEMPLATE_TAG_PREFIX}/label/`);
      const own = key.slice(`${NODE_TEMPLATE_TAG_PREFIX}/${isLabel ? 'label' : 'taint'}/`.length);
      issues.push(
        propIssue(this, {
          field: isLabel ? `labels.${own}` : `taints[${(props.taints ?? []).findIndex((t) => t.key === own)}].key`,
          value: own,
          rule: `makes the Cluster Autoscaler tag ${JSON.stringify(key)} of a node group with minSize 0 longer than ${MAX_ASG_TAG_KEY_LENGTH} characters, which EC2 Auto Scaling rejects`,
          fix: 'shorten the label or taint key, or raise minSize above 0',
        }),
      );
    }
    throwIfInvalidProps(this, issues);

    this.nodeGroupName = props.nodeGroupName;
    this.role = new IamRole(this, 'Role', {
      name: props.roleName ?? truncateName(`${props.cluster.clusterNameLiteral}-${props.nodeGroupName}-node`, 64),
      description: `Nodes of the ${props.nodeGroupName} node group of EKS cluster ${props.cluster.clusterName}`,
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
    });
    const attachments = NODE_MANAGED_POLICIES.map(
      (policy) => new IamRolePolicyAttachment(this, policy, { role: this.role.name, policyArn: awsManagedPolicyArn(policy) }),
    );
    this.resource = new EksNodeGroup(this, 'Resource', {
      clusterName: props.cluster.clusterName,
      nodeGroupName: props.nodeGroupName,
      nodeRoleArn: this.role.arn,
      subnetIds: [...props.subnetIds],
      instanceTypes: [...props.instanceTypes],
      capacityType: props.capacityType ?? 'ON_DEMAND',
      amiType,
      diskSize: props.diskSizeGiB ?? 50,
      scalingConfig: { minSize: props.minSize, desiredSize: props.desiredSize, maxSize: props.maxSize },
      updateConfig: { maxUnavailablePercentage: maxUnavailablePercent },
      labels: { ...(props.labels ?? {}) },
      taint: (props.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      // The Cluster Autoscaler owns the desired size after creation.
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
      // Nodes must not lose their policies before they are drained on destroy.
      dependsOn: attachments,
    });
    const autoScalingGroupName = this.resource.resources.get(0).autoscalingGroups.get(0).name;
    this.nodeTemplateTags = Object.entries(templateTags).map(
      ([key, value]) =>
        new AutoscalingGroupTag(this, `NodeTemplateTag${sidFrom(key.slice(NODE_TEMPLATE_TAG_PREFIX.length))}`, {
          autoscalingGroupName: autoScalingGroupName,
          // The tags describe the group for the autoscaler; the instances get the labels and taints from EKS.
          tag: { key, value, propagateAtLaunch: false },
        }),
    );
  }
}
