/**
 * Whether an environment's services fit in its cluster at maximum scale, by compute mode. A pod's
 * requests are its effective requests (init containers included, as the scheduler counts them).
 * - "node-groups": every service at its most replicas (the HPA's `maxReplicas`, else `replicas`) ×
 *   its pod's requests, plus the Cluster Autoscaler, summed, against the allocatable estimate of every
 *   node group at `maxSize` (the Cluster Autoscaler grows the groups up to there and no further).
 * - "auto-mode": there is no `maxSize`; every pod must fit on the largest node the built-in
 *   general-purpose node pool launches ({@link AUTO_MODE_LARGEST_INSTANCE_TYPES}). The real bound at
 *   maximum scale is the account's EC2 On-Demand vCPU quota, which synth cannot see.
 * A necessary condition, not a bin-packing proof: taints, node selectors and rollout surge pods are
 * not modelled.
 */
import { cpuMillicores, memoryMiB, type ConfigIssue, type EnvironmentDefinition, type NodeGroupDefinition, type ServiceDefinition } from '../config';
import { CLUSTER_AUTOSCALER_NAME, CLUSTER_AUTOSCALER_RESOURCES } from './constructs/cluster-autoscaler';
import { AUTO_MODE_LARGEST_INSTANCE_TYPES, instanceTypeCapacity } from './instance-types';

/** CPU and memory a node offers to pods, or pods ask for. */
export interface ResourceAmount {
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
}

/** CPU held back on every node for DaemonSets (VPC CNI, kube-proxy, EKS Pod Identity agent, CSI and log agents). */
export const DAEMONSET_CPU_MILLICORES = 250;
/** Memory held back on every node for DaemonSets. */
export const DAEMONSET_MEMORY_MIB = 300;
/** The kubelet's hard eviction threshold (`memory.available<100Mi`). */
export const EVICTION_MEMORY_MIB = 100;

/**
 * The estimated allocatable CPU and memory of one node of `instanceType`: capacity minus the EKS
 * AMI's kube-reserved (CPU 6 % of the first core, 1 % of the second, 0.5 % of the third and fourth,
 * 0.25 % of the rest; memory 255 MiB + 11 MiB per pod), the eviction threshold and the DaemonSets.
 * Undefined when the instance type is not in `INSTANCE_TYPES`.
 */
export function allocatable(instanceType: string): ResourceAmount | undefined {
  const capacity = instanceTypeCapacity(instanceType);
  if (!capacity) return undefined;
  const cores = capacity.vcpus;
  const reservedCpu =
    60 * Math.min(cores, 1) + 10 * Math.max(0, Math.min(cores, 2) - 1) + 5 * Math.max(0, Math.min(cores, 4) - 2) + 2.5 * Math.max(0, cores - 4);
  const reservedMemory = 255 + 11 * capacity.maxPods + EVICTION_MEMORY_MIB + DAEMONSET_MEMORY_MIB;
  return {
    cpuMillicores: Math.floor(cores * 1000 - reservedCpu - DAEMONSET_CPU_MILLICORES),
    memoryMiB: capacity.memoryMiB - reservedMemory,
  };
}

/** The most replicas a service runs: the HPA's maximum, else its fixed count. */
export function maxReplicasOf(service: ServiceDefinition): number {
  return service.autoscaling?.maxReplicas ?? service.replicas ?? 1;
}

/** The container whose request sets a pod's effective request of one resource. */
export interface EffectiveRequest {
  /** The amount, in millicores or MiB. */
  readonly amount: number;
  /** The request as written, e.g. `"250m"`. */
  readonly quantity: string;
  /** Where it is written, relative to the service: `resources` or `initContainers[0].resources`. */
  readonly field: string;
}

/**
 * A pod's effective request of CPU or memory, as the scheduler counts it: the larger of the sum of
 * its app containers' requests (deploykit runs one) and the largest request of its init containers,
 * which run one at a time before them. An init container without resources has the service's.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 */
export function effectiveRequest(service: ServiceDefinition, resource: 'cpu' | 'memory'): EffectiveRequest {
  const measure = resource === 'cpu' ? cpuMillicores : memoryMiB;
  let effective: EffectiveRequest = { amount: measure(service.resources.requests[resource]), quantity: service.resources.requests[resource], field: 'resources' };
  service.initContainers.forEach((init, i) => {
    const quantity = (init.resources ?? service.resources).requests[resource];
    const amount = measure(quantity);
    if (amount > effective.amount) effective = { amount, quantity, field: `initContainers[${i}].resources` };
  });
  return effective;
}

/** One pod's effective requests (see {@link effectiveRequest}). */
export function podRequests(service: ServiceDefinition): ResourceAmount {
  return { cpuMillicores: effectiveRequest(service, 'cpu').amount, memoryMiB: effectiveRequest(service, 'memory').amount };
}

interface GroupCapacity {
  readonly group: NodeGroupDefinition;
  /** The smallest of its instance types: the autoscaler may launch any of them. */
  readonly instanceType: string;
  readonly node: ResourceAmount;
}

const RESOURCES = [
  { key: 'cpuMillicores', field: 'cpu', label: 'CPU', unit: 'm' },
  { key: 'memoryMiB', field: 'memory', label: 'memory', unit: 'Mi' },
] as const;

/**
 * Problems fitting the environment's services into its cluster (by compute mode), each naming the
 * environment, the services or node group, the values and a fix. Empty when they fit.
 */
export function clusterCapacityIssues(env: EnvironmentDefinition): ConfigIssue[] {
  return env.cluster.compute === 'auto-mode' ? autoModeCapacityIssues(env) : nodeGroupCapacityIssues(env);
}

