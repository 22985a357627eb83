/** Helpers that synthesize cdktf scopes and stacks and read the Terraform JSON. */
import { App, Testing, TerraformStack } from 'cdktf';
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

/** The resource of a type whose construct path ends with `pathSuffix` (e.g. `Cluster/Resource`). */
export function resourceAt(json: TfJson, type: string, pathSuffix: string): Record<string, any> {
  const found = Object.values(resourcesOf(json, type)).filter((r) => String(r['//']?.metadata?.path ?? '').endsWith(`/${pathSuffix}`));
  if (found.length !== 1) throw new Error(`expected one ${type} at */${pathSuffix}, found ${found.length}`);
  return found[0];
}

/** The Terraform address (`type.name`) of the resource at a construct path suffix. */
export function addressAt(json: TfJson, type: string, pathSuffix: string): string {
  const entry = Object.entries(resourcesOf(json, type)).find(([, r]) => String(r['//']?.metadata?.path ?? '').endsWith(`/${pathSuffix}`));
  if (!entry) throw new Error(`no ${type} at */${pathSuffix}`);
  return `${type}.${entry[0]}`;
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
