/**
 * Extension points of the synth engine: a definitions module may export `stack` and `chart`
 * factories, so `deploykit synth --config team.ts` builds the team's own stack and chart classes
 * (subclasses of `EnvironmentStack` / `EnvironmentChart`) instead of deploykit's.
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
}

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
  };
}

const RESOURCE_TYPE = /^[a-z][a-z0-9_]*$/;
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;

/**
 * Reads the `applyPermissions` export of a definitions module: Terraform resource types the team's
 * stacks create beyond `RESOURCE_TYPE_ACTIONS`, each with the IAM actions the apply role needs for it.
 * @returns {} when the module has no such export
 * @throws DefinitionsFileError when the export is not `{ <resource_type>: ['service:Action', …] }`
 */
export function loadApplyPermissions(configFile?: string): ResourceTypeActions {
  const value = readModuleExports(configFile).applyPermissions;
  if (value === undefined) return {};
  const fail = (reason: string): never => {
    throw new DefinitionsFileError(configFile as string, reason);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(`the 'applyPermissions' export (${Array.isArray(value) ? 'array' : typeof value}) must be an object of Terraform resource types to IAM actions, e.g. { aws_sqs_queue: ['sqs:CreateQueue'] }`);
  }
  for (const [type, actions] of Object.entries(value as Record<string, unknown>)) {
    if (!RESOURCE_TYPE.test(type)) fail(`applyPermissions: ${JSON.stringify(type)} is not a Terraform resource type; use the type name, e.g. "aws_sqs_queue"`);
    const bad = Array.isArray(actions) ? actions.find((a) => typeof a !== 'string' || !IAM_ACTION.test(a)) : actions;
    if (!Array.isArray(actions) || actions.length === 0 || bad !== undefined) {
      fail(`applyPermissions.${type}: ${JSON.stringify(bad ?? actions)} is not a list of IAM actions; list the actions Terraform needs for the type, e.g. ["sqs:CreateQueue", "sqs:GetQueueAttributes"]`);
    }
  }
  return value as ResourceTypeActions;
}
