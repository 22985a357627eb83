/**
 * `WebService`: everything one HTTP service needs in one namespace, secure by default, from plain
 * values. `webServiceProps()` (k8s/web-service-props.ts) derives the props from a service definition.
 * @see docs/kubernetes.md
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { awsSecretsObjectName } from '../../config/secret-references';
import { SERVICE_ACCOUNT_ROLE_ANNOTATION, isMetricsPort } from '../../config/naming';
import { throwIfInvalidProps } from '../../config/validation-error';
import {
  IntOrString,
  KubeDeployment,
  KubeHorizontalPodAutoscalerV2,
  KubeIngress,
  KubeNetworkPolicy,
  KubeService,
  KubeServiceAccount,
  type NetworkPolicyPeer,
  typedApiObject,
} from '../kube-api';
import { utilizationMetrics } from '../autoscaling-metrics';
import { baseEgressRules, egressRules, type EgressDestination } from '../egress-rules';
import { LOAD_BALANCER_CONTROLLER_INGRESS_CLASS, type AlbScheme } from '../ingress-class';
import { NamespaceBaseline } from '../namespace-baseline';
import { podDisruptionBudget } from '../pod-disruption-budget';
import { HTTP_PORT_NAME, plainEnvVars, restrictedPod, restrictedPodPatches, type ContainerResources, type ProbeTiming, type RestrictedPodProps } from '../restricted-pod';
import { awsSecretProviderClass, awsSecretReferencesOf, awsSecretsVolume, secretEnvVarsOf, type SecretEnvSource } from '../secret-provider-class';
import { SmokeTestNetworkPolicies } from '../smoke-test-network-policies';
import { WEB_SERVICE_DEFAULTS } from '../web-service-defaults';
import { INSTANCE_LABEL, NAME_LABEL, VERSION_LABEL, versionLabelValue } from '../workload-labels';
import { imageTagOf, webServicePropIssues } from '../private/web-service-prop-issues';
import { webServiceInvariantErrors } from '../private/web-service-invariants';

/** Annotation on the ServiceAccount naming the IAM role its pods receive through EKS Pod Identity. */
export const IAM_ROLE_ARN_ANNOTATION = SERVICE_ACCOUNT_ROLE_ANNOTATION;

/** Ingress annotation naming the ALB the AWS Load Balancer Controller creates. */
export const LOAD_BALANCER_NAME_ANNOTATION = 'alb.ingress.kubernetes.io/load-balancer-name';

/** A named container port beyond the main one. */
export interface WebServicePort {
  /** Port name (IANA service name: at most 15 lowercase letters, digits and `-`), unique in the pod and not "http". */
  readonly name: string;
  /** Port number, 1–65535. */
  readonly containerPort: number;
  /**
   * Whether the port serves metrics: reachable only from `monitoringNamespace`, never from the main
   * port's sources.
   * @default - true when the port is named "metrics", else false
   */
  readonly metrics?: boolean;
}

/** The HTTP health endpoints of the container and when they are probed. */
export interface WebServiceHealth {
  /**
   * HTTP path of the readiness probe; may check dependencies.
   * @default "/readyz"
   */
  readonly readinessPath?: string;
  /**
   * HTTP path of the liveness probe; should check only the process.
   * @default "/livez"
   */
  readonly livenessPath?: string;
  /**
   * Whether the container has a startup probe, which holds off the liveness probe while it starts.
   * @default true
   */
  readonly startupProbe?: boolean;
  /**
   * HTTP path of the startup probe (only with `startupProbe`).
   * @default - the readiness path
   */
  readonly startupPath?: string;
  /**
   * Timing of the readiness probe.
   * @default { periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 2, initialDelaySeconds: 0 }
   */
  readonly readinessTiming?: ProbeTiming;
  /**
   * Timing of the liveness probe.
   * @default { periodSeconds: 15, failureThreshold: 3, timeoutSeconds: 2, initialDelaySeconds: 0 }
   */
  readonly livenessTiming?: ProbeTiming;
  /**
   * Timing of the startup probe: the container has `periodSeconds × failureThreshold` to start.
   * @default { periodSeconds: 5, failureThreshold: 24, timeoutSeconds: 2, initialDelaySeconds: 0 } (2 minutes)
   */
  readonly startupTiming?: ProbeTiming;
}

