/**
 * Cross-layer cluster rules: the cluster can hold every workload at maximum scale (node groups at
 * max size; with EKS Auto Mode, each pod fits a node the general-purpose pool launches), pods spread
 * over the zones the node groups span, HPAs run only where the metrics-server add-on does, and
 * NetworkPolicies exist only where the cluster enforces them.
 */
import { AUTO_MODE_NETWORK_POLICY_CONFIG_MAP, cpuMillicores, memoryMiB } from '../../config';
import { allocatable, describeNodes, fitsOnSomeNode, largestAutoModeNodes } from '../../k8s/cluster-capacity';
import { podTemplateOf, selects, targetOf, type PodSpec } from '../kubernetes-objects';
import { block, blocks, strings, type TerraformConfig } from '../terraform-config';
import type { EnvironmentRule } from '../types';
import { replicaBounds } from './kubernetes-workloads';
import { subnetZones } from './terraform-eks';

/** The instance type managed node groups use when `instance_types` is unset. */
const DEFAULT_INSTANCE_TYPE = 't3.medium';
const ZONE_KEY = 'topology.kubernetes.io/zone';
/** The built-in EKS Auto Mode node pool that runs ordinary pods (the `system` pool is tainted for add-ons). */
const GENERAL_PURPOSE_POOL = 'general-purpose';

interface Amount {
  cpu: number;
  memory: number;
}

/** Node groups that take ordinary pods (no NoSchedule/NoExecute taints), with their per-node allocatable. */
function schedulableGroups(tf: TerraformConfig) {
  return tf
    .ofType('aws_eks_node_group')
    .filter((ng) => !blocks(ng.values.taint).some((t) => t.effect === 'NO_SCHEDULE' || t.effect === 'NO_EXECUTE'))
    .map((ng) => {
      const types = strings(ng.values.instance_types);
      const nodes = (types.length ? types : [DEFAULT_INSTANCE_TYPE]).map((t) => ({ type: t, node: allocatable(t) }));
      const known = nodes.filter((n): n is { type: string; node: NonNullable<typeof n.node> } => n.node !== undefined);
      const smallest = known.reduce<(typeof known)[number] | undefined>((a, b) => (!a || b.node.cpuMillicores + b.node.memoryMiB < a.node.cpuMillicores + a.node.memoryMiB ? b : a), undefined);
      const max = Number(block(ng.values.scaling_config).max_size ?? 0);
      return { ng, smallest, unknown: nodes.length !== known.length, max };
    });
}

function quantity(parse: (q: string) => number, value: string | undefined): number {
  if (!value) return 0;
  try {
    return parse(value);
  } catch {
    return 0;
  }
}

/**
 * A pod's effective requests, as the scheduler counts them: the larger of its app containers plus
 * sidecars (init containers with restartPolicy Always) and, for each other init container, its
 * request plus the sidecars started before it.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#resource-sharing-within-containers
 */
function podRequestsOf(spec: PodSpec): Amount {
  const request = (c: { resources?: { requests?: Record<string, string> } }): Amount => ({
    cpu: quantity(cpuMillicores, c.resources?.requests?.cpu),
    memory: quantity(memoryMiB, c.resources?.requests?.memory),
  });
  const sidecars: Amount = { cpu: 0, memory: 0 };
  const init: Amount = { cpu: 0, memory: 0 };
  for (const c of spec.initContainers ?? []) {
    const r = request(c);
    if (c.restartPolicy === 'Always') {
      sidecars.cpu += r.cpu;
      sidecars.memory += r.memory;
    }
    init.cpu = Math.max(init.cpu, c.restartPolicy === 'Always' ? sidecars.cpu : sidecars.cpu + r.cpu);
    init.memory = Math.max(init.memory, c.restartPolicy === 'Always' ? sidecars.memory : sidecars.memory + r.memory);
  }
  const app = (spec.containers ?? []).reduce((sum, c) => ({ cpu: sum.cpu + request(c).cpu, memory: sum.memory + request(c).memory }), sidecars);
  return { cpu: Math.max(app.cpu, init.cpu), memory: Math.max(app.memory, init.memory) };
}

