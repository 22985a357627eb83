/**
 * How the items of a list are matched between two versions: by a name-like key when every item
 * has a unique one (containers, ports, env, volumes, volumeMounts, metrics…), so inserting an item
 * shows as one addition rather than a shifted list. Matching is a map lookup: linear, never quadratic.
 */

/** A way to identify list items. */
interface ListKey {
  /** Shown in paths as `[field=value]`; the `name` key shows as `[value]`. */
  readonly field: string;
  readonly get: (item: Record<string, unknown>) => string | number | undefined;
}

const primitive = (value: unknown): string | number | undefined =>
  typeof value === 'string' || typeof value === 'number' ? value : undefined;

const byField = (field: string): ListKey => ({ field, get: (item) => primitive(item[field]) });

/** HPA metrics: `Resource/cpu`, `Pods/requests_per_second`. */
const metricKey: ListKey = {
  field: 'metric',
  get: (item) => {
    if (typeof item.type !== 'string') return undefined;
    const source = item[item.type.charAt(0).toLowerCase() + item.type.slice(1)] as Record<string, unknown> | undefined;
    const name = primitive(source?.name) ?? primitive((source?.metric as Record<string, unknown> | undefined)?.name);
    return name === undefined ? undefined : `${item.type}/${name}`;
  },
};

/** Candidate keys, most specific first. */
const LIST_KEYS: readonly ListKey[] = [
  byField('name'),
  metricKey,
  byField('mountPath'),
  byField('devicePath'),
  byField('containerPort'),
  byField('port'),
  byField('sid'),
  byField('Sid'),
  byField('type'),
  byField('key'),
  byField('ip'),
];

/** A list item with the label that identifies it in a path. */
export interface KeyedItem {
  readonly label: string;
  readonly value: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Finds a key that identifies every item of both lists uniquely and returns the items by label;
 * undefined when no key fits (the caller then compares by position or as a whole).
 */
export function keyListItems(
  before: readonly unknown[],
  after: readonly unknown[],
): { before: Map<string, unknown>; after: Map<string, unknown> } | undefined {
  if (before.length + after.length === 0) return undefined;
  if (!before.every(isRecord) || !after.every(isRecord)) return undefined;
  for (const key of LIST_KEYS) {
    const b = index(before as Record<string, unknown>[], key);
    if (!b) continue;
    const a = index(after as Record<string, unknown>[], key);
    if (a) return { before: b, after: a };
  }
  return undefined;
}

function index(items: readonly Record<string, unknown>[], key: ListKey): Map<string, unknown> | undefined {
  const map = new Map<string, unknown>();
  for (const item of items) {
    const value = key.get(item);
    if (value === undefined) return undefined;
    const label = key.field === 'name' ? `[${value}]` : `[${key.field}=${value}]`;
    if (map.has(label)) return undefined;
    map.set(label, item);
  }
  return map;
}
