import { JsonPatch } from 'cdk8s';
import { IAM_ROLE_ARN_ANNOTATION } from '../../k8s';
import { LOAD_BALANCER_NAME_ANNOTATION } from '../../k8s/constructs/web-service';
import { loadBalancerName, repositoryUrl, type DefinitionsInput, type EnvironmentInput } from '../../config';
import { envInputOf, moveToAccount, useAutoMode, useNodeGroups } from '../support/synth';
import {
  configIssues,
  containerOf,
  definitionsWith as exampleDefinitionsWith,
  environmentOf,
  find,
  has,
  serviceOf,
  webService as exampleWebService,
  type WebServiceFixture,
} from './helpers';

const WEB = 'company-web';
const API = 'company-api';
/** The input of one environment of the example, to change in a fixture. */
const envInput = (input: DefinitionsInput, name: string): EnvironmentInput => input.environments.find((e) => e.name === name)!;
const CERTIFICATE_ARN = 'arn:aws:acm:ap-east-1:333333333333:certificate/00000000-0000-4000-8000-000000000000';
const SELECTOR = { 'app.kubernetes.io/name': WEB, 'app.kubernetes.io/instance': 'company-web-staging' };

/**
 * The services these tests reason about, set explicitly over the example's: editing the example's
 * services (resources, probe paths, scaling, env vars, ports) changes nothing these tests expect.
 * The environments keep the example's network, cluster and compute mode; tests that depend on those
 * set them themselves or derive the expectation from the definitions.
 */
function setServiceFixture(input: any): void {
  input.services = {
    [WEB]: {
      image: { tag: '1.4.2' },
      containerPort: 8080,
      servicePort: 80,
      health: { readinessPath: '/readyz', livenessPath: '/livez', startupPath: '/startupz' },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      autoscaling: { minReplicas: 2, maxReplicas: 4, targetCpuUtilizationPercent: 50 },
      env: { LOG_LEVEL: 'info', API_URL: 'http://company-api.company-api.svc.cluster.local' },
      egress: [{ cidr: '10.0.0.0/8', ports: [8080] }],
    },
    [API]: {
      image: { tag: '2.0.7' },
      containerPort: 8080,
      servicePort: 80,
      health: { readinessPath: '/health/ready', livenessPath: '/health/live', startupPath: '/health/started' },
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 50, targetMemoryUtilizationPercent: 75 },
      env: { LOG_LEVEL: 'info' },
      egress: [{ cidr: '10.0.0.0/8', ports: [5432] }],
      ingressFromNamespaces: [WEB],
    },
  };
  const dev = envInputOf(input, 'dev');
  dev.services = { [WEB]: { autoscaling: null, replicas: 1 }, [API]: { autoscaling: { minReplicas: 1, maxReplicas: 2 } } };
  moveToAccount(envInputOf(input, 'staging'), '222222222222');
  envInputOf(input, 'staging').services = { [WEB]: {}, [API]: {} };
  envInputOf(input, 'prod').services = {
    [WEB]: { autoscaling: { minReplicas: 3, maxReplicas: 12 }, ingress: { host: 'www.example.com', scheme: 'internet-facing', certificateArn: CERTIFICATE_ARN } },
    [API]: { autoscaling: { minReplicas: 3, maxReplicas: 10 } },
  };
}

/** The definitions of the service fixture after `mutate` changed the raw input. */
const definitionsWith = (mutate: (input: any) => void = () => {}) =>
  exampleDefinitionsWith((input) => {
    setServiceFixture(input);
    mutate(input);
  });

/** One WebService of the service fixture (staging company-web unless told otherwise). */
const webService = (fixture: WebServiceFixture = {}) =>
  exampleWebService({
    ...fixture,
    mutate: (input) => {
      setServiceFixture(input);
      fixture.mutate?.(input);
    },
  });

