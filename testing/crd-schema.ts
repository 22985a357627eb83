/**
 * Strict validation of custom resources against their CRD's `openAPIV3Schema`, with Ajv.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { requirePeer } from './private/require-peer';

/** A JSON schema as a plain object. */
export type JsonSchema = { readonly [key: string]: unknown };

/**
 * A copy of a CRD's `openAPIV3Schema` that rejects unknown fields: every object schema with `properties` and
 * no `additionalProperties` gets `additionalProperties: false`. Maps (`additionalProperties: {…}`), free-form
 * objects (no `properties`) and subtrees marked `x-kubernetes-preserve-unknown-fields: true` stay open.
 * The API server prunes unknown fields of custom resources silently; this makes them an error instead.
 */
export function strictCrdSchema(schema: JsonSchema): JsonSchema {
  return close(schema) as JsonSchema;
}

function close(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(close);
  if (node === null || typeof node !== 'object') return node;
  const schema = node as Record<string, unknown>;
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === 'properties' || key === 'patternProperties' || key === 'definitions' || key === '$defs'
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, sub]) => [name, close(sub)]))
      : key === 'enum' || key === 'const' || key === 'default' || key === 'example' || key === 'examples'
        ? value
        : close(value);
  }
  if (schema.properties !== undefined && schema.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** A problem Ajv found, as a path (segments from the object's root) and a message. */
export interface SchemaProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A compiled strict validator of one custom resource kind. */
export type CrdValidator = (obj: unknown) => SchemaProblem[];

/** Compiles `schema` (closed with {@link strictCrdSchema}) into a validator that returns every problem. */
export function compileCrdSchema(schema: JsonSchema): CrdValidator {
  const Ajv = requirePeer<typeof import('ajv')>('ajv').default;
  // Kubernetes extensions (x-kubernetes-*) and formats (int32, date-time, …) are not Ajv keywords and formats.
  const check: ValidateFunction = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(strictCrdSchema(schema));
  return (obj) => (check(obj) ? [] : (check.errors ?? []).map(problemOf));
}

/** An Ajv error as a path and a sentence; unknown fields name the field. */
export function problemOf(error: ErrorObject): SchemaProblem {
  const path = pointerSegments(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const field = String((error.params as { additionalProperty: string }).additionalProperty);
    return { path: [...path, field], message: unknownFieldMessage(field) };
  }
  if (error.keyword === 'required') {
    const field = String((error.params as { missingProperty: string }).missingProperty);
    return { path: [...path, field], message: 'required field is missing' };
  }
  const params = error.keyword === 'enum' ? ` (${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)})` : '';
  return { path, message: `${error.message ?? error.keyword}${params}` };
}

/** The message of a field the schema does not declare. */
export function unknownFieldMessage(field: string): string {
  return `unknown field '${field}' (not in the schema); remove it or correct its spelling`;
}

/** `/spec/containers/0/name` → `['spec', 'containers', 0, 'name']`. */
export function pointerSegments(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part));
}
