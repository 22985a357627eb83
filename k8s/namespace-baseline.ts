/**
 * `NamespaceBaseline`: the Namespace a workload runs in, with Pod Security Admission at the
 * `restricted` level, and the NetworkPolicy that denies all traffic not allowed by another policy.
 * Public (exported from `k8s/index.ts`) so every workload kind starts from the same namespace.
 * @see docs/kubernetes.md
 */
import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeNamespace, KubeNetworkPolicy, typedApiObject } from './kube-api';

/** Name of the namespace's default-deny NetworkPolicy. */
export const DEFAULT_DENY_POLICY_NAME = 'default-deny';

/** Props of {@link NamespaceBaseline}. */
export interface NamespaceBaselineProps {
  /** Name of the namespace to create. */
  readonly namespaceName: string;
  /**
   * Labels of the Namespace and of the default-deny NetworkPolicy; the Pod Security Admission
   * labels are added to the Namespace after them.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The namespace of a workload, secure by default: Pod Security Admission enforces, audits and warns
 * at the `restricted` level ({@link podSecurityLabels}), and the `default-deny` NetworkPolicy denies
 * all ingress and egress not allowed by another policy.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export class NamespaceBaseline extends Construct {
  /** The Namespace. */
  readonly namespace: ApiObject;
  /** Denies all ingress and egress in the namespace not allowed by another policy. */
  readonly defaultDenyPolicy: ApiObject;
  /** Name of the namespace. */
  readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: NamespaceBaselineProps) {
    super(scope, id);
    const labels = props.labels ?? {};
    this.namespaceName = props.namespaceName;
    this.namespace = typedApiObject(this, 'Namespace', KubeNamespace, {
      metadata: { name: props.namespaceName, labels: { ...labels, ...podSecurityLabels() } },
    });
    this.defaultDenyPolicy = typedApiObject(this, 'DefaultDeny', KubeNetworkPolicy, {
      metadata: { name: DEFAULT_DENY_POLICY_NAME, namespace: props.namespaceName, labels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
  }
}

/**
 * Pod Security Admission labels of a namespace: enforce, audit and warn at the `restricted` level,
 * against the latest policy version.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export function podSecurityLabels(): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    labels[`pod-security.kubernetes.io/${mode}`] = 'restricted';
    labels[`pod-security.kubernetes.io/${mode}-version`] = 'latest';
  }
  return labels;
}
