/**
 * The PodDisruptionBudget of a workload: at most one pod evicted at a time, and never a budget that
 * blocks node drains. Public (exported from `k8s/index.ts`).
 * @see docs/kubernetes.md
 */
import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { IntOrString, KubePodDisruptionBudget, typedApiObject } from './kube-api';

/** Props of {@link podDisruptionBudget}. */
export interface PodDisruptionBudgetProps {
  /** Name of the PodDisruptionBudget (usually the workload's name). */
  readonly name: string;
  /** Namespace of the PodDisruptionBudget, the workload's. */
  readonly namespaceName: string;
  /** Labels selecting the workload's pods (its selector labels). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /**
   * Labels of the PodDisruptionBudget itself.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Construct id of the object.
   * @default "PodDisruptionBudget"
   */
  readonly id?: string;
}

/**
 * A PodDisruptionBudget allowing one voluntary eviction at a time (`maxUnavailable: 1`) even at one
 * replica, so a budget never blocks node drains, and evicting unhealthy pods always
 * (`unhealthyPodEvictionPolicy: AlwaysAllow`).
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/
 */
export function podDisruptionBudget(scope: Construct, props: PodDisruptionBudgetProps): ApiObject {
  return typedApiObject(scope, props.id ?? 'PodDisruptionBudget', KubePodDisruptionBudget, {
    metadata: { name: props.name, namespace: props.namespaceName, labels: props.labels === undefined ? undefined : { ...props.labels } },
    spec: {
      maxUnavailable: IntOrString.fromNumber(1),
      selector: { matchLabels: { ...props.selectorLabels } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}
