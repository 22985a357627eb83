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

/** Full image reference `<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>`. */
export function imageReference(env: EnvironmentDefinition, service: ServiceDefinition, tag: string): string {
  return `${repositoryUrl(env, service)}:${tag}`;
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

/** IAM role name the CI deploy jobs of an environment assume: `<system>-<env>-ci-deploy`. */
export function ciDeployRoleName(system: SystemDefinition, env: EnvironmentDefinition): string {
  return truncateName(`${stackName(system, env)}-ci-deploy`, 64);
}

/** IAM role ARN the CI deploy jobs of an environment assume. */
export function ciDeployRoleArn(system: SystemDefinition, env: EnvironmentDefinition): string {
  return `arn:aws:iam::${env.account}:role/${ciDeployRoleName(system, env)}`;
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

/** Label selector of everything deploykit manages in an environment (for `kubectl apply --prune -l`). */
export function pruneSelector(system: SystemDefinition, env: EnvironmentDefinition): string {
  return Object.entries(environmentLabels(system, env))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** ServiceAccount annotation holding the ARN of the IAM role its pods assume (`workloadRoleArn`). */
export const SERVICE_ACCOUNT_ROLE_ANNOTATION = 'deploykit.io/iam-role-arn';

/**
 * IAM role name the read-only review plans of merge/pull requests assume for an environment:
 * `<system>-<env>-ci-plan` (at most 64 characters).
 */
export function ciPlanRoleName(system: SystemDefinition, env: EnvironmentDefinition): string {
  return truncateName(`${stackName(system, env)}-ci-plan`, 64);
}

/** IAM role ARN the read-only review plans of an environment assume. */
export function ciPlanRoleArn(system: SystemDefinition, env: EnvironmentDefinition): string {
  return `arn:aws:iam::${env.account}:role/${ciPlanRoleName(system, env)}`;
}
