/** Kubernetes rules on NetworkPolicies: default deny in every namespace, DNS egress still allowed. */
import { namespaceOf, selects, targetOf, workloadsOf, type KubernetesObject, type LabelSelector } from '../kubernetes-objects';
import type { EnvironmentRule } from '../types';
import { isClusterComponentObject, RESERVED_NAMESPACES } from './kubernetes-metadata';

interface PolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}
interface NetworkPolicySpec {
  readonly podSelector?: LabelSelector;
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly unknown[];
  readonly egress?: readonly { readonly ports?: readonly PolicyPort[] }[];
}

const specOf = (p: KubernetesObject) => (p.spec ?? {}) as NetworkPolicySpec;

/** Directions a policy governs (Ingress always unless policyTypes says otherwise; Egress when listed or when egress rules exist). */
function directions(spec: NetworkPolicySpec): readonly string[] {
  return spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
}

function selectsAll(spec: NetworkPolicySpec): boolean {
  const s = spec.podSelector;
  return s !== undefined && Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
}

/** True when the namespace has a policy denying `direction` for every pod (empty selector, no rules). */
function deniesAll(policies: readonly KubernetesObject[], direction: 'Ingress' | 'Egress'): boolean {
  return policies.some((p) => {
    const spec = specOf(p);
    const rules = direction === 'Ingress' ? spec.ingress : spec.egress;
    return selectsAll(spec) && directions(spec).includes(direction) && (rules === undefined || rules.length === 0);
  });
}

/**
 * Namespaces holding workloads, plus every Namespace object. A system namespace holding only the
 * workloads of deploykit's cluster components is left out: a default-deny policy there would cut off
 * CoreDNS and the other system pods, so those components carry policies selecting their own pods
 * ({@link componentPolicies}).
 */
function namespacesInUse(objects: Parameters<typeof workloadsOf>[0]): string[] {
  const names = new Set<string>();
  for (const ns of objects.ofKind('Namespace')) if (ns.metadata.name) names.add(ns.metadata.name);
  for (const { obj } of workloadsOf(objects)) {
    const ns = namespaceOf(obj) ?? 'default';
    if (!(RESERVED_NAMESPACES.includes(ns) && isClusterComponentObject(obj))) names.add(ns);
  }
  return [...names].sort();
}

/** Cluster component workloads in system namespaces that no ingress or no egress NetworkPolicy selects. */
function* componentPolicies(objects: Parameters<typeof workloadsOf>[0]) {
  const policies = objects.ofKind('NetworkPolicy');
  for (const { obj, pod } of workloadsOf(objects)) {
    const ns = namespaceOf(obj) ?? 'default';
    if (!RESERVED_NAMESPACES.includes(ns) || !isClusterComponentObject(obj)) continue;
    const applying = policies.filter((p) => namespaceOf(p) === ns && selects(specOf(p).podSelector, pod.labels));
    const missing = (['Ingress', 'Egress'] as const).filter((d) => !applying.some((p) => directions(specOf(p)).includes(d)));
    if (missing.length > 0) yield { obj, missing };
  }
}

export const defaultDenyPolicy: EnvironmentRule = {
  id: 'DK-K8S-024',
  name: 'DefaultDenyNetworkPolicy',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'Every namespace has a default-deny NetworkPolicy for ingress and egress (in a system namespace: policies selecting the cluster component\'s own pods)',
  fix: 'add a NetworkPolicy with podSelector: {} and policyTypes [Ingress, Egress] and no rules, then allow what each service needs',
  upstream: [{ tool: 'kube-score', id: 'pod-networkpolicy' }, { tool: 'CIS EKS', id: '4.3.2' }],
  helpUri: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies',
  *check({ kubernetes }) {
    const policies = kubernetes.ofKind('NetworkPolicy');
    for (const ns of namespacesInUse(kubernetes)) {
      const here = policies.filter((p) => namespaceOf(p) === ns);
      const missing = (['Ingress', 'Egress'] as const).filter((d) => !deniesAll(here, d));
      const nsObject = kubernetes.find('Namespace', undefined, ns);
      if (missing.length > 0) yield { target: `Namespace/${ns}`, value: missing.join(', '), message: `no default-deny NetworkPolicy for ${missing.join(' and ')} in namespace ${ns}`, file: nsObject && kubernetes.fileOf(nsObject) };
    }
    for (const { obj, missing } of componentPolicies(kubernetes)) {
      yield { target: targetOf(obj), value: missing.join(', '), message: `no NetworkPolicy restricts ${missing.join(' and ')} of the cluster component's pods in ${namespaceOf(obj)}`, file: kubernetes.fileOf(obj) };
    }
  },
};

function allowsDns(ports: readonly PolicyPort[] | undefined): boolean {
  if (ports === undefined || ports.length === 0) return true;
  return ports.some((p) => {
    const udp = (p.protocol ?? 'TCP') === 'UDP';
    const port = p.port;
    const covers = port === undefined || port === 53 || port === 'dns' || (typeof port === 'number' && p.endPort !== undefined && port <= 53 && 53 <= p.endPort);
    return udp && covers;
  });
}

export const dnsEgressAllowed: EnvironmentRule = {
  id: 'DK-K8S-025',
  name: 'DnsEgressAllowed',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'Pods whose egress is restricted may still reach DNS (UDP 53)',
  fix: 'add an egress rule to kube-system/kube-dns on UDP and TCP port 53 to a NetworkPolicy selecting the pods',
  upstream: [],
  helpUri: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/',
  *check({ kubernetes }) {
    const policies = kubernetes.ofKind('NetworkPolicy');
    for (const { obj, pod } of workloadsOf(kubernetes)) {
      const applying = policies.filter((p) => namespaceOf(p) === namespaceOf(obj) && selects(specOf(p).podSelector, pod.labels) && directions(specOf(p)).includes('Egress'));
      if (applying.length === 0) continue;
      const dns = applying.some((p) => (specOf(p).egress ?? []).some((rule) => allowsDns(rule.ports)));
      if (!dns) yield { target: targetOf(obj), value: applying.map((p) => p.metadata.name).sort().join(', '), message: 'the NetworkPolicies restricting egress allow no UDP port 53, so name resolution fails', file: kubernetes.fileOf(obj) };
    }
  },
};

export const KUBERNETES_NETWORK_POLICY_RULES: readonly EnvironmentRule[] = [defaultDenyPolicy, dnsEgressAllowed];