/** HorizontalPodAutoscaler bounds and targets; with them the HPA owns the replica count. */
export interface WebServiceAutoscaling {
  /** Fewest replicas (1–1000). */
  readonly minReplicas: number;
  /** Most replicas (1–1000, ≥ minReplicas). */
  readonly maxReplicas: number;
  /**
   * Average CPU utilisation to aim for, in percent of the CPU request (1–100).
   * @default 50
   */
  readonly targetCpuUtilizationPercent?: number;
  /**
   * Average memory utilisation to aim for, in percent of the memory request (1–100).
   * @default - memory is not a scaling metric
   */
  readonly targetMemoryUtilizationPercent?: number;
  /**
   * Seconds the HPA waits after load dropped before it scales down (0–3600).
   * @default 300
   */
  readonly scaleDownStabilizationSeconds?: number;
}

/** A container run to completion before the service's container, with the service's image. */
export interface WebServiceInitContainer {
  /** Container name (DNS-1123 label), unique in the pod and not "http". */
  readonly name: string;
  /**
   * Executable and arguments, replacing the image's ENTRYPOINT.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: readonly string[];
  /**
   * Arguments, replacing the image's CMD.
   * @default - the image's CMD
   */
  readonly args?: readonly string[];
  /**
   * Variables added to the service's `env` (same name: this value wins); `secretEnv` is passed too.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Requests and limits.
   * @default - the service's resources
   */
  readonly resources?: ContainerResources;
}

/** An ALB Ingress in front of the service. */
export interface WebServiceIngress {
  /** Host name the ALB routes to the service, e.g. `www.example.com`. */
  readonly host: string;
  /**
   * The VPC's CIDR: the ALB reaches the pods from addresses in it (target type `ip`), so the ingress
   * NetworkPolicy admits it.
   */
  readonly vpcCidr: string;
  /**
   * ALB scheme.
   * @default "internal"
   */
  readonly scheme?: AlbScheme;
  /**
   * ACM certificate ARN for HTTPS (HTTP redirects to HTTPS, TLS 1.3/1.2 policy). Required when the
   * scheme is "internet-facing".
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /**
   * Path of the ALB target health check.
   * @default - the readiness path
   */
  readonly healthCheckPath?: string;
  /**
   * IngressClass the Ingress names.
   * @default "alb" (the AWS Load Balancer Controller's); with EKS Auto Mode use an AutoModeIngressClass's name
   */
  readonly ingressClassName?: string;
  /**
   * Whether the IngressClass's parameters fix the scheme (EKS Auto Mode's IngressClassParams, see
   * `AutoModeIngressClass`): the Ingress then carries no `alb.ingress.kubernetes.io/scheme` annotation.
   * @default false
   */
  readonly schemeFromIngressClass?: boolean;
  /**
   * Name of the ALB (at most 32 letters, digits and `-`, not starting with `internal-`), e.g. for an
   * alarm that finds it by name.
   * @default - the controller names it
   */
  readonly loadBalancerName?: string;
}

