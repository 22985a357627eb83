/**
 * Init containers of a service: rendered into the pod template with the service's image (tag and
 * digest included), restricted exactly like the main container, validated at load, and counted by
 * the capacity check as the scheduler counts them. The service is built here, not taken from the
 * example, so the example can change without changing what these tests expect.
 */
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cpuMillicores, defineEnvironments, registryHost, repositoryName, type Definitions } from '../../config';
import { runCheck } from '../../policy/run-check';
import { synthesize } from '../../synth/synthesize';
import { allocatable, CLUSTER_AUTOSCALER_RESOURCES, clusterCapacityIssues, effectiveRequest, restrictedPodTemplate } from '../../k8s';
import { configIssuesOf, envInputOf, exampleInput, kubernetesFiles, kubernetesText, tempDir, useNodeGroups } from '../support/synth';
import { validateKubernetesObject } from '../../testing';
import { readYaml11 } from '../support/yaml11';

const SERVICE = 'orders';
const TAG = '3f2c1ab';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const APP_RESOURCES = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
/** Strings that would break YAML or a shell if written raw; in an argument list they are data. */
const AWKWARD_ARGUMENTS = ["main'||true||'", '$(rm -rf /)', 'line one\nline two', '${{ secrets.X }}', '"quoted"', '*', 'nel\u0085sep\u2028'];

/** A system with one service `orders` whose catalogue entry gets `service`, run in every environment. */
function inputWith(service: Record<string, unknown> = {}): any {
  const input = exampleInput();
  input.services = {
    [SERVICE]: {
      resources: APP_RESOURCES,
      env: { LOG_LEVEL: 'info', DB_HOST: 'db.internal' },
      secretEnv: { DB_PASSWORD: { secretName: 'orders-db', key: 'password' } },
      ...service,
    },
  };
  for (const env of input.environments) env.services = { [SERVICE]: {} };
  return input;
}

const MIGRATE = { name: 'migrate', command: ['/app/bin/migrate'], args: ['up', '--timeout', '60s'], env: { LOG_LEVEL: 'debug', MIGRATIONS_DIR: '/app/migrations' } };

const objectsOf = (out: string, env: string): any[] =>
  parseAllDocuments(kubernetesText(out, env))
    .map((d) => d.toJS())
    .filter(Boolean);
const podOf = (out: string, env: string) => objectsOf(out, env).find((o) => o.kind === 'Deployment' && o.metadata.name === SERVICE).spec.template.spec;

