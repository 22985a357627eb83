/** Helpers that synthesize cdktf scopes and stacks and read the Terraform JSON. */
import { App, TerraformStack, Testing } from '../../infra/vendor/terraform';
import type { Construct } from 'constructs';
import { stackName, type Definitions, type EnvironmentDefinition } from '../../config';
import { EnvironmentStack } from '../../infra/environment-stack';

/** The synthesized Terraform JSON of one stack. */
export interface TfJson {
  readonly resource: Record<string, Record<string, Record<string, any>>>;
  readonly output?: Record<string, { value: unknown }>;
  readonly provider?: Record<string, any[]>;
  readonly terraform?: Record<string, any>;
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

/** Builds and synthesizes the stack of one environment. */
export function synthEnvironment(definitions: Definitions, environment: EnvironmentDefinition): { stack: EnvironmentStack; json: TfJson } {
  const app: App = Testing.app();
  const stack = new EnvironmentStack(app, stackName(definitions.system, environment), { definitions, environment });
  return { stack, json: synthStack(stack) };
}

/** Resources of one type, by Terraform name. */
export function resourcesOf(json: TfJson, type: string): Record<string, Record<string, any>> {
  return json.resource[type] ?? {};
}

/** The only resource of a type; fails when there is not exactly one. */
export function onlyResource(json: TfJson, type: string): Record<string, any> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/**
 * The logical id without its hash: `Network_PrivateSubnetA_1672077B` → `Network/PrivateSubnetA`
 * (cdktf drops `Resource` path parts from logical ids).
 */
function pathOf(logicalId: string): string {
  return logicalId.replace(/_[0-9A-F]{8}$/, '').replace(/_/g, '/');
}

/** The `[name, resource]` entry of a type at a construct path (without `Resource` parts), e.g. `Cluster/LogGroup`. */
function entryAt(json: TfJson, type: string, path: string): [string, Record<string, any>] {
  const found = Object.entries(resourcesOf(json, type)).filter(([name]) => pathOf(name) === path);
  if (found.length !== 1) throw new Error(`expected one ${type} at ${path}, found ${found.length}`);
  return found[0];
}

/** The resource of a type at a construct path (without `Resource` parts), e.g. `Cluster/LogGroup`. */
export function resourceAt(json: TfJson, type: string, path: string): Record<string, any> {
  return entryAt(json, type, path)[1];
}

/** The Terraform address (`type.name`) of the resource at a construct path (without `Resource` parts). */
export function addressAt(json: TfJson, type: string, path: string): string {
  return `${type}.${entryAt(json, type, path)[0]}`;
}

/** Parses a JSON policy document attribute. */
export function policyOf(resource: Record<string, any>, attribute = 'policy'): { Statement: any[] } {
  return JSON.parse(resource[attribute]);
}

/** All statements of every IAM policy document in the stack (inline, trust and key policies). */
export function allPolicyStatements(json: TfJson): { address: string; statement: any }[] {
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
