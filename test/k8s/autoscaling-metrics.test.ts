import { utilizationMetrics } from '../../k8s';

describe('utilizationMetrics', () => {
  const base = { minReplicas: 2, maxReplicas: 4, targetCpuUtilizationPercent: 50, scaleDownStabilizationSeconds: 300 };

  test('targets CPU utilisation only when no memory target is set', () => {
    expect(utilizationMetrics(base)).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
  });

  test('adds memory utilisation after CPU when a memory target is set', () => {
    expect(utilizationMetrics({ ...base, targetMemoryUtilizationPercent: 75 }).map((m) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([
      ['cpu', 50],
      ['memory', 75],
    ]);
  });
});
