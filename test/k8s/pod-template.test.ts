import { ApiObject, Testing } from 'cdk8s';
import {
  KubeDeployment,
  POD_USER_ID,
  restrictedPodTemplate,
  restrictedPodTemplatePatches,
  selectorLabels,
  TMP_MOUNT_PATH,
  typedApiObject,
  unprivilegedPortSysctls,
  UNPRIVILEGED_PORT_START_SYSCTL,
  workloadLabels,
  type RestrictedPodTemplateProps,
} from '../../k8s';
import { KUBERNETES_SECURITY_RULES } from '../../policy/rules/kubernetes-security';
import { fixtureContext } from '../check/rule-fixtures';
import { definitionsWith, environmentOf, serviceOf } from './helpers';

const WEB = 'company-web';
const API = 'company-api';

/** Pod template props for staging's company-web after `mutate` changed the raw input. */
function propsFor(
  mutate: (input: any) => void = () => {},
  overrides: Partial<RestrictedPodTemplateProps> = {},
  serviceName = WEB,
): RestrictedPodTemplateProps {
  const defs = definitionsWith(mutate);
  return {
    system: defs.system,
    environment: environmentOf(defs, 'staging'),
    service: serviceOf(defs, 'staging', serviceName),
    imageTag: '1.4.2',
    ...overrides,
  };
}

/** The template as a Deployment renders it, patches applied. */
function renderedTemplate(props: RestrictedPodTemplateProps): any {
  const chart = Testing.chart();
  const deployment = typedApiObject(chart, 'Deployment', KubeDeployment, {
    metadata: { name: props.service.name },
    spec: { selector: { matchLabels: selectorLabels(props.environment, props.service) }, template: restrictedPodTemplate(props) },
  });
  deployment.addJsonPatch(...restrictedPodTemplatePatches(props));
  const [rendered] = Testing.synth(chart).filter((o) => o.kind === 'Deployment' && o.metadata.name === props.service.name);
  return rendered.spec.template;
}

describe('restrictedPodTemplate defaults (staging company-web)', () => {
  const props = propsFor();
  const template = renderedTemplate(props);
  const pod = template.spec;
  const [container] = pod.containers;

  test('labels the pods with the workload labels of the service', () => {
    expect(template.metadata.labels).toEqual(workloadLabels(props.system, props.environment, props.service, '1.4.2'));
  });

  test('runs as the service account without a mounted token, as a non-root user with RuntimeDefault seccomp', () => {
    expect(pod.serviceAccountName).toBe(WEB);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: POD_USER_ID,
      runAsGroup: POD_USER_ID,
      fsGroup: POD_USER_ID,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('spreads the pods over zones on a best-effort basis and over nodes strictly, selecting the service pods', () => {
    const selector = { matchLabels: selectorLabels(props.environment, props.service) };
    expect(pod.topologySpreadConstraints).toEqual([
      expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector }),
      expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector, nodeTaintsPolicy: 'Honor' }),
    ]);
  });

  test('runs one container named http with a read-only root file system, no privileges and a writable /tmp', () => {
    expect(pod.containers).toHaveLength(1);
    expect(container.name).toBe('http');
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: TMP_MOUNT_PATH }]);
  });

  test('points every probe at the http port', () => {
    expect(container.ports[0]).toEqual({ name: 'http', containerPort: props.service.containerPort, protocol: 'TCP' });
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(container[probe].httpGet.port).toBe('http');
  });

  test('adds the sleep preStop action through the patches', () => {
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: props.service.preStopSleepSeconds } } });
  });
});

/**
 * The sysctls the Pod Security Standards "baseline" (and so "restricted") profile allows, from
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline ("Sysctls").
 */
const PSS_ALLOWED_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];

