/**
 * `WebService`: everything one HTTP service needs in one environment, secure by default.
 * @see docs/kubernetes.md
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ValidationError,
  imageReference,
  isMetricsPort,
  loadBalancerName,
  namespaceName,
  serviceAccountName,
  SERVICE_ACCOUNT_ROLE_ANNOTATION,
  workloadRoleArn,
  type EnvironmentDefinition,
  type ServiceDefinition,
  type SystemDefinition,
} from '../../config';
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
import { baseEgressRules, serviceEgressRules } from '../egress-rules';
import { resolveImageTag } from '../image-tag';
import { ingressClassName } from '../ingress-class';
import { NamespaceBaseline } from '../namespace-baseline';
import { podDisruptionBudget } from '../pod-disruption-budget';
import { secretProviderClassManifest } from '../secret-provider-class';
import { SmokeTestNetworkPolicies } from '../smoke-test-network-policies';
import {
  HTTP_PORT_NAME,
  restrictedPodTemplate,
  restrictedPodTemplatePatches,
  type RestrictedPodTemplateProps,
} from '../pod-template';
import { selectorLabels, serviceLabels, workloadLabels } from '../workload-labels';
import { webServiceInvariantErrors } from '../private/web-service-invariants';

/** Annotation on the ServiceAccount naming the IAM role its pods receive through EKS Pod Identity. */
export const IAM_ROLE_ARN_ANNOTATION = SERVICE_ACCOUNT_ROLE_ANNOTATION;

/** Ingress annotation naming the ALB the AWS Load Balancer Controller creates. */
export const LOAD_BALANCER_NAME_ANNOTATION = 'alb.ingress.kubernetes.io/load-balancer-name';

/** Props of {@link WebService}. */
export interface WebServiceProps {
  /** The system the environment belongs to (names the IAM role). */
  readonly system: SystemDefinition;
  /** The environment the service runs in. */
  readonly environment: EnvironmentDefinition;
  /** The service as this environment runs it. */
  readonly service: ServiceDefinition;
  /**
   * Image tag to run (the commit SHA in CI); `latest` is refused outside development.
   * @default - the service's `image.tag`
   */
  readonly imageTag?: string;
  /**
   * Digest (`sha256:<64 hex>`) the image is pinned to: a release promoted from the environment that
   * verified it (`deploykit synth --image-digests`). The image becomes `<repo>:<tag>@<digest>`.
   * @default - the tag alone
   */
  readonly imageDigest?: string;
  /**
   * Whether this service creates its namespace and the namespace's default-deny NetworkPolicy.
   * Set it to false for the second and later services sharing one namespace.
   * @default true
   */
  readonly createNamespace?: boolean;
}

/**
 * One HTTP service in one environment: Namespace, ServiceAccount (EKS Pod Identity), the
 * SecretProviderClass of its AWS secrets, Deployment,
 * Service, HorizontalPodAutoscaler, PodDisruptionBudget, NetworkPolicies (including those of the
 * pipeline's smoke test) and an ALB Ingress.
 * Every object is a public property: reach an unmodelled field with `addJsonPatch`.
 */
export class WebService extends Construct {
  /** The namespace; undefined when `createNamespace` is false. */
  readonly namespace?: ApiObject;
  /** Denies all ingress and egress in the namespace not allowed by another policy; with the namespace. */
  readonly defaultDenyPolicy?: ApiObject;
  /** The ServiceAccount the pods run as. */
  readonly serviceAccount: ApiObject;
  /**
   * The SecretProviderClass naming the service's AWS secrets (`secretEnv` … `secretsManager` /
   * `ssmParameter`); undefined when it reads none.
   */
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
    const { system, environment: env, service: svc } = props;
    const where = `${env.name}.services.${svc.name}`;
    const tag = resolveImageTag(props);
    const ns = namespaceName(svc);
    // The version label goes only on the Deployment and its pods: on every object it would turn a
    // tag-only release into a change of every object of the service.
    const labels = serviceLabels(system, env, svc);
    const runLabels = workloadLabels(system, env, svc, tag);
    const selector = selectorLabels(env, svc);
    const metadata = (name: string) => ({ name, namespace: ns, labels });
    this.namespaceName = ns;
    this.image = imageReference(env, svc, tag, props.imageDigest);
    this.selectorLabels = selector;

    if (ns === 'default') {
      throw new ValidationError([{ path: where, message: `'namespace' ("default") is refused; give the service its own namespace` }]);
    }
    if (props.createNamespace ?? true) {
      const baseline = new NamespaceBaseline(this, 'NamespaceBaseline', { namespaceName: ns, labels });
      this.namespace = baseline.namespace;
      this.defaultDenyPolicy = baseline.defaultDenyPolicy;
    }

    this.serviceAccount = typedApiObject(this, 'ServiceAccount', KubeServiceAccount, {
      metadata: { ...metadata(serviceAccountName(svc)), annotations: { [IAM_ROLE_ARN_ANNOTATION]: workloadRoleArn(system, env, svc) } },
      automountServiceAccountToken: false,
    });
    const secrets = secretProviderClassManifest(env, svc, labels);
    if (secrets) this.secretProviderClass = new ApiObject(this, 'SecretProviderClass', secrets);

