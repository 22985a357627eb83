import { readsAwsSecrets, type EnvironmentDefinition } from '../config';

/**
 * Kinds `deploy.sh --scope namespaces` may prune (delete) when they disappear from an environment's output. Only
 * namespaced kinds deploykit writes; never Namespaces (pruning one deletes everything in it) nor
 * cluster-wide kinds. Format: `<group>/<version>/<kind>`, `core` for the core group.
 */
export const PRUNE_ALLOWLIST: readonly string[] = [
  'core/v1/ConfigMap',
  'core/v1/Service',
  'core/v1/ServiceAccount',
  'apps/v1/Deployment',
  'autoscaling/v2/HorizontalPodAutoscaler',
  'policy/v1/PodDisruptionBudget',
  'networking.k8s.io/v1/NetworkPolicy',
  'networking.k8s.io/v1/Ingress',
];

/** The SecretProviderClass kind of the Secrets Store CSI Driver (present only where its add-on runs). */
export const SECRET_PROVIDER_CLASS_KIND = 'secrets-store.csi.x-k8s.io/v1/SecretProviderClass';

/**
 * The kinds one environment's deploy prunes: {@link PRUNE_ALLOWLIST}, plus SecretProviderClasses where a
 * service reads AWS secrets. Elsewhere the kind does not exist in the cluster (its CRD comes with the
 * add-on) and listing it would make the prune's lookup fail.
 */
export function pruneAllowlist(env: EnvironmentDefinition): string[] {
  return [...PRUNE_ALLOWLIST, ...(readsAwsSecrets(env) ? [SECRET_PROVIDER_CLASS_KIND] : [])];
}
