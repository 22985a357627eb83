/**
 * Escape hatches: setting a field deploykit does not model, on the underlying cdktf resource
 * (`.resource.addOverride`) or the cdk8s object (`.addJsonPatch`). Overrides bypass the typed
 * props and the constructor checks, so wrap each in a small named function like these, and test
 * the output it produces.
 */
import { JsonPatch } from 'cdk8s';
import type { EnvironmentDefinition } from '../../config';
import type { EcrRepository, EksCluster } from '../../infra';
import type { WebService } from '../../k8s';

/**
 * Keeps the cluster on standard support: when its version leaves standard support, EKS upgrades it
 * instead of charging for extended support. Sets `upgrade_policy.support_type = "STANDARD"`.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/view-upgrade-policy.html
 */
export function useStandardSupportOnly(cluster: EksCluster): void {
  cluster.resource.addOverride('upgrade_policy', { support_type: 'STANDARD' });
}

/**
 * Lets `terraform destroy` delete a repository that still holds images (`force_delete = true`),
 * for short-lived development environments. Refused in any other tier: images there are releases.
 */
export function allowForceDelete(repository: EcrRepository, environment: EnvironmentDefinition): void {
  if (environment.tier !== 'development') {
    throw new Error(
      `${environment.name}: allowForceDelete(${JSON.stringify(repository.repositoryName)}) is refused in a ${environment.tier} environment; delete images deliberately, or use it in development only`,
    );
  }
  repository.resource.addOverride('force_delete', true);
}

/**
 * Makes a new pod count as available only after it stayed ready for `seconds`, which slows a
 * rollout of pods that pass readiness and then crash (`spec.minReadySeconds`).
 */
export function setMinReadySeconds(webService: WebService, seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
    throw new Error(`${webService.node.path}: 'seconds' (${seconds}) must be a whole number from 0 to 3600; pick a few seconds, e.g. 10`);
  }
  webService.deployment.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', seconds));
}

/** Runs the service's pods with a PriorityClass (which must exist in the cluster) (`spec.template.spec.priorityClassName`). */
export function setPriorityClass(webService: WebService, priorityClassName: string): void {
  webService.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', priorityClassName));
}
