/**
 * The built-in example plus one queue worker, `company-worker`, in every environment. The worker
 * is an ordinary catalogue service; `companyWorkers` marks it as a worker and sets its queue.
 */
import { defineEnvironments, exampleDefinitions, type Definitions, type DefinitionsInput } from '../../config';
import type { WorkerCatalogue } from './workers';

/** The definitions input: the example's services and environments, plus `company-worker`. */
export const companyDefinitionsInput = {
  ...exampleDefinitions,
  services: {
    ...exampleDefinitions.services,
    'company-worker': {
      image: { tag: '1.0.3' },
      // The health endpoints are served on containerPort, named "health" in the pod.
      containerPort: 8081,
      health: { readinessPath: '/readyz', livenessPath: '/livez', startupPath: '/startupz' },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      autoscaling: { minReplicas: 2, maxReplicas: 4, targetCpuUtilizationPercent: 60 },
      env: { LOG_LEVEL: 'info' },
      terminationGracePeriodSeconds: 60,
    },
  },
  environments: exampleDefinitions.environments.map((env) => ({
    ...env,
    services: { ...env.services, 'company-worker': env.tier === 'development' ? { autoscaling: null, replicas: 1 } : {} },
  })),
} satisfies DefinitionsInput;

/** The resolved definitions with the worker. */
export function companyDefinitions(): Definitions {
  return defineEnvironments(structuredClone(companyDefinitionsInput));
}

/** The workers and their queue settings. */
export const companyWorkers: WorkerCatalogue = {
  'company-worker': { visibilityTimeoutSeconds: 120, maxReceiveCount: 5 },
};