describe('init containers in the rendered pod template', () => {
  const defs: Definitions = defineEnvironments(inputWith({ initContainers: [MIGRATE, { name: 'warm-cache', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }] }));
  const out = join(tempDir(), 'dist');
  beforeAll(() => synthesize(defs, { outDir: out, imageTag: TAG }));
  const envs = defs.environments.map((e) => e.name);

  test.each(envs)('%s: run in definition order with the service image at the --image-tag tag', (env) => {
    const pod = podOf(out, env);
    const environment = defs.environments.find((e) => e.name === env)!;
    const service = environment.services[0];
    expect(pod.initContainers.map((c: { name: string }) => c.name)).toEqual(['migrate', 'warm-cache']);
    const [main] = pod.containers;
    expect(main.image).toBe(`${registryHost(environment)}/${repositoryName(service)}:${TAG}`);
    for (const init of pod.initContainers) {
      expect(init.image).toBe(main.image);
      expect(init.imagePullPolicy).toBe(main.imagePullPolicy);
    }
  });

  test.each(envs)('%s: restricted exactly like the main container, with the same writable /tmp', (env) => {
    const pod = podOf(out, env);
    const [main] = pod.containers;
    for (const init of pod.initContainers) {
      expect(init.securityContext).toEqual(main.securityContext);
      expect(init.volumeMounts).toEqual(main.volumeMounts);
      expect(init).not.toHaveProperty('ports');
      expect(init).not.toHaveProperty('readinessProbe');
      expect(init).not.toHaveProperty('lifecycle');
    }
    expect(main.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
  });

  test.each(envs)('%s: command and args as written; env is the service env overridden by the init container env, then the service secretEnv', (env) => {
    const [migrate, warm] = podOf(out, env).initContainers;
    expect(migrate.command).toEqual(MIGRATE.command);
    expect(migrate.args).toEqual(MIGRATE.args);
    expect(migrate.env).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'DB_HOST', value: 'db.internal' },
      { name: 'MIGRATIONS_DIR', value: '/app/migrations' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password', optional: false } } },
    ]);
    // Without command or args the image's ENTRYPOINT and CMD run; without env the service's variables.
    expect(warm).not.toHaveProperty('command');
    expect(warm).not.toHaveProperty('args');
    expect(warm.env).toEqual(podOf(out, env).containers[0].env);
  });

  test.each(envs)('%s: resources default to the main container’s; their own when given', (env) => {
    const pod = podOf(out, env);
    const [migrate, warm] = pod.initContainers;
    expect(migrate.resources).toEqual(pod.containers[0].resources);
    expect(warm.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } });
  });

  test.each(envs)('%s: every object validates against the Kubernetes schemas', (env) => {
    for (const obj of objectsOf(out, env)) expect(() => validateKubernetesObject(obj)).not.toThrow();
  });

  test('deploykit check reports no error on the output', () => {
    const report = runCheck(defs, { dir: out, now: new Date('2026-01-15T00:00:00Z') });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('a pod without init containers has no initContainers field', () => {
    const plain = defineEnvironments(inputWith());
    const dir = join(tempDir(), 'dist');
    synthesize(plain, { outDir: dir, imageTag: TAG, environments: [plain.environments[0].name] });
    expect(podOf(dir, plain.environments[0].name)).not.toHaveProperty('initContainers');
  });
});

test('a workload kind whose main container takes an init container name is refused, naming both', () => {
  const defs = defineEnvironments(inputWith({ initContainers: [MIGRATE] }));
  const environment = defs.environments[0];
  const props = { system: defs.system, environment, service: environment.services[0], imageTag: TAG };
  expect(() => restrictedPodTemplate({ ...props, containerName: 'migrate' })).toThrow(
    `${environment.name}.services.${SERVICE}.initContainers: 'name' ("migrate") is the name of the main container; give the init container another name`,
  );
  expect(restrictedPodTemplate({ ...props, containerName: 'worker' }).spec?.initContainers?.map((c) => c.name)).toEqual(['migrate']);
});

test('with --image-digests the init containers run the same <repo>:<tag>@<digest> as the service', () => {
  const defs = defineEnvironments(inputWith({ initContainers: [MIGRATE] }));
  const env = defs.environments[defs.environments.length - 1];
  const out = join(tempDir(), 'dist');
  synthesize(defs, { outDir: out, environments: [env.name], imageTag: TAG, imageDigests: { [SERVICE]: DIGEST } });
  const pod = podOf(out, env.name);
  const expected = `${registryHost(env)}/${repositoryName(env.services[0])}:${TAG}@${DIGEST}`;
  expect(pod.containers[0].image).toBe(expected);
  expect(pod.initContainers[0].image).toBe(expected);
});

test('awkward command and args strings reach the manifest verbatim, as a YAML 1.1 reader (kubectl) reads them', () => {
  const defs = defineEnvironments(inputWith({ initContainers: [{ name: 'migrate', command: ['/bin/sh', '-c'], args: AWKWARD_ARGUMENTS }] }));
  const env = defs.environments[0].name;
  const out = join(tempDir(), 'dist');
  synthesize(defs, { outDir: out, environments: [env], imageTag: TAG });
  expect(podOf(out, env).initContainers[0].args).toEqual(AWKWARD_ARGUMENTS);
  const read = Object.values(readYaml11(kubernetesFiles(out, env).map((f) => join(out, f)))).flat() as any[];
  const deployment = read.find((o) => o?.kind === 'Deployment' && o.metadata.name === SERVICE);
  expect(deployment.spec.template.spec.initContainers[0].args).toEqual(AWKWARD_ARGUMENTS);
});

