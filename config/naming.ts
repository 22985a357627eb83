/**
 * Names derived from the environment definitions. Every value that more than one layer needs
 * (Terraform, Kubernetes, pipelines) is computed here, once, so the layers cannot drift apart.
 */
import type { EnvironmentDefinition, ServiceDefinition, SystemDefinition } from './types';

/** Label value for `app.kubernetes.io/managed-by` and the `managed-by` tag. */
export const MANAGED_BY = 'deploykit';

/** Terraform stack name: `<system>-<env>`; also the Kubernetes chart name. */
export function stackName(system: SystemDefinition, env: EnvironmentDefinition): string {
  return `${system.name}-${env.name}`;
}

/** EKS cluster name: the definition's `cluster.name`, else `<system>-<env>`. */
export function clusterName(system: SystemDefinition, env: EnvironmentDefinition): string {
  return env.cluster.name ?? stackName(system, env);
}

/** Terraform state object key: the definition's `state.key`, else `<system>/<env>/terraform.tfstate`. */
export function stateKey(system: SystemDefinition, env: EnvironmentDefinition): string {
  return env.state.key ?? `${system.name}/${env.name}/terraform.tfstate`;
}

/** ECR repository name of a service: `image.repository`, else the service name. */
export function repositoryName(service: ServiceDefinition): string {
  return service.image.repository ?? service.name;
}

/** ECR registry host of an environment: `<account>.dkr.ecr.<region>.amazonaws.com`. */
export function registryHost(env: EnvironmentDefinition): string {
  return `${env.account}.dkr.ecr.${env.region}.amazonaws.com`;
}

/** ECR repository URL of a service in an environment, without a tag. */
export function repositoryUrl(env: EnvironmentDefinition, service: ServiceDefinition): string {
  return `${registryHost(env)}/${repositoryName(service)}`;
}

/**
 * Full image reference `<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`, or with a digest
 * (`sha256:…`, a promoted image) `<repo>:<tag>@sha256:…`: the runtime pulls exactly that digest and
 * the tag stays readable.
 */
export function imageReference(env: EnvironmentDefinition, service: ServiceDefinition, tag: string, digest?: string): string {
  return `${repositoryUrl(env, service)}:${tag}${digest === undefined ? '' : `@${digest}`}`;
}

/** Kubernetes namespace of a service: `namespace`, else the service name. */
export function namespaceName(service: ServiceDefinition): string {
  return service.namespace ?? service.name;
}

/** Kubernetes ServiceAccount the service's pods run as (and the IAM role trusts). */
export function serviceAccountName(service: ServiceDefinition): string {
  return service.name;
}

/** IAM role name the service's workload assumes: `<system>-<env>-<service>` (at most 64 characters). */
export function workloadRoleName(system: SystemDefinition, env: EnvironmentDefinition, service: ServiceDefinition): string {
  return truncateName(`${stackName(system, env)}-${service.name}`, 64);
}

/** IAM role ARN the service's workload assumes, in the environment's account. */
export function workloadRoleArn(system: SystemDefinition, env: EnvironmentDefinition, service: ServiceDefinition): string {
  return `arn:aws:iam::${env.account}:role/${workloadRoleName(system, env, service)}`;
}

/** The image tag a service runs with: the `--image-tag` override, else the definition's `image.tag`. */
export function imageTag(service: ServiceDefinition, override?: string): string | undefined {
  return override ?? service.image.tag;
}

/** Cuts a name to `max` characters, keeping it unique with a short stable hash when it was longer. */
export function truncateName(name: string, max: number): string {
  if (name.length <= max) return name;
  let hash = 0;
  for (const ch of name) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  const suffix = hash.toString(36).slice(0, 6);
  return `${name.slice(0, max - suffix.length - 1)}-${suffix}`;
}

/** Label naming the environment on every Kubernetes object deploykit writes. */
export const ENVIRONMENT_LABEL = 'deploykit.io/environment';

/** Labels every Kubernetes object of an environment carries (the pipeline prunes by them). */
export function environmentLabels(system: SystemDefinition, env: EnvironmentDefinition): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/part-of': system.name,
    [ENVIRONMENT_LABEL]: env.name,
  };
}

