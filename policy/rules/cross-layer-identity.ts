/**
 * Cross-layer identity rules: the IAM role a ServiceAccount names exists, is the service's
 * workload role, and is bound (pod identity association or IRSA trust) to exactly that
 * namespace/ServiceAccount; the CI deploy role can edit the service namespaces.
 */
import {
  ciDeployRoleArn,
  namespaceName,
  SERVICE_ACCOUNT_ROLE_ANNOTATION,
  serviceAccountName,
  workloadRoleArn,
} from '../../config';
import { actionMatches, trustPolicies } from '../iam-policy';
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

/** The EKS access policy the CI deploy role needs on every service namespace. */
export const CI_DEPLOY_ACCESS_POLICY_ARN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy';

export const ciRoleCanDeploy: EnvironmentRule = {
  id: 'DK-X-005',
  name: 'CiDeployRoleCanEditNamespaces',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title: 'The CI deploy role (from deploykit bootstrap) has an EKS access entry editing every service namespace',
  fix: 'create an aws_eks_access_entry for ciDeployRoleArn(system, env) and an aws_eks_access_policy_association with AmazonEKSEditPolicy scoped to the service namespaces (CiClusterAccess)',
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html',
  *check({ terraform: tf, env, system }) {
    const arn = ciDeployRoleArn(system, env);
    const target = `aws_eks_access_entry ${arn}`;
    if (!tf.ofType('aws_eks_access_entry').some((e) => e.values.principal_arn === arn)) {
      yield { target, value: 'missing', message: `no aws_eks_access_entry for the CI deploy role ${arn} in the ${env.name} Terraform` };
      return;
    }
    const scopes = tf
      .ofType('aws_eks_access_policy_association')
      .filter((a) => a.values.principal_arn === arn && a.values.policy_arn === CI_DEPLOY_ACCESS_POLICY_ARN)
      .map((a) => (Array.isArray(a.values.access_scope) ? a.values.access_scope[0] : a.values.access_scope) as { type?: string; namespaces?: string[] } | undefined);
    const covered = new Set(scopes.flatMap((scope) => (scope?.type === 'namespace' ? (scope.namespaces ?? []) : [])));
    const missing = [...new Set(env.services.map(namespaceName))].filter((ns) => !covered.has(ns));
    if (missing.length > 0) {
      yield { target, value: missing.join(', '), message: `the CI deploy role cannot edit namespace(s) ${missing.join(', ')} (AmazonEKSEditPolicy, namespace scope)` };
    }
  },
};

export const CROSS_LAYER_IDENTITY_RULES: readonly EnvironmentRule[] = [serviceAccountRoleExists, workloadRoleBinding, ciRoleCanDeploy];
