/**
 * Finding Kubernetes objects among synthesized ones, by kind and name (never by position).
 */

/** A Kubernetes object as synthesized (cdk8s `Testing.synth`, or a parsed manifest). */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [field: string]: unknown;
}

/** Which objects {@link findKubernetesObjects} and {@link findKubernetesObject} select. */
export interface KubernetesObjectQuery {
  /** The object's `kind`, e.g. `Deployment`. */
  readonly kind: string;
  /**
   * The object's `metadata.name`.
   * @default - any name
   */
  readonly name?: string;
  /**
   * The object's `metadata.namespace`.
   * @default - any namespace, or none
   */
  readonly namespace?: string;
  /**
   * The object's `apiVersion`, e.g. `apps/v1`.
   * @default - any apiVersion
   */
  readonly apiVersion?: string;
}

/** `Deployment/company-api/company-web`, or `Namespace/company-api` for a cluster-scoped object. */
export function kubernetesObjectId(obj: { readonly kind?: unknown; readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown } }): string {
  const name = obj.metadata?.name ?? '(unnamed)';
  return obj.metadata?.namespace ? `${obj.kind}/${obj.metadata.namespace}/${name}` : `${obj.kind}/${name}`;
}

/** Whether `obj` matches `query`. */
export function matchesKubernetesObject(obj: KubernetesObject, query: KubernetesObjectQuery): boolean {
  return (
    obj.kind === query.kind &&
    (query.name === undefined || obj.metadata?.name === query.name) &&
    (query.namespace === undefined || obj.metadata?.namespace === query.namespace) &&
    (query.apiVersion === undefined || obj.apiVersion === query.apiVersion)
  );
}

/** Every object matching `query`, in their order. */
export function findKubernetesObjects<T extends KubernetesObject = KubernetesObject>(objects: readonly KubernetesObject[], query: KubernetesObjectQuery): T[] {
  return objects.filter((o) => matchesKubernetesObject(o, query)) as T[];
}

/** The one object matching `query`; throws naming the objects there are when none or several match. */
export function findKubernetesObject<T extends KubernetesObject = KubernetesObject>(objects: readonly KubernetesObject[], query: KubernetesObjectQuery): T {
  const found = findKubernetesObjects<T>(objects, query);
  if (found.length !== 1) {
    throw new Error(`expected one ${describeQuery(query)}, found ${found.length} among ${objects.map(kubernetesObjectId).join(', ')}`);
  }
  return found[0];
}

/** `Deployment company-web in company-api`, for messages. */
export function describeQuery(query: KubernetesObjectQuery): string {
  return [query.apiVersion ? `${query.apiVersion} ${query.kind}` : query.kind, query.name, query.namespace ? `in ${query.namespace}` : undefined]
    .filter((part) => part !== undefined)
    .join(' ');
}
