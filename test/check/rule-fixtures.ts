/** Builds rule contexts from small Terraform / Kubernetes fixtures and runs one rule on them. */
import { defineEnvironments, memoryMiB, type Definitions, type EnvironmentDefinition } from '../../config';
import type { CheckContext, ProjectContext } from '../../cli/check/context';
import { KubernetesObjects, type KubernetesObject } from '../../cli/check/kubernetes-objects';
import { parsePipelineFile } from '../../cli/check/pipeline-files';
import { TerraformConfig } from '../../cli/check/terraform-config';
import type { Rule } from '../../cli/check/types';
import type { ResourceTypeActions } from '../../infra/bootstrap/apply-permissions';
import { allocatable, maxReplicasOf, podRequests } from '../../k8s/cluster-capacity';
import { CLUSTER_AUTOSCALER_RESOURCES } from '../../k8s/constructs/cluster-autoscaler';
import { cpuAtMaxScale, envInputOf, exampleInput, FIXTURE_NODE_GROUPS, useAutoMode, useNodeGroups } from '../support/synth';

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

/** CPU (millicores) and memory (MiB) an environment's workloads request at their maximum replicas, the Cluster Autoscaler included with node groups. */
export function demandAtMaxScale(env: EnvironmentDefinition): { cpu: number; memory: number } {
  const autoscaler = env.cluster.compute === 'node-groups' ? memoryMiB(CLUSTER_AUTOSCALER_RESOURCES.memory) : 0;
  return { cpu: cpuAtMaxScale(env), memory: env.services.reduce((sum, s) => sum + maxReplicasOf(s) * podRequests(s).memoryMiB, autoscaler) };
}

/** The allocatable estimate of one node of the fixture node group (FIXTURE_NODE_GROUPS.general). */
export function fixtureNode(): { cpu: number; memory: number } {
  const node = allocatable(FIXTURE_NODE_GROUPS.general.instanceTypes[0])!;
  return { cpu: node.cpuMillicores, memory: node.memoryMiB };
}

/**
 * The example with environment `env` on `compute`: EKS Auto Mode, or the fixture node group with a
 * `maxSize` that holds the environment's workloads at maximum scale (derived from its definition) and
 * no Ingress (node groups run no ALB controller, DK-X-011), so that `deploykit check` passes on either.
 */
export function exampleWithCompute(env: string, compute: 'auto-mode' | 'node-groups'): Definitions {
  const input = exampleInput();
  const envInput = envInputOf(input, env);
  if (compute === 'auto-mode') {
    useAutoMode(envInput);
    return defineEnvironments(input);
  }
  useNodeGroups(envInput);
  for (const service of Object.values<any>(envInput.services ?? {})) delete service?.ingress;
  const demand = demandAtMaxScale(defineEnvironments(input).environments.find((e) => e.name === env)!);
  const node = fixtureNode();
  const needed = Math.max(Math.ceil(demand.cpu / node.cpu), Math.ceil(demand.memory / node.memory));
  envInput.cluster.nodeGroups.general.maxSize = Math.max(needed, FIXTURE_NODE_GROUPS.general.desiredSize);
  return defineEnvironments(input);
}
