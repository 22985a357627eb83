/**
 * `SmokeTestNetworkPolicies`: what the pipeline's smoke test of one service needs under the
 * namespace's default-deny policy, and nothing more. Public (exported from `k8s/index.ts`).
 * @see docs/kubernetes.md
 */
import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { SMOKE_TEST_LABEL, SMOKE_TEST_LABEL_VALUE } from '../config';
import { dnsEgressRule } from './egress-rules';
import { IntOrString, KubeNetworkPolicy, typedApiObject } from './kube-api';

/** Props of {@link SmokeTestNetworkPolicies}. */
export interface SmokeTestNetworkPoliciesProps {
  /** Name of the service under test; the policies are `<serviceName>-smoke-test-ingress` and `-egress`. */
  readonly serviceName: string;
  /** Namespace of the service and of its smoke-test pods. */
  readonly namespaceName: string;
  /** Selector labels of the service's pods (what the smoke test reaches through the Service). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /**
   * Container port the service's Service forwards to. NetworkPolicies see the pod's port after the
   * Service's translation, so this is the port both policies open, not the Service port.
   */
  readonly containerPort: number;
  /**
   * Labels of both policies.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The label selector of the pipeline's smoke-test pods: `deploykit.io/smoke-test: "true"`
 * ({@link SMOKE_TEST_LABEL}).
 */
export function smokeTestPodSelector(): { matchLabels: Record<string, string> } {
  return { matchLabels: { [SMOKE_TEST_LABEL]: SMOKE_TEST_LABEL_VALUE } };
}

/**
 * Two NetworkPolicies that let the pipeline's smoke-test pods ({@link smokeTestPodSelector}) call one
 * service: the smoke pods may resolve names (the same DNS rule as the service's egress) and reach the
 * service's pods on the container port (`<service>-smoke-test-egress`), and the service's pods accept
 * them on that port (`<service>-smoke-test-ingress`). Smoke pods may reach nothing else.
 */
export class SmokeTestNetworkPolicies extends Construct {
  /** Lets the service's pods accept the smoke-test pods on the container port. */
  readonly ingressPolicy: ApiObject;
  /** Lets the smoke-test pods reach DNS and the service's pods on the container port. */
  readonly egressPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: SmokeTestNetworkPoliciesProps) {
    super(scope, id);
    const metadata = (name: string) => ({ name, namespace: props.namespaceName, labels: { ...(props.labels ?? {}) } });
    const servicePods = { matchLabels: { ...props.selectorLabels } };
    const ports = [{ protocol: 'TCP', port: IntOrString.fromNumber(props.containerPort) }];
    this.ingressPolicy = typedApiObject(this, 'Ingress', KubeNetworkPolicy, {
      metadata: metadata(`${props.serviceName}-smoke-test-ingress`),
      spec: { podSelector: servicePods, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: smokeTestPodSelector() }], ports }] },
    });
    this.egressPolicy = typedApiObject(this, 'Egress', KubeNetworkPolicy, {
      metadata: metadata(`${props.serviceName}-smoke-test-egress`),
      spec: {
        podSelector: smokeTestPodSelector(),
        policyTypes: ['Egress'],
        egress: [dnsEgressRule(), { to: [{ podSelector: servicePods }], ports }],
      },
    });
  }
}
