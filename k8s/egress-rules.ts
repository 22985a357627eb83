/**
 * NetworkPolicy egress rules every workload needs (DNS, its AWS credentials) and the rules of a
 * service's `egress` destinations. Public (exported from `k8s/index.ts`).
 * @see docs/kubernetes.md
 */
import type { ServiceDefinition } from '../config';
import { IntOrString, type NetworkPolicyEgressRule } from './kube-api';

/**
 * Link-local address of the EKS Pod Identity agent on every node: pods fetch their IAM credentials
 * there (port 80), and NetworkPolicies apply to that traffic too.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html
 */
export const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';

/**
 * Egress to the cluster's DNS: CoreDNS (`k8s-app: kube-dns` in `kube-system`) on UDP and TCP 53.
 * Every pod that resolves names under a default-deny policy needs it.
 */
export function dnsEgressRule(): NetworkPolicyEgressRule {
  return {
    to: [
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      },
    ],
    ports: ['UDP', 'TCP'].map((protocol) => ({ protocol, port: IntOrString.fromNumber(53) })),
  };
}

/**
 * The egress rules every workload pod needs under a default-deny policy: DNS ({@link dnsEgressRule}),
 * then the EKS Pod Identity agent ({@link POD_IDENTITY_AGENT_CIDR}, TCP 80). Without the second the
 * AWS SDK cannot fetch the pod's credentials.
 */
export function baseEgressRules(): NetworkPolicyEgressRule[] {
  return [
    dnsEgressRule(),
    { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(80) }] },
  ];
}

/** A destination a workload's pods may reach besides DNS. */
export interface EgressDestination {
  /** Destination network, an IPv4 CIDR such as `10.20.0.0/16`. */
  readonly cidr: string;
  /** Destination ports (1–65535), at least one. */
  readonly ports: readonly number[];
  /**
   * Transport protocol.
   * @default "TCP"
   */
  readonly protocol?: 'TCP' | 'UDP';
}

/** One egress rule per destination: its CIDR on its protocol and ports, in order. */
export function egressRules(destinations: readonly EgressDestination[]): NetworkPolicyEgressRule[] {
  return destinations.map((rule) => ({
    to: [{ ipBlock: { cidr: rule.cidr } }],
    ports: rule.ports.map((port) => ({ protocol: rule.protocol ?? 'TCP', port: IntOrString.fromNumber(port) })),
  }));
}

/** One egress rule per entry of the service's `egress` ({@link egressRules}), in definition order. */
export function serviceEgressRules(service: Pick<ServiceDefinition, 'egress'>): NetworkPolicyEgressRule[] {
  return egressRules(service.egress);
}
