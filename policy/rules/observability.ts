/**
 * Rules on the observability promise: metrics ports reachable only from the monitoring namespace,
 * and Container Insights in production.
 */
import { metricsPorts, namespaceName } from '../../config';
import { namespaceOf, selects, type KubernetesObject, type LabelSelector } from '../kubernetes-objects';
import type { EnvironmentRule } from '../types';

/** The label every namespace carries with its own name (set by Kubernetes). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

interface PolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}
interface PolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string };
}
interface IngressRule {
  readonly from?: readonly PolicyPeer[];
  readonly ports?: readonly PolicyPort[];
}
interface NetworkPolicySpec {
  readonly podSelector?: LabelSelector;
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly IngressRule[];
}

/** Whether a rule's ports let TCP traffic reach `port` (named `name` on the container). No ports means every port. */
function coversPort(ports: readonly PolicyPort[] | undefined, port: number, name: string): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== 'TCP') return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return p.port === name;
    return p.endPort === undefined ? p.port === port : p.port <= port && port <= p.endPort;
  });
}

/** Whether a peer admits only pods of the monitoring namespace (any pods there, or some of them). */
function onlyMonitoring(peer: PolicyPeer, monitoringNamespace: string): boolean {
  const ns = peer.namespaceSelector;
  if (peer.ipBlock !== undefined || ns === undefined || (ns.matchExpressions ?? []).length > 0) return false;
  const labels = ns.matchLabels ?? {};
  return labels[NAMESPACE_NAME_LABEL] === monitoringNamespace;
}

/** A short description of a peer for the finding's value. */
function describePeer(peer: PolicyPeer): string {
  if (peer.ipBlock) return `ipBlock ${peer.ipBlock.cidr}`;
  if (peer.namespaceSelector) return `namespaceSelector ${JSON.stringify(peer.namespaceSelector)}`;
  return `podSelector ${JSON.stringify(peer.podSelector ?? {})} (same namespace)`;
}

export const metricsPortFromMonitoringOnly: EnvironmentRule = {
  id: 'DK-K8S-027',
  name: 'MetricsPortFromMonitoringOnly',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: "A service's metrics ports are reachable only from the monitoring namespace",
  fix: "open metrics ports (additionalPorts with metrics: true, or named \"metrics\") only through a NetworkPolicy peer namespaceSelector kubernetes.io/metadata.name: <observability.monitoringNamespace>, and keep them out of the main port's rule",
  upstream: [],
  helpUri: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors',
  *check({ env, kubernetes }) {
    const monitoring = env.observability.monitoringNamespace;
    const policies = kubernetes.ofKind('NetworkPolicy');
    for (const service of env.services) {
      const ports = metricsPorts(service);
      if (ports.length === 0) continue;
      const ns = namespaceName(service);
      const workload = kubernetes.find('Deployment', ns, service.name);
      if (!workload) continue;
      const podLabels = ((workload.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template?.metadata?.labels) ?? {};
      for (const policy of policies) {
        const spec = (policy.spec ?? {}) as NetworkPolicySpec;
        if (namespaceOf(policy) !== ns || !selects(spec.podSelector, podLabels)) continue;
        if (!(spec.policyTypes ?? ['Ingress']).includes('Ingress')) continue;
        for (const rule of spec.ingress ?? []) {
          for (const port of ports) {
            if (!coversPort(rule.ports, port.containerPort, port.name)) continue;
            const from = rule.from ?? [];
            const open = from.length === 0 ? ['every source (no from)'] : from.filter((peer) => !onlyMonitoring(peer, monitoring)).map(describePeer);
            for (const peer of open) {
              yield {
                target: targetOfPolicy(policy),
                value: `${port.name} (${port.containerPort}) from ${peer}`,
                message: `the metrics port ${port.name} (${port.containerPort}) of ${service.name} is reachable from ${peer}, not only from namespace ${monitoring}`,
                file: kubernetes.fileOf(policy),
              };
            }
          }
        }
      }
    }
  },
};

function targetOfPolicy(policy: KubernetesObject): string {
  return `NetworkPolicy/${namespaceOf(policy)}/${policy.metadata.name ?? ''}`;
}

/** The EKS add-on that ships Container Insights metrics and container logs. */
const CLOUDWATCH_OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';

export const containerInsightsInProduction: EnvironmentRule = {
  id: 'DK-TF-031',
  name: 'ContainerInsightsInProduction',
  scope: 'environment',
  severity: 'warning',
  layer: 'terraform',
  title: 'Production clusters ship container metrics and logs (CloudWatch Observability add-on)',
  fix: 'set observability.containerInsights to true (the default), or suppress DK-TF-031 with the reason and where the metrics and logs go instead',
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/install-CloudWatch-Observability-EKS-addon.html',
  *check({ env, terraform: tf }) {
    if (env.tier !== 'production') return;
    const clusters = tf.ofType('aws_eks_cluster');
    const addons = tf.ofType('aws_eks_addon').filter((a) => a.values.addon_name === CLOUDWATCH_OBSERVABILITY_ADDON);
    if (addons.length > 0) return;
    for (const cluster of clusters) {
      yield {
        target: cluster.address,
        value: 'no amazon-cloudwatch-observability add-on',
        message: `production cluster ${String(cluster.values.name)} has no amazon-cloudwatch-observability add-on, so no container metrics, logs or restart alarms`,
      };
    }
  },
};

export const OBSERVABILITY_RULES: readonly EnvironmentRule[] = [metricsPortFromMonitoringOnly, containerInsightsInProduction];
