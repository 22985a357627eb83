/**
 * The risk table: every rule that flags a change for a reviewer, with its stable id, a one-line
 * reason and its predicate. A predicate returns the details that make the change risky (field
 * paths, values); an empty list means the rule does not apply. To add a rule, append a row.
 */
import { walkValues, newEntries } from './json-walk';
import type { RawChange } from './raw-change';
import type { RiskFlag } from './report';

/** What a predicate sees. */
export interface RiskContext {
  readonly change: RawChange;
  /** Whether the environment is production (definitions' tier, else its name). */
  readonly production: boolean;
}

/** One row of the risk table. */
export interface RiskRule {
  readonly id: string;
  readonly reason: string;
  /** Details of why the change is risky; empty when the rule does not apply. */
  readonly check: (context: RiskContext) => readonly string[];
}

/** Attributes whose change makes Terraform destroy and recreate a resource that holds state (hashicorp/aws 5.x). */
export const REPLACEMENT_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_eks_cluster: [
    'name',
    'role_arn',
    'vpc_config.subnet_ids',
    'vpc_config.security_group_ids',
    'encryption_config',
    'kubernetes_network_config.service_ipv4_cidr',
    'kubernetes_network_config.ip_family',
    'bootstrap_self_managed_addons',
    'access_config.bootstrap_cluster_creator_admin_permissions',
    'outpost_config',
  ],
  aws_eks_node_group: ['node_group_name', 'node_group_name_prefix', 'cluster_name', 'subnet_ids', 'instance_types', 'ami_type', 'capacity_type', 'disk_size', 'remote_access'],
  aws_ecr_repository: ['name', 'encryption_configuration'],
  aws_kms_key: ['customer_master_key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id'],
  aws_vpc: ['cidr_block', 'ipv4_ipam_pool_id'],
  aws_subnet: ['cidr_block', 'vpc_id', 'availability_zone', 'availability_zone_id'],
  aws_s3_bucket: ['bucket', 'bucket_prefix', 'object_lock_enabled'],
  aws_db_instance: ['identifier', 'db_name', 'username', 'storage_encrypted', 'kms_key_id', 'availability_zone'],
  aws_rds_cluster: ['cluster_identifier', 'database_name', 'master_username', 'storage_encrypted', 'kms_key_id', 'engine'],
  aws_efs_file_system: ['creation_token', 'encrypted', 'kms_key_id', 'performance_mode'],
  aws_dynamodb_table: ['name', 'hash_key', 'range_key'],
  aws_cloudwatch_log_group: ['name', 'name_prefix'],
};

/** Kubernetes fields the API server refuses to change in place. */
export const IMMUTABLE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec.selector'],
  ReplicaSet: ['spec.selector'],
  DaemonSet: ['spec.selector'],
  StatefulSet: ['spec.selector', 'spec.serviceName', 'spec.volumeClaimTemplates', 'spec.podManagementPolicy'],
  Job: ['spec.selector', 'spec.template', 'spec.completions'],
  Service: ['spec.clusterIP', 'spec.clusterIPs'],
  PersistentVolumeClaim: ['spec.storageClassName', 'spec.accessModes', 'spec.volumeName', 'spec.selector'],
  RoleBinding: ['roleRef'],
  ClusterRoleBinding: ['roleRef'],
};

