/** Helpers that synthesize into throwaway directories. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError, cpuMillicores, defineEnvironments, exampleDefinitions, type ConfigIssue, type Definitions, type EnvironmentDefinition } from '../../config';
import { allocatable, maxReplicasOf, podRequests } from '../../k8s/cluster-capacity';
import { CLUSTER_AUTOSCALER_RESOURCES } from '../../k8s/constructs/cluster-autoscaler';

/** A fresh, empty temporary directory. */
export function tempDir(prefix = 'deploykit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Moves an environment of a raw input to another account: its `account`, and the account inside the ARNs
 * of its AWS secret references (which must be in the environment's own account).
 */
export function moveToAccount(envInput: any, account: string): void {
  const previous = envInput.account;
  envInput.account = account;
  for (const svc of Object.values<any>(envInput.services ?? {})) {
    for (const ref of Object.values<any>(svc?.secretEnv ?? {})) {
      for (const source of [ref?.secretsManager, ref?.ssmParameter]) {
        if (typeof source?.arn === 'string') source.arn = source.arn.replace(`:${previous}:`, `:${account}:`);
      }
    }
  }
}

/**
 * Managed node groups for a test fixture: tests that reason about node groups set them explicitly
 * ({@link useNodeGroups}), so they do not depend on the compute mode the example happens to use.
 */
export const FIXTURE_NODE_GROUPS = {
  general: { instanceTypes: ['m6i.large'], minSize: 2, desiredSize: 2, maxSize: 4 },
} as const;

/** Puts one environment of a raw input on managed node groups (compute "node-groups"). */
export function useNodeGroups(envInput: any, nodeGroups: Record<string, unknown> = FIXTURE_NODE_GROUPS): any {
  envInput.cluster.compute = 'node-groups';
  envInput.cluster.nodeGroups = structuredClone(nodeGroups);
  return envInput;
}

/** Puts one environment of a raw input on EKS Auto Mode (compute "auto-mode", no node groups). */
export function useAutoMode(envInput: any): any {
  envInput.cluster.compute = 'auto-mode';
  delete envInput.cluster.nodeGroups;
  return envInput;
}

/** The raw input of one environment by name. */
export function envInputOf(input: any, name: string): any {
  const found = input.environments.find((e: any) => e.name === name);
  if (!found) throw new Error(`no environment ${name} in the input`);
  return found;
}

/** A deep copy of the example input, safe to mutate in a test. */
export function exampleInput(): any {
  return structuredClone(exampleDefinitions);
}

/** Every issue `defineEnvironments` reports for a mutated copy of the example (none when it is valid). */
export function configIssuesOf(mutate: (input: any) => void): ConfigIssue[] {
  const input = exampleInput();
  mutate(input);
  try {
    defineEnvironments(input);
  } catch (err) {
    if (err instanceof ValidationError) return [...err.issues];
    throw err;
  }
  return [];
}

/** The example definitions, resolved. */
export function exampleDefs(): Definitions {
  return defineEnvironments(exampleInput());
}

/** The Kubernetes files of one environment in a synth output, as listed in its `manifest.json`. */
export function kubernetesFiles(out: string, env: string): string[] {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  return manifest.environments[env].kubernetes;
}

/** The text of every Kubernetes file of one environment in a synth output, joined as one multi-document stream. */
export function kubernetesText(out: string, env: string): string {
  return kubernetesFiles(out, env)
    .map((file) => readFileSync(join(out, file), 'utf8'))
    .join('---\n');
}

/** CPU (millicores) an environment's services request at their maximum replicas, plus the Cluster Autoscaler with node groups, from its definition. */
export function cpuAtMaxScale(env: EnvironmentDefinition): number {
  const autoscaler = env.cluster.compute === 'node-groups' ? cpuMillicores(CLUSTER_AUTOSCALER_RESOURCES.cpuRequest) : 0;
  return env.services.reduce((sum, s) => sum + maxReplicasOf(s) * podRequests(s).cpuMillicores, autoscaler);
}

/** Allocatable CPU (millicores) of `nodes` nodes of a node group, counting its smallest instance type. */
export function nodeGroupCpu(env: EnvironmentDefinition, group: string, nodes: number): number {
  const types = env.cluster.nodeGroups.find((g) => g.name === group)!.instanceTypes;
  return nodes * Math.min(...types.map((t) => allocatable(t)!.cpuMillicores));
}
