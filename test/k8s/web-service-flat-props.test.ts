/**
 * WebService composed from plain values only, in a bare cdk8s Chart, as a platform team does without
 * deploykit's environment definitions.
 */
import { App, Chart, Testing } from 'cdk8s';
import { ValidationError } from '../../config';
import {
  IAM_ROLE_ARN_ANNOTATION,
  LIVENESS_PROBE_TIMING,
  LOAD_BALANCER_NAME_ANNOTATION,
  POD_IDENTITY_AGENT_CIDR,
  READINESS_PROBE_TIMING,
  STARTUP_PROBE_TIMING,
  WEB_SERVICE_DEFAULTS,
  WebService,
  type WebServiceProps,
} from '../../k8s';
import { validateKubernetesObjects } from '../../testing';
import { containerOf, find, has } from './helpers';

const ACCOUNT = '123456789012';
const DIGEST = `sha256:${'0f'.repeat(32)}`;
const IMAGE = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/shop/orders:3.1.0@${DIGEST}`;
const SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:shop/orders-db-Ab12Cd`;
const CERTIFICATE_ARN = `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/00000000-0000-4000-8000-000000000000`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/shop-orders`;
const RESOURCES = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } };
const SELECTOR = { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders-eu' };

/** Every option a platform team might set. */
const FULL: WebServiceProps = {
  name: 'orders',
  namespace: 'shop',
  image: IMAGE,
  containerPort: 8443,
  servicePort: 443,
  additionalPorts: [
    { name: 'metrics', containerPort: 9090 },
    { name: 'admin', containerPort: 9091 },
  ],
  health: {
    readinessPath: '/ready',
    livenessPath: '/live',
    startupPath: '/started',
    readinessTiming: { periodSeconds: 10 },
    startupTiming: { failureThreshold: 60 },
  },
  resources: RESOURCES,
  autoscaling: { minReplicas: 3, maxReplicas: 9, targetMemoryUtilizationPercent: 70, scaleDownStabilizationSeconds: 120 },
  env: { LOG_LEVEL: 'info' },
  secretEnv: {
    DB_PASSWORD: { awsSecret: { kind: 'secretsmanager', arn: SECRET_ARN, jsonKey: 'password' } },
    API_TOKEN: { kubernetesSecret: { name: 'orders-api', key: 'token' } },
  },
  awsRegion: 'eu-west-1',
  initContainers: [{ name: 'migrate', command: ['/app/migrate', '--up'], env: { MIGRATE: '1' } }],
  egress: [{ cidr: '10.20.0.0/16', ports: [5432] }],
  ingressFromNamespaces: ['gateway'],
  monitoringNamespace: 'monitoring',
  ingress: {
    host: 'orders.example.com',
    vpcCidr: '10.0.0.0/16',
    scheme: 'internet-facing',
    certificateArn: CERTIFICATE_ARN,
    loadBalancerName: 'shop-orders',
  },
  workloadRoleArn: ROLE_ARN,
  instance: 'orders-eu',
  labels: { 'example.com/team': 'shop' },
};

function synth(props: WebServiceProps): { objects: any[]; webService: WebService } {
  const chart = new Chart(new App(), 'platform', { disableResourceNameHashes: true });
  const webService = new WebService(chart, 'orders', props);
  return { objects: Testing.synth(chart), webService };
}

describe('WebService from flat props (every option set)', () => {
  const { objects, webService } = synth(FULL);
  const deployment = find(objects, 'Deployment', 'orders');
  const pod = deployment.spec.template.spec;
  const container = containerOf(deployment);

  test('renders objects that all pass strict schema validation, every namespaced one in the namespace', () => {
    expect(() => validateKubernetesObjects(objects)).not.toThrow();
    expect(objects.filter((o) => o.kind !== 'Namespace').map((o) => o.metadata.namespace)).toEqual(objects.filter((o) => o.kind !== 'Namespace').map(() => 'shop'));
    expect(find(objects, 'Namespace', 'shop').metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  test('runs exactly the given image and labels the version with its tag on the Deployment and pods only', () => {
    expect(container.image).toBe(IMAGE);
    expect(webService.image).toBe(IMAGE);
    expect(deployment.metadata.labels).toEqual({ ...SELECTOR, 'app.kubernetes.io/version': '3.1.0', 'example.com/team': 'shop' });
    expect(deployment.spec.template.metadata.labels).toEqual(deployment.metadata.labels);
    expect(find(objects, 'Service', 'orders').metadata.labels).toEqual({ ...SELECTOR, 'example.com/team': 'shop' });
    expect(deployment.spec.selector).toEqual({ matchLabels: SELECTOR });
  });

  test('rolls out one extra pod at a time with the default history and deadline, leaving replicas to the HPA', () => {
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(deployment.spec.revisionHistoryLimit).toBe(WEB_SERVICE_DEFAULTS.revisionHistoryLimit);
    expect(deployment.spec.progressDeadlineSeconds).toBe(WEB_SERVICE_DEFAULTS.progressDeadlineSeconds);
    expect(deployment.spec.replicas).toBeUndefined();
  });

  test('probes the given paths on the named http port, with the given timings over the defaults', () => {
    const probe = (path: string, timing: object) => ({ httpGet: { path, port: 'http', scheme: 'HTTP' }, successThreshold: 1, ...timing });
    expect(container.readinessProbe).toEqual(probe('/ready', { ...READINESS_PROBE_TIMING, periodSeconds: 10 }));
    expect(container.livenessProbe).toEqual(probe('/live', LIVENESS_PROBE_TIMING));
    expect(container.startupProbe).toEqual(probe('/started', { ...STARTUP_PROBE_TIMING, failureThreshold: 60 }));
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 8443, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      { name: 'admin', containerPort: 9091, protocol: 'TCP' },
    ]);
    expect(find(objects, 'Service', 'orders').spec.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 443, targetPort: 'http' }]);
  });

  test('sets plain and secret variables in order, AWS ones from the synced Secret, in the init container too', () => {
    const env = [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-aws-secrets', key: 'DB_PASSWORD', optional: false } } },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'orders-api', key: 'token', optional: false } } },
    ];
    expect(container.env).toEqual(env);
    const [migrate] = pod.initContainers;
    expect(migrate).toMatchObject({ name: 'migrate', image: IMAGE, command: ['/app/migrate', '--up'], resources: container.resources });
    expect(migrate.env).toEqual([env[0], { name: 'MIGRATE', value: '1' }, env[1], env[2]]);
    expect(migrate.securityContext).toEqual(container.securityContext);
  });

  test('reads the AWS secret through a SecretProviderClass in the given region, mounted read-only', () => {
    const spc = find(objects, 'SecretProviderClass', 'orders-aws-secrets');
    expect(spc.spec.parameters).toMatchObject({ region: 'eu-west-1', usePodIdentity: 'true' });
    expect(spc.spec.parameters.objects).toContain(SECRET_ARN);
    expect(spc.spec.secretObjects).toEqual([{ secretName: 'orders-aws-secrets', type: 'Opaque', data: [{ objectName: 'DB_PASSWORD', key: 'DB_PASSWORD' }] }]);
    expect(pod.volumes).toContainEqual({ name: 'aws-secrets', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'orders-aws-secrets' } } });
  });

  test('annotates the ServiceAccount with the workload role and mounts no token', () => {
    const account = find(objects, 'ServiceAccount', 'orders');
    expect(account.metadata.annotations).toEqual({ [IAM_ROLE_ARN_ANNOTATION]: ROLE_ARN });
    expect(account.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('orders');
  });

  test('scales between the bounds on CPU (default target) and memory with the given scale-down window', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'orders');
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' }, minReplicas: 3, maxReplicas: 9 });
    expect(hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([
      ['cpu', WEB_SERVICE_DEFAULTS.targetCpuUtilizationPercent],
      ['memory', 70],
    ]);
    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(120);
  });

  test('allows one eviction at a time', () => {
    expect(find(objects, 'PodDisruptionBudget', 'orders').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: SELECTOR }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('admits the namespace, the listed namespaces and the VPC on the service ports, and only the monitoring namespace on metrics', () => {
    expect(find(objects, 'NetworkPolicy', 'orders-allow-ingress').spec.ingress).toEqual([
      {
        from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }, { ipBlock: { cidr: '10.0.0.0/16' } }],
        ports: [
          { protocol: 'TCP', port: 8443 },
          { protocol: 'TCP', port: 9091 },
        ],
      },
    ]);
    expect(find(objects, 'NetworkPolicy', 'orders-allow-metrics').spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
    ]);
    const egress = find(objects, 'NetworkPolicy', 'orders-allow-egress').spec.egress;
    expect(egress[1]).toEqual({ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ protocol: 'TCP', port: 80 }] });
    expect(egress[2]).toEqual({ to: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    expect(find(objects, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(has(objects, 'NetworkPolicy', 'orders-smoke-test-ingress')).toBe(true);
  });

  test('exposes an internet-facing HTTPS ALB with the given name, class "alb" and the readiness path as health check', () => {
    const ingress = find(objects, 'Ingress', 'orders');
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/certificate-arn': CERTIFICATE_ARN,
      'alb.ingress.kubernetes.io/healthcheck-path': '/ready',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      [LOAD_BALANCER_NAME_ANNOTATION]: 'shop-orders',
    });
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.spec.rules).toEqual([
      { host: 'orders.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'orders', port: { name: 'http' } } } }] } },
    ]);
  });
});

describe('WebService from the fewest flat props', () => {
  const { objects } = synth({ name: 'orders', image: 'registry.example.com:5000/orders:1.0.0', resources: RESOURCES });
  const deployment = find(objects, 'Deployment', 'orders');
  const container = containerOf(deployment);
  const D = WEB_SERVICE_DEFAULTS;

  test('applies the documented defaults, the same the environment definitions apply', () => {
    expect(() => validateKubernetesObjects(objects)).not.toThrow();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      [
        'Namespace/orders',
        'NetworkPolicy/default-deny',
        'ServiceAccount/orders',
        'NetworkPolicy/orders-allow-ingress',
        'NetworkPolicy/orders-allow-egress',
        'NetworkPolicy/orders-smoke-test-ingress',
        'NetworkPolicy/orders-smoke-test-egress',
        'Service/orders',
        'Deployment/orders',
        'PodDisruptionBudget/orders',
      ].sort(),
    );
    expect(deployment.metadata.namespace).toBe('orders');
    expect(deployment.spec.replicas).toBe(D.replicas);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(D.terminationGracePeriodSeconds);
    expect(container.ports).toEqual([{ name: 'http', containerPort: D.containerPort, protocol: 'TCP' }]);
    expect(find(objects, 'Service', 'orders').spec.ports[0].port).toBe(D.servicePort);
    expect(container.readinessProbe.httpGet.path).toBe(D.readinessPath);
    expect(container.livenessProbe.httpGet.path).toBe(D.livenessPath);
    expect(container.startupProbe.httpGet.path).toBe(D.readinessPath);
    expect(container.lifecycle).toEqual({ preStop: { sleep: { seconds: D.preStopSleepSeconds } } });
    expect(container.image).toBe('registry.example.com:5000/orders:1.0.0');
    expect(deployment.metadata.labels['app.kubernetes.io/version']).toBe('1.0.0');
    expect(find(objects, 'ServiceAccount', 'orders').metadata.annotations).toBeUndefined();
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' });
  });

  test('leaves the scheme to the IngressClass when told so (EKS Auto Mode) and names no load balancer', () => {
    const { objects: withIngress } = synth({
      name: 'orders',
      image: 'orders:1.0.0',
      resources: RESOURCES,
      ingress: { host: 'orders.internal.example.com', vpcCidr: '10.0.0.0/16', ingressClassName: 'alb-internal', schemeFromIngressClass: true },
    });
    const ingress = find(withIngress, 'Ingress', 'orders');
    expect(ingress.spec.ingressClassName).toBe('alb-internal');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/scheme']).toBeUndefined();
    expect(ingress.metadata.annotations[LOAD_BALANCER_NAME_ANNOTATION]).toBeUndefined();
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/listen-ports']).toBe('[{"HTTP": 80}]');
  });
});

describe('WebService prop validation', () => {
  /** The ValidationError `props` cause. */
  function failure(props: WebServiceProps): ValidationError {
    try {
      synth(props);
    } catch (err) {
      if (err instanceof ValidationError) return err;
      throw err;
    }
    throw new Error('expected a ValidationError');
  }

  test('lists every problem of the props in one error, each naming the field, the value and a fix', () => {
    const error = failure({
      ...FULL,
      name: 'Orders_Service',
      namespace: 'default',
      image: 'shop/orders',
      containerPort: 70000,
      health: { readinessPath: 'ready' },
      resources: { requests: { cpu: '2', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      autoscaling: { minReplicas: 5, maxReplicas: 3 },
      awsRegion: undefined,
      ingress: { host: 'orders.example.com', vpcCidr: '10.0.0.0/16', scheme: 'internet-facing' },
    });
    expect(error.issues.map((i) => i.field)).toEqual([
      'name',
      'namespace',
      'image',
      'containerPort',
      'health.readinessPath',
      'resources.requests.cpu',
      'autoscaling.minReplicas',
      'awsRegion',
      'ingress.certificateArn',
    ]);
    expect(error.issues.every((i) => i.path === 'platform/orders' && i.constructPath === 'platform/orders')).toBe(true);
    expect(error.message.split('\n')[0]).toBe('invalid props of WebService platform/orders (9 problems):');
    expect(error.issues.map((i) => i.message)).toEqual([
      `'name' ("Orders_Service") is not a DNS-1123 label; use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`,
      `'namespace' ("default") is a namespace Kubernetes uses for itself; give the service its own namespace`,
      `'image' ("shop/orders") has no tag; add the release tag, e.g. <repository>:1.4.2 (the version label is the tag)`,
      `'containerPort' (70000) must be a whole number from 1 to 65535; use a value in that range`,
      `'health.readinessPath' ("ready") is not an HTTP path; start it with "/" and use no spaces, quotes or shell characters`,
      `'resources.requests.cpu' ("2") must be <= 'resources.limits.cpu' ("500m"); raise limits.cpu or lower requests.cpu`,
      `'autoscaling.minReplicas' (5) must be <= 'autoscaling.maxReplicas' (3); raise maxReplicas or lower minReplicas`,
      `'awsRegion' (undefined) is not set while 'secretEnv' reads AWS secrets; set the region the secrets are in, e.g. "eu-west-1"`,
      `'ingress.certificateArn' (undefined) is not set while 'ingress.scheme' is "internet-facing"; add an ACM certificate or use scheme "internal"`,
    ]);
  });

  test('fails when replicas and autoscaling are both set, or the preStop pause outlasts the grace period', () => {
    const error = failure({ ...FULL, replicas: 2, preStopSleepSeconds: 30 });
    expect(error.issues.map((i) => i.message)).toEqual([
      `'replicas' (2) is set together with 'autoscaling'; remove replicas (the HorizontalPodAutoscaler owns the count) or autoscaling`,
      `'preStopSleepSeconds' (30) must be < 'terminationGracePeriodSeconds' (30); raise the grace period or shorten the pause`,
    ]);
  });

  test('fails on port clashes, an init container named like the main one, and a label WebService sets itself', () => {
    const error = failure({
      ...FULL,
      additionalPorts: [{ name: 'http', containerPort: 8443 }],
      initContainers: [{ name: 'http' }],
      labels: { 'app.kubernetes.io/name': 'other' },
    });
    expect(error.issues.map((i) => [i.field, i.value])).toEqual([
      ['additionalPorts[0].containerPort', 8443],
      ['additionalPorts[0].name', 'http'],
      ['initContainers[0].name', 'http'],
      ['labels', 'app.kubernetes.io/name'],
    ]);
  });

  test('fails on a secret variable with both or no source, a bad ARN and a bad digest', () => {
    const error = failure({
      ...FULL,
      image: `orders:1.0.0@sha256:abc`,
      secretEnv: {
        BOTH: { kubernetesSecret: { name: 'a', key: 'b' }, awsSecret: { kind: 'ssmparameter', arn: `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/a` } },
        NONE: {},
        PARTIAL: { awsSecret: { kind: 'secretsmanager', arn: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:shop/db` } },
      },
    });
    expect(error.issues.map((i) => i.field)).toEqual(['image', 'secretEnv.BOTH', 'secretEnv.NONE', 'secretEnv.PARTIAL.awsSecret.arn']);
    expect(error.issues[1].message).toBe(
      `'secretEnv.BOTH' (["kubernetesSecret","awsSecret"]) names two sources; give exactly one of kubernetesSecret { name, key } or awsSecret { kind, arn, jsonKey? }`,
    );
  });
});