/** Label selector of everything deploykit manages in an environment (deploy.sh prunes by it: `kubectl get -l`). */
export function pruneSelector(system: SystemDefinition, env: EnvironmentDefinition): string {
  return Object.entries(environmentLabels(system, env))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/**
 * Label of the pipeline's smoke-test pods (`smoke-test.sh`), with the value {@link SMOKE_TEST_LABEL_VALUE}.
 * The generated NetworkPolicies let pods carrying it resolve names and reach the service's pods on the
 * container port, and let the service's pods accept them; nothing else.
 */
export const SMOKE_TEST_LABEL = 'deploykit.io/smoke-test';

/** Value of {@link SMOKE_TEST_LABEL} on a smoke-test pod. */
export const SMOKE_TEST_LABEL_VALUE = 'true';

/** ServiceAccount annotation holding the ARN of the IAM role its pods assume (`workloadRoleArn`). */
export const SERVICE_ACCOUNT_ROLE_ANNOTATION = 'deploykit.io/iam-role-arn';

/**
 * The three CI identities of an environment, created once per account by `deploykit bootstrap`:
 * - `plan`: read-only; review plans of merge/pull requests and the scheduled drift check.
 * - `apply`: applies the environment's Terraform and the cluster-scoped Kubernetes objects; trusted
 *   only from the default branch (release tags in production).
 * - `deploy`: pushes images and applies the namespaced Kubernetes objects of the service namespaces.
 */
export type CiRoleKind = 'plan' | 'apply' | 'deploy';

/** Every CI identity, in the order the pipeline uses them. */
export const CI_ROLE_KINDS: readonly CiRoleKind[] = ['plan', 'apply', 'deploy'];

/**
 * IAM role name of one of an environment's CI identities: `deploykit-<system>-<env>-<kind>` (at most
 * 64 characters). The `deploykit-` prefix keeps them outside the names the environment's own
 * Terraform may manage ({@link managedRoleNamePrefixes}), so the apply role cannot rewrite itself.
 */
export function ciRoleName(system: SystemDefinition, env: EnvironmentDefinition, kind: CiRoleKind): string {
  return truncateName(`${MANAGED_BY}-${stackName(system, env)}-${kind}`, 64);
}

/** IAM role ARN of one of an environment's CI identities. */
export function ciRoleArn(system: SystemDefinition, env: EnvironmentDefinition, kind: CiRoleKind): string {
  return `arn:aws:iam::${env.account}:role/${ciRoleName(system, env, kind)}`;
}

/** IAM role name the CI deploy jobs (images, namespaced Kubernetes objects) of an environment assume. */
export function ciDeployRoleName(system: SystemDefinition, env: EnvironmentDefinition): string {
  return ciRoleName(system, env, 'deploy');
}

/** IAM role ARN the CI deploy jobs of an environment assume. */
export function ciDeployRoleArn(system: SystemDefinition, env: EnvironmentDefinition): string {
  return ciRoleArn(system, env, 'deploy');
}

/** IAM role name the read-only review plans and drift checks of an environment assume. */
export function ciPlanRoleName(system: SystemDefinition, env: EnvironmentDefinition): string {
  return ciRoleName(system, env, 'plan');
}

/** IAM role ARN the read-only review plans and drift checks of an environment assume. */
export function ciPlanRoleArn(system: SystemDefinition, env: EnvironmentDefinition): string {
  return ciRoleArn(system, env, 'plan');
}

/** IAM role name the Terraform apply jobs of an environment assume. */
export function ciApplyRoleName(system: SystemDefinition, env: EnvironmentDefinition): string {
  return ciRoleName(system, env, 'apply');
}

/** IAM role ARN the Terraform apply jobs of an environment assume. */
export function ciApplyRoleArn(system: SystemDefinition, env: EnvironmentDefinition): string {
  return ciRoleArn(system, env, 'apply');
}

/**
 * Name prefixes of the IAM roles an environment's Terraform creates (cluster, node, flow-log and
 * workload roles): `<system>-<env>-` and `<cluster>-`. The apply role may write IAM roles with these
 * prefixes only, and only with the permissions boundary attached.
 */
export function managedRoleNamePrefixes(system: SystemDefinition, env: EnvironmentDefinition): string[] {
  return [...new Set([`${stackName(system, env)}-`, `${clusterName(system, env)}-`])];
}

/**
 * Name of the permissions boundary every IAM role an environment's Terraform creates must carry:
 * `deploykit-<system>-boundary`, one per account (created by `deploykit bootstrap`).
 */
export function permissionsBoundaryName(system: SystemDefinition): string {
  return truncateName(`${MANAGED_BY}-${system.name}-boundary`, 128);
}

/** ARN of the permissions boundary in an environment's account. */
export function permissionsBoundaryArn(system: SystemDefinition, env: EnvironmentDefinition): string {
  return `arn:aws:iam::${env.account}:policy/${permissionsBoundaryName(system)}`;
}

/** Terraform stack name of an account's bootstrap: `<system>-bootstrap-<account>`. */
export function bootstrapStackName(system: SystemDefinition, account: string): string {
  return `${system.name}-bootstrap-${account}`;
}

/**
 * A component deploykit installs into the cluster itself (not a service of the definitions): the
 * namespace and ServiceAccount its pods run as, which a Pod Identity association in Terraform binds
 * to the component's IAM role.
 */
export interface ClusterComponent {
  /** Namespace the component runs in. */
  readonly namespace: string;
  /** ServiceAccount of its pods. */
  readonly serviceAccount: string;
}

/** The Cluster Autoscaler of compute mode "node-groups". */
export const CLUSTER_AUTOSCALER: ClusterComponent = { namespace: 'kube-system', serviceAccount: 'cluster-autoscaler' };

/** IAM role name of a cluster component, e.g. `<cluster>-cluster-autoscaler` (≤ 64 characters). */
export function clusterComponentRoleName(system: SystemDefinition, env: EnvironmentDefinition, component: ClusterComponent): string {
  return truncateName(`${clusterName(system, env)}-${component.serviceAccount}`, 64);
}

/**
 * IAM role name of the EC2 instances EKS Auto Mode launches from its built-in node pools
 * (`compute_config.node_role_arn`), `<cluster>-auto-node` (inside the managed role prefixes). The
 * account's permissions boundary lets each environment's cluster role pass exactly this role to EC2.
 */
export function autoModeNodeRoleName(system: SystemDefinition, env: EnvironmentDefinition): string {
  return truncateName(`${clusterName(system, env)}-auto-node`, 64);
}

/**
 * The ConfigMap that switches NetworkPolicy enforcement on in an EKS Auto Mode cluster (Auto Mode
 * nodes ignore the `vpc-cni` add-on's `enableNetworkPolicy`): the Kubernetes layer renders it, the
 * check rule DK-X-010 looks for it.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html
 */
export const AUTO_MODE_NETWORK_POLICY_CONFIG_MAP = {
  namespace: 'kube-system',
  name: 'amazon-vpc-cni',
  key: 'enable-network-policy-controller',
  value: 'true',
} as const;

/**
 * Label on every object of a cluster component, with the component's ServiceAccount name as value
 * (e.g. `cluster-autoscaler`). `deploykit check` accepts deploykit objects in a system namespace only
 * when they carry it for a component of {@link CLUSTER_COMPONENTS} living there.
 */
export const CLUSTER_COMPONENT_LABEL = 'deploykit.io/cluster-component';

/** Every cluster component deploykit may install. */
export const CLUSTER_COMPONENTS: readonly ClusterComponent[] = [CLUSTER_AUTOSCALER];

/** IAM role ARN of a cluster component in the environment's account. */
export function clusterComponentRoleArn(system: SystemDefinition, env: EnvironmentDefinition, component: ClusterComponent): string {
  return `arn:aws:iam::${env.account}:role/${clusterComponentRoleName(system, env, component)}`;
}

/**
 * The CloudWatch agent of the Amazon CloudWatch Observability EKS add-on (Container Insights): the
 * add-on runs it (and Fluent Bit) in `amazon-cloudwatch` as ServiceAccount `cloudwatch-agent`.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/install-CloudWatch-Observability-EKS-addon.html
 */
export const CLOUDWATCH_AGENT: ClusterComponent = { namespace: 'amazon-cloudwatch', serviceAccount: 'cloudwatch-agent' };

/** The Container Insights log groups the CloudWatch Observability add-on writes to, by their last path segment. */
export const CONTAINER_INSIGHTS_LOG_GROUPS = ['application', 'dataplane', 'host', 'performance'] as const;

/** A Container Insights log group of a cluster: `/aws/containerinsights/<cluster>/<kind>`. */
export function containerInsightsLogGroupName(system: SystemDefinition, env: EnvironmentDefinition, kind: (typeof CONTAINER_INSIGHTS_LOG_GROUPS)[number]): string {
  return `/aws/containerinsights/${clusterName(system, env)}/${kind}`;
}

/**
 * Name of the ALB the AWS Load Balancer Controller creates for a service's Ingress when the service has
 * alarms: `<system>-<env>-<service>`, cut to the 32 characters ELB allows (a short hash keeps it unique;
 * `alb-` goes in front of a name that would start with `internal-`).
 * The Ingress sets it (`alb.ingress.kubernetes.io/load-balancer-name`) and the 5xx alarm selects the
 * load balancer by it, since the ALB's ARN exists only after the controller created it.
 */
export function loadBalancerName(system: SystemDefinition, env: EnvironmentDefinition, service: ServiceDefinition): string {
  // ELB refuses names starting with "internal-" (its own prefix for internal load balancers' DNS names).
  const name = `${stackName(system, env)}-${service.name}`;
  return truncateName(name.startsWith('internal-') ? `alb-${name}` : name, 32);
}

/** A container port of a service beyond the main one. */
export type AdditionalPort = ServiceDefinition['additionalPorts'][number];

/** Whether a port serves metrics: its `metrics` flag, else whether it is named `metrics`. */
export function isMetricsPort(port: AdditionalPort): boolean {
  return port.metrics ?? port.name === 'metrics';
}

/** The metrics ports of a service (reachable only from the monitoring namespace). */
export function metricsPorts(service: ServiceDefinition): AdditionalPort[] {
  return service.additionalPorts.filter(isMetricsPort);
}
