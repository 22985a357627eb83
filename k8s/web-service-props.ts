/**
 * `webServiceProps()`: the {@link WebServiceProps} of a service definition in one environment, so
 * `WebService` itself needs no definitions. Every name comes from `config/naming.ts`, the image tag
 * is checked by `resolveImageTag()`, and the IngressClass follows the environment's compute mode.
 * @see docs/kubernetes.md
 */
import {
  environmentLabels,
  imageReference,
  loadBalancerName,
  namespaceName,
  workloadRoleArn,
  type EnvironmentDefinition,
  type ServiceDefinition,
  type SystemDefinition,
} from '../config';
import type { WebServiceProps } from './constructs/web-service';
import { resolveImageTag } from './image-tag';
import { ingressClassName } from './ingress-class';
import { secretEnvSources } from './secret-provider-class';
import { INSTANCE_LABEL, selectorLabels } from './workload-labels';

/** Options of {@link webServiceProps}. */
export interface WebServicePropsOptions {
  /** The system the environment belongs to (labels, IAM role and load balancer names). */
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
 * The props `WebService` renders a service definition with: name and namespace
 * (`namespaceName`), the ECR image `<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>[@digest]`
 * with the tag checked by `resolveImageTag`, instance `<service>-<env>`, the environment labels, the
 * workload role (`workloadRoleArn`), the environment's region for AWS secrets and its monitoring
 * namespace, and an Ingress with the VPC CIDR, the IngressClass of the compute mode (Auto Mode: the
 * class fixes the scheme) and, when the environment has alarms, the load balancer name the 5xx
 * alarm looks for.
 * @throws ValidationError at `<env>.services.<service>.image` when no tag is set, or `latest` outside development
 */
export function webServiceProps(options: WebServicePropsOptions): WebServiceProps {
  const { system, environment: env, service: svc } = options;
  const tag = resolveImageTag(options);
  const ingress = svc.ingress;
  return {
    name: svc.name,
    namespace: namespaceName(svc),
    createNamespace: options.createNamespace,
    image: imageReference(env, svc, tag, options.imageDigest),
    containerPort: svc.containerPort,
    servicePort: svc.servicePort,
    additionalPorts: svc.additionalPorts,
    health: {
      readinessPath: svc.health.readinessPath,
      livenessPath: svc.health.livenessPath,
      startupProbe: svc.health.startupProbe,
      startupPath: svc.health.startupPath,
    },
    resources: svc.resources,
    replicas: svc.autoscaling ? undefined : svc.replicas,
    autoscaling: svc.autoscaling,
    env: svc.env,
    secretEnv: secretEnvSources(env, svc),
    awsRegion: env.region,
    initContainers: svc.initContainers,
    egress: svc.egress,
    ingressFromNamespaces: svc.ingressFromNamespaces,
    monitoringNamespace: env.observability.monitoringNamespace,
    ingress: ingress && {
      host: ingress.host,
      vpcCidr: env.network.vpcCidr,
      scheme: ingress.scheme,
      certificateArn: ingress.certificateArn,
      healthCheckPath: ingress.healthCheckPath,
      ingressClassName: ingressClassName(env, ingress.scheme),
      schemeFromIngressClass: env.cluster.compute === 'auto-mode',
      // The 5xx alarm finds the ALB by this name (its ARN exists only once the controller created it).
      loadBalancerName: env.observability.alarms.enabled ? loadBalancerName(system, env, svc) : undefined,
    },
    workloadRoleArn: workloadRoleArn(system, env, svc),
    instance: selectorLabels(env, svc)[INSTANCE_LABEL],
    labels: environmentLabels(system, env),
    terminationGracePeriodSeconds: svc.terminationGracePeriodSeconds,
    preStopSleepSeconds: svc.preStopSleepSeconds,
    preStopHandler: svc.preStopHandler,
    progressDeadlineSeconds: svc.progressDeadlineSeconds,
    revisionHistoryLimit: svc.revisionHistoryLimit,
  };
}