describe('init container definitions are validated at load', () => {
  const at = `services.${SERVICE}`;
  const issues = (initContainers: unknown) => configIssuesOf((input) => Object.assign(input, inputWith({ initContainers })));

  test('accepts a valid list', () => {
    expect(issues([MIGRATE])).toEqual([]);
  });

  test('fails when a name is not a DNS-1123 label, for every string that could break out of generated code', () => {
    for (const name of ["main'||true||'", '$(rm -rf /)', 'main\nrm -rf /', '${{ secrets.X }}', '"quoted"', '*', 'Migrate']) {
      expect(issues([{ name }])).toEqual([
        {
          path: `${at}.initContainers[0]`,
          message: `'name' (${JSON.stringify(name)}) is not a valid container name (DNS-1123 label); use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`,
        },
      ]);
    }
  });

  test('fails when a name is the main container’s or used twice', () => {
    expect(issues([{ name: 'http' }, { name: 'migrate' }, { name: 'migrate' }])).toEqual([
      { path: `${at}.initContainers[0]`, message: `'name' ("http") is the name of the service's container; give the init container another name, e.g. "migrate"` },
      { path: `${at}.initContainers[2]`, message: `'name' ("migrate") is already used by 'initContainers[1]'; give each init container its own name` },
    ]);
  });

  test('fails on an empty command, an empty argument, a NUL character or an unpaired surrogate', () => {
    expect(issues([{ name: 'migrate', command: [] }])).toEqual([
      { path: `${at}.initContainers[0]`, message: `'command' is an empty list; give the executable and its arguments, or remove command to use the image entrypoint` },
    ]);
    expect(issues([{ name: 'migrate', command: ['/app/migrate', ''] }])).toEqual([
      { path: `${at}.initContainers[0]`, message: `'command[1]' is an empty string; remove it or give it a value` },
    ]);
    expect(issues([{ name: 'migrate', args: ['a\u0000b'] }])).toEqual([
      { path: `${at}.initContainers[0]`, message: `'args[0]' ("a\\u0000b") contains a NUL character, which no process argument can carry; remove it` },
    ]);
    expect(issues([{ name: 'migrate', args: ['\ud800'] }])).toEqual([
      { path: `${at}.initContainers[0]`, message: `'args[0]' ("\\ud800") contains an unpaired UTF-16 surrogate, which cannot be written as UTF-8; remove it` },
    ]);
    expect(issues([{ name: 'migrate', command: 'migrate up' }])).toEqual([
      { path: `${at}.initContainers[0]`, message: `'command' ("migrate up") must be a list of strings; fix its type` },
    ]);
  });

  test('fails on an unknown field (the schema is strict), naming it', () => {
    // `image` is deliberately not a field: init containers run the service's image (docs/definitions.md).
    expect(issues([{ name: 'migrate', image: 'busybox' }])).toEqual([
      { path: `${at}.initContainers[0]`, message: `'image' is not a known field; remove it or fix its spelling` },
    ]);
  });

  test('fails when requests exceed limits, or a variable is also a secret or looks like one', () => {
    expect(
      issues([
        {
          name: 'migrate',
          resources: { requests: { cpu: '2', memory: '256Mi' }, limits: { cpu: '1', memory: '256Mi' } },
          env: { DB_PASSWORD: 'x', API_TOKEN: 'plain' },
        },
      ]),
    ).toEqual([
      { path: `${at}.initContainers[0].resources`, message: `'requests.cpu' ("2") must be <= 'limits.cpu' ("1"); raise limits.cpu or lower requests.cpu` },
      { path: `${at}.initContainers[0].env.DB_PASSWORD`, message: `looks like a secret written in plain text; move it to the service's 'secretEnv' and reference a Kubernetes Secret` },
      { path: `${at}.initContainers[0].env.DB_PASSWORD`, message: `is also set in the service's 'secretEnv'; define each variable once` },
      { path: `${at}.initContainers[0].env.API_TOKEN`, message: `looks like a secret written in plain text; move it to the service's 'secretEnv' and reference a Kubernetes Secret` },
    ]);
  });

  test('an environment override replaces the list (validated merged, reported at the environment)', () => {
    const found = configIssuesOf((input) => {
      Object.assign(input, inputWith({ initContainers: [MIGRATE] }));
      input.environments[1].services[SERVICE] = { initContainers: [{ name: 'http' }] };
    });
    const envName = exampleInput().environments[1].name;
    expect(found).toEqual([
      { path: `${envName}.services.${SERVICE}.initContainers[0]`, message: `'name' ("http") is the name of the service's container; give the init container another name, e.g. "migrate"` },
    ]);
    const defs = defineEnvironments(
      (() => {
        const input = inputWith({ initContainers: [MIGRATE] });
        input.environments[1].services[SERVICE] = { initContainers: [] };
        return input;
      })(),
    );
    expect(defs.environments[0].services[0].initContainers.map((c) => c.name)).toEqual(['migrate']);
    expect(defs.environments[1].services[0].initContainers).toEqual([]);
  });
});

