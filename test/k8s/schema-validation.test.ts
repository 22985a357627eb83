/**
 * Every object of every example environment validates against the Kubernetes OpenAPI schemas
 * (kubernetes-models). The validators catch wrong types, missing required fields and bad enums.
 */
import { validateKubernetesObject as validate } from '../support/kubernetes-schema';
import { definitionsWith, find, synthEnvironment } from './helpers';

describe('Kubernetes OpenAPI schema validation', () => {
  const defs = definitionsWith();

  test.each(['dev', 'staging', 'prod'])('every object of %s validates against its official schema', (envName) => {
    const objects = synthEnvironment(defs, envName);
    expect(objects.length).toBeGreaterThan(0);
    for (const obj of objects) expect(() => validate(obj)).not.toThrow();
  });

  test('every option-driven object validates too (ingress without certificate, egress over UDP, exec preStop)', () => {
    const objects = synthEnvironment(
      definitionsWith((input) => {
        input.environments[1].services['company-web'] = { ingress: { host: 'web.internal.example.com' }, preStopHandler: 'exec' };
        input.services['company-api'].egress = [{ cidr: '192.168.0.0/24', ports: [514], protocol: 'UDP' }];
      }),
      'staging',
    );
    for (const obj of objects) expect(() => validate(obj)).not.toThrow();
  });

  test('the metrics policy and the Ingress named for the 5xx alarm validate too', () => {
    const objects = synthEnvironment(
      definitionsWith((input) => {
        const staging = input.environments.find((e: { name: string }) => e.name === 'staging');
        staging.observability = { monitoringNamespace: 'observability', alarms: { enabled: true } };
        staging.services['company-web'] = { ingress: { host: 'web.internal.example.com' } };
        input.services['company-web'].additionalPorts = [{ name: 'prom', containerPort: 9100, metrics: true }];
      }),
      'staging',
    );
    const metrics = find(objects, 'NetworkPolicy', 'company-web-allow-metrics');
    expect(find(objects, 'Ingress', 'company-web').metadata.annotations).toHaveProperty(['alb.ingress.kubernetes.io/load-balancer-name']);
    for (const obj of [metrics, find(objects, 'Ingress', 'company-web'), find(objects, 'Deployment', 'company-web')]) expect(() => validate(obj)).not.toThrow();
    // kubernetes-models allows unknown fields: pin the whole rule so a stray field fails here.
    expect(Object.keys(metrics.spec.ingress[0]).sort()).toEqual(['from', 'ports']);
    expect(metrics.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }]);
  });

  test('rejects an object with a wrong type, so the check is real', () => {
    const deployment = find(synthEnvironment(defs, 'prod'), 'Deployment', 'company-web');
    deployment.spec.replicas = 'three';
    expect(() => validate(deployment)).toThrow();
  });

  test('fails on a kind it has no validator for', () => {
    expect(() => validate({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } })).toThrow('no schema validator for v1/Secret (x)');
  });
});
