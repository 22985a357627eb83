/**
 * Extension points of the synth engine: a definitions module may export `stack` and `chart`
 * factories, so `deploykit synth --config team.ts` builds the team's own stack and chart classes
 * (subclasses of `EnvironmentStack` / `EnvironmentChart`) instead of deploykit's, and
 * `applyPermissions`, the IAM actions by Terraform resource type its own constructs need, which
 * `deploykit bootstrap` grants the CI apply roles.
 */
import type { Chart } from 'cdk8s';
import type { TerraformStack } from '../infra/vendor/terraform';
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

/**
 * Reads the `applyPermissions` export of a definitions module: Terraform resource types the team's
 * stacks create beyond `RESOURCE_TYPE_ACTIONS`, each with the IAM actions the apply role needs for it.
 * `deploykit bootstrap` grants them and `deploykit check` (DK-TF-030) counts them.
 * @returns {} when there is no definitions module or it has no such export
 * @throws DefinitionsFileError when the export is not `{ <resource_type>: ['service:Action', …] }`
 */
export function loadApplyPermissions(configFile?: string): ResourceTypeActions {
  return applyPermissionsOf(configFile, readModuleExports(configFile).applyPermissions) ?? {};
}

/** Checks the `applyPermissions` export: an object of Terraform resource type → non-empty list of IAM actions. */
function applyPermissionsOf(configFile: string | undefined, value: unknown): ResourceTypeActions | undefined {
  if (value === undefined) return undefined;
  const fail = (message: string): never => {
    throw new DefinitionsFileError(configFile as string, message);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(
      `the 'applyPermissions' export (${Array.isArray(value) ? 'array' : typeof value}) must be an object of Terraform resource types to IAM actions, e.g. { aws_sqs_queue: ['sqs:CreateQueue'] }`,
    );
  }
  for (const [type, actions] of Object.entries(value)) {
    if (!/^[a-z][a-z0-9_]*$/.test(type)) fail(`applyPermissions: ${JSON.stringify(type)} is not a Terraform resource type; use the type name, e.g. "aws_sqs_queue"`);
    if (!Array.isArray(actions) || actions.length === 0) {
      fail(
        `applyPermissions.${type}: ${JSON.stringify(actions)} is not a list of IAM actions; list the actions Terraform needs for the type, e.g. ["sqs:CreateQueue", "sqs:GetQueueAttributes"]`,
      );
    }
    for (const action of actions as unknown[]) {
      if (typeof action !== 'string' || !IAM_ACTION_REGEX.test(action)) {
        fail(`applyPermissions.${type}: ${JSON.stringify(action)} is not an IAM action; use "service:Action" without wildcards, e.g. "sqs:CreateQueue"`);
      }
    }
  }
  return value as ResourceTypeActions;
}
