/**
 * Strict validation of Kubernetes objects against the Kubernetes OpenAPI schemas: unknown fields are errors.
 *
 * Built-in kinds are checked with the validators kubernetes-models generates from the Kubernetes OpenAPI
 * schemas (types, required fields, enums), plus a check that every field of every object with declared
 * `properties` is one of them — the validators alone accept any extra field, so a misspelled
 * `readOnlyRootFileSystem` would pass them and be dropped by the API server. Maps (labels, annotations,
 * ConfigMap data) and free-form fields stay open. Custom resources are checked with Ajv against their CRD's
 * `openAPIV3Schema`, closed the same way ({@link strictCrdSchema}).
 *
 * Needs the packages `kubernetes-models` (4.x) and, for custom resources, `ajv` (8.x), optional peer
 * dependencies of deploykit: install them as dev dependencies where you test.
 */
import type { ErrorObject } from 'ajv';
import { compileCrdSchema, problemOf, unknownFieldMessage, type CrdValidator, type JsonSchema, type SchemaProblem } from './crd-schema';
import { kubernetesObjectId } from './kubernetes-object';
import { recordFieldReads, unreadFields, type FieldReads } from './private/field-reads';
import { requirePeer } from './private/require-peer';
import { INGRESS_CLASS_PARAMS_V1_SCHEMA } from './schemas/ingress-class-params';
import { SECRET_PROVIDER_CLASS_V1_SCHEMA } from './schemas/secret-provider-class';

/** Options of {@link validateKubernetesObject}. */
export interface KubernetesValidationOptions {
  /**
   * `openAPIV3Schema`s of custom resource kinds, by `<apiVersion>/<kind>` (e.g.
   * `monitoring.coreos.com/v1/ServiceMonitor`); they are closed with {@link strictCrdSchema}.
   * @default - only the custom resources deploykit writes (SecretProviderClass, IngressClassParams)
   */
  readonly crdSchemas?: Readonly<Record<string, JsonSchema>>;
}

/** One problem of one object: where, and what. */
export interface KubernetesValidationProblem {
  /** `Deployment/company-api/company-web`. */
  readonly object: string;
  /** `spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem`. */
  readonly path: string;
  readonly message: string;
}

/** Thrown when objects break their schemas; its message lists every problem, one per line. */
export class KubernetesValidationError extends Error {
  constructor(readonly problems: readonly KubernetesValidationProblem[]) {
    super(problems.map((p) => `${p.object}: ${p.path || '(object)'}: ${p.message}`).join('\n'));
    this.name = 'KubernetesValidationError';
  }
}

/** The schemas of the custom resources deploykit itself writes. */
export const DEPLOYKIT_CRD_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  'secrets-store.csi.x-k8s.io/v1/SecretProviderClass': SECRET_PROVIDER_CLASS_V1_SCHEMA,
  'eks.amazonaws.com/v1/IngressClassParams': INGRESS_CLASS_PARAMS_V1_SCHEMA,
};

/** Every problem of one object (empty when it is valid). */
export function kubernetesObjectProblems(obj: unknown, options: KubernetesValidationOptions = {}): KubernetesValidationProblem[] {
  const object = isObject(obj) ? kubernetesObjectId(obj) : String(obj);
  if (!isObject(obj)) return [{ object, path: '', message: 'not an object' }];
  const key = `${String(obj.apiVersion)}/${String(obj.kind)}`;
  const crdSchema = options.crdSchemas?.[key] ?? DEPLOYKIT_CRD_SCHEMAS[key];
  const problems = crdSchema ? crdValidator(crdSchema)(obj) : builtInProblems(obj, key);
  return problems
    .map((p) => ({ object, path: dottedPath(p.path), message: p.message }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Throws a {@link KubernetesValidationError} when `obj` breaks its kind's schema or has an unknown field. */
export function validateKubernetesObject(obj: unknown, options?: KubernetesValidationOptions): void {
  validateKubernetesObjects([obj], options);
}

/** Validates every object; throws one {@link KubernetesValidationError} listing the problems of all of them. */
export function validateKubernetesObjects(objects: readonly unknown[], options?: KubernetesValidationOptions): void {
  const problems = objects.flatMap((o) => kubernetesObjectProblems(o, options));
  if (problems.length > 0) throw new KubernetesValidationError(problems);
}

function isObject(value: unknown): value is Record<string, unknown> & { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const crdValidators = new WeakMap<JsonSchema, CrdValidator>();

function crdValidator(schema: JsonSchema): CrdValidator {
  let validator = crdValidators.get(schema);
  if (!validator) crdValidators.set(schema, (validator = compileCrdSchema(schema)));
  return validator;
}

type ModelValidate = (this: unknown) => void;
const modelValidators = new Map<string, ModelValidate | undefined>();

/** The kubernetes-models validator of `<apiVersion>/<kind>`; undefined when kubernetes-models has no such kind. */
function modelValidator(apiVersion: unknown, kind: unknown): ModelValidate | undefined {
  const key = `${String(apiVersion)}/${String(kind)}`;
  if (modelValidators.has(key)) return modelValidators.get(key);
  let validate: ModelValidate | undefined;
  // Only names kubernetes-models can have: `v1`, `<group>/<version>`; a kind is one PascalCase word.
  if (typeof apiVersion === 'string' && typeof kind === 'string' && /^([a-z0-9.-]+\/)?v[0-9]+[a-z0-9]*$/.test(apiVersion) && /^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    requirePeer('kubernetes-models/package.json');
    try {
      const model = require(`kubernetes-models/${apiVersion}/${kind}`)[kind] as { prototype: { validate: ModelValidate } } | undefined;
      validate = model?.prototype.validate;
    } catch (err) {
      if ((err as { code?: string }).code !== 'MODULE_NOT_FOUND') throw err;
    }
  }
  modelValidators.set(key, validate);
  return validate;
}

function builtInProblems(obj: Record<string, unknown>, key: string): SchemaProblem[] {
  const validate = modelValidator(obj.apiVersion, obj.kind);
  if (!validate) {
    return [{ path: [], message: `no schema for ${key}: kubernetes-models has no such kind; pass its CRD's openAPIV3Schema in the option crdSchemas['${key}']` }];
  }
  const reads: FieldReads[] = [];
  const problems: SchemaProblem[] = [];
  try {
    // The model's validate runs the generated schema validator on `this` without copying it.
    validate.call(recordFieldReads(obj, reads));
  } catch (err) {
    const errors = (err as { errors?: ErrorObject[] }).errors;
    if (!Array.isArray(errors)) throw err;
    problems.push(...errors.map(problemOf));
  }
  for (const path of unreadFields(reads)) problems.push({ path, message: unknownFieldMessage(String(path[path.length - 1])) });
  return problems;
}

/** `['spec', 'containers', 0, 'name']` → `spec.containers[0].name`; keys that are not identifiers are quoted. */
export function dottedPath(path: readonly (string | number)[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(part) ? `${i === 0 ? '' : '.'}${part}` : `[${JSON.stringify(part)}]`,
    )
    .join('');
}
