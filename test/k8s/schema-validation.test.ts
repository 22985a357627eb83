/**
 * Every object of every example environment, on either compute mode, validates strictly against the
 * Kubernetes OpenAPI schemas (deploykit/testing): types, required fields, enums, and no field the schema does
 * not declare — kubernetes-models' own validators accept unknown fields, which the API server drops silently.
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { KubernetesValidationError, validateKubernetesObject as validate, validateKubernetesObjects } from '../../testing';
import { exampleWithCompute } from '../support/compute-fixtures';
import { envInputOf } from '../support/synth';
import { containerOf, definitionsWith, find, synthEnvironment } from './helpers';

const envNames = definitionsWith().environments.map((e) => e.name);
const computeModes = ['auto-mode', 'node-groups'] as const;

/** The message `validate` throws for `obj`, or undefined when it is valid. */
function messageOf(obj: unknown): string | undefined {
  try {
    validate(obj);
  } catch (err) {
    if (err instanceof KubernetesValidationError) return err.message;
    throw err;
  }
  return undefined;
}

describe('strict Kubernetes OpenAPI schema validation', () => {
  describe.each(computeModes)('with compute %s', (compute) => {
    test.each(envNames)('every object of %s validates strictly against its schema', (envName) => {
      const defs = exampleWithCompute(envName, compute);
      const objects = synthEnvironment(defs, envName);
      expect(objects.length).toBeGreaterThan(0);
      expect(() => validateKubernetesObjects(objects)).not.toThrow();
    });
  });

  test('every option-driven object validates too (ingress without certificate, egress over UDP, exec preStop)', () => {
    const objects = synthEnvironment(
      definitionsWith((input) => {
        envInputOf(input, 'staging').services['company-web'] = { ingress: { host: 'web.internal.example.com' }, preStopHandler: 'exec' };
        input.services['company-api'].egress = [{ cidr: '192.168.0.0/24', ports: [514], protocol: 'UDP' }];
      }),
      'staging',
    );
    expect(() => validateKubernetesObjects(objects)).not.toThrow();
  });

  test('the metrics policy and the Ingress named for the 5xx alarm validate too', () => {
    const objects = synthEnvironment(
      definitionsWith((input) => {
        const staging = envInputOf(input, 'staging');
        staging.observability = { monitoringNamespace: 'observability', alarms: { enabled: true } };
        staging.services['company-web'] = { ingress: { host: 'web.internal.example.com' } };
        input.services['company-web'].additionalPorts = [{ name: 'prom', containerPort: 9100, metrics: true }];
      }),
      'staging',
    );
    const metrics = find(objects, 'NetworkPolicy', 'company-web-allow-metrics');
    expect(find(objects, 'Ingress', 'company-web').metadata.annotations).toHaveProperty(['alb.ingress.kubernetes.io/load-balancer-name']);
    expect(() => validateKubernetesObjects([metrics, find(objects, 'Ingress', 'company-web'), find(objects, 'Deployment', 'company-web')])).not.toThrow();
    expect(metrics.spec.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }]);
  });

  test('rejects a misspelled securityContext field that kubernetes-models accepts, naming the object, the path and the field', () => {
    const deployment = find(synthEnvironment(definitionsWith(), 'staging'), 'Deployment', 'company-web');
    const index = deployment.spec.template.spec.containers.indexOf(containerOf(deployment));
    containerOf(deployment).securityContext.readOnlyRootFileSystem = true;
    // kubernetes-models' validator, unchanged, accepts the stray field ...
    expect(() => new Deployment(deployment).validate()).not.toThrow();
    // ... the strict one names it.
    expect(messageOf(deployment)).toBe(
      `Deployment/${deployment.metadata.namespace}/company-web: spec.template.spec.containers[${index}].securityContext.readOnlyRootFileSystem: ` +
        "unknown field 'readOnlyRootFileSystem' (not in the schema); remove it or correct its spelling",
    );
  });

  test('rejects unknown fields at the top, in metadata and in a list item, and lists every problem', () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', label: { a: 'b' } }, specs: {} };
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'team' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http', protocl: 'TCP' }] },
    };
    expect(() => validateKubernetesObjects([namespace, service])).toThrow(
      new KubernetesValidationError([
        { object: 'Namespace/team', path: 'metadata.label', message: "unknown field 'label' (not in the schema); remove it or correct its spelling" },
        { object: 'Namespace/team', path: 'specs', message: "unknown field 'specs' (not in the schema); remove it or correct its spelling" },
        { object: 'Service/team/web', path: 'spec.ports[0].protocl', message: "unknown field 'protocl' (not in the schema); remove it or correct its spelling" },
      ]),
    );
    expect(messageOf(namespace)).toBe(
      "Namespace/team: metadata.label: unknown field 'label' (not in the schema); remove it or correct its spelling\n" +
        "Namespace/team: specs: unknown field 'specs' (not in the schema); remove it or correct its spelling",
    );
  });

  test('keeps maps and int-or-string fields open: any label, annotation or ConfigMap key, a port by name or number', () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'team', labels: { 'example.com/any-key': 'x' }, annotations: { 'a.b/c': 'd' } },
      data: { 'any.key': 'value', ANOTHER_KEY: 'value' },
    };
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'team' },
      spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }] },
    };
    expect(messageOf(configMap)).toBeUndefined();
    expect(messageOf(service)).toBeUndefined();
    expect(messageOf({ ...configMap, data: { key: 3 } })).toBe('ConfigMap/team/settings: data.key: must be string');
  });

  test('rejects a wrong type with its path', () => {
    const deployment = find(synthEnvironment(definitionsWith(), 'staging'), 'Deployment', 'company-web');
    deployment.spec.replicas = 'three';
    expect(messageOf(deployment)).toBe(`Deployment/${deployment.metadata.namespace}/company-web: spec.replicas: must be integer`);
  });

  test('fails on a kind it has no schema for, saying how to add one', () => {
    expect(messageOf({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } })).toBe(
      "Widget/x: (object): no schema for example.com/v1/Widget: kubernetes-models has no such kind; pass its CRD's openAPIV3Schema in the option crdSchemas['example.com/v1/Widget']",
    );
  });
});
