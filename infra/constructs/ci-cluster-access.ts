/**
 * Kubernetes access of an environment's CI identities (created by `deploykit bootstrap`) through EKS
 * access entries: the apply role administers the cluster (`AmazonEKSClusterAdminPolicy`, cluster
 * scope) to apply the cluster-scoped objects; the deploy role edits the service namespaces only
 * (`AmazonEKSEditPolicy`, namespace scope). The principal ARNs are literal values from
 * `config/naming.ts`, so `deploykit check` can read them offline.
 */
import { EksAccessEntry, EksAccessPolicyAssociation } from '../vendor/terraform';
import { Construct } from 'constructs';
import { propIssue, throwIfInvalidProps } from '../../config';
import { eksAccessPolicyArn } from '../private/arn';
import type { IEksCluster } from './eks-cluster';

/** The EKS access policy of the apply role (cluster scope). */
export const CI_APPLY_ACCESS_POLICY = 'AmazonEKSClusterAdminPolicy';
/** The EKS access policy of the deploy role (namespace scope). */
export const CI_DEPLOY_ACCESS_POLICY = 'AmazonEKSEditPolicy';

/** Props of {@link CiClusterAccess}. */
export interface CiClusterAccessProps {
  /**
   * The EKS cluster: one this stack creates (the access entries wait for it) or one another stack
   * owns (`EksCluster.fromClusterAttributes`). The entries name it by its literal name.
   */
  readonly cluster: IEksCluster;
  /** ARN of the apply role, from `ciApplyRoleArn(system, env)`. */
  readonly applyRoleArn: string;
  /** ARN of the deploy role, from `ciDeployRoleArn(system, env)`. */
  readonly deployRoleArn: string;
  /** Namespaces the deploy role may edit; none gives the deploy role no access entry. */
  readonly namespaces: readonly string[];
}

/** EKS access entries of the CI apply and deploy roles. */
export class CiClusterAccess extends Construct {
  /** The apply role's access entry. */
  public readonly applyAccessEntry: EksAccessEntry;
  /** The deploy role's access entry; undefined without namespaces. */
  public readonly deployAccessEntry: EksAccessEntry | undefined;

  constructor(scope: Construct, id: string, props: CiClusterAccessProps) {
    super(scope, id);
    const namespaces = props.namespaces;
    throwIfInvalidProps(
      this,
      namespaces.flatMap((namespace, i) =>
        namespaces.indexOf(namespace) < i
          ? [propIssue(this, { field: `namespaces[${i}]`, value: namespace, rule: `repeats namespaces[${namespaces.indexOf(namespace)}]`, fix: 'list each namespace once' })]
          : [],
      ),
    );
    this.applyAccessEntry = this.grant('Apply', props, props.applyRoleArn, CI_APPLY_ACCESS_POLICY, { type: 'cluster' });
    this.deployAccessEntry =
      props.namespaces.length > 0
        ? this.grant('Deploy', props, props.deployRoleArn, CI_DEPLOY_ACCESS_POLICY, { type: 'namespace', namespaces: [...props.namespaces] })
        : undefined;
  }

  private grant(
    id: string,
    props: CiClusterAccessProps,
    principalArn: string,
    policy: string,
    accessScope: { type: 'cluster' } | { type: 'namespace'; namespaces: string[] },
  ): EksAccessEntry {
    const entry = new EksAccessEntry(this, `${id}AccessEntry`, {
      clusterName: props.cluster.clusterNameLiteral,
      principalArn,
      type: 'STANDARD',
      ...(props.cluster.clusterDependencies.length > 0 ? { dependsOn: [...props.cluster.clusterDependencies] } : {}),
    });
    new EksAccessPolicyAssociation(this, `${id}AccessPolicy`, {
      clusterName: props.cluster.clusterNameLiteral,
      principalArn,
      policyArn: eksAccessPolicyArn(policy),
      accessScope,
      dependsOn: [entry],
    });
    return entry;
  }
}
