/**
 * Architecture diagrams generated from the definitions: one Mermaid `architecture-beta` diagram per
 * environment (account and region, VPC and zones with their subnets, cluster and its nodes: the node
 * groups or EKS Auto Mode; repositories, namespaces with their services and scaling bounds, the CI
 * deploy role).
 * Derived from the definitions only, so it is exactly what synth builds.
 * @see https://mermaid.js.org/syntax/architecture.html
 */
import {
  ciDeployRoleName,
  clusterName,
  namespaceName,
  repositoryName,
  type Definitions,
  type EnvironmentDefinition,
} from '../../config';

/** Mermaid identifier of the nodes of an EKS Auto Mode cluster. */
const AUTO_MODE_NODES = 'auto_mode_nodes';

/** Mermaid identifier for a name (`company-web` → `company_web`). */
function id(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

/** Label text Mermaid accepts inside `[...]`. */
function label(text: string): string {
  return text.replace(/[[\]()"`]/g, '').replace(/\s+/g, ' ').trim();
}

/** The Mermaid `architecture-beta` source of one environment. */
export function environmentDiagram(defs: Definitions, env: EnvironmentDefinition): string {
  const lines: string[] = ['architecture-beta'];
  const group = (gid: string, icon: string, text: string, parent?: string) =>
    lines.push(`  group ${gid}(${icon})[${label(text)}]${parent ? ` in ${parent}` : ''}`);
  const service = (sid: string, icon: string, text: string, parent?: string) =>
    lines.push(`  service ${sid}(${icon})[${label(text)}]${parent ? ` in ${parent}` : ''}`);

  group('account', 'cloud', `AWS ${env.account} ${env.region} - ${env.name} ${env.tier}`);
  group('vpc', 'cloud', `VPC ${env.network.vpcCidr}`, 'account');
  env.network.availabilityZones.forEach((zone, i) => {
    const zid = id('zone', zone);
    group(zid, 'cloud', zone, 'vpc');
    service(id('public', zone), 'internet', `public ${env.network.publicSubnetCidrs[i]}`, zid);
    service(id('private', zone), 'server', `private ${env.network.privateSubnetCidrs[i]}`, zid);
  });
  const endpoint = env.cluster.endpointAccess === 'private' ? 'private endpoint' : 'public endpoint, restricted';
  service('cluster', 'server', `EKS ${clusterName(defs.system, env)} v${env.cluster.kubernetesVersion}, ${endpoint}`, 'vpc');
  // The nodes by compute mode: the managed node groups the Cluster Autoscaler scales, or Auto Mode's.
  for (const ng of env.cluster.nodeGroups) {
    service(
      id('nodes', ng.name),
      'server',
      `node group ${ng.name}: ${ng.instanceTypes.join(' ')} ${ng.capacityType}, ${ng.minSize} to ${ng.maxSize} nodes by the Cluster Autoscaler`,
      'vpc',
    );
  }
  if (env.cluster.compute === 'auto-mode') service(AUTO_MODE_NODES, 'server', 'EKS Auto Mode nodes, launched and scaled by EKS for the pods', 'vpc');
  group('workloads', 'cloud', 'Kubernetes workloads', 'vpc');
  for (const svc of env.services) {
    const ns = id('ns', namespaceName(svc));
    group(ns, 'cloud', `namespace ${namespaceName(svc)}`, 'workloads');
    const scale = svc.autoscaling
      ? `HPA ${svc.autoscaling.minReplicas} to ${svc.autoscaling.maxReplicas} at ${svc.autoscaling.targetCpuUtilizationPercent}% CPU`
      : `${svc.replicas} replicas`;
    service(id('svc', svc.name), 'server', `${svc.name}: ${scale}, port ${svc.servicePort} to ${svc.containerPort}`, ns);
    service(id('ecr', svc.name), 'disk', `ECR ${repositoryName(svc)}`, 'account');
  }
  service('ci', 'internet', `CI role ${ciDeployRoleName(defs.system, env)}`);

  for (const ng of env.cluster.nodeGroups) lines.push(`  ${id('nodes', ng.name)}:T -- B:cluster`);
  if (env.cluster.compute === 'auto-mode') lines.push(`  ${AUTO_MODE_NODES}:T -- B:cluster`);
  for (const svc of env.services) {
    lines.push(`  ${id('svc', svc.name)}:R --> L:${id('ecr', svc.name)}`);
    lines.push(`  ci:B --> T:${id('ecr', svc.name)}`);
  }
  lines.push('  ci:L --> R:cluster');
  return `${lines.join('\n')}\n`;
}

/** Every environment's diagram as Markdown: a heading and a fenced `mermaid` block each. */
export function diagramsMarkdown(defs: Definitions, envs: readonly EnvironmentDefinition[]): string {
  return envs
    .map((env) => `### ${env.name}\n\n\`\`\`mermaid\n${environmentDiagram(defs, env)}\`\`\`\n`)
    .join('\n');
}