describe('ports below 1024 for a non-root container without capabilities', () => {
  const withPorts = (main: number, additional: number[] = []) =>
    renderedTemplate(
      propsFor((i) => {
        i.services[WEB].containerPort = main;
        i.services[WEB].additionalPorts = additional.map((containerPort, n) => ({ name: `extra-${n}`, containerPort }));
      }),
    ).spec;

  test('sets net.ipv4.ip_unprivileged_port_start to the main port when it is below 1024', () => {
    const pod = withPorts(80);
    expect(pod.securityContext.sysctls).toEqual([{ name: UNPRIVILEGED_PORT_START_SYSCTL, value: '80' }]);
    // The container stays exactly as restricted: the sysctl replaces CAP_NET_BIND_SERVICE.
    expect(pod.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  test('takes the lowest of the main and additional ports', () => {
    expect(withPorts(8080, [9090, 443]).securityContext.sysctls).toEqual([{ name: UNPRIVILEGED_PORT_START_SYSCTL, value: '443' }]);
    expect(withPorts(443, [80]).securityContext.sysctls).toEqual([{ name: UNPRIVILEGED_PORT_START_SYSCTL, value: '80' }]);
  });

  test('sets no sysctl when every port is 1024 or above', () => {
    expect(withPorts(1024, [9090]).securityContext).not.toHaveProperty('sysctls');
    expect(unprivilegedPortSysctls([1024, 8080])).toEqual([]);
    expect(unprivilegedPortSysctls([1023])).toEqual([{ name: UNPRIVILEGED_PORT_START_SYSCTL, value: '1023' }]);
  });

  test('stays within the restricted Pod Security Standard: only allowed sysctls, and deploykit check finds no security error', () => {
    const pod = withPorts(80, [443]);
    for (const { name } of pod.securityContext.sysctls) expect(PSS_ALLOWED_SYSCTLS).toContain(name);
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: WEB, namespace: WEB }, spec: { template: { spec: pod } } };
    const ctx = fixtureContext({ kubernetes: [deployment] });
    for (const rule of KUBERNETES_SECURITY_RULES.filter((r) => r.id !== 'DK-K8S-017')) expect([rule.id, [...rule.check(ctx)]]).toEqual([rule.id, []]);
  });
});

describe('restrictedPodTemplate options', () => {
  test('probes startup on the readiness path, with the generous startup thresholds, when no startup path is set', () => {
    const [container] = renderedTemplate(
      propsFor((i) => (i.services[WEB].health = { readinessPath: '/ready-check', livenessPath: '/alive' })),
    ).spec.containers;
    expect(container.startupProbe).toMatchObject({ httpGet: { path: '/ready-check', port: 'http' }, periodSeconds: 5, failureThreshold: 24 });
    expect(container.readinessProbe.httpGet.path).toBe('/ready-check');
    expect(container.livenessProbe.httpGet.path).toBe('/alive');
  });

  test('probes startup on the startup path when one is set', () => {
    const [container] = renderedTemplate(
      propsFor((i) => (i.services[WEB].health = { readinessPath: '/ready-check', livenessPath: '/alive', startupPath: '/started' })),
    ).spec.containers;
    expect(container.startupProbe.httpGet.path).toBe('/started');
  });

  test('has no startup probe when startupProbe is false', () => {
    const [container] = renderedTemplate(
      propsFor((i) => (i.services[WEB].health = { readinessPath: '/ready-check', livenessPath: '/alive', startupProbe: false })),
    ).spec.containers;
    expect(container).not.toHaveProperty('startupProbe');
    expect(container.readinessProbe.httpGet.path).toBe('/ready-check');
    expect(container.livenessProbe.httpGet.path).toBe('/alive');
  });

  test('reads the service env as values and its secret env by reference, never copying the secret', () => {
    const kubernetesSecret = (input: any) => {
      input.environments[1].services[API] = { secretEnv: { DATABASE_PASSWORD: { secretName: 'company-api-db', key: 'password' } } };
    };
    const [container] = renderedTemplate(propsFor(kubernetesSecret, {}, API)).spec.containers;
    expect(container.env).toContainEqual({
      name: 'DATABASE_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'company-api-db', key: 'password', optional: false } },
    });
  });

  test('names the container and the probe port as given, the additional env first', () => {
    const props = propsFor(undefined, {
      containerName: 'worker',
      portName: 'health',
      additionalEnv: [{ name: 'QUEUE_URL', value: 'https://sqs.example/queue' }],
    });
    const [container] = renderedTemplate(props).spec.containers;
    expect(container.name).toBe('worker');
    expect(container.ports[0].name).toBe('health');
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(container[probe].httpGet.port).toBe('health');
    expect(container.env[0]).toEqual({ name: 'QUEUE_URL', value: 'https://sqs.example/queue' });
  });

  test('uses the given labels for the pods', () => {
    const base = propsFor();
    const labels = { ...selectorLabels(base.environment, base.service), 'app.kubernetes.io/component': 'worker' };
    expect(renderedTemplate({ ...base, labels }).metadata.labels).toEqual(labels);
  });

  test('leaves out the preStop pause when preStop is false, for either handler', () => {
    for (const handler of ['sleep', 'exec']) {
      const props = propsFor((input) => (input.services[WEB].preStopHandler = handler), { preStop: false });
      expect(restrictedPodTemplatePatches(props)).toEqual([]);
      expect(renderedTemplate(props).spec.containers[0].lifecycle).toBeUndefined();
    }
  });

  test('renders the exec preStop pause in the template itself, with no patches', () => {
    const props = propsFor((input) => (input.services[WEB].preStopHandler = 'exec'));
    expect(restrictedPodTemplatePatches(props)).toEqual([]);
    expect(restrictedPodTemplate(props).spec?.containers[0].lifecycle).toEqual({
      preStop: { exec: { command: ['/bin/sleep', String(props.service.preStopSleepSeconds)] } },
    });
  });

  test('patches the sleep action under the given template path', () => {
    const props = propsFor();
    const chart = Testing.chart();
    const job = new ApiObject(chart, 'CronJob', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'http' }] } } } } },
    });
    job.addJsonPatch(...restrictedPodTemplatePatches(props, { templatePath: '/spec/jobTemplate/spec/template' }));
    const [rendered] = Testing.synth(chart);
    expect(rendered.spec.jobTemplate.spec.template.spec.containers[0].lifecycle).toEqual({
      preStop: { sleep: { seconds: props.service.preStopSleepSeconds } },
    });
  });
});
