/**
 * The metrics of a service's HorizontalPodAutoscaler (autoscaling/v2): CPU utilisation always,
 * memory utilisation when the definition sets a target. Shared by every workload kind.
 */
import type { ServiceDefinition } from '../config';

/** One `Resource` metric of an autoscaling/v2 HPA. */
export interface UtilizationMetric {
  /** Always `Resource`. */
  readonly type: 'Resource';
  /** The resource and its average utilisation target (percent of requests). */
  readonly resource: { readonly name: string; readonly target: { readonly type: 'Utilization'; readonly averageUtilization: number } };
}

/** CPU (and, when set, memory) utilisation metrics of `autoscaling`, in that order. */
export function utilizationMetrics(autoscaling: NonNullable<ServiceDefinition['autoscaling']>): UtilizationMetric[] {
  const metric = (name: string, averageUtilization: number): UtilizationMetric => ({
    type: 'Resource',
    resource: { name, target: { type: 'Utilization', averageUtilization } },
  });
  return [
    metric('cpu', autoscaling.targetCpuUtilizationPercent),
    ...(autoscaling.targetMemoryUtilizationPercent === undefined ? [] : [metric('memory', autoscaling.targetMemoryUtilizationPercent)]),
  ];
}
