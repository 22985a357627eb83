/**
 * Kubernetes access of an environment's CI identities (created by `deploykit bootstrap`) through EKS
 * access entries: the apply role administers the cluster (`AmazonEKSClusterAdminPolicy`, cluster
 * scope) to apply the cluster-scoped objects; the deploy role edits the service namespaces only
 * (`AmazonEKSEditPolicy`, namespace scope). The principal ARNs are literal values from
 * `config/naming.ts`, so `deploykit check` can read them offline.
 */
import { EksAccessEntry, EksAccessPolicyAssociation, type ITerraformDependable } from '../vendor/terraform';
import { Construct } from 'constructs';
import { eksAccessPolicyArn } from '../private/arn';

/** The EKS access policy of the apply role (cluster scope). */
export const CI_APPLY_ACCESS_POLICY = 'AmazonEKSClusterAdminPolicy';
/** The EKS access policy of the deploy role (namespace scope). */
export const CI_DEPLOY_ACCESS_POLICY = 'AmazonEKSEditPolicy';

/** Props of {@link CiClusterAccess}. */
export interface CiClusterAccessProps {
  /** Name of the EKS cluster, as a literal (`clusterName(system, env)`). */
  readonly clusterName: string;
  /** The cluster resource; the access entries wait for it. */
  readonly cluster: ITerraformDependable;
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
    const duplicate = props.namespaces.find((n, i) => props.namespaces.indexOf(n) < i);
    if (duplicate !== undefined) {
      throw new Error(`${this.node.path}: 'namespaces' lists ${JSON.stringify(duplicate)} twice; list each namespace once`);
    }
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
      clusterName: props.clusterName,
      principalArn,
      type: 'STANDARD',
      dependsOn: [props.cluster],
    });
    new EksAccessPolicyAssociation(this, `${id}AccessPolicy`, {
      clusterName: props.clusterName,
      principalArn,
      policyArn: eksAccessPolicyArn(policy),
      accessScope,
      dependsOn: [entry],
    });
    return entry;
  }
}
