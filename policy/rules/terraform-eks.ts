/** Terraform rules for the EKS control plane: secrets encryption, logging, endpoint, version, zones. */
import {
  daysUntil,
  eksSupportStatus,
  eksUpgradePath,
  eksVersionInfo,
  STANDARD_SUPPORT_WARNING_DAYS,
  SUPPORTED_EKS_VERSIONS,
  type EksVersionInfo,
} from '../../config';
import { block, blocks, show, strings, type TerraformConfig, type TerraformResource } from '../terraform-config';
import type { EnvironmentRule } from '../types';

/** The five EKS control-plane log types. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

const clusters = (tf: TerraformConfig) => tf.ofType('aws_eks_cluster');

/** Availability zones of the subnets a value lists (references to `aws_subnet` with a literal zone). */
export function subnetZones(tf: TerraformConfig, subnetIds: unknown): { zones: Set<string>; unresolved: number } {
  const zones = new Set<string>();
  let unresolved = 0;
  for (const id of strings(subnetIds)) {
    const subnet = tf.resolve(id, 'aws_subnet')?.resource;
    const zone = subnet?.values.availability_zone ?? subnet?.values.availability_zone_id;
    if (typeof zone === 'string' && !zone.includes('${')) zones.add(zone);
    else unresolved++;
  }
  return { zones, unresolved };
}

export const eksSecretsEncryption: EnvironmentRule = {
  id: 'DK-TF-001',
  name: 'EksSecretsEncryption',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'EKS encrypts Kubernetes Secrets with a KMS key',
  fix: "add encryption_config { resources = [\"secrets\"], provider { key_arn = <aws_kms_key>.arn } }",
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_58' },
    { tool: 'Trivy', id: 'AVD-AWS-0039' },
    { tool: 'CIS EKS', id: '5.3.1' },
  ],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html',
  *check({ terraform: tf }) {
    for (const c of clusters(tf)) {
      const configs = blocks(c.values.encryption_config);
      const secrets = configs.find((e) => strings(e.resources).includes('secrets'));
      const keyArn = secrets ? block(secrets.provider).key_arn : undefined;
      if (!secrets) yield { target: c.address, value: configs.length ? show(configs.map((e) => e.resources)) : 'missing', message: "'encryption_config' does not cover \"secrets\"" };
      else if (typeof keyArn !== 'string' || keyArn === '') yield { target: c.address, value: show(keyArn), message: "'encryption_config.provider.key_arn' is not set" };
    }
  },
};

export const eksControlPlaneLogging: EnvironmentRule = {
  id: 'DK-TF-002',
  name: 'EksControlPlaneLogging',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'EKS sends all five control-plane log types to CloudWatch',
  fix: `set enabled_cluster_log_types = ${JSON.stringify(CONTROL_PLANE_LOG_TYPES)}`,
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_37' },
    { tool: 'Trivy', id: 'AVD-AWS-0038' },
    { tool: 'CIS EKS', id: '2.1.1' },
  ],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html',
  *check({ terraform: tf }) {
    for (const c of clusters(tf)) {
      const enabled = strings(c.values.enabled_cluster_log_types);
      const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !enabled.includes(t));
      if (missing.length > 0) {
        yield { target: c.address, value: show(missing), message: `'enabled_cluster_log_types' lacks ${missing.join(', ')}` };
      }
    }
  },
};

function endpoint(c: TerraformResource): { publicAccess: boolean; privateAccess: boolean; cidrs: string[] } {
  const vpc = block(c.values.vpc_config);
  return {
    // The provider defaults: public access on (to 0.0.0.0/0), private access off.
    publicAccess: vpc.endpoint_public_access !== false,
    privateAccess: vpc.endpoint_private_access === true,
    cidrs: vpc.public_access_cidrs === undefined ? ['0.0.0.0/0'] : strings(vpc.public_access_cidrs),
  };
}

export const eksEndpointOpenToInternet: EnvironmentRule = {
  id: 'DK-TF-003',
  name: 'EksEndpointOpenToInternet',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'A public EKS API endpoint is not open to 0.0.0.0/0',
  fix: "list only office/VPN ranges in 'publicAccessCidrs', or use endpointAccess \"private\"",
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_38' },
    { tool: 'Trivy', id: 'AVD-AWS-0041' },
    { tool: 'CIS EKS', id: '5.4.2' },
  ],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
  *check({ terraform: tf }) {
    for (const c of clusters(tf)) {
      const e = endpoint(c);
      const open = e.cidrs.filter((cidr) => cidr === '0.0.0.0/0' || cidr === '::/0');
      if (e.publicAccess && open.length > 0) {
        yield { target: c.address, value: show(open), message: "'vpc_config.public_access_cidrs' lets the whole internet reach the public API endpoint" };
      }
    }
  },
};

