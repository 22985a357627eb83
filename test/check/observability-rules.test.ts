import { containerInsightsInProduction, metricsPortFromMonitoringOnly } from '../../policy/rules/observability';
import { defineEnvironments, type Definitions } from '../../config';
import { exampleInput } from '../support/synth';
import { findingsOf, fixtureContext, resources } from './rule-fixtures';

const NS = 'orders';
const LABELS = { 'app.kubernetes.io/name': 'orders' };

/** Definitions built here: one service `orders` in namespace `orders` with a metrics port `prom` (9100) and monitoring namespace `observability`. */
function definitions(): Definitions {
  const input = exampleInput();
  input.services = {
    orders: {
      image: { tag: '1.0.0' },
      additionalPorts: [{ name: 'prom', containerPort: 9100, metrics: true }, { name: 'admin', containerPort: 8081 }],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
    },
  };
  for (const env of input.environments) {
    env.services = { orders: {} };
    env.observability = { monitoringNamespace: 'observability' };
  }
  return defineEnvironments(input);
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'orders', namespace: NS },
  spec: { selector: { matchLabels: LABELS }, template: { metadata: { labels: LABELS }, spec: { containers: [{ name: 'http', image: 'x' }] } } },
};
const policy = (name: string, ingress: unknown[]) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: NS },
  spec: { podSelector: { matchLabels: LABELS }, policyTypes: ['Ingress'], ingress },
});
const monitoring = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } };
const tcp = (port: number | string) => ({ protocol: 'TCP', port });

describe('DK-K8S-027 MetricsPortFromMonitoringOnly', () => {
  const defs = definitions();

  test('passes when the metrics port admits only the monitoring namespace and the other ports keep their sources', () => {
    const kubernetes = [
      deployment,
      policy('orders-allow-ingress', [{ from: [{ podSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8' } }], ports: [tcp(8080), tcp(8081)] }]),
      policy('orders-allow-metrics', [{ from: [monitoring], ports: [tcp(9100)] }]),
    ];
    expect(findingsOf(metricsPortFromMonitoringOnly, fixtureContext({ definitions: defs, kubernetes, env: 'staging' }))).toEqual([]);
  });

  test('reports every other source that reaches the metrics port: by number, by name, by a rule without ports or without from', () => {
    const kubernetes = [
      deployment,
      policy('orders-allow-ingress', [{ from: [{ podSelector: {} }, monitoring], ports: [tcp(8080), tcp(9100)] }]),
      policy('orders-by-name', [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [tcp('prom')] }]),
      policy('orders-any-port', [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }]),
      policy('orders-any-source', [{ ports: [{ protocol: 'TCP', port: 9000, endPort: 9200 }] }]),
    ];
    expect(findingsOf(metricsPortFromMonitoringOnly, fixtureContext({ definitions: defs, kubernetes, env: 'staging' }))).toEqual([
      { target: 'NetworkPolicy/orders/orders-allow-ingress', value: 'prom (9100) from podSelector {} (same namespace)' },
      { target: 'NetworkPolicy/orders/orders-any-port', value: 'prom (9100) from ipBlock 10.0.0.0/8' },
      { target: 'NetworkPolicy/orders/orders-any-source', value: 'prom (9100) from every source (no from)' },
      { target: 'NetworkPolicy/orders/orders-by-name', value: 'prom (9100) from namespaceSelector {"matchLabels":{"kubernetes.io/metadata.name":"ingress-nginx"}}' },
    ]);
  });

  test('ignores policies of other pods and ports that are not metrics ports', () => {
    const other = { ...policy('other', [{ ports: [tcp(9100)] }]), spec: { podSelector: { matchLabels: { app: 'other' } }, policyTypes: ['Ingress'], ingress: [{ ports: [tcp(9100)] }] } };
    const kubernetes = [deployment, other, policy('admin', [{ from: [{ podSelector: {} }], ports: [tcp(8081)] }])];
    expect(findingsOf(metricsPortFromMonitoringOnly, fixtureContext({ definitions: defs, kubernetes, env: 'staging' }))).toEqual([]);
  });
});

describe('DK-TF-031 ContainerInsightsInProduction', () => {
  const defs = definitions();
  const cluster = { aws_eks_cluster: { Cluster: { name: 'shop-prod' } } };
  const addon = { aws_eks_addon: { Observability: { addon_name: 'amazon-cloudwatch-observability', cluster_name: 'shop-prod' } } };

  test('passes in production with the CloudWatch Observability add-on', () => {
    const terraform = resources({ ...cluster, ...addon });
    expect(findingsOf(containerInsightsInProduction, fixtureContext({ definitions: defs, terraform, env: 'prod' }))).toEqual([]);
  });

  test('warns in production without the add-on, and stays silent outside production', () => {
    const terraform = resources({ ...cluster, aws_eks_addon: { Cni: { addon_name: 'vpc-cni', cluster_name: 'shop-prod' } } });
    expect(findingsOf(containerInsightsInProduction, fixtureContext({ definitions: defs, terraform, env: 'prod' }))).toEqual([
      { target: 'aws_eks_cluster.Cluster', value: 'no amazon-cloudwatch-observability add-on' },
    ]);
    expect(findingsOf(containerInsightsInProduction, fixtureContext({ definitions: defs, terraform, env: 'staging' }))).toEqual([]);
    expect(containerInsightsInProduction.severity).toBe('warning');
  });
});
