/** Example definitions with one environment on a chosen compute mode, and what its workloads ask of the cluster. */
import { defineEnvironments, memoryMiB, type Definitions, type EnvironmentDefinition } from '../../config';
import { allocatable, maxReplicasOf, podRequests } from '../../k8s/cluster-capacity';
import { CLUSTER_AUTOSCALER_RESOURCES } from '../../k8s/constructs/cluster-autoscaler';
import { cpuAtMaxScale, envInputOf, exampleInput, FIXTURE_NODE_GROUPS, useAutoMode, useNodeGroups } from './synth';

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
