/** One cdk8s chart per environment holding every service it runs. */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { MANAGED_BY, namespaceName, type Definitions, type EnvironmentDefinition } from '../config';

/** Props of {@link EnvironmentChart}. */
export interface EnvironmentChartProps {
  /** The resolved definitions the environment belongs to. */
  readonly definitions: Definitions;
  /** The environment this chart deploys. */
  readonly environment: EnvironmentDefinition;
  /** Image tag for every service (the commit SHA in CI). @default - each service's `image.tag` */
  readonly imageTag?: string;
}

/** The Kubernetes objects of one environment. */
export class EnvironmentChart extends Chart {
  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    super(scope, id, { disableResourceNameHashes: true, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } });
    for (const service of props.environment.services) {
      new ApiObject(this, service.name, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespaceName(service) } });
    }
  }
}
