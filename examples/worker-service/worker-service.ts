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
  ValidationError,
  namespaceName,
  serviceAccountName,
  workloadRoleArn,
  type EnvironmentDefinition,
  type ServiceDefinition,
  type SystemDefinition,
} from '../../config';
import {
  baseEgressRules,
  IAM_ROLE_ARN_ANNOTATION,
  IntOrString,
  KubeDeployment,
  KubeHorizontalPodAutoscalerV2,
  KubeNetworkPolicy,
  KubeServiceAccount,
  NamespaceBaseline,
  podDisruptionBudget,
  resolveImageTag,
  restrictedPodTemplate,
  selectorLabels,
  serviceEgressRules,
  serviceLabels,
  typedApiObject,
  utilizationMetrics,
  workloadLabels,
  type NetworkPolicyEgressRule,
} from '../../k8s';
import { queueUrl } from './naming';

/** Name of the worker container. */
export const WORKER_CONTAINER_NAME = 'worker';
/** Name of the port that serves the worker's health endpoints (the service's `containerPort`). */
export const HEALTH_PORT_NAME = 'health';
/** Environment variable holding the URL of the worker's queue. */
export const QUEUE_URL_ENV = 'QUEUE_URL';

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
    const tag = resolveImageTag(props);
    const ns = namespaceName(svc);
    const selector = selectorLabels(env, svc);
    // Selector labels, then the component, then environment labels; the version label only on the
    // Deployment and its pods, so a tag-only release changes only them.
    const labels = { ...selector, 'app.kubernetes.io/component': 'worker', ...serviceLabels(system, env, svc) };
    const runLabels = { ...selector, 'app.kubernetes.io/component': 'worker', ...workloadLabels(system, env, svc, tag) };
    const metadata = (name: string) => ({ name, namespace: ns, labels });
    this.selectorLabels = selector;

    if (props.createNamespace ?? true) {
      const baseline = new NamespaceBaseline(this, 'NamespaceBaseline', { namespaceName: ns, labels });
      this.namespace = baseline.namespace;
      this.defaultDenyPolicy = baseline.defaultDenyPolicy;
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
        // DNS and the Pod Identity agent (the worker's AWS credentials), SQS, then the service's destinations.
        egress: [...baseEgressRules(), ...(props.queueEndpointCidrs ?? [env.network.vpcCidr]).map(https), ...serviceEgressRules(svc)],
      },
    });

    this.deployment = typedApiObject(this, 'Deployment', KubeDeployment, {
      metadata: { ...metadata(svc.name), labels: runLabels },
      spec: {
        replicas: svc.autoscaling ? undefined : svc.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: IntOrString.fromNumber(1), maxUnavailable: IntOrString.fromNumber(0) } },
        revisionHistoryLimit: svc.revisionHistoryLimit,
        progressDeadlineSeconds: svc.progressDeadlineSeconds,
        // SIGTERM stops receiving; in-flight messages finish within the grace period or reappear
        // after their visibility timeout. No preStop pause: no load balancer sends to a worker.
        template: restrictedPodTemplate({
          system,
          environment: env,
          service: svc,
          imageTag: tag,
          labels: runLabels,
          containerName: WORKER_CONTAINER_NAME,
          portName: HEALTH_PORT_NAME,
          additionalEnv: [{ name: QUEUE_URL_ENV, value: queueUrl(system, env, svc) }],
          preStop: false,
        }),
      },
    });

    if (svc.autoscaling) {
      const scaling = svc.autoscaling;
      this.horizontalPodAutoscaler = typedApiObject(this, 'HorizontalPodAutoscaler', KubeHorizontalPodAutoscalerV2, {
        metadata: metadata(svc.name),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.name },
          minReplicas: scaling.minReplicas,
          maxReplicas: scaling.maxReplicas,
          metrics: utilizationMetrics(scaling),
          behavior: { scaleDown: { stabilizationWindowSeconds: scaling.scaleDownStabilizationSeconds } },
        },
      });
    }

    this.podDisruptionBudget = podDisruptionBudget(this, { name: svc.name, namespaceName: ns, labels, selectorLabels: selector });
  }
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
  if (issues.length > 0) throw new ValidationError(issues);
}