export const capacityAtMaxScale: EnvironmentRule = {
  id: 'DK-X-006',
  name: 'NodeGroupsHoldMaxScale',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title:
    "The node groups at max size can hold every workload at its maximum replicas (sum of requests); with EKS Auto Mode, every pod fits on the largest node the general-purpose node pool launches",
  fix: "raise the node groups' maxSize or instance size, or lower maxReplicas or requests; with EKS Auto Mode, lower the pod's requests",
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/best-practices/cas.html',
  *check({ kubernetes, terraform: tf }) {
    const workloads = [...kubernetes.ofKind('Deployment'), ...kubernetes.ofKind('StatefulSet')];
    const autoMode = tf.ofType('aws_eks_cluster').find((c) => {
      const compute = block(c.values.compute_config);
      return compute.enabled === true && strings(compute.node_pools).includes(GENERAL_PURPOSE_POOL);
    });
    if (autoMode) {
      // Auto Mode launches nodes for pending pods with no maxSize (the account's EC2 quotas bound it):
      // what can fail for certain is a pod larger than any node the pool launches.
      const nodes = largestAutoModeNodes();
      for (const w of workloads) {
        const pod = podTemplateOf(w);
        if (!pod) continue;
        const perPod = podRequestsOf(pod.spec);
        if (fitsOnSomeNode({ cpuMillicores: perPod.cpu, memoryMiB: perPod.memory }, nodes)) continue;
        yield {
          target: targetOf(w),
          value: `${perPod.cpu}m/${perPod.memory}Mi per pod`,
          message: `one pod requests more than any node EKS Auto Mode's ${GENERAL_PURPOSE_POOL} node pool of ${autoMode.address} launches (largest allocatable: ${describeNodes(nodes)})`,
          file: kubernetes.fileOf(w),
        };
      }
      return;
    }
    const groups = schedulableGroups(tf);
    if (groups.length === 0 || groups.some((g) => g.unknown || !g.smallest)) return;
    const supply: Amount = { cpu: 0, memory: 0 };
    let largest: Amount = { cpu: 0, memory: 0 };
    for (const g of groups) {
      const node = g.smallest!.node;
      supply.cpu += g.max * node.cpuMillicores;
      supply.memory += g.max * node.memoryMiB;
      largest = { cpu: Math.max(largest.cpu, node.cpuMillicores), memory: Math.max(largest.memory, node.memoryMiB) };
    }
    const demand: Amount = { cpu: 0, memory: 0 };
    const parts: string[] = [];
    for (const w of workloads) {
      const pod = podTemplateOf(w);
      if (!pod) continue;
      const perPod = podRequestsOf(pod.spec);
      const { max } = replicaBounds(kubernetes, w);
      demand.cpu += max * perPod.cpu;
      demand.memory += max * perPod.memory;
      parts.push(`${w.metadata.name} ${max} × ${perPod.cpu}m/${perPod.memory}Mi`);
      if (perPod.cpu > largest.cpu || perPod.memory > largest.memory) {
        yield { target: targetOf(w), value: `${perPod.cpu}m/${perPod.memory}Mi per pod`, message: `one pod requests more than the largest node offers (${largest.cpu}m/${largest.memory}Mi)`, file: kubernetes.fileOf(w) };
      }
    }
    const target = groups.length === 1 ? groups[0].ng.address : (tf.ofType('aws_eks_cluster')[0]?.address ?? 'aws_eks_node_group');
    const nodes = groups.map((g) => `${g.ng.address} ${g.max} × ${g.smallest!.type}`).join(', ');
    if (demand.cpu > supply.cpu) {
      yield { target, value: `cpu ${demand.cpu}m > ${supply.cpu}m`, message: `workloads at max replicas request ${demand.cpu}m CPU (${parts.join(', ')}); node groups at max size offer ${supply.cpu}m (${nodes})` };
    }
    if (demand.memory > supply.memory) {
      yield { target, value: `memory ${demand.memory}Mi > ${supply.memory}Mi`, message: `workloads at max replicas request ${demand.memory}Mi memory (${parts.join(', ')}); node groups at max size offer ${supply.memory}Mi (${nodes})` };
    }
  },
};

export const zoneSpread: EnvironmentRule = {
  id: 'DK-X-007',
  name: 'PodsSpreadOverZones',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title: 'Replicated workloads spread over zones, and the node groups span at least two zones',
  fix: `add a topologySpreadConstraint on ${ZONE_KEY} selecting the pods, and give node groups private subnets in two or more zones`,
  upstream: [{ tool: 'Polaris', id: 'topologySpreadConstraint' }, { tool: 'kube-score', id: 'deployment-replicas / pod topology' }],
  helpUri: 'https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/',
  *check({ kubernetes, terraform: tf }) {
    for (const ng of tf.ofType('aws_eks_node_group')) {
      const { zones, unresolved } = subnetZones(tf, ng.values.subnet_ids);
      if (unresolved === 0 && zones.size < 2) yield { target: ng.address, value: JSON.stringify([...zones].sort()), message: `the node group's subnets span ${zones.size} availability zone(s); its pods cannot survive a zone outage` };
    }
    for (const d of kubernetes.ofKind('Deployment')) {
      const pod = podTemplateOf(d);
      if (!pod || replicaBounds(kubernetes, d).max < 2) continue;
      const spread = (pod.spec.topologySpreadConstraints ?? []).some((t) => t.topologyKey === ZONE_KEY && selects(t.labelSelector, pod.labels));
      if (!spread) yield { target: targetOf(d), value: 'no zone spread', message: `no topologySpreadConstraint on ${ZONE_KEY} selects the pods`, file: kubernetes.fileOf(d) };
    }
  },
};

