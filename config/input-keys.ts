/**
 * Keys of raw definitions that the parsers would silently lose or misread: a `__proto__` key
 * (JSON and YAML keep it as a field, object literals turn it into the prototype, and either way the
 * validated copy drops it). Reported with the path of the object holding the key.
 */
import type { RawIssue } from './rules';

const RESERVED_KEY = '__proto__';

/** Every `__proto__` key (or object literal prototype it produced) in `input`, depth first. */
export function reservedKeyIssues(input: unknown): RawIssue[] {
  const issues: RawIssue[] = [];
  const visiting = new Set<object>();
  const walk = (value: unknown, path: (string | number)[]) => {
    if (typeof value !== 'object' || value === null || visiting.has(value)) return;
    visiting.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]));
    } else {
      const proto = Object.getPrototypeOf(value) as unknown;
      if (Object.hasOwn(value, RESERVED_KEY) || (!isObjectPrototype(proto) && isPlainObject(proto))) {
        issues.push({
          path,
          message: `'${RESERVED_KEY}' is not allowed as a key (it would set the object's prototype and be dropped); rename the key`,
        });
      }
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key]);
    }
    visiting.delete(value);
  };
  walk(input, []);
  return issues;
}

/** `Object.prototype` of any realm (definitions built in a VM context have their own). */
function isObjectPrototype(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === null && Object.hasOwn(value, 'hasOwnProperty');
}

/** A plain object (what an object literal's `__proto__: {…}` makes the prototype), not a class instance. */
function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === null || isObjectPrototype(proto);
}
