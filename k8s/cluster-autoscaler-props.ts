/**
 * `clusterAutoscalerProps()`: the {@link ClusterAutoscalerProps} of an environment on managed node
 * groups, so `ClusterAutoscaler` itself needs no definitions.
 * @see docs/kubernetes.md
 */
import { CLUSTER_AUTOSCALER, clusterComponentRoleArn, clusterName, type EnvironmentDefinition, type SystemDefinition } from '../config';
import { clusterAutoscalerImage } from './cluster-autoscaler-versions';
import type { ClusterAutoscalerProps } from './constructs/cluster-autoscaler';

/** Options of {@link clusterAutoscalerProps}. */
export interface ClusterAutoscalerPropsOptions {
  /** The system the environment belongs to (names the cluster and the IAM role). */
  readonly system: SystemDefinition;
  /** The environment whose node groups the autoscaler scales; its compute mode must be "node-groups". */
  readonly environment: EnvironmentDefinition;
  /**
   * Labels of every object (the environment labels the pipeline selects by).
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The autoscaler's props for an environment: its cluster name, region and VPC CIDR, the component
 * role `clusterComponentRoleArn(system, env, CLUSTER_AUTOSCALER)`, and the image of the cluster's minor.
 * @throws Error when the environment's compute mode is not "node-groups"
 * @throws ValidationError at `<env>.cluster.kubernetesVersion` when no autoscaler release matches the cluster's minor
 */
export function clusterAutoscalerProps(options: ClusterAutoscalerPropsOptions): ClusterAutoscalerProps {
  const { system, environment: env } = options;
  if (env.cluster.compute !== 'node-groups') {
    throw new Error(`${env.name}.cluster.compute: the Cluster Autoscaler scales managed node groups; compute is ${JSON.stringify(env.cluster.compute)}, where EKS Auto Mode scales the nodes`);
  }
  return {
    clusterName: clusterName(system, env),
    region: env.region,
    vpcCidr: env.network.vpcCidr,
    roleArn: clusterComponentRoleArn(system, env, CLUSTER_AUTOSCALER),
    image: clusterAutoscalerImage(env.cluster.kubernetesVersion, `${env.name}.cluster.kubernetesVersion`),
    labels: options.labels,
  };
}
