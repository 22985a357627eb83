/**
 * Field-level comparison of two JSON values. Objects compare key by key (cdktf `//` metadata is
 * ignored), lists of named items by name (see list-keys.ts), single-block lists as the block
 * itself (Terraform's `vpc_config`), other lists of objects by position and lists of plain values
 * as a whole; strings holding JSON documents (IAM policies) compare as the documents. Values are
 * not masked here; see sensitive-values.ts.
 */
import { childPath, itemPath } from './field-path';
import { keyListItems } from './list-keys';
import type { FieldChange } from './report';

/** cdktf metadata key, present at the top of cdk.tf.json and in every resource. */
export const METADATA_KEY = '//';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep equality of JSON values, ignoring `//` metadata keys. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const aKeys = Object.keys(a).filter((k) => k !== METADATA_KEY);
    const bKeys = Object.keys(b).filter((k) => k !== METADATA_KEY);
    return aKeys.length === bKeys.length && aKeys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Every field change between `before` and `after`, sorted by path. */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, '', out);
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

function walk(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    out.push({ path, action: 'added', after });
    return;
  }
  if (after === undefined) {
    out.push({ path, action: 'removed', before });
    return;
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    keys.delete(METADATA_KEY);
    for (const key of keys) walk(before[key], after[key], childPath(path, key), out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    walkList(before, after, path, out);
    return;
  }
  if (typeof before === 'string' && typeof after === 'string' && before !== after) {
    // Embedded JSON documents (IAM policies, container definitions) compare field by field.
    const parsedBefore = parseEmbeddedJson(before);
    const parsedAfter = parseEmbeddedJson(after);
    if (parsedBefore !== undefined && parsedAfter !== undefined) {
      walk(parsedBefore, parsedAfter, path, out);
      return;
    }
  }
  if (!jsonEqual(before, after)) out.push({ path, action: 'changed', before, after });
}

/** The object or list a string holds as JSON, else undefined. */
function parseEmbeddedJson(text: string): unknown {
  const first = text.trimStart().charAt(0);
  if (first !== '{' && first !== '[') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function walkList(before: unknown[], after: unknown[], path: string, out: FieldChange[]): void {
  const keyed = keyListItems(before, after);
  if (keyed) {
    const labels = new Set([...keyed.before.keys(), ...keyed.after.keys()]);
    for (const label of labels) walk(keyed.before.get(label), keyed.after.get(label), itemPath(path, label), out);
    return;
  }
  const allRecords = before.every(isRecord) && after.every(isRecord) && before.length + after.length > 0;
  if (allRecords && before.length === 1 && after.length === 1) {
    walk(before[0], after[0], path, out);
    return;
  }
  if (allRecords) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) walk(before[i], after[i], itemPath(path, `[${i}]`), out);
    return;
  }
  if (!jsonEqual(before, after)) out.push({ path, action: 'changed', before, after });
}
