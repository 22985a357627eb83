/** Builds rule contexts from small Terraform / Kubernetes fixtures and runs one rule on them. */
import { defineEnvironments, type Definitions } from '../../config';
import type { CheckContext, ProjectContext } from '../../policy/context';
import { KubernetesObjects, type KubernetesObject } from '../../policy/kubernetes-objects';
import { parsePipelineFile } from '../../policy/pipeline-files';
import { TerraformConfig } from '../../policy/terraform-config';
import type { Rule } from '../../policy/types';
import type { ResourceTypeActions } from '../../infra/bootstrap/apply-permissions';
import { exampleInput } from '../support/synth';

export interface FixtureOptions {
  /** `resource` / `data` / `terraform` blocks of a cdk.tf.json. */
  readonly terraform?: Record<string, unknown>;
  readonly kubernetes?: readonly Record<string, unknown>[];
  /** Environment of the example to use. @default "prod" */
  readonly env?: string;
  readonly now?: Date;
  readonly definitions?: Definitions;
  /** The team's apply-role extension (`applyPermissions`). @default {} */
  readonly applyPermissions?: ResourceTypeActions;
}

/** A context for one environment of the example definitions with the given outputs. */
export function fixtureContext(options: FixtureOptions = {}): CheckContext {
  const definitions = options.definitions ?? defineEnvironments(exampleInput());
  const env = definitions.environments.find((e) => e.name === (options.env ?? 'prod'))!;
  const kubernetes = new KubernetesObjects();
  kubernetes.add((options.kubernetes ?? []) as KubernetesObject[], `${env.name}/kubernetes/fixture.yaml`);
  return {
    system: definitions.system,
    definitions,
    env,
    terraform: new TerraformConfig(options.terraform ?? {}),
    terraformFile: `${env.name}/terraform/cdk.tf.json`,
    kubernetes,
    now: options.now ?? new Date('2026-01-15T00:00:00Z'),
    applyPermissions: options.applyPermissions ?? {},
  };
}

/** A project context over several environment contexts and pipeline texts. */
export function fixtureProject(contexts: CheckContext[], pipelines: { gitlab?: string; github?: string } = {}): ProjectContext {
  const files = [
    ...(pipelines.gitlab !== undefined ? [parsePipelineFile('gitlab', '.gitlab-ci.yml', pipelines.gitlab)] : []),
    ...(pipelines.github !== undefined ? [parsePipelineFile('github', '.github/workflows/deploy.yml', pipelines.github)] : []),
  ];
  return { definitions: contexts[0].definitions, environments: contexts, pipelines: files, now: contexts[0].now };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The findings of one rule as `{ target, value }` pairs (sorted), for exact assertions. */
export function findingsOf(rule: Rule, ctx: CheckContext | ProjectContext): { target: string; value: string }[] {
  const found = rule.scope === 'environment' ? [...rule.check(ctx as CheckContext)] : [...rule.check(ctx as ProjectContext)];
  return found.map((f) => ({ target: f.target, value: f.value })).sort((a, b) => cmp(a.target, b.target) || cmp(a.value, b.value));
}

/** `resource` block helper: `{ type: { name: values } }`. */
export function resources(blocks: Record<string, Record<string, Record<string, unknown>>>): Record<string, unknown> {
  return { resource: blocks };
}

