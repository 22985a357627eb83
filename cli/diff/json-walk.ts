/** @internal Walks JSON values for the risk rules: every plain value with its path. */
import { childPath } from './field-path';

/** Calls `visit` for every string, number and boolean in `value`, with its path and the key that holds it. */
export function walkValues(value: unknown, visit: (path: string, value: string | number | boolean, key: string) => void, path = '', key = ''): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walkValues(item, visit, `${path}[${i}]`, key));
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) if (k !== '//') walkValues(v, visit, childPath(path, k), k);
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    visit(path, value, key);
  }
}

/** Entries of `after` that `before` does not have as often (multiset difference), in `after` order. */
export function newEntries(before: readonly string[], after: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const b of before) counts.set(b, (counts.get(b) ?? 0) + 1);
  return after.filter((a) => {
    const n = counts.get(a) ?? 0;
    if (n > 0) counts.set(a, n - 1);
    return n === 0;
  });
}