describe('WebService defaults (staging company-web of the service fixture)', () => {
  const objects = webService().objects();
  const deployment = find(objects, 'Deployment', WEB);
  const container = containerOf(deployment);
  const pod = deployment.spec.template.spec;

  test('creates the namespace-level and service-level objects in apply order, Namespace first', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toMatchSnapshot();
    expect(objects[0].kind).toBe('Namespace');
  });

  test('puts every namespaced object in the service namespace, never default', () => {
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect(o.metadata.namespace).toBe(WEB);
  });

  test('labels every object with the app.kubernetes.io labels and the environment label', () => {
    for (const o of objects) {
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': WEB,
        'app.kubernetes.io/instance': 'company-web-staging',
        'app.kubernetes.io/part-of': 'company',
        'app.kubernetes.io/managed-by': 'deploykit',
        'deploykit.io/environment': 'staging',
      });
    }
  });

  test('puts the version label only on the Deployment and its pods, so a new tag changes nothing else', () => {
    const versioned = objects.filter((o) => o.metadata.labels['app.kubernetes.io/version'] !== undefined);
    expect(versioned.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([`Deployment/${WEB}`]);
    const tag = serviceOf(definitionsWith(), 'staging', WEB).image.tag;
    expect(deployment.metadata.labels['app.kubernetes.io/version']).toBe(tag);
    const { 'app.kubernetes.io/version': version, ...podLabelsWithoutVersion } = deployment.spec.template.metadata.labels;
    expect(version).toBe(tag);
    expect(podLabelsWithoutVersion).toEqual(find(objects, 'Service', WEB).metadata.labels);
  });

  test('enforces, audits and warns at the restricted Pod Security level on the namespace', () => {
    expect(find(objects, 'Namespace', WEB).metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
    });
  });

  test('runs as a ServiceAccount without a mounted token, annotated with the Pod Identity role and no IRSA annotation', () => {
    const sa = find(objects, 'ServiceAccount', WEB);
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(sa.metadata.annotations).toEqual({ [IAM_ROLE_ARN_ANNOTATION]: 'arn:aws:iam::222222222222:role/company-staging-company-web' });
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBeUndefined();
    expect(pod.serviceAccountName).toBe(WEB);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('pins the Deployment selector to name and instance, without the version', () => {
    expect(deployment.spec.selector).toEqual({ matchLabels: SELECTOR });
    expect(find(objects, 'Service', WEB).spec.selector).toEqual(SELECTOR);
    expect(find(objects, 'PodDisruptionBudget', WEB).spec.selector).toEqual({ matchLabels: SELECTOR });
  });

  test('runs the ECR image with IfNotPresent pulls, because tags are immutable', () => {
    const defs = definitionsWith();
    const service = serviceOf(defs, 'staging', WEB);
    expect(container.image).toBe(`${repositoryUrl(environmentOf(defs, 'staging'), service)}:${service.image.tag}`);
    expect(container.image).toMatch(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/.+:.+$/);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
  });

  test('rolls out one extra pod at a time and never takes one away', () => {
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(deployment.spec.revisionHistoryLimit).toBe(5);
    expect(deployment.spec.progressDeadlineSeconds).toBe(300);
  });

  test('leaves replicas to the HorizontalPodAutoscaler when autoscaling is set', () => {
    expect(deployment.spec).not.toHaveProperty('replicas');
  });

  test('gates liveness behind an HTTP startup probe and probes readiness often, all on the named http port', () => {
    expect(container.startupProbe).toMatchObject({ httpGet: { path: '/startupz', port: 'http' }, periodSeconds: 5, failureThreshold: 24 });
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5 });
    expect(container.livenessProbe).toMatchObject({
      httpGet: { path: '/livez', port: 'http' },
      periodSeconds: 15,
      failureThreshold: 3,
      initialDelaySeconds: 0,
    });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  test('restricts the pod and container security contexts', () => {
    expect({ pod: pod.securityContext, container: container.securityContext }).toMatchSnapshot();
    expect(pod.securityContext.runAsUser).toBeGreaterThanOrEqual(10000);
    expect(pod.securityContext.runAsGroup).toBeGreaterThanOrEqual(10000);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  test('mounts an emptyDir at /tmp so the read-only root file system still has scratch space', () => {
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  test('sets requests and limits from the definition', () => {
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
  });

  test('spreads pods over zones best effort and over nodes strictly', () => {
    const byKey = Object.fromEntries(pod.topologySpreadConstraints.map((c: any) => [c.topologyKey, c]));
    expect(byKey['topology.kubernetes.io/zone']).toMatchObject({ maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: SELECTOR } });
    expect(byKey['kubernetes.io/hostname']).toMatchObject({ maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor' });
  });

  test('pauses in preStop with the kubelet sleep action within the grace period', () => {
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(pod.terminationGracePeriodSeconds).toBe(30);
  });

  test('sets plain environment variables in definition order', () => {
    expect(container.env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'API_URL', value: 'http://company-api.company-api.svc.cluster.local' },
    ]);
  });

  test('exposes a ClusterIP Service on the servicePort targeting the named http port', () => {
    expect(find(objects, 'Service', WEB).spec).toEqual({
      type: 'ClusterIP',
      selector: SELECTOR,
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }],
    });
  });

  test('creates an autoscaling/v2 HPA targeting the Deployment on CPU with a scale-down window', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', WEB);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: WEB },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    });
    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
    expect(hpa.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
  });

  test('allows one voluntary eviction at a time through a policy/v1 PodDisruptionBudget', () => {
    const pdb = find(objects, 'PodDisruptionBudget', WEB);
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: SELECTOR }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('denies all ingress and egress in the namespace by default', () => {
    expect(find(objects, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('allows ingress to the http port from the same namespace and the listed namespaces only', () => {
    const listed = webService({ mutate: (input) => (input.services![WEB].ingressFromNamespaces = ['ingress-nginx']) }).objects();
    expect(find(listed, 'NetworkPolicy', 'company-web-allow-ingress').spec).toEqual({
      podSelector: { matchLabels: SELECTOR },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      ],
    });
  });

  test('allows egress to cluster DNS over UDP and TCP and to the defined destinations', () => {
    const egress = find(objects, 'NetworkPolicy', 'company-web-allow-egress').spec.egress;
    expect(egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
      { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 80 }] },
      { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  test("lets the pipeline's smoke-test pods reach the http container port, and exposes the policies", () => {
    const ws = webService();
    const objects = ws.objects();
    const smoke = { matchLabels: { 'deploykit.io/smoke-test': 'true' } };
    expect(find(objects, 'NetworkPolicy', 'company-web-smoke-test-ingress').spec).toEqual({
      podSelector: { matchLabels: SELECTOR },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: smoke }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
    const egress = find(objects, 'NetworkPolicy', 'company-web-smoke-test-egress');
    expect(egress.metadata.namespace).toBe('company-web');
    expect(egress.spec.podSelector).toEqual(smoke);
    expect(egress.spec.egress[1]).toEqual({ to: [{ podSelector: { matchLabels: SELECTOR } }], ports: [{ protocol: 'TCP', port: 8080 }] });
    expect(ws.webService.smokeTestPolicies.egressPolicy.name).toBe('company-web-smoke-test-egress');
    expect(ws.webService.smokeTestPolicies.ingressPolicy.name).toBe('company-web-smoke-test-ingress');
  });

  test('creates no Ingress without an ingress definition', () => {
    expect(has(objects, 'Ingress', WEB)).toBe(false);
  });
});

describe('WebService options', () => {
  test('sets fixed replicas and creates no HPA when autoscaling is removed', () => {
    const objects = webService({ env: 'dev' }).objects();
    expect(find(objects, 'Deployment', WEB).spec.replicas).toBe(1);
    expect(has(objects, 'HorizontalPodAutoscaler', WEB)).toBe(false);
    expect(find(objects, 'PodDisruptionBudget', WEB).spec.maxUnavailable).toBe(1);
  });

  test('adds a memory utilization metric when targetMemoryUtilizationPercent is set', () => {
    const hpa = find(webService({ service: API }).objects(), 'HorizontalPodAutoscaler', API);
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 75 } } },
    ]);
  });

  test('keeps maxUnavailable 1 when the HPA minimum is one replica', () => {
    const objects = webService({ env: 'dev', service: API }).objects();
    expect(find(objects, 'HorizontalPodAutoscaler', API).spec.minReplicas).toBe(1);
    expect(find(objects, 'PodDisruptionBudget', API).spec).not.toHaveProperty('minAvailable');
    expect(find(objects, 'PodDisruptionBudget', API).spec.maxUnavailable).toBe(1);
  });

  // The Ingress names the class of the ALB controller of the environment's compute mode: with node
  // groups the AWS Load Balancer Controller's "alb" and the scheme as an annotation; with Auto Mode
  // one class per scheme, "alb-<scheme>", whose IngressClassParams carries the scheme.
  test.each([
    ['node-groups', useNodeGroups, 'alb', { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' }],
    ['auto-mode', useAutoMode, 'alb-internet-facing', {}],
  ] as const)('creates an HTTPS ALB Ingress with redirect and lets the VPC reach the pods when a certificate is set (compute %s)', (_mode, use, ingressClass, schemeAnnotation) => {
    const mutate = (input: DefinitionsInput) => {
      const prod = use(envInputOf(input, 'prod'));
      prod.observability = { alarms: { enabled: false } };
      prod.services[WEB] = { ...prod.services[WEB], ingress: { host: 'www.example.com', scheme: 'internet-facing', certificateArn: CERTIFICATE_ARN } };
    };
    const defs = definitionsWith(mutate);
    const objects = webService({ env: 'prod', mutate }).objects();
    const ingress = find(objects, 'Ingress', WEB);
    expect(ingress.spec).toEqual({
      ingressClassName: ingressClass,
      rules: [
        {
          host: 'www.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: WEB, port: { name: 'http' } } } }] },
        },
      ],
    });
    expect(ingress.metadata.annotations).toEqual({
      ...schemeAnnotation,
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-path': serviceOf(defs, 'prod', WEB).health.readinessPath,
      'alb.ingress.kubernetes.io/certificate-arn': CERTIFICATE_ARN,
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
    const from = find(objects, 'NetworkPolicy', 'company-web-allow-ingress').spec.ingress[0].from;
    expect(from).toContainEqual({ ipBlock: { cidr: environmentOf(defs, 'prod').network.vpcCidr } });
  });

  test.each([
    ['node-groups', useNodeGroups, 'alb', { 'alb.ingress.kubernetes.io/scheme': 'internal' }],
    ['auto-mode', useAutoMode, 'alb-internal', {}],
  ] as const)('creates an HTTP-only internal Ingress with the given health-check path when no certificate is set (compute %s)', (_mode, use, ingressClass, schemeAnnotation) => {
    const mutate = (input: DefinitionsInput) => {
      use(envInputOf(input, 'staging')).services[WEB] = { ingress: { host: 'web.internal.example.com', healthCheckPath: '/ping' } };
    };
    const objects = webService({ mutate }).objects();
    const ingress = find(objects, 'Ingress', WEB);
    expect(ingress.spec.ingressClassName).toBe(ingressClass);
    expect(ingress.metadata.annotations).toEqual({
      ...schemeAnnotation,
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-path': '/ping',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}]',
    });
    const vpcCidr = environmentOf(definitionsWith(mutate), 'staging').network.vpcCidr;
    expect(find(objects, 'NetworkPolicy', 'company-web-allow-ingress').spec.ingress[0].from).toContainEqual({ ipBlock: { cidr: vpcCidr } });
  });

  test('reads secretEnv only by reference to the Secret', () => {
    const kubernetesSecret = (input: any) => {
      envInputOf(input, 'staging').services[API] = { secretEnv: { DATABASE_PASSWORD: { secretName: 'company-api-db', key: 'password' } } };
    };
    const env = containerOf(find(webService({ service: API, mutate: kubernetesSecret }).objects(), 'Deployment', API)).env;
    expect(env).toContainEqual({ name: 'DATABASE_PASSWORD', valueFrom: { secretKeyRef: { name: 'company-api-db', key: 'password', optional: false } } });
    expect(JSON.stringify(env)).not.toContain('"value":"password"');
  });

  test('allows egress per destination with its own protocol and ports', () => {
    const objects = webService({
      mutate: (input) => {
        input.services[WEB].egress = [
          { cidr: '10.20.0.0/16', ports: [443, 8443] },
          { cidr: '192.168.0.0/24', ports: [514], protocol: 'UDP' },
        ];
      },
    }).objects();
    expect(find(objects, 'NetworkPolicy', 'company-web-allow-egress').spec.egress.slice(2)).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 8443 }] },
      { to: [{ ipBlock: { cidr: '192.168.0.0/24' } }], ports: [{ protocol: 'UDP', port: 514 }] },
    ]);
  });

  test('allows only DNS and the Pod Identity agent when no destinations are defined', () => {
    const objects = webService({ mutate: (input) => (input.services[WEB].egress = []) }).objects();
    // DNS and the Pod Identity agent (credentials) only.
    expect(find(objects, 'NetworkPolicy', 'company-web-allow-egress').spec.egress).toHaveLength(2);
  });

  test('admits ingress from every listed namespace and only the same namespace when none are listed', () => {
    const listed = webService({ mutate: (input) => (input.services[WEB].ingressFromNamespaces = ['monitoring', 'gateway']) }).objects();
    expect(find(listed, 'NetworkPolicy', 'company-web-allow-ingress').spec.ingress[0].from).toEqual([
      { podSelector: {} },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } },
    ]);
    const none = webService({ mutate: (input) => (input.services[WEB].ingressFromNamespaces = []) }).objects();
    expect(find(none, 'NetworkPolicy', 'company-web-allow-ingress').spec.ingress[0].from).toEqual([{ podSelector: {} }]);
  });

  test('names the ALB after the environment and service when the environment has alarms, for the 5xx alarm to find it', () => {
    const mutate = (enabled: boolean) => (input: DefinitionsInput) => {
      envInput(input, 'prod').observability = { alarms: { enabled } };
      input.services![WEB].ingress = { host: 'shop.example.org', scheme: 'internal' };
    };
    const defs = definitionsWith(mutate(true));
    const expected = loadBalancerName(defs.system, environmentOf(defs, 'prod'), serviceOf(defs, 'prod', WEB));
    expect(expected).toBe(`${defs.system.name}-prod-${WEB}`);
    const annotations = find(webService({ env: 'prod', mutate: mutate(true) }).objects(), 'Ingress', WEB).metadata.annotations;
    expect(annotations[LOAD_BALANCER_NAME_ANNOTATION]).toBe(expected);
    const off = find(webService({ env: 'prod', mutate: mutate(false) }).objects(), 'Ingress', WEB).metadata.annotations;
    expect(off).not.toHaveProperty([LOAD_BALANCER_NAME_ANNOTATION]);
  });

  test('declares every additional port on the container, opens the others with the main port and metrics ports only to the monitoring namespace', () => {
    const objects = webService({
      mutate: (input) => {
        input.services[WEB].additionalPorts = [
          { name: 'admin', containerPort: 8081 },
          { name: 'metrics', containerPort: 9090 },
          { name: 'prom', containerPort: 9100, metrics: true },
          { name: 'metrics-off', containerPort: 9200, metrics: false },
        ];
        envInput(input, 'staging').observability = { monitoringNamespace: 'observability' };
      },
    }).objects();
    expect(containerOf(find(objects, 'Deployment', WEB)).ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'admin', containerPort: 8081, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      { name: 'prom', containerPort: 9100, protocol: 'TCP' },
      { name: 'metrics-off', containerPort: 9200, protocol: 'TCP' },
    ]);
    expect(find(objects, 'NetworkPolicy', 'company-web-allow-ingress').spec.ingress[0].ports).toEqual([
      { protocol: 'TCP', port: 8080 },
      { protocol: 'TCP', port: 8081 },
      { protocol: 'TCP', port: 9200 },
    ]);
    expect(find(objects, 'NetworkPolicy', 'company-web-allow-metrics').spec).toEqual({
      podSelector: { matchLabels: SELECTOR },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }],
          ports: [
            { protocol: 'TCP', port: 9090 },
            { protocol: 'TCP', port: 9100 },
          ],
        },
      ],
    });
  });

  test('creates no metrics policy for a service without metrics ports', () => {
    const objects = webService({ mutate: (input) => (input.services[WEB].additionalPorts = [{ name: 'admin', containerPort: 8081 }]) }).objects();
    expect(has(objects, 'NetworkPolicy', 'company-web-allow-metrics')).toBe(false);
  });

  test('runs the image tag override and labels the version with it', () => {
    const objects = webService({ imageTag: '3f2c9a1' }).objects();
    const deployment = find(objects, 'Deployment', WEB);
    expect(containerOf(deployment).image).toBe('222222222222.dkr.ecr.ap-east-1.amazonaws.com/company-web:3f2c9a1');
    expect(deployment.spec.template.metadata.labels['app.kubernetes.io/version']).toBe('3f2c9a1');
    expect(deployment.spec.selector.matchLabels).toEqual(SELECTOR);
  });

  test('cuts a long image tag to a valid version label while keeping the image reference exact', () => {
    const tag = `_${'a'.repeat(70)}`;
    const deployment = find(webService({ imageTag: tag }).objects(), 'Deployment', WEB);
    expect(containerOf(deployment).image.endsWith(`:${tag}`)).toBe(true);
    expect(deployment.metadata.labels['app.kubernetes.io/version']).toBe('a'.repeat(62));
  });

  test('runs /bin/sleep in preStop when preStopHandler is exec', () => {
    const deployment = find(webService({ mutate: (input) => (input.services[WEB].preStopHandler = 'exec') }).objects(), 'Deployment', WEB);
    expect(containerOf(deployment).lifecycle).toEqual({ preStop: { exec: { command: ['/bin/sleep', '5'] } } });
  });

  test('adds no preStop hook when preStopSleepSeconds is 0', () => {
    const deployment = find(webService({ mutate: (input) => (input.services[WEB].preStopSleepSeconds = 0) }).objects(), 'Deployment', WEB);
    expect(containerOf(deployment)).not.toHaveProperty('lifecycle');
  });

  test('sets grace period, history and progress deadline from the definition', () => {
    const deployment = find(
      webService({
        mutate: (input) => Object.assign(input.services[WEB], { terminationGracePeriodSeconds: 60, revisionHistoryLimit: 2, progressDeadlineSeconds: 120 }),
      }).objects(),
      'Deployment',
      WEB,
    );
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(60);
    expect(deployment.spec.revisionHistoryLimit).toBe(2);
    expect(deployment.spec.progressDeadlineSeconds).toBe(120);
  });

  test('skips the Namespace and default-deny policy when createNamespace is false', () => {
    const objects = webService({ extra: { createNamespace: false } }).objects();
    expect(has(objects, 'Namespace', WEB)).toBe(false);
    expect(has(objects, 'NetworkPolicy', 'default-deny')).toBe(false);
    expect(has(objects, 'Deployment', WEB)).toBe(true);
  });

  test('exposes the underlying objects so a JSON patch can set an unmodelled field', () => {
    const { webService: ws, objects } = webService();
    ws.deployment.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 10));
    ws.service.addJsonPatch(JsonPatch.add('/spec/internalTrafficPolicy', 'Local'));
    const synthesized = objects();
    expect(find(synthesized, 'Deployment', WEB).spec.minReadySeconds).toBe(10);
    expect(find(synthesized, 'Service', WEB).spec.internalTrafficPolicy).toBe('Local');
  });
});

