/**
 * A read-only view of one synthesized Terraform JSON configuration (`cdk.tf.json`): resources
 * indexed by type, `${type.name.attr}` references resolved back to the resource they name, and
 * nested blocks read the same way whether cdktf wrote them as an object or a list.
 */

/** A resource or data source: its address and its attribute values. */
export interface TerraformResource {
  /** `type.name` for resources, `data.type.name` for data sources. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly values: Readonly<Record<string, unknown>>;
}

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([a-z0-9_]+))?(?:\[[^\]]*\])*(?:\.[a-z0-9_]+)*\}$/;

/** The parsed configuration of one environment. */
export class TerraformConfig {
  /** Resources by type, in file order. */
  private readonly resourcesByType = new Map<string, TerraformResource[]>();
  private readonly byAddress = new Map<string, TerraformResource>();
  /** The `terraform.backend` block: its type (`s3`) and settings, if any. */
  readonly backend: { readonly type: string; readonly config: Readonly<Record<string, unknown>> } | undefined;

  constructor(json: Readonly<Record<string, unknown>>) {
    for (const [block, prefix] of [['resource', ''], ['data', 'data.']] as const) {
      const byType = (json[block] ?? {}) as Blocks;
      for (const [type, byName] of Object.entries(byType)) {
        for (const [name, values] of Object.entries(byName)) {
          const resource: TerraformResource = { address: `${prefix}${type}.${name}`, type: `${prefix}${type}`, name, values };
          const list = this.resourcesByType.get(resource.type) ?? [];
          list.push(resource);
          this.resourcesByType.set(resource.type, list);
          this.byAddress.set(resource.address, resource);
        }
      }
    }
    const backends = ((json.terraform as Record<string, unknown> | undefined)?.backend ?? {}) as Record<string, Record<string, unknown>>;
    const [type] = Object.keys(backends);
    this.backend = type ? { type, config: backends[type] } : undefined;
  }

  /** Every resource of a type (`aws_eks_cluster`, or `data.aws_iam_policy_document`). */
  ofType(type: string): readonly TerraformResource[] {
    return this.resourcesByType.get(type) ?? [];
  }

  /** Every managed resource type of the configuration (`resource` blocks, not data sources), in file order. */
  resourceTypes(): readonly string[] {
    return [...this.resourcesByType.keys()].filter((type) => !type.startsWith('data.'));
  }

  /** The resource at an address, if present. */
  at(address: string): TerraformResource | undefined {
    return this.byAddress.get(address);
  }

  /**
   * The resource a whole-value reference such as `${aws_kms_key.Key.arn}` points to, with the
   * attribute it reads; undefined for literals and expressions.
   */
  resolve(value: unknown, type?: string): { readonly resource: TerraformResource; readonly attribute: string | undefined } | undefined {
    if (typeof value !== 'string') return undefined;
    const match = REFERENCE.exec(value);
    if (!match) return undefined;
    const [, data, refType, name, attribute] = match;
    const resource = this.at(`${data ?? ''}${refType}.${name}`);
    if (!resource || (type !== undefined && resource.type !== type)) return undefined;
    return { resource, attribute };
  }

  /** True when `value` is (or references) the resource: by a reference or by its literal `name`/`arn`/`id`. */
  refersTo(value: unknown, resource: TerraformResource): boolean {
    const ref = this.resolve(value);
    if (ref) return ref.resource === resource;
    if (typeof value !== 'string') return false;
    return ['name', 'arn', 'id'].some((key) => resource.values[key] === value);
  }
}

/** A nested block as a list, whether it was written as an object, a list or not at all. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
}

/** The first nested block, or an empty object. */
export function block(value: unknown): Record<string, unknown> {
  return blocks(value)[0] ?? {};
}

/** A list attribute as strings (non-strings are dropped). */
export function strings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** A JSON literal of a value for finding texts. */
export function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}
