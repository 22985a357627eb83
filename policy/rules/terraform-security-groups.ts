/** Terraform rules for security groups: no admin ports open to the world, every rule described. */
import { block, blocks, show, strings, type TerraformConfig, type TerraformResource } from '../terraform-config';
import type { EnvironmentRule } from '../types';

/** One security-group rule, normalized across the three ways the provider writes them. */
interface SgRule {
  /** Resource the rule is written in, and where inside it. */
  readonly owner: TerraformResource;
  readonly where: string;
  readonly direction: 'ingress' | 'egress';
  /** The group the rule belongs to (undefined when it cannot be resolved). */
  readonly group: TerraformResource | undefined;
  readonly fromPort: number;
  readonly toPort: number;
  readonly allPorts: boolean;
  readonly sources: readonly string[];
  readonly description: unknown;
}

const WORLD = new Set(['0.0.0.0/0', '::/0']);
/** Ports that administer a host or a cluster. */
const ADMIN_PORTS: readonly { port: number; what: string }[] = [
  { port: 22, what: 'SSH' },
  { port: 3389, what: 'RDP' },
  { port: 6443, what: 'the Kubernetes API' },
];

function isAllProtocols(protocol: unknown): boolean {
  return protocol === '-1' || protocol === -1 || protocol === 'all';
}

function rulesOf(tf: TerraformConfig): SgRule[] {
  const out: SgRule[] = [];
  for (const sg of tf.ofType('aws_security_group')) {
    for (const direction of ['ingress', 'egress'] as const) {
      blocks(sg.values[direction]).forEach((r, i) =>
        out.push({
          owner: sg,
          where: `${direction}[${i}]`,
          direction,
          group: sg,
          fromPort: Number(r.from_port ?? 0),
          toPort: Number(r.to_port ?? 65535),
          allPorts: isAllProtocols(r.protocol),
          sources: [...strings(r.cidr_blocks), ...strings(r.ipv6_cidr_blocks)],
          description: r.description,
        }),
      );
    }
  }
  for (const r of tf.ofType('aws_security_group_rule')) {
    out.push({
      owner: r,
      where: '',
      direction: r.values.type === 'egress' ? 'egress' : 'ingress',
      group: tf.resolve(r.values.security_group_id, 'aws_security_group')?.resource,
      fromPort: Number(r.values.from_port ?? 0),
      toPort: Number(r.values.to_port ?? 65535),
      allPorts: isAllProtocols(r.values.protocol),
      sources: [...strings(r.values.cidr_blocks), ...strings(r.values.ipv6_cidr_blocks)],
      description: r.values.description,
    });
  }
  for (const direction of ['ingress', 'egress'] as const) {
    for (const r of tf.ofType(`aws_vpc_security_group_${direction}_rule`)) {
      out.push({
        owner: r,
        where: '',
        direction,
        group: tf.resolve(r.values.security_group_id, 'aws_security_group')?.resource,
        fromPort: Number(r.values.from_port ?? 0),
        toPort: Number(r.values.to_port ?? r.values.from_port ?? 65535),
        allPorts: isAllProtocols(r.values.ip_protocol),
        sources: [...strings(r.values.cidr_ipv4), ...strings(r.values.cidr_ipv6)],
        description: r.values.description,
      });
    }
  }
  return out;
}

/** True when the rule's group protects an EKS control plane (listed in a cluster's vpc_config, or the cluster security group). */
function isClusterGroup(tf: TerraformConfig, rule: SgRule): boolean {
  const owner = rule.owner.values.security_group_id;
  return tf.ofType('aws_eks_cluster').some((c) => {
    if (tf.resolve(owner)?.resource === c) return true;
    return rule.group !== undefined && strings(block(c.values.vpc_config).security_group_ids).some((id) => tf.refersTo(id, rule.group as TerraformResource));
  });
}

const targetOf = (r: SgRule) => (r.where ? `${r.owner.address}.${r.where}` : r.owner.address);

export const securityGroupAdminPorts: EnvironmentRule = {
  id: 'DK-TF-017',
  name: 'SecurityGroupAdminPortsClosed',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'No security group opens admin ports (22, 3389, 6443, 443 on the cluster) to 0.0.0.0/0 or ::/0',
  fix: 'restrict the source to known networks or security groups; reach nodes through SSM, the cluster through its endpoint settings',
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_24' },
    { tool: 'Checkov', id: 'CKV_AWS_25' },
    { tool: 'Trivy', id: 'AVD-AWS-0107' },
  ],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html',
  *check({ terraform: tf }) {
    for (const rule of rulesOf(tf)) {
      if (rule.direction !== 'ingress') continue;
      const open = rule.sources.filter((s) => WORLD.has(s));
      if (open.length === 0) continue;
      const ports = isClusterGroup(tf, rule) ? [...ADMIN_PORTS, { port: 443, what: 'the cluster API' }] : ADMIN_PORTS;
      for (const { port, what } of ports) {
        if (rule.allPorts || (rule.fromPort <= port && port <= rule.toPort)) {
          yield { target: targetOf(rule), value: `${open.join(', ')} → ${port}`, message: `ingress opens port ${port} (${what}) to ${open.join(', ')}` };
        }
      }
    }
  },
};

export const securityGroupDescriptions: EnvironmentRule = {
  id: 'DK-TF-018',
  name: 'SecurityGroupRuleDescriptions',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'Every security group and security group rule has a description',
  fix: "set 'description' to why the traffic is allowed",
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_23' },
    { tool: 'Trivy', id: 'AVD-AWS-0099' },
    { tool: 'Trivy', id: 'AVD-AWS-0124' },
  ],
  helpUri: 'https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html',
  *check({ terraform: tf }) {
    for (const sg of tf.ofType('aws_security_group')) {
      const d = sg.values.description;
      if (typeof d !== 'string' || d.trim() === '' || d === 'Managed by Terraform') {
        yield { target: sg.address, value: show(d), message: "the security group's 'description' is missing or the provider default" };
      }
    }
    for (const rule of rulesOf(tf)) {
      if (typeof rule.description !== 'string' || rule.description.trim() === '') {
        yield { target: targetOf(rule), value: show(rule.description), message: `the ${rule.direction} rule has no 'description'` };
      }
    }
  },
};

export const TERRAFORM_SECURITY_GROUP_RULES: readonly EnvironmentRule[] = [securityGroupAdminPorts, securityGroupDescriptions];
