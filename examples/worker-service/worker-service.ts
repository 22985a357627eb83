/**
 * `WorkerService`: a queue worker in one environment. Like deploykit's `WebService` it runs with
 * the restricted security context, requests and limits, spread over zones and nodes, a
 * PodDisruptionBudget and default-deny NetworkPolicies, but it has no Service and accepts no
 * traffic: it pulls work from its SQS queue, scales on CPU, and may reach only DNS, the EKS Pod
 * Identity agent (its AWS credentials) and the SQS endpoint.
 */
import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ConfigError,
  environmentLabels,
  imageReference,
  imageTag,
  namespaceName,
  serviceAccountName,
  truncateName,
  workloadRoleArn,
  type EnvironmentDefinition,
  type ServiceDefinition,
  type SystemDefinition,
} from '../../config';
import { IAM_ROLE_ARN_ANNOTATION, POD_USER_ID, TMP_MOUNT_PATH } from '../../k8s';
import {
  IntOrString,
  KubeDeployment,
  KubeHorizontalPodAutoscalerV2,
  KubeNamespace,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeServiceAccount,
  Quantity,
  typedApiObject,
  type NetworkPolicyEgressRule,
  type Probe,
} from './kube-api';
import { queueUrl } from './naming';

/** Name of the worker container. */
export const WORKER_CONTAINER_NAME = 'worker';
/** Name of the port that serves the worker's health endpoints (the service's `containerPort`). */
export const HEALTH_PORT_NAME = 'health';
/** Environment variable holding the URL of the worker's queue. */
export const QUEUE_URL_ENV = 'QUEUE_URL';
/** Where the EKS Pod Identity agent serves credentials on every node (IPv4, port 80). */
export const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';

/** Props of {@link WorkerService}. */
export interface WorkerServiceProps {
  /** The system the environment belongs to (names the queue and the IAM role). */
  readonly system: SystemDefinition;
  /** The environment the worker runs in. */
  readonly environment: EnvironmentDefinition;
  /**
   * The worker as this environment runs it. `containerPort` serves the `health` endpoints; the
   * HTTP-only fields `ingress`, `ingressFromNamespaces` and `additionalPorts` must be empty.
   */
  readonly service: ServiceDefinition;
  /**
   * Image tag to run (the commit SHA in CI); `latest` is refused outside development.
   * @default - the service's `image.tag`
   */
  readonly imageTag?: string;
  /**
   * Networks the worker reaches SQS in, on HTTPS (443).
   * @default - the environment's VPC CIDR, where the SQS interface endpoint (`SqsEndpoint`) is
   */
  readonly queueEndpointCidrs?: readonly string[];
  /**
   * Whether this worker creates its namespace and the namespace's default-deny NetworkPolicy.
   * Set it to false when another service already created the namespace.
   * @default true
   */
  readonly createNamespace?: boolean;
}

