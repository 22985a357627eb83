/**
 * Extension points of the synth engine: a definitions module may export `stack` and `chart`
 * factories, so `deploykit synth --config team.ts` builds the team's own stack and chart classes
 * (subclasses of `EnvironmentStack` / `EnvironmentChart`) instead of deploykit's.
 */
import type { Chart } from 'cdk8s';
import type { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DefinitionsFileError, readModuleExports } from '../config';
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