const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);
/** Route destinations are where traffic goes, not who may come in. */
const ROUTE_DESTINATION = /(^|\.)destination_(ipv6_)?cidr_block$|^route(\[\d+\])?\.(ipv6_)?cidr_block$/;
const PROBES = /containers\[[^\]]+\]\.(readinessProbe|livenessProbe|startupProbe)$/;
const TERRAFORM_SETTINGS = new Set(['provider', 'backend', 'required_provider', 'terraform', 'output', 'variable', 'locals']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Field paths of the change that are `prefix` or inside it. */
function touched(change: RawChange, prefixes: readonly string[]): string[] {
  const hits = new Set<string>();
  for (const field of change.fields) {
    for (const prefix of prefixes) {
      if (field.path === prefix || field.path.startsWith(`${prefix}.`) || field.path.startsWith(`${prefix}[`)) hits.add(prefix);
    }
  }
  return [...hits].sort();
}

/** The body as JSON text, once per body: a cheap first test before walking every value. */
const bodyTexts = new WeakMap<object, string>();
function mentions(body: unknown, ...needles: string[]): boolean {
  if (typeof body !== 'object' || body === null) return needles.some((n) => String(body).includes(n));
  let text = bodyTexts.get(body);
  if (text === undefined) bodyTexts.set(body, (text = JSON.stringify(body)));
  return needles.some((n) => text.includes(n));
}

function openCidrs(body: unknown, isTerraformRoute: boolean): string[] {
  if (!mentions(body, ...OPEN_CIDRS)) return [];
  const paths: string[] = [];
  walkValues(body, (path, value) => {
    if (typeof value === 'string' && OPEN_CIDRS.has(value) && !(isTerraformRoute && ROUTE_DESTINATION.test(path))) paths.push(`${path} ${value}`);
  });
  return paths;
}

/** Wildcard grants in IAM policy documents, inline JSON (`policy`, `assume_role_policy`) or `statement` blocks. */
function iamWildcards(body: unknown): string[] {
  if (!mentions(body, '*')) return [];
  const found: string[] = [];
  const isWildAction = (v: string) => v === '*' || /^[\w-]+:\*$/.test(v);
  const visitDocument = (doc: unknown, where: string) =>
    walkValues(doc, (path, value) => {
      if (typeof value !== 'string') return;
      const action = /(^|\.)(Action|NotAction|actions|not_actions)(\[\d+\])?$/.test(path);
      const resource = /(^|\.)(Resource|NotResource|resources|not_resources)(\[\d+\])?$/.test(path);
      const principal = /(^|\.)(Principal|NotPrincipal)(\.\w+)?(\[\d+\])?$|(^|\.)(principals|not_principals)(\[\d+\])?\.identifiers(\[\d+\])?$/.test(path);
      if ((action && isWildAction(value)) || ((resource || principal) && value === '*')) found.push(`${where}${path.replace(/\[\d+\]/g, '')} "${value}"`);
    });
  walkValues(body, (path, value) => {
    if (typeof value === 'string' && value.includes('"Statement"')) {
      try {
        visitDocument(JSON.parse(value), `${path}: `);
      } catch {
        // Not JSON (e.g. a Terraform expression): nothing to inspect.
      }
    }
  });
  if (isRecord(body) && body.statement !== undefined) visitDocument({ statement: body.statement }, '');
  return found;
}

function rbacWildcards(body: unknown): string[] {
  const rules = isRecord(body) && Array.isArray(body.rules) ? body.rules : [];
  const found: string[] = [];
  walkValues(rules, (path, value) => {
    if (value === '*') found.push(`rules${path.replace(/\[\d+\]$/, '')}`);
  });
  return found;
}

function images(body: unknown): string[] {
  if (!mentions(body, '"image"')) return [];
  const found: string[] = [];
  walkValues(body, (_path, value, key) => {
    if (key === 'image' && typeof value === 'string') found.push(value);
  });
  return found;
}

/** Whether an image reference pins its content: a digest, a commit SHA or a semantic version tag. */
export function isImmutableImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= lastSlash) return false;
  const tag = image.slice(colon + 1);
  return /^((sha|git)-)?[0-9a-f]{7,40}$/.test(tag) || /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(tag);
}

function numberAt(body: unknown, path: readonly string[]): number | undefined {
  let node: unknown = body;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return typeof node === 'number' ? node : undefined;
}

/**
 * The major version a provider version constraint selects: that of its first lower bound or exact
 * version (`5.100.0`, `~> 5.0`, `>= 6.2, < 7`); undefined for a constraint without one (`< 6`).
 */
export function constraintMajor(constraint: unknown): number | undefined {
  if (typeof constraint !== 'string') return undefined;
  for (const part of constraint.split(',')) {
    const match = /^\s*(=|!=|>=|>|~>)?\s*v?(\d+)(\.|\s*$)/.exec(part);
    if (match && match[1] !== '!=') return Number(match[2]);
  }
  return undefined;
}

/** `version a → b` when a required provider's constraint moves to another major version. */
function providerMajorChange(change: RawChange): string[] {
  if (change.type !== 'required_provider' || change.action !== 'changed') return [];
  const versionOf = (body: unknown) => (isRecord(body) ? body.version : undefined);
  const before = versionOf(change.before);
  const after = versionOf(change.after);
  const [from, to] = [constraintMajor(before), constraintMajor(after)];
  return from !== undefined && to !== undefined && from !== to ? [`version ${JSON.stringify(before)} → ${JSON.stringify(after)}`] : [];
}