/** Props of {@link WebService}: plain values, no environment definitions needed. */
export interface WebServiceProps {
  /**
   * Name of the service (DNS-1123 label): the Deployment, Service, ServiceAccount, HPA, PDB and
   * Ingress are called so, the NetworkPolicies `<name>-allow-…`, and it is the `app.kubernetes.io/name` label.
   */
  readonly name: string;
  /**
   * Namespace of every object (DNS-1123 label); never `default` or a `kube-` namespace.
   * @default - the name
   */
  readonly namespace?: string;
  /**
   * Whether this service creates its namespace (restricted Pod Security) and the namespace's
   * default-deny NetworkPolicy. Set it to false for the second and later services sharing one namespace.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * The full image reference `<repository>:<tag>`, optionally pinned `<repository>:<tag>@sha256:<digest>`
   * (the runtime pulls exactly the digest, the tag stays readable). A tag is required: it is the version label.
   * Pulled `IfNotPresent`, so use immutable tags.
   */
  readonly image: string;
  /**
   * Port the container listens on (1–65535); below 1024 the pod lowers its first unprivileged port.
   * @default 8080
   */
  readonly containerPort?: number;
  /**
   * Port the ClusterIP Service exposes (1–65535).
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * Further named container ports. Metrics ports admit only `monitoringNamespace`; the others the
   * main port's sources.
   * @default []
   */
  readonly additionalPorts?: readonly WebServicePort[];
  /**
   * HTTP health endpoints and probe timing.
   * @default - readiness /readyz, liveness /livez, startup probe on the readiness path
   */
  readonly health?: WebServiceHealth;
  /** CPU and memory requests and limits of the container (requests ≤ limits). */
  readonly resources: ContainerResources;
  /**
   * Fixed replica count (1–1000); not with `autoscaling`.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * HorizontalPodAutoscaler bounds and targets; when set, the HPA owns the replica count.
   * @default - fixed `replicas`
   */
  readonly autoscaling?: WebServiceAutoscaling;
  /**
   * Plain environment variables, in order. Never put secrets here; use `secretEnv`.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Variables read by reference, in order: a Kubernetes Secret's key, or an AWS secret delivered by the
   * Secrets Store CSI Driver through a SecretProviderClass `<name>-aws-secrets` (needs `awsRegion`).
   * @default {}
   */
  readonly secretEnv?: Readonly<Record<string, SecretEnvSource>>;
  /**
   * AWS region the Secrets Store CSI Driver's AWS provider reads `secretEnv`'s AWS secrets in.
   * Required when `secretEnv` has an AWS secret.
   * @default - none
   */
  readonly awsRegion?: string;
  /**
   * Containers run in order, each to completion, before the service's container (e.g. migrations).
   * @default []
   */
  readonly initContainers?: readonly WebServiceInitContainer[];
  /**
   * Destinations the pods may reach besides DNS and the EKS Pod Identity agent.
   * @default [] (DNS and credentials only)
   */
  readonly egress?: readonly EgressDestination[];
  /**
   * Namespaces whose pods may reach the service's ports, besides its own.
   * @default []
   */
  readonly ingressFromNamespaces?: readonly string[];
  /**
   * Namespace whose pods may scrape the metrics ports.
   * @default "amazon-cloudwatch"
   */
  readonly monitoringNamespace?: string;
  /**
   * An ALB Ingress in front of the service.
   * @default - not exposed outside the cluster
   */
  readonly ingress?: WebServiceIngress;
  /**
   * IAM role ARN the pods' ServiceAccount is bound to through an EKS Pod Identity association (made
   * outside Kubernetes, e.g. in Terraform); written as the `deploykit.io/iam-role-arn` annotation.
   * @default - no annotation
   */
  readonly workloadRoleArn?: string;
  /**
   * Value of the `app.kubernetes.io/instance` label, part of the immutable pod selector.
   * @default - the name
   */
  readonly instance?: string;
  /**
   * Labels of every object, after the selector labels (e.g. the environment labels a pipeline prunes by).
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Seconds Kubernetes waits for the pod to stop (1–3600).
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Seconds the preStop hook pauses so load balancers deregister the pod first (0–600, below the grace
   * period); 0 for no hook.
   * @default 5
   */
  readonly preStopSleepSeconds?: number;
  /**
   * How the pause runs: "sleep" is the kubelet's sleep action (Kubernetes ≥ 1.30); "exec" runs
   * `/bin/sleep` in the container (the image must ship it).
   * @default "sleep"
   */
  readonly preStopHandler?: 'sleep' | 'exec';
  /**
   * Seconds a rollout may stall before it is failed (30–3600).
   * @default 300
   */
  readonly progressDeadlineSeconds?: number;
  /**
   * Old ReplicaSets kept for rollback (1–50).
   * @default 5
   */
  readonly revisionHistoryLimit?: number;
}

