import { Testing } from 'cdk8s';
import { namespaceName, SMOKE_TEST_LABEL, SMOKE_TEST_LABEL_VALUE } from '../../config';
import { SmokeTestNetworkPolicies, smokeTestPodSelector } from '../../k8s';
import { validateKubernetesObject } from '../../testing';
import { definitionsWith, environmentOf, find, synthEnvironment } from './helpers';
import { canReach, type PodEndpoint } from './network-policy-reach';

const SELECTOR = { 'app.kubernetes.io/name': 'payments', 'app.kubernetes.io/instance': 'payments-prod' };

function render(labels?: Record<string, string>): any[] {
  const chart = Testing.chart();
  new SmokeTestNetworkPolicies(chart, 'SmokeTest', { serviceName: 'payments', namespaceName: 'billing', selectorLabels: SELECTOR, containerPort: 8443, labels });
  return Testing.synth(chart);
}

describe('SmokeTestNetworkPolicies', () => {
  test('selects smoke-test pods by the label deploykit.io/smoke-test: "true"', () => {
    expect(SMOKE_TEST_LABEL).toBe('deploykit.io/smoke-test');
    expect(SMOKE_TEST_LABEL_VALUE).toBe('true');
    expect(smokeTestPodSelector()).toEqual({ matchLabels: { 'deploykit.io/smoke-test': 'true' } });
  });

  test("lets smoke-test pods resolve names like the service does and reach only the service's pods on the container port", () => {
    const egress = find(render(), 'NetworkPolicy', 'payments-smoke-test-egress');
    expect(egress.metadata.namespace).toBe('billing');
    expect(egress.spec).toEqual({
      podSelector: { matchLabels: { 'deploykit.io/smoke-test': 'true' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
        { to: [{ podSelector: { matchLabels: SELECTOR } }], ports: [{ protocol: 'TCP', port: 8443 }] },
      ],
    });
  });

  test("lets the service's pods accept smoke-test pods on the container port", () => {
    const ingress = find(render(), 'NetworkPolicy', 'payments-smoke-test-ingress');
    expect(ingress.metadata.namespace).toBe('billing');
    expect(ingress.spec).toEqual({
      podSelector: { matchLabels: SELECTOR },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'deploykit.io/smoke-test': 'true' } } }], ports: [{ protocol: 'TCP', port: 8443 }] }],
    });
  });

  test('creates exactly the two policies, labelled with the given labels, valid against the Kubernetes schema', () => {
    const objects = render({ team: 'billing' });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['NetworkPolicy/payments-smoke-test-egress', 'NetworkPolicy/payments-smoke-test-ingress']);
    for (const o of objects) {
      expect(o.metadata.labels).toEqual({ team: 'billing' });
      expect(() => validateKubernetesObject(o)).not.toThrow();
    }
    expect(render().map((o) => o.metadata.labels ?? {})).toEqual([{}, {}]);
  });
});

describe('smoke tests under the generated NetworkPolicies', () => {
  const defs = definitionsWith();
  const KUBE_DNS: PodEndpoint = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };

  describe.each(defs.environments.map((e) => [e.name] as const))('%s', (envName) => {
    const objects = synthEnvironment(defs, envName);
    const services = environmentOf(defs, envName).services;
    const podsOf = (service: (typeof services)[number]): PodEndpoint => ({
      namespace: namespaceName(service),
      labels: find(objects, 'Deployment', service.name).spec.template.metadata.labels,
    });
    const smokePod = (service: (typeof services)[number]): PodEndpoint => ({
      namespace: namespaceName(service),
      labels: { [SMOKE_TEST_LABEL]: SMOKE_TEST_LABEL_VALUE, run: `smoke-${service.name}-1` },
    });

    test.each(services.map((s) => [s.name, s] as const))('a smoke pod in the namespace of %s resolves names and reaches its pods on the container port', (_name, service) => {
      const smoke = smokePod(service);
      expect(canReach(objects, smoke, { ...KUBE_DNS, port: 53, protocol: 'UDP' })).toBe(true);
      expect(canReach(objects, smoke, { ...KUBE_DNS, port: 53, protocol: 'TCP' })).toBe(true);
      expect(canReach(objects, smoke, { ...podsOf(service), port: service.containerPort })).toBe(true);
    });

    test.each(services.map((s) => [s.name, s] as const))("the smoke pods of %s use the service's own DNS egress rule", (_name, service) => {
      const dns = find(objects, 'NetworkPolicy', `${service.name}-allow-egress`).spec.egress[0];
      expect(dns.ports).toContainEqual({ protocol: 'UDP', port: 53 });
      expect(find(objects, 'NetworkPolicy', `${service.name}-smoke-test-egress`).spec.egress[0]).toEqual(dns);
    });

    test.each(services.map((s) => [s.name, s] as const))('a smoke pod in the namespace of %s reaches nothing else', (_name, service) => {
      const smoke = smokePod(service);
      for (const port of service.additionalPorts.map((p) => p.containerPort)) {
        expect(canReach(objects, smoke, { ...podsOf(service), port })).toBe(false);
      }
      expect(canReach(objects, smoke, { ip: '169.254.170.23', port: 80 })).toBe(false);
      for (const rule of service.egress) expect(canReach(objects, smoke, { ip: rule.cidr.split('/')[0], port: rule.ports[0], protocol: rule.protocol })).toBe(false);
      for (const other of services.filter((s) => namespaceName(s) !== namespaceName(service))) {
        expect(canReach(objects, smoke, { ...podsOf(other), port: other.containerPort })).toBe(false);
      }
      expect(canReach(objects, smoke, { ip: '1.1.1.1', port: 443 })).toBe(false);
    });

    test('a pod without the smoke-test label gets none of this access', () => {
      for (const service of services) {
        const plain: PodEndpoint = { namespace: namespaceName(service), labels: { run: `debug-${service.name}` } };
        expect(canReach(objects, plain, { ...KUBE_DNS, port: 53, protocol: 'UDP' })).toBe(false);
        expect(canReach(objects, plain, { ...podsOf(service), port: service.containerPort })).toBe(false);
      }
    });
  });

  test('without the smoke-test policies the smoke pod would be denied (the evaluator enforces default-deny)', () => {
    const objects = synthEnvironment(defs, 'prod').filter((o) => !/-smoke-test-(ingress|egress)$/.test(o.metadata.name));
    const service = environmentOf(defs, 'prod').services[0];
    const smoke: PodEndpoint = { namespace: namespaceName(service), labels: { [SMOKE_TEST_LABEL]: SMOKE_TEST_LABEL_VALUE } };
    const pods = { namespace: namespaceName(service), labels: find(objects, 'Deployment', service.name).spec.template.metadata.labels };
    expect(canReach(objects, smoke, { ...pods, port: service.containerPort })).toBe(false);
    expect(canReach(objects, smoke, { ...KUBE_DNS, port: 53, protocol: 'UDP' })).toBe(false);
  });
});
