/**
 * Cross-layer rule on who applies the Kubernetes output: the cluster-scoped objects
 * (`kubernetes/cluster.k8s.yaml`) are applied by the CI apply identity, which needs
 * `AmazonEKSClusterAdminPolicy` at cluster scope; the namespaced objects
 * (`kubernetes/namespaces/<namespace>.k8s.yaml`) by the CI deploy identity, whose access policy
 * must cover each of their namespaces. Read from the environment's EKS access entries and access
 * policy associations.
 */
import { ciApplyRoleArn, ciDeployRoleArn } from '../../config';
import { CLUSTER_OBJECTS_FILE, isClusterOutput, namespaceObjectsFile } from '../../k8s/object-scope';
import { targetOf } from '../kubernetes-objects';
import { block, strings, type TerraformConfig } from '../terraform-config';
import type { EnvironmentRule } from '../types';

/** The EKS access policy cluster-scoped objects need. */
export const CLUSTER_ADMIN_ACCESS_POLICY = 'AmazonEKSClusterAdminPolicy';

/** EKS access policies that may create and update the namespaced objects deploykit writes. */
export const NAMESPACE_WRITE_ACCESS_POLICIES: readonly string[] = [CLUSTER_ADMIN_ACCESS_POLICY, 'AmazonEKSAdminPolicy', 'AmazonEKSEditPolicy'];

/** One access policy association as the rule reads it. */
interface Grant {
  readonly principalArn: string | undefined;
  readonly policy: string;
  readonly scope: string;
  readonly namespaces: readonly string[];
  /** Whether an `aws_eks_access_entry` for the principal exists (an association needs one). */
  readonly hasEntry: boolean;
}

/** A principal ARN: a literal, or a reference to an access entry's principal or a role's ARN, followed to a literal. */
function principalOf(tf: TerraformConfig, value: unknown, account: string, depth = 0): string | undefined {
  const ref = tf.resolve(value);
  if (!ref) return typeof value === 'string' && !value.includes('${') ? value : undefined;
  if (depth > 3) return undefined;
  if (ref.resource.type === 'aws_eks_access_entry') return principalOf(tf, ref.resource.values.principal_arn, account, depth + 1);
  if (ref.resource.type === 'aws_iam_role' && ref.attribute === 'arn' && typeof ref.resource.values.name === 'string') {
    return `arn:aws:iam::${account}:role/${ref.resource.values.name}`;
  }
  return undefined;
}

function grantsOf(tf: TerraformConfig, account: string): Grant[] {
  const entries = new Set(tf.ofType('aws_eks_access_entry').map((e) => principalOf(tf, e.values.principal_arn, account)));
  return tf.ofType('aws_eks_access_policy_association').map((a) => {
    const principalArn = principalOf(tf, a.values.principal_arn, account);
    const scope = block(a.values.access_scope);
    return {
      principalArn,
      policy: String(a.values.policy_arn ?? '').split('/').pop() ?? '',
      scope: String(scope.type ?? ''),
      namespaces: strings(scope.namespaces),
      hasEntry: principalArn !== undefined && entries.has(principalArn),
    };
  });
}

function describe(grants: readonly Grant[]): string {
  if (grants.length === 0) return 'no access policy association';
  return grants.map((g) => `${g.policy} (${g.scope}${g.scope === 'namespace' ? `: ${g.namespaces.join(', ')}` : ''})`).join(', ');
}

export const applyingIdentityCoversObjects: EnvironmentRule = {
  id: 'DK-X-009',
  name: 'ApplyingIdentityCoversObjects',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title:
    'Cluster-scoped objects are applied by an identity with AmazonEKSClusterAdminPolicy at cluster scope (the CI apply role); namespaced objects lie within the namespaces of the CI deploy role',
  fix: 'give the apply role (ciApplyRoleArn) an aws_eks_access_entry with AmazonEKSClusterAdminPolicy at access_scope type "cluster", and the deploy role (ciDeployRoleArn) one with AmazonEKSEditPolicy at type "namespace" listing every namespace the environment writes',
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html',
  *check({ kubernetes, terraform: tf, env, system }) {
    const grants = grantsOf(tf, env.account);
    const applyRole = ciApplyRoleArn(system, env);
    const deployRole = ciDeployRoleArn(system, env);
    const ofPrincipal = (arn: string) => grants.filter((g) => g.principalArn === arn);
    const roleName = (arn: string) => arn.split('/').pop() ?? arn;

    const applyGrants = ofPrincipal(applyRole);
    const clusterAdmin = applyGrants.some((g) => g.hasEntry && g.policy === CLUSTER_ADMIN_ACCESS_POLICY && g.scope === 'cluster');
    const clusterFile = `${env.name}/kubernetes/${CLUSTER_OBJECTS_FILE}`;
    const namespaces = new Map<string, number>();
    for (const obj of kubernetes.all()) {
      if (!isClusterOutput(obj)) {
        const ns = obj.metadata.namespace ?? 'default';
        namespaces.set(ns, (namespaces.get(ns) ?? 0) + 1);
        continue;
      }
      if (clusterAdmin) continue;
      const missingEntry = applyGrants.length > 0 && !applyGrants.some((g) => g.hasEntry);
      yield {
        target: targetOf(obj),
        value: missingEntry ? 'no aws_eks_access_entry' : describe(applyGrants),
        message: missingEntry
          ? `${targetOf(obj)} is in the cluster output and applied by ${roleName(applyRole)}, which has access policy associations but no aws_eks_access_entry`
          : `${targetOf(obj)} is in the cluster output (cluster-scoped or in a system namespace), so ${CLUSTER_OBJECTS_FILE} applies it as ${roleName(applyRole)}, whose access policies (${describe(applyGrants)}) do not include ${CLUSTER_ADMIN_ACCESS_POLICY} at cluster scope`,
        file: clusterFile,
      };
    }

    const deployGrants = ofPrincipal(deployRole);
    const writers = deployGrants.filter((g) => g.hasEntry && NAMESPACE_WRITE_ACCESS_POLICIES.includes(g.policy));
    for (const [ns, count] of namespaces) {
      if (writers.some((g) => g.scope === 'cluster' || (g.scope === 'namespace' && g.namespaces.includes(ns)))) continue;
      const file = `${env.name}/kubernetes/${namespaceObjectsFile(ns)}`;
      yield {
        target: file,
        value: describe(deployGrants),
        message: `${count} object(s) in namespace ${ns} are applied as ${roleName(deployRole)}, whose access policies (${describe(deployGrants)}) do not let it write in ${ns}${deployGrants.length > 0 && !deployGrants.some((g) => g.hasEntry) ? ' (it has no aws_eks_access_entry)' : ''}`,
        file,
      };
    }
  },
};

export const CROSS_LAYER_KUBERNETES_ACCESS_RULES: readonly EnvironmentRule[] = [applyingIdentityCoversObjects];
