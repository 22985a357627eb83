import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { environmentLabels, pruneSelector } from '../../config';
import { synthesize } from '../../synth/synthesize';
import { isClusterOutput } from '../../k8s';
import { envInputOf, kubernetesText, tempDir, useNodeGroups } from '../support/synth';
import { configIssues, containerOf, definitionsWith, environmentOf, find, has, synthEnvironment } from './helpers';

const ENVS = ['dev', 'staging', 'prod'] as const;
const PER_SERVICE_KINDS = ['Namespace', 'ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget'];

describe('EnvironmentChart', () => {
  const defs = definitionsWith();

  test.each(ENVS)('synthesizes every service of %s with every object carrying the prune labels', (envName) => {
    const objects = synthEnvironment(defs, envName);
    const labels = environmentLabels(defs.system, environmentOf(defs, envName));
    for (const service of environmentOf(defs, envName).services) {
      for (const kind of PER_SERVICE_KINDS) expect(has(objects, kind, service.name)).toBe(true);
      expect(has(objects, 'HorizontalPodAutoscaler', service.name)).toBe(service.autoscaling !== undefined);
      expect(has(objects, 'Ingress', service.name)).toBe(service.ingress !== undefined);
    }
    for (const o of objects) expect(o.metadata.labels).toMatchObject(labels);
    expect(pruneSelector(defs.system, environmentOf(defs, envName))).toBe(`app.kubernetes.io/managed-by=deploykit,app.kubernetes.io/part-of=company,deploykit.io/environment=${envName}`);
  });

  test.each(ENVS)('puts each Namespace of %s before every object in it', (envName) => {
    const objects = synthEnvironment(defs, envName);
    objects.forEach((o, i) => {
      // Cluster-scoped objects and those in system namespaces (kube-system) need no Namespace of ours.
      if (o.kind === 'Namespace' || isClusterOutput(o)) return;
      const nsIndex = objects.findIndex((n) => n.kind === 'Namespace' && n.metadata.name === o.metadata.namespace);
      expect(nsIndex).toBeGreaterThanOrEqual(0);
      expect(nsIndex).toBeLessThan(i);
    });
  });

  test('keeps object names free of hashes', () => {
    const names = synthEnvironment(defs, 'prod').map((o) => o.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['company-web', 'company-api', 'default-deny', 'company-web-allow-ingress']));
    for (const name of names) expect(name).not.toMatch(/-c8[0-9a-f]{6}$/);
  });

  test('synthesizes the same output twice', () => {
    expect(synthEnvironment(defs, 'prod')).toEqual(synthEnvironment(defs, 'prod'));
  });

  test('runs the image tag override for every service', () => {
    const objects = synthEnvironment(defs, 'staging', '3f2c9a1');
    for (const name of ['company-web', 'company-api']) {
      expect(containerOf(find(objects, 'Deployment', name)).image).toMatch(/:3f2c9a1$/);
    }
  });

  test("adds a second service's objects for one catalogue entry and one environment entry", () => {
    const before = synthEnvironment(defs, 'staging');
    const after = synthEnvironment(
      definitionsWith((input) => {
        input.services['company-admin'] = {
          image: { tag: '0.3.0' },
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
        };
        envInputOf(input, 'staging').services['company-admin'] = {};
      }),
      'staging',
    );
    const added = after.filter((o) => !before.some((b) => b.kind === o.kind && b.metadata.name === o.metadata.name && b.metadata.namespace === o.metadata.namespace));
    expect(added.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort()).toEqual(
      [
        'Deployment/company-admin/company-admin',
        'Namespace//company-admin',
        'NetworkPolicy/company-admin/company-admin-allow-egress',
        'NetworkPolicy/company-admin/company-admin-allow-ingress',
        'NetworkPolicy/company-admin/company-admin-smoke-test-egress',
        'NetworkPolicy/company-admin/company-admin-smoke-test-ingress',
        'NetworkPolicy/company-admin/default-deny',
        'PodDisruptionBudget/company-admin/company-admin',
        'Service/company-admin/company-admin',
        'ServiceAccount/company-admin/company-admin',
      ].sort(),
    );
    expect(find(after, 'Deployment', 'company-admin').spec.replicas).toBe(2);
  });

  test('creates a shared namespace and its default-deny policy once', () => {
    const objects = synthEnvironment(
      definitionsWith((input) => {
        input.services['company-web'].namespace = 'company';
        input.services['company-api'].namespace = 'company';
      }),
      'staging',
    );
    expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['company']);
    expect(objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny')).toHaveLength(1);
    expect(find(objects, 'Deployment', 'company-api').metadata.namespace).toBe('company');
  });

  /** Staging on the fixture node groups (4 × m6i.large at most), with 20 company-api pods of 500m at most: more CPU than they hold. */
  const overfull = (input: any) => {
    useNodeGroups(envInputOf(input, 'staging'));
    input.services['company-api'].resources = { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } };
    input.services['company-api'].autoscaling.maxReplicas = 20;
  };

  test('fails with every capacity problem when the services do not fit the node groups', () => {
    const broken = definitionsWith(overfull);
    expect(configIssues(() => synthEnvironment(broken, 'staging')).map((i) => i.path)).toEqual(['staging.services']);
  });

  test('fails deploykit synth before anything is written when the services do not fit', () => {
    const out = join(tempDir(), 'dist');
    const broken = definitionsWith(overfull);
    expect(() => synthesize(broken, { outDir: out, environments: ['staging'] })).toThrow(/staging\.services: 'resources\.requests\.cpu' × maximum replicas/);
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
  });

  test('writes the chart deploykit synth reads back as the same objects', () => {
    const out = join(tempDir(), 'dist');
    synthesize(defs, { outDir: out, environments: ['prod'] });
    const docs = parseAllDocuments(kubernetesText(out, 'prod')).map((d) => d.toJSON());
    const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const sorted = (list: any[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sorted(docs)).toEqual(sorted(synthEnvironment(defs, 'prod') as any[]));
  });
});
