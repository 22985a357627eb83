/**
 * The AWS identity of the Cluster Autoscaler of a node-groups cluster: a {@link WorkloadIdentity}
 * (EKS Pod Identity) for its ServiceAccount with the least privilege the Cluster Autoscaler documents
 * for AWS with auto-discovery. It may read every Auto Scaling group and instance type (those read
 * actions have no resource-level permissions), read the cluster's own managed node groups (labels
 * and taints of empty groups), and change the size of, or terminate instances in, only the Auto
 * Scaling groups tagged `k8s.io/cluster-autoscaler/<cluster>` = `owned` — the tag EKS puts on the
 * Auto Scaling group of every managed node group of the cluster.
 * @see https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md
 * @see https://docs.aws.amazon.com/eks/latest/best-practices/cas.html
 */
import { Construct } from 'constructs';
import type { AwsPartition } from '../aws-partition';
import type { PolicyStatement } from '../policy-statement';
import type { IEksCluster } from './eks-cluster';
import { WorkloadIdentity } from './workload-identity';

/** The auto-discovery tag of a cluster's Auto Scaling groups: `k8s.io/cluster-autoscaler/<cluster>`. */
export function clusterAutoscalerTagKey(clusterName: string): string {
  return `k8s.io/cluster-autoscaler/${clusterName}`;
}

/** Read actions the Cluster Autoscaler calls that AWS authorizes only on `Resource: "*"`. */
export const CLUSTER_AUTOSCALER_READ_ACTIONS: readonly string[] = [
  'autoscaling:DescribeAutoScalingGroups',
  'autoscaling:DescribeAutoScalingInstances',
  'autoscaling:DescribeLaunchConfigurations',
  'autoscaling:DescribeScalingActivities',
  'ec2:DescribeImages',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeLaunchTemplateVersions',
  'ec2:GetInstanceTypesFromInstanceRequirements',
];

/** Actions that change an Auto Scaling group; allowed only on the cluster's own groups. */
export const CLUSTER_AUTOSCALER_WRITE_ACTIONS: readonly string[] = ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'];

/** Props of {@link ClusterAutoscalerIdentity}. */
export interface ClusterAutoscalerIdentityProps {
  /** IAM role name, from `clusterComponentRoleName(system, env, CLUSTER_AUTOSCALER)`. */
  readonly roleName: string;
  /**
   * The node-groups cluster whose Auto Scaling groups the autoscaler scales: one this stack creates or
   * one another stack owns (`EksCluster.fromClusterAttributes`). Its literal name goes into ARNs and
   * the tag condition.
   */
  readonly cluster: IEksCluster;
  /** Namespace of the Cluster Autoscaler, from `CLUSTER_AUTOSCALER.namespace`. */
  readonly namespace: string;
  /** ServiceAccount of the Cluster Autoscaler, from `CLUSTER_AUTOSCALER.serviceAccount`. */
  readonly serviceAccount: string;
  /**
   * Tags on the role and the association.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The statements of the Cluster Autoscaler's policy for one cluster. */
export function clusterAutoscalerStatements(account: string, region: string, clusterName: string, partition: AwsPartition = 'aws'): PolicyStatement[] {
  return [
    { sid: 'DiscoverAutoScalingGroups', actions: [...CLUSTER_AUTOSCALER_READ_ACTIONS], resources: ['*'] },
    {
      sid: 'ReadClusterNodeGroups',
      actions: ['eks:DescribeNodegroup'],
      resources: [`arn:${partition}:eks:${region}:${account}:nodegroup/${clusterName}/*/*`],
    },
    {
      sid: 'ScaleClusterAutoScalingGroups',
      actions: [...CLUSTER_AUTOSCALER_WRITE_ACTIONS],
      resources: [`arn:${partition}:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/*`],
      conditions: { StringEquals: { [`aws:ResourceTag/${clusterAutoscalerTagKey(clusterName)}`]: 'owned' } },
    },
  ];
}

/** The IAM role and Pod Identity association of a cluster's Cluster Autoscaler. */
export class ClusterAutoscalerIdentity extends Construct {
  /** The workload identity (role, inline policy, association). */
  public readonly identity: WorkloadIdentity;
  /** ARN of the role. */
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, props: ClusterAutoscalerIdentityProps) {
    super(scope, id);
    this.identity = new WorkloadIdentity(this, 'Identity', {
      roleName: props.roleName,
      cluster: props.cluster,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      tags: props.tags,
    });
    const { account, region, clusterNameLiteral, partition } = props.cluster;
    for (const statement of clusterAutoscalerStatements(account, region, clusterNameLiteral, partition)) this.identity.addToPolicy(statement);
    this.roleArn = this.identity.roleArn;
  }
}