    // Metrics ports admit only the monitoring namespace; the other ports admit the main port's sources.
    const ports = [{ name: HTTP_PORT_NAME, containerPort: svc.containerPort }, ...svc.additionalPorts.filter((p) => !isMetricsPort(p))];
    const metricsPorts = svc.additionalPorts.filter(isMetricsPort);
    const ingressFrom: NetworkPolicyPeer[] = [
      { podSelector: {} },
      ...svc.ingressFromNamespaces.map((name) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } })),
      ...(svc.ingress ? [{ ipBlock: { cidr: env.network.vpcCidr } }] : []),
    ];
    this.ingressPolicy = typedApiObject(this, 'AllowIngress', KubeNetworkPolicy, {
      metadata: metadata(`${svc.name}-allow-ingress`),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress'],
        ingress: [{ from: ingressFrom, ports: ports.map((p) => ({ protocol: 'TCP', port: IntOrString.fromNumber(p.containerPort) })) }],
      },
    });
    if (metricsPorts.length > 0) {
      this.metricsPolicy = typedApiObject(this, 'AllowMetrics', KubeNetworkPolicy, {
        metadata: metadata(`${svc.name}-allow-metrics`),
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': env.observability.monitoringNamespace } } }],
              ports: metricsPorts.map((p) => ({ protocol: 'TCP', port: IntOrString.fromNumber(p.containerPort) })),
            },
          ],
        },
      });
    }
    this.egressPolicy = typedApiObject(this, 'AllowEgress', KubeNetworkPolicy, {
      metadata: metadata(`${svc.name}-allow-egress`),
      spec: { podSelector: { matchLabels: selector }, policyTypes: ['Egress'], egress: [...baseEgressRules(), ...serviceEgressRules(svc)] },
    });
    this.smokeTestPolicies = new SmokeTestNetworkPolicies(this, 'SmokeTest', {
      serviceName: svc.name,
      namespaceName: ns,
      selectorLabels: selector,
      containerPort: svc.containerPort,
      labels,
    });

    this.service = typedApiObject(this, 'Service', KubeService, {
      metadata: metadata(svc.name),
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [{ name: HTTP_PORT_NAME, protocol: 'TCP', port: svc.servicePort, targetPort: IntOrString.fromString(HTTP_PORT_NAME) }],
      },
    });

    const podTemplate: RestrictedPodTemplateProps = { system, environment: env, service: svc, imageTag: tag, imageDigest: props.imageDigest, labels: runLabels };
    this.deployment = typedApiObject(this, 'Deployment', KubeDeployment, {
      metadata: { ...metadata(svc.name), labels: runLabels },
      spec: {
        replicas: svc.autoscaling ? undefined : svc.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: IntOrString.fromNumber(1), maxUnavailable: IntOrString.fromNumber(0) } },
        revisionHistoryLimit: svc.revisionHistoryLimit,
        progressDeadlineSeconds: svc.progressDeadlineSeconds,
        template: restrictedPodTemplate(podTemplate),
      },
    });
    this.deployment.addJsonPatch(...restrictedPodTemplatePatches(podTemplate));

    if (svc.autoscaling) {
      const scaling = svc.autoscaling;
      this.horizontalPodAutoscaler = typedApiObject(this, 'HorizontalPodAutoscaler', KubeHorizontalPodAutoscalerV2, {
        metadata: metadata(svc.name),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: svc.name },
          minReplicas: scaling.minReplicas,
          maxReplicas: scaling.maxReplicas,
          metrics: utilizationMetrics(scaling),
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
              stabilizationWindowSeconds: scaling.scaleDownStabilizationSeconds,
              selectPolicy: 'Max',
              policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
            },
          },
        },
      });
    }

    this.podDisruptionBudget = podDisruptionBudget(this, { name: svc.name, namespaceName: ns, labels, selectorLabels: selector });

    if (svc.ingress) {
      const ing = svc.ingress;
      if (ing.scheme === 'internet-facing' && ing.certificateArn === undefined) {
        throw new ValidationError([
          {
            path: `${where}.ingress`,
            message: `'certificateArn' is not set while 'scheme' is "internet-facing"; add an ACM certificate or use scheme "internal"`,
          },
        ]);
      }
      const tls: Record<string, string> = ing.certificateArn
        ? {
            'alb.ingress.kubernetes.io/certificate-arn': ing.certificateArn,
            'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}, {"HTTPS": 443}]',
            'alb.ingress.kubernetes.io/ssl-redirect': '443',
            'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          }
        : { 'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}]' };
      // With Auto Mode the IngressClass's IngressClassParams fixes the scheme (one class per scheme);
      // the other annotations are honoured by Auto Mode as by the AWS Load Balancer Controller.
      const scheme: Record<string, string> = env.cluster.compute === 'auto-mode' ? {} : { 'alb.ingress.kubernetes.io/scheme': ing.scheme };
      this.ingress = typedApiObject(this, 'Ingress', KubeIngress, {
        metadata: {
          ...metadata(svc.name),
          annotations: {
            ...scheme,
            'alb.ingress.kubernetes.io/target-type': 'ip',
            'alb.ingress.kubernetes.io/healthcheck-path': ing.healthCheckPath ?? svc.health.readinessPath,
            // The 5xx alarm finds the ALB by this name (its ARN exists only once the controller created it).
            ...(env.observability.alarms.enabled ? { [LOAD_BALANCER_NAME_ANNOTATION]: loadBalancerName(system, env, svc) } : {}),
            ...tls,
          },
        },
        spec: {
          ingressClassName: ingressClassName(env, ing.scheme),
          rules: [
            {
              host: ing.host,
              http: {
                paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svc.name, port: { name: HTTP_PORT_NAME } } } }],
              },
            },
          ],
        },
      });
    }

    const minReplicas = svc.autoscaling?.minReplicas ?? svc.replicas ?? 1;
    this.node.addValidation({
      validate: () =>
        webServiceInvariantErrors({
          where,
          deployment: this.deployment.toJson(),
          service: this.service.toJson(),
          podDisruptionBudget: this.podDisruptionBudget.toJson(),
          minReplicas,
        }),
    });
  }
}
