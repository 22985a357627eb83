/**
 * A small evaluator of Kubernetes NetworkPolicy semantics over synthesized objects, so tests can
 * assert what traffic the generated policies allow (not only how they are written). It follows the
 * NetworkPolicy API: a pod is isolated in a direction once any policy of its namespace selects it for
 * that direction; traffic is then allowed when some rule of those policies matches the peer and port.
 * Namespaces are matched by their `kubernetes.io/metadata.name` label only; IPv4 CIDRs only.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import { selects } from '../../policy/kubernetes-objects';

/** A pod: its namespace and labels. */
export interface PodEndpoint {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** An address outside the cluster's pods. */
export interface IpEndpoint {
  readonly ip: string;
}

/** The far end of a connection, and its port and protocol. */
export type Destination = (PodEndpoint | IpEndpoint) & { readonly port: number; readonly protocol?: 'TCP' | 'UDP' };

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipNumber(ip) / size) === Math.floor(ipNumber(base) / size);
}

function peerMatches(peer: any, policyNamespace: string, other: PodEndpoint | IpEndpoint): boolean {
  if (peer.ipBlock) {
    return 'ip' in other && inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(other.ip, c));
  }
  if ('ip' in other) return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': other.namespace })
    : other.namespace === policyNamespace;
  return namespaceOk && (peer.podSelector === undefined || selects(peer.podSelector, other.labels as Record<string, string>));
}

function portMatches(ports: any[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port || (p.endPort !== undefined && p.port <= port && port <= p.endPort)));
}

function allowedBy(objects: readonly any[], pod: PodEndpoint, direction: 'Ingress' | 'Egress', other: PodEndpoint | IpEndpoint, port: number, protocol: string): boolean {
  const policies = objects.filter(
    (o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === pod.namespace && selects(o.spec.podSelector, pod.labels as Record<string, string>),
  );
  const applying = policies.filter((p) => (p.spec.policyTypes ?? ['Ingress', ...(p.spec.egress ? ['Egress'] : [])]).includes(direction));
  if (applying.length === 0) return true;
  return applying.some((p) =>
    ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((rule: any) => {
      const peers = (direction === 'Ingress' ? rule.from : rule.to) ?? [];
      return (peers.length === 0 || peers.some((peer: any) => peerMatches(peer, pod.namespace, other))) && portMatches(rule.ports, port, protocol);
    }),
  );
}

/** True when the policies let `from` open a connection to `to` (egress of `from` and, for a pod, ingress of `to`). */
export function canReach(objects: readonly any[], from: PodEndpoint, to: Destination): boolean {
  const protocol = to.protocol ?? 'TCP';
  if (!allowedBy(objects, from, 'Egress', to, to.port, protocol)) return false;
  return 'ip' in to || allowedBy(objects, to, 'Ingress', from, to.port, protocol);
}
