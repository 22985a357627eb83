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