describe('WebService failures', () => {
  test('fails when no image tag is set or given', () => {
    expect(configIssues(() => webService({ mutate: (input) => delete input.services[WEB].image.tag }))).toEqual([
      {
        path: 'staging.services.company-web.image',
        message: `'tag' is not set and no image tag was given; pass --image-tag <commit-sha> or pin image.tag`,
      },
    ]);
  });

  test('fails when the image tag is latest outside development', () => {
    expect(configIssues(() => webService({ imageTag: 'latest' }))).toEqual([
      {
        path: 'staging.services.company-web.image',
        message: `'tag' ("latest") is refused in a staging environment; pin a release tag or pass --image-tag <commit-sha>`,
      },
    ]);
  });

  test('accepts latest in development', () => {
    expect(containerOf(find(webService({ env: 'dev', imageTag: 'latest' }).objects(), 'Deployment', WEB)).image).toMatch(/:latest$/);
  });

  // The definitions refuse these at load time; the construct keeps its own guard for direct users.
  test('fails when the namespace is default', () => {
    expect(configIssues(() => webService({ extra: { namespace: 'default' } }))).toEqual([
      {
        path: 'test/company-web',
        constructPath: 'test/company-web',
        field: 'namespace',
        value: 'default',
        fix: 'give the service its own namespace',
        message: `'namespace' ("default") is a namespace Kubernetes uses for itself; give the service its own namespace`,
      },
    ]);
  });

  test('fails when an internet-facing Ingress has no certificate', () => {
    const ingress = { host: 'www.example.com', vpcCidr: '10.0.0.0/16', scheme: 'internet-facing' as const };
    expect(configIssues(() => webService({ extra: { ingress } })).map((i) => [i.path, i.message])).toEqual([
      [
        'test/company-web',
        `'ingress.certificateArn' (undefined) is not set while 'ingress.scheme' is "internet-facing"; add an ACM certificate or use scheme "internal"`,
      ],
    ]);
  });

  test('fails at synth when a patched probe targets a port the container does not declare', () => {
    const { webService: ws, objects } = webService();
    ws.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/readinessProbe/httpGet/port', 'admin'));
    expect(objects).toThrow(
      `Deployment container "http" 'readinessProbe.httpGet.port' ("admin") is not a port of the container (http=8080); point the probe at a declared port`,
    );
  });

  test('fails at synth when the patched Service targets a port the container does not declare', () => {
    const { webService: ws, objects } = webService();
    ws.service.addJsonPatch(JsonPatch.replace('/spec/ports/0/targetPort', 9999));
    expect(objects).toThrow(
      `Service port "http" 'targetPort' (9999) is not a container port (http=8080); target a declared port`,
    );
  });

  test('fails at synth when a patched PodDisruptionBudget blocks every eviction at minimum scale', () => {
    const { webService: ws, objects } = webService();
    ws.podDisruptionBudget.addJsonPatch(JsonPatch.remove('/spec/maxUnavailable'), JsonPatch.add('/spec/minAvailable', 2));
    expect(objects).toThrow(
      `PodDisruptionBudget 'minAvailable' (2) is not below the minimum replicas (2) and blocks every eviction at minimum scale; use maxUnavailable 1 instead`,
    );
  });

  test('fails at synth when a patched PodDisruptionBudget allows no unavailable pod', () => {
    const { webService: ws, objects } = webService();
    ws.podDisruptionBudget.addJsonPatch(JsonPatch.replace('/spec/maxUnavailable', 0));
    expect(objects).toThrow(
      `PodDisruptionBudget 'maxUnavailable' (0) blocks every eviction and so every node drain; use maxUnavailable 1`,
    );
  });
});