/**
 * One HTTP service: Namespace, ServiceAccount (EKS Pod Identity), the SecretProviderClass of its AWS
 * secrets, Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicies
 * (including those of the pipeline's smoke test) and an ALB Ingress.
 * Every object is a public property: reach an unmodelled field with `addJsonPatch`.
 * @throws ValidationError listing every invalid prop
 */
export class WebService extends Construct {
  /** The namespace; undefined when `createNamespace` is false. */
  readonly namespace?: ApiObject;
  /** Denies all ingress and egress in the namespace not allowed by another policy; with the namespace. */
  readonly defaultDenyPolicy?: ApiObject;
  /** The ServiceAccount the pods run as. */
  readonly serviceAccount: ApiObject;
  /** The SecretProviderClass naming the service's AWS secrets; undefined when it reads none. */
  readonly secretProviderClass?: ApiObject;
  /** Allows ingress to the service's main port and its other non-metrics ports. */
  readonly ingressPolicy: ApiObject;
  /**
   * Allows ingress to the service's metrics ports from the monitoring namespace only; undefined
   * without metrics ports.
   */
  readonly metricsPolicy?: ApiObject;
  /** Allows egress to DNS and the service's destinations. */
  readonly egressPolicy: ApiObject;
  /** Lets the pipeline's smoke-test pods reach the service's pods on the container port (and DNS). */
  readonly smokeTestPolicies: SmokeTestNetworkPolicies;
  /** The ClusterIP Service. */
  readonly service: ApiObject;
  /** The Deployment. */
  readonly deployment: ApiObject;
  /** The HorizontalPodAutoscaler; undefined without `autoscaling`. */
  readonly horizontalPodAutoscaler?: ApiObject;
  /** The PodDisruptionBudget. */
  readonly podDisruptionBudget: ApiObject;
  /** The ALB Ingress; undefined without `ingress`. */
  readonly ingress?: ApiObject;
  /** Namespace of every namespaced object. */
  readonly namespaceName: string;
  /** The image the Deployment runs. */
  readonly image: string;
  /** The pod selector (immutable once applied). */
  readonly selectorLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    throwIfInvalidProps(this, webServicePropIssues(this, props));
    const D = WEB_SERVICE_DEFAULTS;
    const name = props.name;
    const ns = props.namespace ?? name;
    const containerPort = props.containerPort ?? D.containerPort;
    const additionalPorts = props.additionalPorts ?? [];
    const readinessPath = props.health?.readinessPath ?? D.readinessPath;
    const selector = { [NAME_LABEL]: name, [INSTANCE_LABEL]: props.instance ?? name };
    // The version label goes only on the Deployment and its pods: on every object it would turn a
    // tag-only release into a change of every object of the service.
    const labels = { ...selector, ...props.labels };
    const runLabels = { ...selector, [VERSION_LABEL]: versionLabelValue(imageTagOf(props.image)!), ...props.labels };
    const metadata = (objectName: string) => ({ name: objectName, namespace: ns, labels });
    this.namespaceName = ns;
    this.image = props.image;
    this.selectorLabels = selector;

    if (props.createNamespace ?? true) {
      const baseline = new NamespaceBaseline(this, 'NamespaceBaseline', { namespaceName: ns, labels });
      this.namespace = baseline.namespace;
      this.defaultDenyPolicy = baseline.defaultDenyPolicy;
    }

    this.serviceAccount = typedApiObject(this, 'ServiceAccount', KubeServiceAccount, {
      metadata: {
        ...metadata(name),
        annotations: props.workloadRoleArn === undefined ? undefined : { [IAM_ROLE_ARN_ANNOTATION]: props.workloadRoleArn },
      },
      automountServiceAccountToken: false,
    });
    const secretEnv = props.secretEnv ?? {};
    const awsSecrets = awsSecretReferencesOf(secretEnv);
    const secretsName = awsSecretsObjectName({ name });
    const secrets = awsSecretProviderClass({ name: secretsName, namespaceName: ns, region: props.awsRegion ?? '', references: awsSecrets, labels });
    if (secrets) this.secretProviderClass = new ApiObject(this, 'SecretProviderClass', secrets);

