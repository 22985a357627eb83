/**
 * Cross-layer identity rules: the IAM role a ServiceAccount names exists, is the service's
 * workload role, and is bound (pod identity association or IRSA trust) to exactly that
 * namespace/ServiceAccount; the CI deploy role can push to the environment's repositories.
 */
import {
  ciDeployRoleName,
  namespaceName,
  repositoryName,
  SERVICE_ACCOUNT_ROLE_ANNOTATION,
  serviceAccountName,
  workloadRoleArn,
} from '../../../config';
import { actionMatches, policiesOfRole, trustPolicies } from '../iam-policy';
import { targetOf } from '../kubernetes-objects';
import type { TerraformConfig, TerraformResource } from '../terraform-config';
import type { EnvironmentRule } from '../types';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/;

function roleNamed(tf: TerraformConfig, name: string): TerraformResource | undefined {
  return tf.ofType('aws_iam_role').find((r) => r.values.name === name);
}

export const serviceAccountRoleExists: EnvironmentRule = {
  id: 'DK-X-003',
  name: 'ServiceAccountRoleExists',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title: "Each service's ServiceAccount names its workload IAM role, and Terraform creates that role",
  fix: `annotate the ServiceAccount ${SERVICE_ACCOUNT_ROLE_ANNOTATION} with workloadRoleArn(system, env, service) and create the role in the environment stack`,
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html',
  *check({ kubernetes, terraform: tf, env, system }) {
    for (const service of env.services) {
      const ns = namespaceName(service);
      const name = serviceAccountName(service);
      const sa = kubernetes.find('ServiceAccount', ns, name);
      const target = `ServiceAccount/${ns}/${name}`;
      const expected = workloadRoleArn(system, env, service);
      if (!sa) {
        yield { target, value: 'missing', message: `service ${service.name} has no ServiceAccount ${ns}/${name}` };
        continue;
      }
      const arn = sa.metadata.annotations?.[SERVICE_ACCOUNT_ROLE_ANNOTATION];
      const file = kubernetes.fileOf(sa);
      if (arn !== expected) {
        yield { target, value: arn ?? 'missing', message: `annotation ${SERVICE_ACCOUNT_ROLE_ANNOTATION} is not ${expected}`, file };
        continue;
      }
      const match = ROLE_ARN.exec(arn);
      if (!match || match[1] !== env.account || !roleNamed(tf, match[2])) {
        yield { target, value: arn, message: `no aws_iam_role named ${match?.[2] ?? arn} in the ${env.name} Terraform (account ${env.account})`, file };
      }
    }
  },
};

const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';

export const workloadRoleBinding: EnvironmentRule = {
  id: 'DK-X-004',
  name: 'WorkloadRoleBoundToServiceAccount',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title: 'A workload role is assumable from exactly its namespace/ServiceAccount (pod identity association or IRSA trust)',
  fix: 'create one aws_eks_pod_identity_association { namespace, service_account, role_arn } for the ServiceAccount and trust pods.eks.amazonaws.com (sts:AssumeRole, sts:TagSession)',
  upstream: [{ tool: 'CIS EKS', id: '5.2' }],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html',
  *check({ kubernetes, terraform: tf }) {
    const trust = trustPolicies(tf);
    for (const sa of kubernetes.ofKind('ServiceAccount')) {
      const match = ROLE_ARN.exec(sa.metadata.annotations?.[SERVICE_ACCOUNT_ROLE_ANNOTATION] ?? '');
      const role = match && roleNamed(tf, match[2]);
      if (!role) continue;
      const ns = sa.metadata.namespace ?? 'default';
      const name = sa.metadata.name ?? '';
      const target = targetOf(sa);
      const file = kubernetes.fileOf(sa);
      const associations = tf.ofType('aws_eks_pod_identity_association').filter((a) => tf.refersTo(a.values.role_arn, role));
      const statements = trust.find((p) => p.resource === role)?.statements ?? [];
      const exact = associations.filter((a) => a.values.namespace === ns && a.values.service_account === name);
      for (const other of associations.filter((a) => !exact.includes(a))) {
        yield { target, value: `${String(other.values.namespace)}/${String(other.values.service_account)}`, message: `${other.address} also lets ${String(other.values.namespace)}/${String(other.values.service_account)} assume ${role.address}`, file };
      }
      if (exact.length > 0) {
        const trusted = statements.some(
          (s) => s.effect === 'Allow' && (s.principals.Service ?? []).includes(POD_IDENTITY_SERVICE) && ['sts:AssumeRole', 'sts:TagSession'].every((a) => s.actions.some((p) => actionMatches(p, a))),
        );
        if (!trusted) yield { target, value: role.address, message: `${role.address} does not trust ${POD_IDENTITY_SERVICE} with sts:AssumeRole and sts:TagSession`, file };
        continue;
      }
      const subject = `system:serviceaccount:${ns}:${name}`;
      const irsa = statements.filter((s) => s.effect === 'Allow' && (s.principals.Federated ?? []).length > 0);
      const subjects = irsa.flatMap((s) => Object.values(s.conditions).flatMap((byKey) => Object.entries(byKey).filter(([k]) => k.endsWith(':sub')).flatMap(([, v]) => v)));
      if (irsa.length > 0 && subjects.length > 0 && subjects.every((s) => s === subject)) continue;
      yield {
        target,
        value: irsa.length > 0 ? JSON.stringify(subjects) : 'no association',
        message: irsa.length > 0 ? `${role.address}'s OIDC trust is not limited to ${subject}` : `no aws_eks_pod_identity_association binds ${ns}/${name} to ${role.address}`,
        file,
      };
    }
  },
};

