/** Terraform rules for managed node groups: private subnets only, sane sizing. */
import { block, show, strings, type TerraformConfig, type TerraformResource } from '../terraform-config';
import type { EnvironmentRule } from '../types';

function routesToInternetGateway(tf: TerraformConfig, route: Record<string, unknown>): boolean {
  const gateway = route.gateway_id;
  if (tf.resolve(gateway, 'aws_internet_gateway')) return true;
  return typeof gateway === 'string' && gateway.startsWith('igw-');
}

/**
 * Why a subnet is public, or undefined when it is private: it assigns public IPs at launch, or
 * its route table sends traffic to an internet gateway.
 */
export function publicSubnetReason(tf: TerraformConfig, subnet: TerraformResource): string | undefined {
  if (subnet.values.map_public_ip_on_launch === true) return 'map_public_ip_on_launch = true';
  for (const assoc of tf.ofType('aws_route_table_association')) {
    if (!tf.refersTo(assoc.values.subnet_id, subnet)) continue;
    const table = tf.resolve(assoc.values.route_table_id, 'aws_route_table')?.resource;
    if (!table) continue;
    const inline = (Array.isArray(table.values.route) ? table.values.route : []) as Record<string, unknown>[];
    const routes = [...inline, ...tf.ofType('aws_route').filter((r) => tf.refersTo(r.values.route_table_id, table)).map((r) => r.values)];
    if (routes.some((r) => routesToInternetGateway(tf, r))) return `routed to an internet gateway by ${table.address}`;
  }
  return undefined;
}

export const nodeGroupPrivateSubnets: EnvironmentRule = {
  id: 'DK-TF-008',
  name: 'NodeGroupPrivateSubnets',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'Node groups run only in private subnets',
  fix: "put node groups in the private subnets (no internet-gateway route, no 'map_public_ip_on_launch')",
  upstream: [{ tool: 'CIS EKS', id: '5.4.3' }],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/best-practices/subnets.html',
  *check({ terraform: tf }) {
    for (const ng of tf.ofType('aws_eks_node_group')) {
      for (const id of strings(ng.values.subnet_ids)) {
        const subnet = tf.resolve(id, 'aws_subnet')?.resource;
        const reason = subnet && publicSubnetReason(tf, subnet);
        if (subnet && reason) yield { target: ng.address, value: subnet.address, message: `subnet ${subnet.address} is public (${reason})` };
      }
    }
  },
};

export const nodeGroupSizing: EnvironmentRule = {
  id: 'DK-TF-009',
  name: 'NodeGroupSizing',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'Node group sizes hold min <= desired <= max, and min >= 2 in production',
  fix: "make minSize <= desiredSize <= maxSize, with minSize >= 2 in production so one node can fail or be replaced",
  upstream: [{ tool: 'CIS EKS', id: 'EKS best practices: reliability' }],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html',
  *check({ terraform: tf, env }) {
    for (const ng of tf.ofType('aws_eks_node_group')) {
      const s = block(ng.values.scaling_config);
      const [min, desired, max] = [s.min_size, s.desired_size, s.max_size];
      if (typeof min !== 'number' || typeof desired !== 'number' || typeof max !== 'number') {
        yield { target: ng.address, value: show({ min_size: min, desired_size: desired, max_size: max }), message: "'scaling_config' is incomplete" };
        continue;
      }
      if (min > desired || desired > max) {
        yield { target: ng.address, value: `${min} <= ${desired} <= ${max}`, message: "'scaling_config' min_size <= desired_size <= max_size does not hold" };
      }
      if (env.tier === 'production' && min < 2) {
        yield { target: ng.address, value: `min_size = ${min}`, message: "'scaling_config.min_size' is below 2 in a production environment" };
      }
    }
  },
};

export const TERRAFORM_NODE_GROUP_RULES: readonly EnvironmentRule[] = [nodeGroupPrivateSubnets, nodeGroupSizing];
