/**
 * Synthesizing cdktf scopes and stacks in tests and reading the Terraform JSON: resources by type and by
 * construct path, their addresses, and the IAM policy documents in them.
 */
import { Testing, TerraformStack } from '../infra/vendor/terraform';
import type { Construct } from 'constructs';

/** One resource's arguments in Terraform JSON (snake_case keys). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- resource arguments are any JSON; tests index them freely
export type TfResource = Record<string, any>;

/** The synthesized Terraform JSON of one stack. */
export interface TfJson {
  readonly resource: Record<string, Record<string, TfResource>>;
  readonly output?: Record<string, { value: unknown }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider and terraform blocks are any JSON
  readonly provider?: Record<string, any[]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider and terraform blocks are any JSON
  readonly terraform?: Record<string, any>;
  readonly data?: Record<string, Record<string, TfResource>>;
}

/** Synthesizes the constructs `build` adds to an empty stack. */
export function synthScope(build: (scope: Construct) => void): TfJson {
  return JSON.parse(Testing.synthScope(build)) as TfJson;
}

/** A bare stack to add constructs to (for tests that need the construct objects). */
export function emptyStack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'test');
}

/** Synthesizes a stack (running validations). */
export function synthStack(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack, true)) as TfJson;
}

/** A stack's Terraform JSON: synthesizes a stack, parses a string, passes parsed JSON through. */
export function terraformJsonOf(stackOrJson: TerraformStack | TfJson | string): TfJson {
  if (typeof stackOrJson === 'string') return JSON.parse(stackOrJson) as TfJson;
  if (TerraformStack.isStack(stackOrJson)) return synthStack(stackOrJson);
  return stackOrJson;
}

/** Resources of one type, by Terraform name. */
export function resourcesOf(json: TfJson, type: string): Record<string, TfResource> {
  return json.resource?.[type] ?? {};
}

/** The only resource of a type; fails when there is not exactly one. */
export function onlyResource(json: TfJson, type: string): TfResource {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/**
 * The logical id without its hash: `Network_PrivateSubnetA_1672077B` → `Network/PrivateSubnetA`
 * (cdktf drops `Resource` path parts from logical ids).
 */
export function constructPathOf(logicalId: string): string {
  return logicalId.replace(/_[0-9A-F]{8}$/, '').replace(/_/g, '/');
}

/** The `[name, resource]` entry of a type at a construct path (without `Resource` parts), e.g. `Cluster/LogGroup`. */
function entryAt(json: TfJson, type: string, path: string): [string, TfResource] {
  const found = Object.entries(resourcesAt(json, type, path));
  if (found.length !== 1) throw new Error(`expected one ${type} at ${path}, found ${found.length}`);
  return found[0];
}

/** Every resource of a type whose construct path (without `Resource` parts) is `path`, by Terraform name. */
export function resourcesAt(json: TfJson, type: string, path: string): Record<string, TfResource> {
  return Object.fromEntries(Object.entries(resourcesOf(json, type)).filter(([name]) => constructPathOf(name) === path));
}

/** The resource of a type at a construct path (without `Resource` parts), e.g. `Cluster/LogGroup`. */
export function resourceAt(json: TfJson, type: string, path: string): TfResource {
  return entryAt(json, type, path)[1];
}

/** The Terraform address (`type.name`) of the resource at a construct path (without `Resource` parts). */
export function addressAt(json: TfJson, type: string, path: string): string {
  return `${type}.${entryAt(json, type, path)[0]}`;
}

/** Parses a JSON policy document attribute. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- statements are any JSON
export function policyOf(resource: TfResource, attribute = 'policy'): { Statement: any[] } {
  return JSON.parse(resource[attribute]);
}

/** All statements of every IAM policy document in the stack (inline, trust and key policies). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- statements are any JSON
export function allPolicyStatements(json: TfJson): { address: string; statement: any }[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- statements are any JSON
  const out: { address: string; statement: any }[] = [];
  const attributes: Record<string, string[]> = {
    aws_iam_role: ['assume_role_policy'],
    aws_iam_role_policy: ['policy'],
    aws_kms_key: ['policy'],
  };
  for (const [type, attrs] of Object.entries(attributes)) {
    for (const [name, r] of Object.entries(resourcesOf(json, type))) {
      for (const attr of attrs) {
        if (typeof r[attr] !== 'string') continue;
        for (const statement of JSON.parse(r[attr]).Statement) out.push({ address: `${type}.${name}`, statement });
      }
    }
  }
  return out;
}