describe('capacity counts the effective pod request: max(largest init container, app containers)', () => {
  /** Staging-like environment with one node group of `m6i.large` (max `maxSize` nodes) running only `orders`. */
  function environment(initContainers: unknown[], replicas: number, maxSize = 2) {
    const input = inputWith({ initContainers, replicas });
    useNodeGroups(envInputOf(input, 'staging'), { general: { instanceTypes: ['m6i.large'], minSize: 1, desiredSize: 1, maxSize } });
    return defineEnvironments(input).environments.find((e) => e.name === 'staging')!;
  }
  const node = allocatable('m6i.large')!;
  const big = (cpu: string, memory: string) => ({ name: 'warm-cache', resources: { requests: { cpu, memory }, limits: { cpu, memory } } });

  test('a smaller init container does not change the pod request', () => {
    const env = environment([big('100m', '64Mi')], 1);
    expect(effectiveRequest(env.services[0], 'cpu')).toEqual({ amount: 250, quantity: '250m', field: 'resources' });
    expect(clusterCapacityIssues(env)).toEqual([]);
  });

  test('an init container larger than any node is reported with its own field', () => {
    const cpu = `${Math.ceil((node.cpuMillicores + 1) / 1000)}`;
    const env = environment([MIGRATE, big(cpu, '256Mi')], 1);
    expect(effectiveRequest(env.services[0], 'cpu')).toEqual({ amount: Number(cpu) * 1000, quantity: cpu, field: 'initContainers[1].resources' });
    expect(clusterCapacityIssues(env)).toEqual([
      {
        path: `${env.name}.services.${SERVICE}`,
        message: `'initContainers[1].resources.requests.cpu' (${JSON.stringify(cpu)}) is more than the ${node.cpuMillicores}m allocatable CPU of the largest node (m6i.large in node group general); lower the request or use a larger instance type`,
      },
    ]);
  });

  test('the sum over replicas uses the init container request when it is the larger one', () => {
    // Each pod fits on the node, but replicas × the init request exceed it: 1 node, 3 pods of 1000m
    // next to the Cluster Autoscaler, which node groups always run.
    const env = environment([big('1', '256Mi')], 3, 1);
    const supply = node.cpuMillicores;
    const autoscaler = CLUSTER_AUTOSCALER_RESOURCES.cpuRequest;
    expect(1000).toBeLessThan(supply);
    expect(3 * 1000 + cpuMillicores(autoscaler)).toBeGreaterThan(supply);
    expect(3 * 250 + cpuMillicores(autoscaler)).toBeLessThan(supply);
    expect(clusterCapacityIssues(env)).toEqual([
      {
        path: `${env.name}.services`,
        message:
          `'resources.requests.cpu' × maximum replicas summed over the services and the Cluster Autoscaler is ${3000 + cpuMillicores(autoscaler)}m ` +
          `(${SERVICE} 3 × 1 (initContainers[0].resources), cluster-autoscaler 1 × ${autoscaler}), ` +
          `more than the ${supply}m allocatable CPU of the node groups at 'maxSize' (general 1 × m6i.large at ${node.cpuMillicores}m); raise maxSize, use larger instance types, or lower maxReplicas or requests`,
      },
    ]);
  });
});
