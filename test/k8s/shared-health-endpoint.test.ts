import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { defineEnvironments, type Definitions } from '../../config';
import { runCheck } from '../../policy/run-check';
import { synthesize } from '../../synth/synthesize';
import { runCli } from '../support/cli';
import { validateKubernetesObject } from '../../testing';
import { exampleInput, kubernetesText, tempDir } from '../support/synth';

/**
 * A service as a typical Node app arrives: liveness and readiness on one `/_health` endpoint, no
 * startup endpoint, listening on port 80 (as non-root without capabilities), its image tag given by CI. Built here rather than taken
 * from the example, so the example can change without changing what this test expects.
 */
const SERVICE = 'orders-api';
const IMAGE_TAG = '3f2c1ab';
const NOW = new Date('2026-01-15T00:00:00Z');

function nodeServiceInput(): any {
  const input = exampleInput();
  input.services = {
    [SERVICE]: {
      containerPort: 80,
      health: { readinessPath: '/_health', livenessPath: '/_health' },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      autoscaling: { minReplicas: 2, maxReplicas: 10, targetCpuUtilizationPercent: 50 },
      env: { NODE_ENV: 'production', PORT: '80' },
    },
  };
  for (const env of input.environments) env.services = { [SERVICE]: {} };
  return input;
}

const objectsOf = (out: string, env: string): any[] =>
  parseAllDocuments(kubernetesText(out, env))
    .map((d) => d.toJS())
    .filter(Boolean);
const find = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('a service with one health endpoint for liveness and readiness and no startup endpoint', () => {
  const defs: Definitions = defineEnvironments(nodeServiceInput());
  const out = join(tempDir(), 'dist');
  beforeAll(() => {
    synthesize(defs, { outDir: out, imageTag: IMAGE_TAG });
  });

  test.each(defs.environments.map((e) => e.name))('%s: probes startup, readiness and liveness on /_health at port 80 with the startup thresholds', (env) => {
    const deployment = find(objectsOf(out, env), 'Deployment', SERVICE);
    const [container] = deployment.spec.template.spec.containers;
    expect(container.ports).toEqual([{ name: 'http', containerPort: 80, protocol: 'TCP' }]);
    expect(container.image).toMatch(new RegExp(`/${SERVICE}:${IMAGE_TAG}$`));
    expect(container.env).toEqual(expect.arrayContaining([{ name: 'NODE_ENV', value: 'production' }, { name: 'PORT', value: '80' }]));
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(container[probe].httpGet).toMatchObject({ path: '/_health', port: 'http' });
    }
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(120);
  });

  test.each(defs.environments.map((e) => e.name))('%s: the non-root container without capabilities may bind port 80: the pod lowers the first unprivileged port to 80', (env) => {
    const pod = find(objectsOf(out, env), 'Deployment', SERVICE).spec.template.spec;
    expect(pod.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
    for (const obj of objectsOf(out, env)) expect(() => validateKubernetesObject(obj)).not.toThrow();
  });

  test.each(defs.environments.map((e) => e.name))('%s: the Service and the NetworkPolicies reach the pods on container port 80', (env) => {
    const objects = objectsOf(out, env);
    const service = find(objects, 'Service', SERVICE);
    const [container] = find(objects, 'Deployment', SERVICE).spec.template.spec.containers;
    const named = container.ports.find((p: { name: string }) => p.name === service.spec.ports[0].targetPort);
    expect(named?.containerPort ?? service.spec.ports[0].targetPort).toBe(80);
    const ingressPorts = objects
      .filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === SERVICE)
      .flatMap((p) => (p.spec.ingress ?? []).flatMap((rule: { ports?: { port: number | string }[] }) => rule.ports ?? []))
      .map((p) => p.port);
    expect(ingressPorts.length).toBeGreaterThan(0);
    // NetworkPolicies see the container port, not the Service port.
    for (const port of ingressPorts) expect(port).toBe(80);
  });

  test('deploykit check reports no error and warns about the shared endpoint in every environment (DK-K8S-026)', () => {
    const report = runCheck(defs, { dir: out, now: NOW });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.findings.filter((f) => f.ruleId === 'DK-K8S-028')).toEqual([]);
    const shared = report.findings.filter((f) => f.ruleId === 'DK-K8S-026');
    expect(shared.map((f) => [f.severity, f.environment, f.target]).sort()).toEqual(
      defs.environments.map((e) => ['warning', e.name, `Deployment/${SERVICE}/${SERVICE}`]).sort(),
    );
  });

  test('the CLI checks the definitions with the tag from CI and exits 0', async () => {
    const file = join(tempDir(), 'orders-api.json');
    writeFileSync(file, JSON.stringify(nodeServiceInput()));
    const result = await runCli('check', '--config', file, '--image-tag', IMAGE_TAG, '--date', NOW.toISOString().slice(0, 10));
    expect(result.stdout).toMatch(/^0 error\(s\), \d+ warning\(s\), 0 suppressed$/m);
    expect(result.code).toBe(0);
  });
});