export const eksProductionEndpointPrivate: EnvironmentRule = {
  id: 'DK-TF-004',
  name: 'EksProductionEndpointPrivate',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'A production EKS API endpoint is private only',
  fix: 'set endpointAccess "private" for the production environment (endpoint_public_access = false, endpoint_private_access = true)',
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_39' },
    { tool: 'Trivy', id: 'AVD-AWS-0040' },
    { tool: 'CIS EKS', id: '5.4.2' },
  ],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html',
  *check({ terraform: tf, env }) {
    if (env.tier !== 'production') return;
    for (const c of clusters(tf)) {
      const e = endpoint(c);
      if (e.publicAccess) yield { target: c.address, value: 'endpoint_public_access = true', message: "'vpc_config.endpoint_public_access' is on in a production environment" };
      if (!e.privateAccess) yield { target: c.address, value: 'endpoint_private_access = false', message: "'vpc_config.endpoint_private_access' is off in a production environment" };
    }
  },
};

function versionOf(c: TerraformResource): string | undefined {
  return typeof c.values.version === 'string' ? c.values.version : undefined;
}

/** The fix of a version finding: the minor versions to upgrade through, or how to add a newer one. */
function upgradeFix(version: string, now: Date): string {
  const path = eksUpgradePath(version, now);
  if (path.length === 0) return `no newer Kubernetes version is known to deploykit yet; add it to config/eks-versions.ts, then upgrade 'cluster.kubernetesVersion' (docs/UPGRADE.md)`;
  return `upgrade 'cluster.kubernetesVersion' one minor version at a time: ${[version, ...path].join(' → ')} (docs/UPGRADE.md)`;
}

const estimateNote = (info: EksVersionInfo) => (info.estimated ? ' (an estimate; AWS has not published the date yet)' : '');

export const eksVersionStandardSupport: EnvironmentRule = {
  id: 'DK-TF-005',
  name: 'EksVersionStandardSupport',
  scope: 'environment',
  severity: 'warning',
  layer: 'terraform',
  title: `The EKS Kubernetes version is within standard support, for more than ${STANDARD_SUPPORT_WARNING_DAYS} more days`,
  fix: "upgrade 'cluster.kubernetesVersion' to the next minor version (extended support costs extra)",
  upstream: [{ tool: 'Trivy', id: 'AVD-AWS-0051' }],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar',
  *check({ terraform: tf, now }) {
    for (const c of clusters(tf)) {
      const version = versionOf(c);
      const info = version ? eksVersionInfo(version) : undefined;
      if (!version || !info) continue;
      const status = eksSupportStatus(info, now);
      const end = info.endOfStandardSupport;
      if (status === 'extended') {
        yield {
          target: c.address,
          value: show(version),
          message: `Kubernetes ${version} left standard support on ${end}${estimateNote(info)}; extended support costs extra and ends on ${info.endOfExtendedSupport}`,
          fix: upgradeFix(version, now),
        };
      } else if (status === 'standard') {
        const daysLeft = daysUntil(end, now);
        if (daysLeft <= STANDARD_SUPPORT_WARNING_DAYS) {
          yield {
            target: c.address,
            value: show(version),
            message: `Kubernetes ${version} leaves standard support on ${end}${estimateNote(info)}, in ${daysLeft} day(s); extended support costs extra from then`,
            fix: upgradeFix(version, now),
          };
        }
      }
    }
  },
};

export const eksVersionSupported: EnvironmentRule = {
  id: 'DK-TF-006',
  name: 'EksVersionSupported',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'The EKS Kubernetes version is pinned and still supported',
  fix: `set 'cluster.kubernetesVersion' to one of ${SUPPORTED_EKS_VERSIONS.join(', ')} that is still supported`,
  upstream: [{ tool: 'Trivy', id: 'AVD-AWS-0051' }],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar',
  *check({ terraform: tf, now }) {
    for (const c of clusters(tf)) {
      const version = versionOf(c);
      const info = version ? eksVersionInfo(version) : undefined;
      if (!version || !info) yield { target: c.address, value: show(version), message: "'version' is not a Kubernetes version deploykit knows (unset versions float to the newest)" };
      else if (eksSupportStatus(info, now) === 'unsupported') {
        yield {
          target: c.address,
          value: show(version),
          message: `Kubernetes ${version} left extended support on ${info.endOfExtendedSupport}${estimateNote(info)}; EKS upgrades it on its own`,
          fix: upgradeFix(version, now),
        };
      }
    }
  },
};

export const eksMultipleZones: EnvironmentRule = {
  id: 'DK-TF-007',
  name: 'EksMultipleZones',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'The EKS cluster has subnets in at least two availability zones',
  fix: "list at least two 'network.availabilityZones' and give the cluster a subnet in each",
  upstream: [{ tool: 'CIS EKS', id: 'EKS best practices: reliability' }],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html',
  *check({ terraform: tf }) {
    for (const c of clusters(tf)) {
      const { zones, unresolved } = subnetZones(tf, block(c.values.vpc_config).subnet_ids);
      if (unresolved === 0 && zones.size < 2) {
        yield { target: c.address, value: show([...zones].sort()), message: `'vpc_config.subnet_ids' span ${zones.size} availability zone(s)` };
      }
    }
  },
};

export const TERRAFORM_EKS_RULES: readonly EnvironmentRule[] = [
  eksSecretsEncryption,
  eksControlPlaneLogging,
  eksEndpointOpenToInternet,
  eksProductionEndpointPrivate,
  eksVersionStandardSupport,
  eksVersionSupported,
  eksMultipleZones,
];
