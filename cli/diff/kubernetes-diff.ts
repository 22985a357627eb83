/**
 * Compares two sets of Kubernetes objects by identity `kind/namespace/name` (`kind/name` for
 * objects without a namespace), with field-level changes; list items match by name.
 */
import { diffFields } from './field-diff';
import type { RawChange } from './raw-change';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The identity of a Kubernetes object in the report: `Deployment/company-web/company-web`, `Namespace/company-web`. */
export function kubernetesAddress(object: Record<string, unknown>): string {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const kind = typeof object.kind === 'string' ? object.kind : '(no kind)';
  const name = typeof metadata.name === 'string' ? metadata.name : '(no name)';
  return typeof metadata.namespace === 'string' && metadata.namespace !== '' ? `${kind}/${metadata.namespace}/${name}` : `${kind}/${name}`;
}

function byAddress(objects: readonly Record<string, unknown>[]): Map<string, Record<string, unknown>> {
  const map = new Map<string, Record<string, unknown>>();
  for (const object of objects) {
    const address = kubernetesAddress(object);
    let unique = address;
    for (let n = 2; map.has(unique); n++) unique = `${address}#${n}`;
    map.set(unique, object);
  }
  return map;
}

/** Every added, removed and changed object, sorted by address. */
export function diffKubernetes(base: readonly Record<string, unknown>[], head: readonly Record<string, unknown>[]): RawChange[] {
  const before = byAddress(base);
  const after = byAddress(head);
  const changes: RawChange[] = [];
  for (const [address, object] of after) {
    const type = String(object.kind);
    const previous = before.get(address);
    if (!previous) {
      changes.push({ layer: 'kubernetes', address, type, action: 'added', after: object, fields: [] });
      continue;
    }
    const fields = diffFields(previous, object);
    if (fields.length > 0) changes.push({ layer: 'kubernetes', address, type, action: 'changed', before: previous, after: object, fields });
  }
  for (const [address, object] of before) {
    if (!after.has(address)) changes.push({ layer: 'kubernetes', address, type: String(object.kind), action: 'removed', before: object, fields: [] });
  }
  return changes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
