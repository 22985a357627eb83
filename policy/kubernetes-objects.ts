/**
 * The Kubernetes objects of one environment, parsed once from its YAML files and indexed by kind,
 * with the small amount of API semantics rules share: object identity, effective namespace, pod
 * templates and label selectors.
 */

/** A Kubernetes object as written, with the file it came from. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** Kinds that are not namespaced (the rest default to the `default` namespace). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'IngressClassParams',
  'NodePool',
  'NodeClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'RuntimeClass',
  'CSIDriver',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
]);

/** Workload kinds with a pod template at `spec.template`. */
export const POD_TEMPLATE_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** The namespace an object lives in: its own, `default` when unset, undefined for cluster-scoped kinds. */
export function namespaceOf(obj: KubernetesObject): string | undefined {
  if (CLUSTER_SCOPED_KINDS.has(obj.kind)) return undefined;
  return obj.metadata.namespace ?? 'default';
}

/** `kind/namespace/name`, or `kind/name` for cluster-scoped objects. */
export function targetOf(obj: KubernetesObject): string {
  const ns = namespaceOf(obj);
  return ns === undefined ? `${obj.kind}/${obj.metadata.name ?? ''}` : `${obj.kind}/${ns}/${obj.metadata.name ?? ''}`;
}

/** A Kubernetes label selector. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

/** True when `labels` satisfy the selector. An empty selector selects everything; undefined selects nothing. */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (have[key] !== value) return false;
  }
  for (const expr of selector.matchExpressions ?? []) {
    const present = Object.prototype.hasOwnProperty.call(have, expr.key);
    const values = expr.values ?? [];
    switch (expr.operator) {
      case 'In':
        if (!present || !values.includes(have[expr.key])) return false;
        break;
      case 'NotIn':
        if (present && values.includes(have[expr.key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** True when a map selector (Service `spec.selector`) matches labels; an empty map selects nothing. */
export function mapSelects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return selects({ matchLabels: selector }, labels);
}

/** A container of a pod spec, the fields rules read. */
export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number; readonly protocol?: string; readonly hostPort?: number }[];
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
  /** `Always` on an init container makes it a sidecar that runs beside the app containers. */
  readonly restartPolicy?: string;
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly startupProbe?: Probe;
  readonly securityContext?: Record<string, unknown>;
}

/** A probe's handler fields. */
export interface Probe {
  readonly httpGet?: { readonly path?: string; readonly port: number | string; readonly scheme?: string };
  readonly tcpSocket?: { readonly port: number | string };
  readonly grpc?: { readonly port: number; readonly service?: string };
  readonly exec?: { readonly command?: readonly string[] };
}

/** The pod spec fields rules read. */
export interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly securityContext?: Record<string, unknown>;
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly volumes?: readonly Record<string, unknown>[];
  readonly topologySpreadConstraints?: readonly { readonly topologyKey: string; readonly labelSelector?: LabelSelector; readonly whenUnsatisfiable?: string }[];
}

/** The pod template of a workload: its labels and spec. */
export interface PodTemplate {
  readonly labels: Record<string, string>;
  readonly spec: PodSpec;
}

/** The pod template of a workload object, or undefined for other kinds. */
export function podTemplateOf(obj: KubernetesObject): PodTemplate | undefined {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  if (obj.kind === 'Pod') return { labels: obj.metadata.labels ?? {}, spec: spec as PodSpec };
  type Template = { metadata?: { labels?: Record<string, string> }; spec?: PodSpec };
  let template: Template | undefined;
  if (POD_TEMPLATE_KINDS.has(obj.kind)) template = (spec.template ?? {}) as Template;
  else if (obj.kind === 'CronJob') template = (((spec.jobTemplate ?? {}) as { spec?: { template?: Template } }).spec?.template ?? {}) as Template;
  if (!template) return undefined;
  return { labels: template.metadata?.labels ?? {}, spec: template.spec ?? {} };
}

/** Every object with pods (workloads, CronJobs, bare Pods), with its pod template. */
export function workloadsOf(objects: KubernetesObjects): { readonly obj: KubernetesObject; readonly pod: PodTemplate }[] {
  return objects
    .all()
    .map((obj) => ({ obj, pod: podTemplateOf(obj) }))
    .filter((w): w is { obj: KubernetesObject; pod: PodTemplate } => w.pod !== undefined);
}

/** Every container and init container of a pod spec. */
export function containersOf(spec: PodSpec): readonly Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** The objects of one environment. */
export class KubernetesObjects {
  private readonly byKind = new Map<string, KubernetesObject[]>();
  private readonly files = new Map<KubernetesObject, string>();

  /** Adds the objects parsed from `file` (path relative to the synth output). */
  add(objects: readonly KubernetesObject[], file: string): void {
    for (const obj of objects) {
      if (!obj || typeof obj !== 'object' || typeof obj.kind !== 'string') continue;
      const normalized = { ...obj, metadata: obj.metadata ?? {} } as KubernetesObject;
      const list = this.byKind.get(normalized.kind) ?? [];
      list.push(normalized);
      this.byKind.set(normalized.kind, list);
      this.files.set(normalized, file);
    }
  }

  /** Every object of a kind, in file order. */
  ofKind(kind: string): readonly KubernetesObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Every object. */
  all(): readonly KubernetesObject[] {
    return [...this.byKind.values()].flat();
  }

  /** The object of a kind by namespace and name. */
  find(kind: string, namespace: string | undefined, name: string): KubernetesObject | undefined {
    return this.ofKind(kind).find((o) => o.metadata.name === name && namespaceOf(o) === namespace);
  }

  /** The file an object came from. */
  fileOf(obj: KubernetesObject): string | undefined {
    return this.files.get(obj);
  }
}
