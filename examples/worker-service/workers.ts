/**
 * Which services of the catalogue are queue workers, and their queue settings. A worker is an
 * ordinary catalogue service (validated like every other: image, resources, autoscaling, egress),
 * so deploykit's stack gives it an ECR repository, a workload role and CI access as usual; this
 * list only decides that it runs as a `WorkerService` with a `WorkerQueue` instead of a `WebService`.
 */
import { ValidationError, type Definitions, type EnvironmentDefinition, type ServiceDefinition } from '../../config';
import type { WorkerQueueOptions } from './worker-queue';

/** Queue settings by worker (service) name. */
export type WorkerCatalogue = Readonly<Record<string, WorkerQueueOptions>>;

/** The services of `environment` that run as workers, in definition order. */
export function workersOf(environment: EnvironmentDefinition, workers: WorkerCatalogue): ServiceDefinition[] {
  return environment.services.filter((service) => Object.hasOwn(workers, service.name));
}

/** `environment` without its workers: what deploykit's own stack and chart code should see as web services. */
export function withoutWorkers(environment: EnvironmentDefinition, workers: WorkerCatalogue): EnvironmentDefinition {
  return { ...environment, services: environment.services.filter((service) => !Object.hasOwn(workers, service.name)) };
}

/** Fails when a worker is not a service of the catalogue (a typo would otherwise deploy a WebService). */
export function checkWorkerCatalogue(definitions: Definitions, workers: WorkerCatalogue): void {
  const unknown = Object.keys(workers).filter((name) => !Object.hasOwn(definitions.catalogue, name));
  if (unknown.length > 0) {
    throw new ValidationError(
      unknown.map((name) => ({
        path: `workers.${name}`,
        message: `is not a service of the catalogue (${Object.keys(definitions.catalogue).join(', ')}); add it to 'services' or fix the name`,
      })),
    );
  }
}
