/**
 * Every object of every example environment validates against the Kubernetes OpenAPI schemas
 * (kubernetes-models). The validators catch wrong types, missing required fields and bad enums.
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { definitionsWith, find, synthEnvironment } from './helpers';

const VALIDATORS: Record<string, (obj: any) => { validate(): void }> = {
  'v1/Namespace': (o) => new Namespace(o),
  'v1/ServiceAccount': (o) => new ServiceAccount(o),
  'v1/Service': (o) => new Service(o),
  'apps/v1/Deployment': (o) => new Deployment(o),
  'autoscaling/v2/HorizontalPodAutoscaler': (o) => new HorizontalPodAutoscaler(o),
  'policy/v1/PodDisruptionBudget': (o) => new PodDisruptionBudget(o),
  'networking.k8s.io/v1/NetworkPolicy': (o) => new NetworkPolicy(o),
  'networking.k8s.io/v1/Ingress': (o) => new Ingress(o),
};

function validate(obj: any): void {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const make = VALIDATORS[key];
  if (!make) throw new Error(`no schema validator for ${key} (${obj.metadata?.name}); add one to this test`);
  make(obj).validate();
}

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

  test('rejects an object with a wrong type, so the check is real', () => {
    const deployment = find(synthEnvironment(defs, 'prod'), 'Deployment', 'company-web');
    deployment.spec.replicas = 'three';
    expect(() => validate(deployment)).toThrow();
  });

  test('fails on a kind it has no validator for', () => {
    expect(() => validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toThrow('no schema validator for v1/ConfigMap (x)');
  });
});
