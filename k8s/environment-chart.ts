/** One cdk8s chart per environment holding every service it runs. */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { ValidationError, environmentLabels, namespaceName, type Definitions, type EnvironmentDefinition } from '../config';
import { autoModeNetworkPolicyConfig } from './auto-mode-network-policy';
import { clusterAutoscalerProps } from './cluster-autoscaler-props';
import { clusterCapacityIssues } from './cluster-capacity';
import { AutoModeIngressClass } from './constructs/auto-mode-ingress-class';
import { ClusterAutoscaler } from './constructs/cluster-autoscaler';
import { WebService } from './constructs/web-service';
import { ingressClassName, type AlbScheme } from './ingress-class';
import { webServiceProps } from './web-service-props';

/** Props of {@link EnvironmentChart}. */
export interface EnvironmentChartProps {
  /** The resolved definitions the environment belongs to. */
  readonly definitions: Definitions;
  /** The environment this chart deploys. */
  readonly environment: EnvironmentDefinition;
  /** Image tag for every service (the commit SHA in CI). @default - each service's `image.tag` */
  readonly imageTag?: string;
  /**
   * Image digest (`sha256:…`) per service name, e.g. the digests a release promoted; those services run
   * `<repo>:<tag>@<digest>`.
   * @default - no digests: every image by tag
   */
  readonly imageDigests?: Readonly<Record<string, string>>;
}

/**
 * The Kubernetes objects of one environment. First what the cluster needs for its compute mode:
 * with "node-groups" the {@link ClusterAutoscaler}; with "auto-mode" the network policy switch
 * ({@link autoModeNetworkPolicyConfig}) and an {@link AutoModeIngressClass} per ALB scheme the
 * services' Ingresses use. Then a {@link WebService} per service ({@link webServiceProps}), in
 * definition order, each starting with its Namespace. Every object carries the environment labels the pipeline prunes by.
 * @throws ValidationError when the services do not fit in the cluster at maximum scale.
 */
export class EnvironmentChart extends Chart {
  /** The services, by name. */
  readonly services: Readonly<Record<string, WebService>> = {};
  /** The Cluster Autoscaler; undefined unless compute is "node-groups". */
  readonly clusterAutoscaler?: ClusterAutoscaler;
  /** Auto Mode IngressClasses by scheme; empty unless compute is "auto-mode" and a service has an Ingress. */
  readonly ingressClasses: Readonly<Partial<Record<AlbScheme, AutoModeIngressClass>>> = {};

  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    const { definitions, environment } = props;
    super(scope, id, { disableResourceNameHashes: true, labels: environmentLabels(definitions.system, environment) });
    const capacity = clusterCapacityIssues(environment);
    if (capacity.length > 0) throw new ValidationError(capacity);

    const labels = environmentLabels(definitions.system, environment);
    if (environment.cluster.compute === 'node-groups') {
      this.clusterAutoscaler = new ClusterAutoscaler(this, 'ClusterAutoscaler', clusterAutoscalerProps({ system: definitions.system, environment, labels }));
    } else {
      autoModeNetworkPolicyConfig(this, { labels });
      const classes: Partial<Record<AlbScheme, AutoModeIngressClass>> = {};
      for (const service of environment.services) {
        const scheme = service.ingress?.scheme;
        if (scheme === undefined || classes[scheme]) continue;
        classes[scheme] = new AutoModeIngressClass(this, `IngressClass-${scheme}`, { ingressClassName: ingressClassName(environment, scheme), scheme, labels });
      }
      this.ingressClasses = classes;
    }

    const namespaces = new Set<string>();
    const services: Record<string, WebService> = {};
    for (const service of environment.services) {
      const namespace = namespaceName(service);
      services[service.name] = new WebService(
        this,
        service.name,
        webServiceProps({
          system: definitions.system,
          environment,
          service,
          imageTag: props.imageTag,
          imageDigest: props.imageDigests?.[service.name],
          createNamespace: !namespaces.has(namespace),
        }),
      );
      namespaces.add(namespace);
    }
    this.services = services;
  }
}
