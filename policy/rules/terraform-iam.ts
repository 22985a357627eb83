/** Terraform rules for IAM: no wildcard actions or resources, no wildcard principals, no admin policies. */
import { CLUSTER_AUTOSCALER_READ_ACTIONS } from '../../infra/constructs/cluster-autoscaler-identity';
import { identityPolicies, policyStatements, trustPolicies, type LocatedPolicy } from '../iam-policy';
import { strings } from '../terraform-config';
import type { EnvironmentRule } from '../types';

/**
 * Read-only actions AWS authorizes only on `Resource: "*"` (no resource-level permissions): the ECR
 * login, KMS alias listing, and the Auto Scaling group and instance type reads of the Cluster
 * Autoscaler.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html
 */
export const RESOURCE_WILDCARD_EXCEPTIONS: readonly string[] = ['ecr:GetAuthorizationToken', 'kms:ListAliases', ...CLUSTER_AUTOSCALER_READ_ACTIONS];

/** AWS managed policies that grant administrator-level access. */
export const ADMIN_MANAGED_POLICIES: readonly string[] = ['AdministratorAccess', 'PowerUserAccess', 'IAMFullAccess'];

const IAM_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege';

const where = (p: LocatedPolicy, i: number, sid: string | undefined) =>
  `${p.attribute} statement ${sid ? `"${sid}"` : `[${i}]`}`;

export const iamNoWildcardActions: EnvironmentRule = {
  id: 'DK-TF-019',
  name: 'IamNoWildcardActions',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'IAM policies allow no "*" or "service:*" actions',
  fix: 'list the exact actions the principal needs',
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_63' },
    { tool: 'Checkov', id: 'CKV_AWS_290' },
    { tool: 'Trivy', id: 'AVD-AWS-0057' },
  ],
  helpUri: IAM_DOC,
  *check({ terraform: tf }) {
    for (const p of [...identityPolicies(tf), ...trustPolicies(tf)]) {
      for (const [i, s] of p.statements.entries()) {
        if (s.effect !== 'Allow') continue;
        const wild = s.actions.filter((a) => a === '*' || /^[a-z0-9-]+:\*$/i.test(a));
        if (s.notActions.length > 0) yield { target: p.resource.address, value: `NotAction ${JSON.stringify(s.notActions)}`, message: `${where(p, i, s.sid)} allows everything except a list (NotAction)` };
        if (wild.length > 0) yield { target: p.resource.address, value: JSON.stringify(wild), message: `${where(p, i, s.sid)} allows wildcard actions` };
      }
    }
  },
};

export const iamNoWildcardResources: EnvironmentRule = {
  id: 'DK-TF-020',
  name: 'IamNoWildcardResources',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'IAM policies allow actions on Resource "*" only for reads AWS cannot scope (ecr:GetAuthorizationToken, kms:ListAliases, the Cluster Autoscaler\'s Auto Scaling and instance-type reads)',
  fix: 'scope the statement to the ARNs it needs; keep actions without resource-level permissions in their own statement',
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_355' },
    { tool: 'Trivy', id: 'AVD-AWS-0057' },
  ],
  helpUri: IAM_DOC,
  *check({ terraform: tf }) {
    for (const p of identityPolicies(tf)) {
      for (const [i, s] of p.statements.entries()) {
        if (s.effect !== 'Allow' || !s.resources.includes('*')) continue;
        const scoped = s.actions.filter((a) => !RESOURCE_WILDCARD_EXCEPTIONS.some((e) => e.toLowerCase() === a.toLowerCase()));
        if (scoped.length > 0) yield { target: p.resource.address, value: JSON.stringify(scoped), message: `${where(p, i, s.sid)} allows ${scoped.join(', ')} on every resource` };
      }
    }
  },
};

export const iamNoWildcardPrincipals: EnvironmentRule = {
  id: 'DK-TF-021',
  name: 'IamNoWildcardPrincipals',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'Trust and resource policies allow no "*" principal',
  fix: 'name the service, OIDC provider or account that may act; never "*"',
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_60' },
    { tool: 'Checkov', id: 'CKV_AWS_32' },
    { tool: 'Trivy', id: 'AVD-AWS-0143' },
  ],
  helpUri: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
  *check({ terraform: tf }) {
    const resourcePolicies: LocatedPolicy[] = [];
    for (const [type, attribute] of [['aws_ecr_repository_policy', 'policy'], ['aws_kms_key', 'policy'], ['aws_s3_bucket_policy', 'policy']] as const) {
      for (const r of tf.ofType(type)) {
        const statements = policyStatements(tf, r.values[attribute]);
        if (statements) resourcePolicies.push({ resource: r, attribute, statements });
      }
    }
    for (const p of trustPolicies(tf)) {
      for (const [i, s] of p.statements.entries()) {
        const wild = Object.entries(s.principals).filter(([type, ids]) => type === '*' || ids.includes('*'));
        if (s.effect === 'Allow' && wild.length > 0) yield { target: p.resource.address, value: JSON.stringify(Object.fromEntries(wild)), message: `${where(p, i, s.sid)} lets any principal assume the role` };
      }
    }
    for (const p of resourcePolicies) {
      for (const [i, s] of p.statements.entries()) {
        const wild = Object.entries(s.principals).filter(([type, ids]) => type === '*' || ids.includes('*'));
        if (s.effect === 'Allow' && wild.length > 0 && Object.keys(s.conditions).length === 0) {
          yield { target: p.resource.address, value: JSON.stringify(Object.fromEntries(wild)), message: `${where(p, i, s.sid)} allows any principal without a condition` };
        }
      }
    }
  },
};

export const iamNoAdminPolicies: EnvironmentRule = {
  id: 'DK-TF-022',
  name: 'IamNoAdminManagedPolicies',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: `No role, user or group gets an administrator managed policy (${ADMIN_MANAGED_POLICIES.join(', ')})`,
  fix: 'attach a policy with the exact actions and resources the principal needs',
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_274' },
    { tool: 'Trivy', id: 'AVD-AWS-0057' },
  ],
  helpUri: IAM_DOC,
  *check({ terraform: tf }) {
    const isAdmin = (arn: string) => ADMIN_MANAGED_POLICIES.some((name) => new RegExp(`^arn:aws[a-z-]*:iam::aws:policy/(.*/)?${name}$`).test(arn));
    const attachments: [string, unknown][] = [
      'aws_iam_role_policy_attachment',
      'aws_iam_user_policy_attachment',
      'aws_iam_group_policy_attachment',
      'aws_iam_policy_attachment',
    ].flatMap((type) => tf.ofType(type).map((r): [string, unknown] => [r.address, r.values.policy_arn]));
    for (const r of tf.ofType('aws_iam_role')) attachments.push([r.address, r.values.managed_policy_arns]);
    for (const r of tf.ofType('aws_iam_role_policy_attachments_exclusive')) attachments.push([r.address, r.values.policy_arns]);
    for (const [address, value] of attachments) {
      for (const arn of strings(value).filter(isAdmin)) yield { target: address, value: arn, message: `attaches the administrator policy ${arn}` };
    }
  },
};

export const TERRAFORM_IAM_RULES: readonly EnvironmentRule[] = [iamNoWildcardActions, iamNoWildcardResources, iamNoWildcardPrincipals, iamNoAdminPolicies];