    // Metrics ports admit only the monitoring namespace; the other ports admit the main port's sources.
    const ports = [{ name: HTTP_PORT_NAME, containerPort }, ...additionalPorts.filter((p) => !isMetricsPort(p))];
    const metricsPorts = additionalPorts.filter(isMetricsPort);
    const ingressFrom: NetworkPolicyPeer[] = [
      { podSelector: {} },
      ...(props.ingressFromNamespaces ?? []).map((from) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': from } } })),
      ...(props.ingress ? [{ ipBlock: { cidr: props.ingress.vpcCidr } }] : []),
    ];
    this.ingressPolicy = typedApiObject(this, 'AllowIngress', KubeNetworkPolicy, {
      metadata: metadata(`${name}-allow-ingress`),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [{ from: ingressFrom, ports: ports.map((p) => ({ protocol: 'TCP', port: IntOrString.fromNumber(p.containerPort) })) }],
      },
    });
    if (metricsPorts.length > 0) {
      this.metricsPolicy = typedApiObject(this, 'AllowMetrics', KubeNetworkPolicy, {
        metadata: metadata(`${name}-allow-metrics`),
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.monitoringNamespace ?? D.monitoringNamespace } } }],
              ports: metricsPorts.map((p) => ({ protocol: 'TCP', port: IntOrString.fromNumber(p.containerPort) })),
            },
          ],
        },
      });
    }
    this.egressPolicy = typedApiObject(this, 'AllowEgress', KubeNetworkPolicy, {
      metadata: metadata(`${name}-allow-egress`),
      spec: { podSelector: { matchLabels: selector }, policyTypes: ['Egress'], egress: [...baseEgressRules(), ...egressRules(props.egress ?? [])] },
    });
    this.smokeTestPolicies = new SmokeTestNetworkPolicies(this, 'SmokeTest', {
      serviceName: name,
      namespaceName: ns,
      selectorLabels: selector,
      containerPort,
      labels,
    });

    this.service = typedApiObject(this, 'Service', KubeService, {
      metadata: metadata(name),
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: HTTP_PORT_NAME, protocol: 'TCP', port: props.servicePort ?? D.servicePort, targetPort: IntOrString.fromString(HTTP_PORT_NAME) }],
      },
    });

    const env = props.env ?? {};
    const secretEnvVars = secretEnvVarsOf(secretEnv, secretsName);
    const volume = awsSecrets.length > 0 ? awsSecretsVolume(secretsName) : { volumes: [], volumeMounts: [] };
    const health = props.health ?? {};
    const pod: RestrictedPodProps = {
      labels: runLabels,
      selectorLabels: selector,
      serviceAccountName: name,
      image: props.image,
      containerName: HTTP_PORT_NAME,
      portName: HTTP_PORT_NAME,
      containerPort,
      additionalPorts,
      env: [...plainEnvVars(env), ...secretEnvVars],
      resources: props.resources,
      initContainers: (props.initContainers ?? []).map((init) => ({
        name: init.name,
        command: init.command,
        args: init.args,
        env: [...plainEnvVars({ ...env, ...init.env }), ...secretEnvVars],
        resources: init.resources ?? props.resources,
      })),
      volumes: volume.volumes,
      volumeMounts: volume.volumeMounts,
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? D.terminationGracePeriodSeconds,
      health: {
        readinessPath,
        livenessPath: health.livenessPath ?? D.livenessPath,
        startupPath: (health.startupProbe ?? true) ? (health.startupPath ?? readinessPath) : undefined,
        readinessTiming: health.readinessTiming,
        livenessTiming: health.livenessTiming,
        startupTiming: health.startupTiming,
      },
      preStopSleepSeconds: props.preStopSleepSeconds ?? D.preStopSleepSeconds,
      preStopHandler: props.preStopHandler ?? D.preStopHandler,
    };
    this.deployment = typedApiObject(this, 'Deployment', KubeDeployment, {
      metadata: { ...metadata(name), labels: runLabels },
      spec: {
        replicas: props.autoscaling ? undefined : (props.replicas ?? D.replicas),
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: IntOrString.fromNumber(1), maxUnavailable: IntOrString.fromNumber(0) } },
        revisionHistoryLimit: props.revisionHistoryLimit ?? D.revisionHistoryLimit,
        progressDeadlineSeconds: props.progressDeadlineSeconds ?? D.progressDeadlineSeconds,
        template: restrictedPod(pod),
      },
    });
    this.deployment.addJsonPatch(...restrictedPodPatches(pod));

    if (props.autoscaling) {
      const scaling = props.autoscaling;
      this.horizontalPodAutoscaler = typedApiObject(this, 'HorizontalPodAutoscaler', KubeHorizontalPodAutoscalerV2, {
        metadata: metadata(name),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
          minReplicas: scaling.minReplicas,
          maxReplicas: scaling.maxReplicas,
          metrics: utilizationMetrics({
            targetCpuUtilizationPercent: scaling.targetCpuUtilizationPercent ?? D.targetCpuUtilizationPercent,
            targetMemoryUtilizationPercent: scaling.targetMemoryUtilizationPercent,
          }),
          behavior: {
            scaleUp: {
              stabilizationWindowSeconds: 0,
              selectPolicy: 'Max',
              policies: [
                { type: 'Percent', value: 100, periodSeconds: 60 },
                { type: 'Pods', value: 4, periodSeconds: 60 },
              ],
            },
            scaleDown: {
              stabilizationWindowSeconds: scaling.scaleDownStabilizationSeconds ?? D.scaleDownStabilizationSeconds,
              selectPolicy: 'Max',
              policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
            },
          },
        },
      });
    }

    this.podDisruptionBudget = podDisruptionBudget(this, { name, namespaceName: ns, labels, selectorLabels: selector });

    if (props.ingress) {
      const ing = props.ingress;
      const scheme = ing.scheme ?? 'internal';
      const tls: Record<string, string> = ing.certificateArn
        ? {
            'alb.ingress.kubernetes.io/certificate-arn': ing.certificateArn,
            'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
            'alb.ingress.kubernetes.io/ssl-redirect': '443',
            'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          }
        : { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}]' };
      this.ingress = typedApiObject(this, 'Ingress', KubeIngress, {
        metadata: {
          ...metadata(name),
          annotations: {
            // With Auto Mode the IngressClass's IngressClassParams fixes the scheme (one class per scheme);
            // the other annotations are honoured by Auto Mode as by the AWS Load Balancer Controller.
            ...(ing.schemeFromIngressClass ? {} : { 'alb.ingress.kubernetes.io/scheme': scheme }),
            'alb.ingress.kubernetes.io/target-type': 'ip',
            'alb.ingress.kubernetes.io/healthcheck-path': ing.healthCheckPath ?? readinessPath,
            ...(ing.loadBalancerName === undefined ? {} : { [LOAD_BALANCER_NAME_ANNOTATION]: ing.loadBalancerName }),
            ...tls,
          },
        },
        spec: {
          ingressClassName: ing.ingressClassName ?? LOAD_BALANCER_CONTROLLER_INGRESS_CLASS,
          rules: [
            {
              host: ing.host,
              http: {
                paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: HTTP_PORT_NAME } } } }],
              },
            },
          ],
        },
      });
    }

    const minReplicas = props.autoscaling?.minReplicas ?? props.replicas ?? D.replicas;
    this.node.addValidation({
      validate: () =>
        webServiceInvariantErrors({
          deployment: this.deployment.toJson(),
          service: this.service.toJson(),
          podDisruptionBudget: this.podDisruptionBudget.toJson(),
          minReplicas,
        }),
    });
  }
}
