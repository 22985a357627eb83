/**
 * Extension points of the synth engine: a definitions module may export `stack` and `chart`
 * factories, so `deploykit synth --config team.ts` builds the team's own stack and chart classes
 * (subclasses of `EnvironmentStack` / `EnvironmentChart`) instead of deploykit's, and
 * `applyPermissions`, the IAM actions by Terraform resource type its own constructs need, which
 * `deploykit bootstrap` grants the CI apply roles.
 */
import type { Chart } from 'cdk8s';
import type { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DefinitionsFileError, readModuleExports } from '../config';
import type { ResourceTypeActions } from '../infra/bootstrap/apply-permissions';
import type { EnvironmentStackProps } from '../infra/environment-stack';
import type { EnvironmentChartProps } from '../k8s/environment-chart';

/** Builds an environment's Terraform stack (export it as `stack` from a definitions module). */
export type StackFactory = (scope: Construct, id: string, props: EnvironmentStackProps) => TerraformStack;

/** Builds an environment's Kubernetes chart (export it as `chart` from a definitions module). */
export type ChartFactory = (scope: Construct, id: string, props: EnvironmentChartProps) => Chart;

/** What a definitions module may add to synth. */
export interface SynthExtensions {
  /** Builds each environment's stack. @default - `new EnvironmentStack(scope, id, props)` */
  readonly stack?: StackFactory;
  /** Builds each environment's chart. @default - `new EnvironmentChart(scope, id, props)` */
  readonly chart?: ChartFactory;
  /**
   * IAM actions by Terraform resource type for the resources the team's own constructs add (export
   * it as `applyPermissions`); `deploykit bootstrap` merges it into the apply roles.
   * @default {}
   */
  readonly applyPermissions?: ResourceTypeActions;
}

/** An IAM action: `service:Action`, no wildcard. */
const IAM_ACTION_REGEX = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

/** Reads the `stack` / `chart` exports of a definitions module. @throws DefinitionsFileError when one is not a function */
export function loadExtensions(configFile?: string): SynthExtensions {
  const exports = readModuleExports(configFile);
  const pick = <T>(name: 'stack' | 'chart', shape: string): T | undefined => {
    const value = exports[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'function') {
      throw new DefinitionsFileError(
        configFile as string,
        `the '${name}' export (${typeof value}) must be a function ${shape}; export a factory or remove it`,
      );
    }
    return value as T;
  };
  return {
    stack: pick<StackFactory>('stack', '(scope, id, props) => EnvironmentStack'),
    chart: pick<ChartFactory>('chart', '(scope, id, props) => EnvironmentChart'),
    applyPermissions: applyPermissionsOf(configFile, exports.applyPermissions),
  };
}

/** Checks the `applyPermissions` export: an object of Terraform resource type → IAM actions. */
function applyPermissionsOf(configFile: string | undefined, value: unknown): ResourceTypeActions | undefined {
  if (value === undefined) return undefined;
  const fail = (message: string): never => {
    throw new DefinitionsFileError(configFile as string, message);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`the 'applyPermissions' export (${Array.isArray(value) ? 'array' : typeof value}) must be an object of Terraform resource type → IAM actions; export e.g. { aws_sqs_queue: ['sqs:CreateQueue', …] }`);
  }
  for (const [type, actions] of Object.entries(value)) {
    if (!/^[a-z][a-z0-9_]*$/.test(type)) fail(`applyPermissions: key ${JSON.stringify(type)} is not a Terraform resource type; use e.g. "aws_sqs_queue"`);
    if (!Array.isArray(actions)) fail(`applyPermissions.${type}: (${typeof actions}) must be an array of IAM actions; use e.g. ["sqs:CreateQueue"]`);
    for (const action of actions as unknown[]) {
      if (typeof action !== 'string' || !IAM_ACTION_REGEX.test(action)) {
        fail(`applyPermissions.${type}: ${JSON.stringify(action)} is not an IAM action; use "service:Action" without wildcards, e.g. "sqs:CreateQueue"`);
      }
    }
  }
  return value as ResourceTypeActions;
}
