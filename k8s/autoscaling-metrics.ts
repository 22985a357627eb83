/**
 * The metrics of a service's HorizontalPodAutoscaler (autoscaling/v2): CPU utilisation always,
 * memory utilisation when a target is set. Shared by every workload kind.
 */

/** The utilisation targets of an HPA, in percent of the containers' requests. */
export interface UtilizationTargets {
  /** Average CPU utilisation to aim for. */
  readonly targetCpuUtilizationPercent: number;
  /** Average memory utilisation to aim for; undefined: memory is no metric. */
  readonly targetMemoryUtilizationPercent?: number;
}

/** One `Resource` metric of an autoscaling/v2 HPA. */
export interface UtilizationMetric {
  /** Always `Resource`. */
  readonly type: 'Resource';
  /** The resource and its average utilisation target (percent of requests). */
  readonly resource: { readonly name: string; readonly target: { readonly type: 'Utilization'; readonly averageUtilization: number } };
}

/** CPU (and, when set, memory) utilisation metrics of `autoscaling`, in that order. */
export function utilizationMetrics(autoscaling: UtilizationTargets): UtilizationMetric[] {
  const metric = (name: string, averageUtilization: number): UtilizationMetric => ({
    type: 'Resource',
    resource: { name, target: { type: 'Utilization', averageUtilization } },
  });
  return [
    metric('cpu', autoscaling.targetCpuUtilizationPercent),
    ...(autoscaling.targetMemoryUtilizationPercent === undefined ? [] : [metric('memory', autoscaling.targetMemoryUtilizationPercent)]),
  ];
}
