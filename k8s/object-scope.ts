/**
 * Where each Kubernetes object of an environment is applied, and by whom. Cluster-scoped objects
 * (Namespaces, IngressClasses, ClusterRoles, …) need cluster-wide rights, which only the
 * environment's apply identity has; namespaced objects are applied by the deploy identity, whose EKS
 * access policy is scoped to the service namespaces. Objects deploykit installs into system namespaces
 * (kube-system: the Cluster Autoscaler, the Auto Mode network policy switch) lie outside those
 * namespaces too, so they go with the cluster-scoped ones, as do objects of kinds the deploy identity's
 * access policy does not cover ({@link APPLY_ROLE_KINDS}). The synthesized output keeps them apart:
 * `kubernetes/cluster.k8s.yaml` and `kubernetes/namespaces/<namespace>.k8s.yaml`.
 */

/** Kinds Kubernetes (and the add-ons deploykit installs) define at cluster scope, by `apiVersion/kind`-independent kind name. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'IngressClass',
  'IngressClassParams',
  'PriorityClass',
  'StorageClass',
  'PersistentVolume',
  'RuntimeClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'NodePool',
  'NodeClass',
  'EC2NodeClass',
]);

/** The part of an object this module reads. */
interface ObjectHead {
  readonly kind?: unknown;
  readonly metadata?: { readonly namespace?: unknown; readonly name?: unknown };
}

/** Whether an object is cluster-scoped (by kind). */
export function isClusterScoped(obj: unknown): boolean {
  const kind = (obj as ObjectHead | null)?.kind;
  return typeof kind === 'string' && CLUSTER_SCOPED_KINDS.has(kind);
}

/**
 * Namespaces Kubernetes, EKS and its add-ons own. The deploy identity cannot write there; objects
 * deploykit puts there are applied with the cluster-scoped objects by the apply identity.
 */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'amazon-cloudwatch']);

/**
 * Namespaced kinds deploykit writes into service namespaces that the deploy identity may not write: its
 * EKS access policy (AmazonEKSEditPolicy) holds fixed rules for Kubernetes' own API groups, like the
 * `edit` ClusterRole without aggregation, so custom resources such as the Secrets Store CSI Driver's
 * SecretProviderClass are forbidden to it. The apply identity (cluster admin) applies them with the
 * cluster output.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 */
export const APPLY_ROLE_KINDS: ReadonlySet<string> = new Set(['SecretProviderClass']);

/**
 * Whether an object belongs to the cluster output: a cluster-scoped kind, an object in a
 * {@link SYSTEM_NAMESPACES system namespace}, or a kind of `APPLY_ROLE_KINDS` (namespaced kinds the deploy role cannot edit: SecretProviderClass).
 */
export function isClusterOutput(obj: unknown): boolean {
  if (isClusterScoped(obj)) return true;
  const kind = (obj as ObjectHead | null)?.kind;
  if (typeof kind === 'string' && APPLY_ROLE_KINDS.has(kind)) return true;
  const namespace = (obj as ObjectHead | null)?.metadata?.namespace;
  return typeof namespace === 'string' && SYSTEM_NAMESPACES.has(namespace);
}

/** File of the cluster-scoped objects, relative to an environment's `kubernetes/` directory. */
export const CLUSTER_OBJECTS_FILE = 'cluster.k8s.yaml';

/** File of one namespace's objects, relative to an environment's `kubernetes/` directory. */
export function namespaceObjectsFile(namespace: string): string {
  return `namespaces/${namespace}.k8s.yaml`;
}

/** Objects grouped by where they are applied, each group in the original (apply) order. */
export interface ScopedObjects<T> {
  /** Cluster-scoped objects and objects in system namespaces: applied by the apply identity before the namespaced ones. */
  readonly cluster: T[];
  /** Namespaced objects by namespace, namespaces in first-appearance order. */
  readonly namespaces: Map<string, T[]>;
}

/**
 * Splits an environment's objects by scope ({@link isClusterOutput}). A namespaced object without `metadata.namespace` would
 * land in whatever namespace the kubeconfig names, so it is refused.
 * @throws Error naming the object when a namespaced object has no namespace
 */
export function splitByScope<T>(objects: readonly T[]): ScopedObjects<T> {
  const cluster: T[] = [];
  const namespaces = new Map<string, T[]>();
  for (const obj of objects) {
    if (isClusterOutput(obj)) {
      cluster.push(obj);
      continue;
    }
    const head = obj as ObjectHead;
    const namespace = head.metadata?.namespace;
    if (typeof namespace !== 'string' || namespace === '') {
      throw new Error(
        `${String(head.kind)}/${String(head.metadata?.name)} has no metadata.namespace; set the namespace of every namespaced object (kubectl would otherwise apply it to the deployer's default namespace)`,
      );
    }
    const list = namespaces.get(namespace) ?? [];
    list.push(obj);
    namespaces.set(namespace, list);
  }
  return { cluster, namespaces };
}
