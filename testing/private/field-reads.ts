/**
 * Records which fields a validator reads, to find the fields no schema declares.
 *
 * kubernetes-models ships its schemas as Ajv standalone code, not as JSON. That code reads every property
 * a schema declares (`data.replicas`, also when absent), enumerates the keys of a map
 * (`additionalProperties: {…}`, e.g. labels) and reads nothing inside a free-form object
 * (`x-kubernetes-preserve-unknown-fields`, no `properties`). So a field of a plain object that the
 * validator neither read nor enumerated, while it read some of its siblings, is one the schema does not
 * declare: the strict reading of "`properties` without `additionalProperties` means closed".
 *
 * @internal
 */

/** The reads seen on one object or array of the validated value. */
export interface FieldReads {
  /** The value itself (not the proxy). */
  readonly value: object;
  /** Path segments from the root. */
  readonly path: readonly (string | number)[];
  /** Property names read. */
  readonly read: Set<string>;
  /** Whether its keys were enumerated (a map or an array). */
  enumerated: boolean;
}

/** Wraps `value` so every read below it is recorded in `log`; primitives come back as they are. */
export function recordFieldReads<T>(value: T, log: FieldReads[], path: readonly (string | number)[] = []): T {
  if (value === null || typeof value !== 'object') return value;
  const reads: FieldReads = { value, path, read: new Set(), enumerated: false };
  log.push(reads);
  const children = new Map<string, unknown>();
  const isArray = Array.isArray(value);
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key !== 'string') return Reflect.get(target, key, receiver);
      reads.read.add(key);
      const child = Reflect.get(target, key, receiver);
      if (child === null || typeof child !== 'object' || !Object.prototype.hasOwnProperty.call(target, key)) return child;
      if (!children.has(key)) children.set(key, recordFieldReads(child, log, [...path, isArray ? Number(key) : key]));
      return children.get(key);
    },
    ownKeys(target) {
      reads.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

/** The paths of the fields of plain objects in `log` that were never read, on objects whose other fields were. */
export function unreadFields(log: readonly FieldReads[]): (string | number)[][] {
  const unread: (string | number)[][] = [];
  for (const { value, path, read, enumerated } of log) {
    if (Array.isArray(value) || enumerated || read.size === 0) continue;
    for (const key of Object.keys(value)) if (!read.has(key)) unread.push([...path, key]);
  }
  return unread;
}