/** One instance type with the allocatable estimate of its nodes. */
export interface InstanceTypeNode {
  readonly instanceType: string;
  readonly node: ResourceAmount;
}

/**
 * The largest nodes EKS Auto Mode's general-purpose node pool may launch for one pod
 * ({@link AUTO_MODE_LARGEST_INSTANCE_TYPES}), with their allocatable estimates.
 */
export function largestAutoModeNodes(): InstanceTypeNode[] {
  return AUTO_MODE_LARGEST_INSTANCE_TYPES.map((instanceType) => ({ instanceType, node: allocatable(instanceType)! }));
}

/** True when a pod requesting `pod` fits on one of `nodes` (CPU and memory on the same node). */
export function fitsOnSomeNode(pod: ResourceAmount, nodes: readonly InstanceTypeNode[]): boolean {
  return nodes.some(({ node }) => pod.cpuMillicores <= node.cpuMillicores && pod.memoryMiB <= node.memoryMiB);
}

/** `nodes` as `<type> <cpu>m/<memory>Mi`, comma-separated, for messages. */
export function describeNodes(nodes: readonly InstanceTypeNode[]): string {
  return nodes.map(({ instanceType, node }) => `${instanceType} ${node.cpuMillicores}m/${node.memoryMiB}Mi`).join(', ');
}

/** Auto Mode: every service's pod fits on some node the general-purpose node pool may launch. */
function autoModeCapacityIssues(env: EnvironmentDefinition): ConfigIssue[] {
  const nodes = largestAutoModeNodes();
  const issues: ConfigIssue[] = [];
  for (const service of env.services) {
    const pod = podRequests(service);
    if (fitsOnSomeNode(pod, nodes)) continue;
    issues.push({
      path: `${env.name}.services.${service.name}`,
      message:
        `'resources.requests' (cpu ${JSON.stringify(service.resources.requests.cpu)}, memory ${JSON.stringify(service.resources.requests.memory)}; ${pod.cpuMillicores}m/${pod.memoryMiB}Mi) ` +
        `fits on no node EKS Auto Mode's general-purpose node pool launches (largest allocatable: ${describeNodes(nodes)}); lower the requests. ` +
        `Auto Mode has no maxSize: the account's EC2 On-Demand vCPU quota bounds the cluster at maximum scale`,
    });
  }
  return issues;
}

/** Node groups: the services at maximum scale and the Cluster Autoscaler fit in the groups at maxSize. */
function nodeGroupCapacityIssues(env: EnvironmentDefinition): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const groups: GroupCapacity[] = [];
  for (const group of env.cluster.nodeGroups) {
    let smallest: GroupCapacity | undefined;
    group.instanceTypes.forEach((instanceType, i) => {
      const node = allocatable(instanceType);
      if (!node) {
        issues.push({
          path: `${env.name}.cluster.nodeGroups.${group.name}`,
          message: `'instanceTypes[${i}]' (${JSON.stringify(instanceType)}) is not in deploykit's instance type table, so the services' fit cannot be checked; use a listed type such as "m6i.large" or add it to INSTANCE_TYPES in k8s/instance-types.ts`,
        });
        return;
      }
      if (!smallest || node.cpuMillicores + node.memoryMiB < smallest.node.cpuMillicores + smallest.node.memoryMiB) {
        smallest = { group, instanceType, node };
      }
    });
    if (smallest) groups.push(smallest);
  }
  if (issues.length > 0 || groups.length === 0) return issues;

  for (const { key, field, label, unit } of RESOURCES) {
    const largest = groups.reduce((a, b) => (b.node[key] > a.node[key] ? b : a));
    for (const service of env.services) {
      const request = effectiveRequest(service, field);
      if (request.amount > largest.node[key]) {
        issues.push({
          path: `${env.name}.services.${service.name}`,
          message: `'${request.field}.requests.${field}' (${JSON.stringify(request.quantity)}) is more than the ${largest.node[key]}${unit} allocatable ${label} of the largest node (${largest.instanceType} in node group ${largest.group.name}); lower the request or use a larger instance type`,
        });
      }
    }
    const autoscaler = { cpu: CLUSTER_AUTOSCALER_RESOURCES.cpuRequest, memory: CLUSTER_AUTOSCALER_RESOURCES.memory }[field];
    const autoscalerRequest = key === 'cpuMillicores' ? cpuMillicores(autoscaler) : memoryMiB(autoscaler);
    const demand = env.services.reduce((sum, s) => sum + maxReplicasOf(s) * podRequests(s)[key], autoscalerRequest);
    const supply = groups.reduce((sum, g) => sum + g.group.maxSize * g.node[key], 0);
    if (demand > supply) {
      const services = [
        ...env.services.map((s) => {
          const request = effectiveRequest(s, field);
          return `${s.name} ${maxReplicasOf(s)} × ${request.quantity}${request.field === 'resources' ? '' : ` (${request.field})`}`;
        }),
        `${CLUSTER_AUTOSCALER_NAME} 1 × ${autoscaler}`,
      ].join(', ');
      const nodes = groups.map((g) => `${g.group.name} ${g.group.maxSize} × ${g.instanceType} at ${g.node[key]}${unit}`).join(', ');
      issues.push({
        path: `${env.name}.services`,
        message: `'resources.requests.${field}' × maximum replicas summed over the services and the Cluster Autoscaler is ${demand}${unit} (${services}), more than the ${supply}${unit} allocatable ${label} of the node groups at 'maxSize' (${nodes}); raise maxSize, use larger instance types, or lower maxReplicas or requests`,
      });
    }
  }
  return issues;
}