/** One SQS queue worker in one environment: Deployment, HPA, PodDisruptionBudget, NetworkPolicies, ServiceAccount. */
export class WorkerService extends Construct {
  /** The namespace; undefined when `createNamespace` is false. */
  readonly namespace?: ApiObject;
  /** Denies all ingress and egress in the namespace not allowed by another policy; with the namespace. */
  readonly defaultDenyPolicy?: ApiObject;
  /** The ServiceAccount the pods run as. */
  readonly serviceAccount: ApiObject;
  /** Allows egress to DNS, the Pod Identity agent, SQS and the service's `egress` destinations. */
  readonly egressPolicy: ApiObject;
  /** The Deployment. */
  readonly deployment: ApiObject;
  /** The CPU-based HorizontalPodAutoscaler; undefined without `autoscaling`. */
  readonly horizontalPodAutoscaler?: ApiObject;
  /** The PodDisruptionBudget. */
  readonly podDisruptionBudget: ApiObject;
  /** The pod selector (immutable once applied). */
  readonly selectorLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: WorkerServiceProps) {
    super(scope, id);
    const { system, environment: env, service: svc } = props;
    const where = `${env.name}.services.${svc.name}`;
    checkWorkerFields(svc, where);
    const tag = resolveImageTag(props, where);
    const ns = namespaceName(svc);
    const selector = {
      'app.kubernetes.io/name': svc.name,
      'app.kubernetes.io/instance': truncateName(`${svc.name}-${env.name}`, 63),
    };
    const labels = {
      ...selector,
      'app.kubernetes.io/component': 'worker',
      'app.kubernetes.io/version': tag.slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, ''),
      ...environmentLabels(system, env),
    };
    const metadata = (name: string) => ({ name, namespace: ns, labels });
    this.selectorLabels = selector;

    if (props.createNamespace ?? true) {
      const podSecurity = Object.fromEntries(
        ['enforce', 'audit', 'warn'].flatMap((mode) => [
          [`pod-security.kubernetes.io/${mode}`, 'restricted'],
          [`pod-security.kubernetes.io/${mode}-version`, 'latest'],
        ]),
      );
      this.namespace = typedApiObject(this, 'Namespace', KubeNamespace, { metadata: { name: ns, labels: { ...labels, ...podSecurity } } });
      this.defaultDenyPolicy = typedApiObject(this, 'DefaultDeny', KubeNetworkPolicy, {
        metadata: metadata('default-deny'),
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
    }

    this.serviceAccount = typedApiObject(this, 'ServiceAccount', KubeServiceAccount, {
      metadata: { ...metadata(serviceAccountName(svc)), annotations: { [IAM_ROLE_ARN_ANNOTATION]: workloadRoleArn(system, env, svc) } },
      automountServiceAccountToken: false,
    });

    const https = (cidr: string): NetworkPolicyEgressRule => ({
      to: [{ ipBlock: { cidr } }],
      ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(443) }],
    });
    this.egressPolicy = typedApiObject(this, 'AllowEgress', KubeNetworkPolicy, {
      metadata: metadata(`${svc.name}-allow-egress`),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: ['UDP', 'TCP'].map((protocol) => ({ protocol, port: IntOrString.fromNumber(53) })),
          },
          // Without this the AWS SDK cannot fetch the pod's credentials: NetworkPolicies apply to it.
          { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(80) }] },
          ...(props.queueEndpointCidrs ?? [env.network.vpcCidr]).map(https),
          ...svc.egress.map((rule) => ({
            to: [{ ipBlock: { cidr: rule.cidr } }],
            ports: rule.ports.map((port) => ({ protocol: rule.protocol, port: IntOrString.fromNumber(port) })),
          })),
        ],
      },
    });

    this.deployment = typedApiObject(this, 'Deployment', KubeDeployment, {
      metadata: metadata(svc.name),
      spec: {
        replicas: svc.autoscaling ? undefined : svc.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: IntOrString.fromNumber(1), maxUnavailable: IntOrString.fromNumber(0) } },
        revisionHistoryLimit: svc.revisionHistoryLimit,
        progressDeadlineSeconds: svc.progressDeadlineSeconds,
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: serviceAccountName(svc),
            automountServiceAccountToken: false,
            // SIGTERM stops receiving; in-flight messages finish within the grace period or reappear
            // after their visibility timeout. No preStop pause: no load balancer sends to a worker.
            terminationGracePeriodSeconds: svc.terminationGracePeriodSeconds,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: POD_USER_ID,
              runAsGroup: POD_USER_ID,
              fsGroup: POD_USER_ID,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraints: [
              { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector }, matchLabelKeys: ['pod-template-hash'] },
              { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector }, matchLabelKeys: ['pod-template-hash'], nodeTaintsPolicy: 'Honor' },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
            containers: [
              {
                name: WORKER_CONTAINER_NAME,
                image: imageReference(env, svc, tag),
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: HEALTH_PORT_NAME, containerPort: svc.containerPort, protocol: 'TCP' }],
                env: [
                  { name: QUEUE_URL_ENV, value: queueUrl(system, env, svc) },
                  ...Object.entries(svc.env).map(([name, value]) => ({ name, value })),
                  ...Object.entries(svc.secretEnv).map(([name, ref]) => ({
                    name,
                    valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key, optional: false } },
                  })),
                ],
                resources: {
                  requests: { cpu: Quantity.fromString(svc.resources.requests.cpu), memory: Quantity.fromString(svc.resources.requests.memory) },
                  limits: { cpu: Quantity.fromString(svc.resources.limits.cpu), memory: Quantity.fromString(svc.resources.limits.memory) },
                },
                startupProbe: healthProbe(svc.health.startupPath, 5, 24),
                readinessProbe: healthProbe(svc.health.readinessPath, 5, 3),
                livenessProbe: healthProbe(svc.health.livenessPath, 15, 3),
                securityContext: {
                  runAsNonRoot: true,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  privileged: false,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [{ name: 'tmp', mountPath: TMP_MOUNT_PATH }],
              },
            ],
          },
        },
      },
    });

    if (svc.autoscaling) {
      const scaling = svc.autoscaling;
      const utilization = (name: string, averageUtilization: number) => ({
        type: 'Resource',
        resource: { name, target: { type: 'Utilization', averageUtilization } },
      });
      this.horizontalPodAutoscaler = typedApiObject(this, 'HorizontalPodAutoscaler', KubeHorizontalPodAutoscalerV2, {
        metadata: metadata(svc.name),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.name },
          minReplicas: scaling.minReplicas,
          maxReplicas: scaling.maxReplicas,
          metrics: [
            utilization('cpu', scaling.targetCpuUtilizationPercent),
            ...(scaling.targetMemoryUtilizationPercent === undefined ? [] : [utilization('memory', scaling.targetMemoryUtilizationPercent)]),
          ],
          behavior: { scaleDown: { stabilizationWindowSeconds: scaling.scaleDownStabilizationSeconds } },
        },
      });
    }

    this.podDisruptionBudget = typedApiObject(this, 'PodDisruptionBudget', KubePodDisruptionBudget, {
      metadata: metadata(svc.name),
      spec: {
        // One eviction is always allowed: a budget must never block node drains.
        maxUnavailable: IntOrString.fromNumber(1),
        selector: { matchLabels: selector },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}

function healthProbe(path: string, periodSeconds: number, failureThreshold: number): Probe {
  return {
    httpGet: { path, port: IntOrString.fromString(HEALTH_PORT_NAME), scheme: 'HTTP' },
    initialDelaySeconds: 0,
    timeoutSeconds: 2,
    successThreshold: 1,
    periodSeconds,
    failureThreshold,
  };
}

/** A worker takes no traffic: the HTTP-only fields of a service definition must stay empty. */
function checkWorkerFields(svc: ServiceDefinition, where: string): void {
  const issues = [];
  if (svc.ingress) {
    issues.push({ path: `${where}.ingress`, message: `is set, but a worker receives no traffic; remove it or run the service as a WebService` });
  }
  if (svc.ingressFromNamespaces.length > 0) {
    issues.push({
      path: `${where}.ingressFromNamespaces`,
      message: `(${JSON.stringify(svc.ingressFromNamespaces)}) is not empty, but a worker accepts no connections; remove it`,
    });
  }
  if (svc.additionalPorts.length > 0) {
    issues.push({
      path: `${where}.additionalPorts`,
      message: `(${svc.additionalPorts.map((p) => p.name).join(', ')}) is not empty, but a worker declares only its health port ('containerPort'); remove them`,
    });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}

function resolveImageTag(props: WorkerServiceProps, where: string): string {
  const tag = imageTag(props.service, props.imageTag);
  if (tag === undefined) {
    throw new ConfigError([{ path: `${where}.image`, message: `'tag' is not set and no image tag was given; pass --image-tag <commit-sha> or pin image.tag` }]);
  }
  if (tag === 'latest' && props.environment.tier !== 'development') {
    throw new ConfigError([
      {
        path: `${where}.image`,
        message: `'tag' ("latest") is refused in a ${props.environment.tier} environment; pin a release tag or pass --image-tag <commit-sha>`,
      },
    ]);
  }
  return tag;
}
