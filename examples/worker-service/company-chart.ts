/**
 * How a team extends deploykit's Kubernetes output without touching it: a subclass of
 * `EnvironmentChart` that lets deploykit render the web services and renders the workers itself.
 */
import type { Construct } from 'constructs';
import { ValidationError, namespaceName } from '../../config';
import { EnvironmentChart, clusterCapacityIssues, type EnvironmentChartProps } from '../../k8s';
import { WorkerService } from './worker-service';
import { checkWorkerCatalogue, withoutWorkers, workersOf, type WorkerCatalogue } from './workers';

/** Props of {@link CompanyChart}. */
export interface CompanyChartProps extends EnvironmentChartProps {
  /** Which catalogue services are workers. */
  readonly workers: WorkerCatalogue;
}

/** deploykit's environment chart plus the company's queue workers. */
export class CompanyChart extends EnvironmentChart {
  /** The workers, by name. */
  readonly workers: Readonly<Record<string, WorkerService>>;

  constructor(scope: Construct, id: string, props: CompanyChartProps) {
    // deploykit renders a WebService for every service it is given: give it the web services only.
    super(scope, id, { ...props, environment: withoutWorkers(props.environment, props.workers) });
    checkWorkerCatalogue(props.definitions, props.workers);
    // The base chart checked the node groups without the workers; check again with them.
    const capacity = clusterCapacityIssues(props.environment);
    if (capacity.length > 0) throw new ValidationError(capacity);

    const namespaces = new Set(Object.values(this.services).map((web) => web.namespaceName));
    const workers: Record<string, WorkerService> = {};
    for (const worker of workersOf(props.environment, props.workers)) {
      const namespace = namespaceName(worker);
      workers[worker.name] = new WorkerService(this, worker.name, {
        system: props.definitions.system,
        environment: props.environment,
        service: worker,
        imageTag: props.imageTag,
        createNamespace: !namespaces.has(namespace),
      });
      namespaces.add(namespace);
    }
    this.workers = workers;
  }
}