/** Actions a CI role needs to push an image to a repository. */
export const ECR_PUSH_ACTIONS: readonly string[] = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
];

function resourceMatches(tf: TerraformConfig, pattern: string, repo: TerraformResource, arn: string): boolean {
  const ref = tf.resolve(pattern);
  if (ref) return ref.resource === repo;
  return actionMatches(pattern, arn);
}

export const ciRoleCanPush: EnvironmentRule = {
  id: 'DK-X-005',
  name: 'CiRoleCanPush',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title: "The CI deploy role can push to every ECR repository the environment deploys",
  fix: `allow ${ECR_PUSH_ACTIONS.join(', ')} on each repository ARN, and ecr:GetAuthorizationToken on "*", in the role ciDeployRoleName(system, env)`,
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-push-iam.html',
  *check({ terraform: tf, env, system }) {
    const roleName = ciDeployRoleName(system, env);
    const role = roleNamed(tf, roleName);
    if (!role) {
      yield { target: `aws_iam_role ${roleName}`, value: 'missing', message: `no aws_iam_role named ${roleName} in the ${env.name} Terraform` };
      return;
    }
    const statements = policiesOfRole(tf, role).flatMap((p) => p.statements);
    const allows = statements.filter((s) => s.effect === 'Allow');
    const denies = statements.filter((s) => s.effect === 'Deny');
    const can = (action: string, check: (r: string) => boolean) =>
      allows.some((s) => s.actions.some((a) => actionMatches(a, action)) && s.resources.some(check)) &&
      !denies.some((s) => s.actions.some((a) => actionMatches(a, action)) && s.resources.some(check));
    if (!can('ecr:GetAuthorizationToken', (r) => r === '*')) {
      yield { target: role.address, value: 'ecr:GetAuthorizationToken', message: `${roleName} cannot log in to ECR (ecr:GetAuthorizationToken on "*")` };
    }
    for (const service of env.services) {
      const repo = tf.ofType('aws_ecr_repository').find((r) => r.values.name === repositoryName(service));
      if (!repo) continue;
      const arn = `arn:aws:ecr:${env.region}:${env.account}:repository/${repositoryName(service)}`;
      const missing = ECR_PUSH_ACTIONS.filter((action) => !can(action, (r) => resourceMatches(tf, r, repo, arn)));
      if (missing.length > 0) yield { target: role.address, value: `${repo.address}: ${missing.join(', ')}`, message: `${roleName} cannot push to ${repositoryName(service)} (missing ${missing.join(', ')})` };
    }
  },
};

export const CROSS_LAYER_IDENTITY_RULES: readonly EnvironmentRule[] = [serviceAccountRoleExists, workloadRoleBinding, ciRoleCanPush];