export const hpaNeedsMetricsServer: EnvironmentRule = {
  id: 'DK-X-008',
  name: 'HpaNeedsMetricsServer',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title: 'HorizontalPodAutoscalers exist only where the cluster runs the metrics-server add-on',
  fix: 'add aws_eks_addon { addon_name = "metrics-server" } to the cluster, or remove autoscaling',
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/metrics-server.html',
  *check({ kubernetes, terraform: tf }) {
    if (tf.ofType('aws_eks_addon').some((a) => a.values.addon_name === 'metrics-server')) return;
    for (const hpa of kubernetes.ofKind('HorizontalPodAutoscaler')) {
      yield { target: targetOf(hpa), value: 'no metrics-server add-on', message: 'the cluster has no aws_eks_addon "metrics-server", so the HPA gets no metrics', file: kubernetes.fileOf(hpa) };
    }
  },
};

/** True when the `configuration_values` (JSON) of a `vpc-cni` add-on switch network policy enforcement on. */
function enablesNetworkPolicy(configurationValues: unknown): boolean {
  if (typeof configurationValues !== 'string') return false;
  try {
    return (JSON.parse(configurationValues) as Record<string, unknown> | null)?.enableNetworkPolicy === 'true';
  } catch {
    return false;
  }
}

const { namespace: NP_NAMESPACE, name: NP_CONFIG_MAP, key: NP_KEY, value: NP_VALUE } = AUTO_MODE_NETWORK_POLICY_CONFIG_MAP;

export const networkPoliciesEnforced: EnvironmentRule = {
  id: 'DK-X-010',
  name: 'NetworkPoliciesEnforced',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title: `NetworkPolicies exist only where the cluster enforces them (vpc-cni add-on with enableNetworkPolicy "true"; with EKS Auto Mode, the ConfigMap ${NP_NAMESPACE}/${NP_CONFIG_MAP} with ${NP_KEY}: "${NP_VALUE}")`,
  fix: `set configuration_values = jsonencode({ enableNetworkPolicy = "true" }) on the aws_eks_addon "vpc-cni", or with EKS Auto Mode apply the ConfigMap ${NP_NAMESPACE}/${NP_CONFIG_MAP} with data ${NP_KEY}: "${NP_VALUE}" (deploykit does both)`,
  upstream: [{ tool: 'CIS EKS', id: '4.3.2' }],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html',
  *check({ kubernetes, terraform: tf }) {
    const policies = kubernetes.ofKind('NetworkPolicy');
    const clusters = tf.ofType('aws_eks_cluster');
    if (policies.length === 0 || clusters.length === 0) return;
    const unenforced = `${policies.length} NetworkPolicies (${policies.map(targetOf).slice(0, 3).join(', ')}${policies.length > 3 ? ', …' : ''}) would be accepted and ignored`;
    const autoMode = clusters.filter((c) => block(c.values.compute_config).enabled === true);
    if (autoMode.length > 0) {
      // Auto Mode nodes enforce NetworkPolicies only once this ConfigMap switches the controller on.
      const configMap = kubernetes.find('ConfigMap', NP_NAMESPACE, NP_CONFIG_MAP);
      const value = (configMap as { data?: Record<string, unknown> } | undefined)?.data?.[NP_KEY];
      if (value !== NP_VALUE) {
        yield {
          target: autoMode[0].address,
          value: configMap ? `${NP_KEY} = ${JSON.stringify(value ?? null)}` : `no ConfigMap ${NP_NAMESPACE}/${NP_CONFIG_MAP}`,
          message: `the cluster runs EKS Auto Mode, which enforces NetworkPolicies only when the ConfigMap ${NP_NAMESPACE}/${NP_CONFIG_MAP} sets ${NP_KEY}: "${NP_VALUE}"; ${unenforced}`,
        };
      }
      if (autoMode.length === clusters.length) return;
    }
    const addons = tf.ofType('aws_eks_addon').filter((a) => a.values.addon_name === 'vpc-cni');
    if (addons.length === 0) {
      yield { target: clusters[0].address, value: 'no vpc-cni add-on', message: `the cluster has no aws_eks_addon "vpc-cni" enforcing NetworkPolicies; ${unenforced}` };
      return;
    }
    for (const addon of addons.filter((a) => !enablesNetworkPolicy(a.values.configuration_values))) {
      const values = addon.values.configuration_values;
      yield {
        target: addon.address,
        value: values === undefined ? 'configuration_values missing' : `configuration_values = ${String(values)}`,
        message: `the vpc-cni add-on does not set enableNetworkPolicy to "true"; ${unenforced}`,
      };
    }
  },
};

export const CROSS_LAYER_CLUSTER_RULES: readonly EnvironmentRule[] = [capacityAtMaxScale, zoneSpread, hpaNeedsMetricsServer, networkPoliciesEnforced];