const changedTerraformResource = ({ change }: RiskContext) =>
  change.layer === 'terraform' && (change.action === 'changed' || change.action === 'moved') && !TERRAFORM_SETTINGS.has(change.type);

/** The risk table. */
export const RISK_RULES: readonly RiskRule[] = [
  {
    id: 'replaces-stateful-resource',
    reason: 'forces replacement of a stateful resource: Terraform destroys and recreates it',
    check: (ctx) => (changedTerraformResource(ctx) ? touched(ctx.change, REPLACEMENT_ATTRIBUTES[ctx.change.type] ?? []) : []),
  },
  {
    id: 'moved-without-moved-block',
    reason: 'address changed without a moved block: Terraform destroys the old resource and creates a new one',
    check: ({ change }) => (change.action === 'moved' && !change.moveDeclared ? [`from ${change.movedFrom}`] : []),
  },
  {
    id: 'deletes-resource',
    reason: 'resource deleted: Terraform destroys it',
    check: ({ change }) =>
      change.layer === 'terraform' && change.action === 'removed' && !TERRAFORM_SETTINGS.has(change.type) && !change.address.startsWith('data.')
        ? ['']
        : [],
  },
  {
    id: 'moves-state',
    reason: 'state backend location changes: migrate the state (terraform init -migrate-state) or Terraform plans to recreate everything',
    check: ({ change }) => (change.type === 'backend' ? (change.action === 'changed' ? touched(change, ['bucket', 'key', 'region', 'workspace_key_prefix']) : ['']) : []),
  },
  {
    id: 'provider-target-change',
    reason: 'provider targets another region or account: every resource of the stack is planned there anew',
    check: ({ change }) => (change.type === 'provider' && change.action === 'changed' ? touched(change, ['region', 'allowed_account_ids', 'assume_role']) : []),
  },
  {
    id: 'provider-major-version',
    reason:
      'provider moves to another major version: its breaking changes (removed or renamed arguments, new defaults) apply to every resource of the stack; read its upgrade guide and review the full plan',
    check: ({ change }) => providerMajorChange(change),
  },
  {
    id: 'deletes-namespace',
    reason: 'namespace deleted: Kubernetes deletes every object in it',
    check: ({ change }) => (change.layer === 'kubernetes' && change.action === 'removed' && change.type === 'Namespace' ? [''] : []),
  },
  {
    id: 'deletes-object',
    reason: 'object deleted: the deploy prunes it from the cluster',
    check: ({ change }) => (change.layer === 'kubernetes' && change.action === 'removed' && change.type !== 'Namespace' ? [''] : []),
  },
  {
    id: 'immutable-field',
    reason: 'immutable field changes: kubectl apply is refused; the object must be deleted and recreated',
    check: ({ change }) => (change.layer === 'kubernetes' && change.action === 'changed' ? touched(change, IMMUTABLE_FIELDS[change.type] ?? []) : []),
  },
  {
    id: 'service-type-change',
    reason: 'Service type changes: its cluster IP, node ports or load balancer are replaced and clients lose the address',
    check: ({ change }) => (change.layer === 'kubernetes' && change.type === 'Service' && change.action === 'changed' ? touched(change, ['spec.type']) : []),
  },
  {
    id: 'lowers-production-replicas',
    reason: 'lowers the minimum capacity of a production environment',
    check: ({ change, production }) => {
      if (!production || change.action !== 'changed') return [];
      const lowered = (path: readonly string[], label: string, fallback?: number) => {
        const before = numberAt(change.before, path) ?? fallback;
        const after = numberAt(change.after, path) ?? fallback;
        return before !== undefined && after !== undefined && after < before ? [`${label} ${before} → ${after}`] : [];
      };
      if (change.layer === 'kubernetes' && change.type === 'HorizontalPodAutoscaler') return lowered(['spec', 'minReplicas'], 'spec.minReplicas', 1);
      if (change.layer === 'kubernetes' && (change.type === 'Deployment' || change.type === 'StatefulSet')) return lowered(['spec', 'replicas'], 'spec.replicas');
      if (change.type === 'aws_eks_node_group') return lowered(['scaling_config', 'min_size'], 'scaling_config.min_size');
      return [];
    },
  },
  {
    id: 'removes-pdb',
    reason: 'PodDisruptionBudget removed in production: node drains and upgrades may stop every replica at once',
    check: ({ change, production }) => (production && change.action === 'removed' && change.type === 'PodDisruptionBudget' ? [''] : []),
  },
  {
    id: 'removes-probe',
    reason: 'health probe removed in production: broken pods keep receiving traffic or are never restarted',
    check: ({ change, production }) =>
      production && change.layer === 'kubernetes' && change.action === 'changed'
        ? change.fields.filter((f) => f.action === 'removed' && PROBES.test(f.path)).map((f) => f.path)
        : [],
  },
  {
    id: 'opens-to-internet',
    reason: 'new 0.0.0.0/0 (or ::/0): network access widens to the whole internet',
    check: ({ change }) => {
      if (change.action === 'removed') return [];
      const route = change.layer === 'terraform' && (change.type === 'aws_route' || change.type === 'aws_route_table');
      const before = change.action === 'added' ? [] : openCidrs(change.before, route);
      const after = openCidrs(change.after, route);
      return after.length > before.length ? newEntries(before, after).slice(0, after.length - before.length) : [];
    },
  },
  {
    id: 'opens-public-endpoint',
    reason: 'EKS API endpoint becomes reachable from the internet',
    check: ({ change }) => {
      if (change.type !== 'aws_eks_cluster' || change.action === 'removed') return [];
      const publicAccess = (body: unknown) => {
        const vpc = isRecord(body) ? body.vpc_config : undefined;
        return (Array.isArray(vpc) ? vpc[0] : vpc)?.endpoint_public_access === true;
      };
      return publicAccess(change.after) && !publicAccess(change.before) ? ['vpc_config.endpoint_public_access'] : [];
    },
  },
  {
    id: 'widens-iam-wildcard',
    reason: 'new "*" in an IAM action, principal or resource: access widens beyond least privilege',
    check: ({ change }) => {
      if (change.layer !== 'terraform' || change.action === 'removed') return [];
      const before = change.action === 'added' ? [] : iamWildcards(change.before);
      return newEntries(before, iamWildcards(change.after));
    },
  },
  {
    id: 'widens-rbac-wildcard',
    reason: 'new "*" in a Kubernetes RBAC rule: access widens beyond least privilege',
    check: ({ change }) => {
      if (change.layer !== 'kubernetes' || change.action === 'removed' || (change.type !== 'Role' && change.type !== 'ClusterRole')) return [];
      const before = change.action === 'added' ? [] : rbacWildcards(change.before);
      return [...new Set(newEntries(before, rbacWildcards(change.after)))];
    },
  },
  {
    id: 'mutable-image-tag',
    reason: 'image tag is mutable (latest, or neither a commit SHA nor a semantic version): what runs can change without a deploy',
    check: ({ change }) => {
      if (change.layer !== 'kubernetes' || change.action === 'removed') return [];
      const before = new Set(change.action === 'added' ? [] : images(change.before));
      return [...new Set(images(change.after).filter((image) => !before.has(image) && !isImmutableImage(image)))].sort();
    },
  },
  {
    id: 'ecr-mutable-tags',
    reason: 'ECR repository accepts mutable tags: a pushed tag can be overwritten',
    check: ({ change }) =>
      change.type === 'aws_ecr_repository' && change.action !== 'removed' && (change.after as Record<string, unknown> | undefined)?.image_tag_mutability === 'MUTABLE' &&
      (change.before as Record<string, unknown> | undefined)?.image_tag_mutability !== 'MUTABLE'
        ? ['image_tag_mutability MUTABLE']
        : [],
  },
];

/** The flags of every rule that applies to `change`, in table order. */
export function evaluateRisks(change: RawChange, production: boolean): RiskFlag[] {
  const flags: RiskFlag[] = [];
  for (const rule of RISK_RULES) {
    const result = rule.check({ change, production });
    if (result.length === 0) continue;
    const details = [...new Set(result.filter((d) => d !== ''))];
    flags.push({ rule: rule.id, reason: details.length > 0 ? `${rule.reason} (${details.join(', ')})` : rule.reason });
  }
  return flags;
}
