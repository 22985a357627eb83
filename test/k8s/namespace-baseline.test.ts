import { Testing } from 'cdk8s';
import { DEFAULT_DENY_POLICY_NAME, NamespaceBaseline, podSecurityLabels } from '../../k8s';

const PSA = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/audit-version': 'latest',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/warn-version': 'latest',
};

/** The objects a baseline renders, and the baseline. */
function render(labels?: Record<string, string>): { objects: any[]; baseline: NamespaceBaseline } {
  const chart = Testing.chart();
  const baseline = new NamespaceBaseline(chart, 'Baseline', { namespaceName: 'payments', labels });
  return { objects: Testing.synth(chart), baseline };
}

function find(objects: any[], kind: string, name: string): any {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('NamespaceBaseline', () => {
  test('creates only the Namespace and its default-deny NetworkPolicy', () => {
    const { objects } = render();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['Namespace/payments', 'NetworkPolicy/default-deny']);
    expect(DEFAULT_DENY_POLICY_NAME).toBe('default-deny');
  });

  test('labels the Namespace for Pod Security Admission at the restricted level in every mode', () => {
    const namespace = find(render().objects, 'Namespace', 'payments');
    expect(namespace).toMatchSnapshot();
    expect(namespace.metadata.labels).toEqual(PSA);
    expect(podSecurityLabels()).toEqual(PSA);
  });

  test('denies all ingress and egress of every pod in the namespace', () => {
    const policy = find(render().objects, 'NetworkPolicy', 'default-deny');
    expect(policy.metadata.namespace).toBe('payments');
    expect(policy.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('puts the given labels on both objects, with the Pod Security labels winning on the Namespace', () => {
    const labels = { team: 'payments', 'pod-security.kubernetes.io/enforce': 'privileged' };
    const { objects } = render(labels);
    expect(find(objects, 'Namespace', 'payments').metadata.labels).toEqual({ team: 'payments', ...PSA });
    expect(find(objects, 'NetworkPolicy', 'default-deny').metadata.labels).toEqual(labels);
  });

  test('exposes the objects it created and the namespace name', () => {
    const { baseline } = render();
    expect(baseline.namespaceName).toBe('payments');
    expect(baseline.namespace.kind).toBe('Namespace');
    expect(baseline.defaultDenyPolicy.kind).toBe('NetworkPolicy');
  });
});
