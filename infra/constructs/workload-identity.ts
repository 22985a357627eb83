/**
 * The AWS identity of one service's pods through EKS Pod Identity: an IAM role that only the
 * service's ServiceAccount in its namespace on this cluster can assume, and the pod identity
 * association. The role has no permissions until a platform team adds them (`addToPolicy`, or a
 * grant such as `EcrRepository.grantPull(identity)`).
 */
import { EksPodIdentityAssociation, IamRole } from '../vendor/terraform';
import { Construct } from 'constructs';
import { secretReadGrants, throwIfInvalidProps, type AwsSecretReference } from '../../config';
import type { IPolicyHolder, PolicyStatement } from '../policy-statement';
import { InlinePolicy } from '../private/inline-policy';
import { podIdentityTrustPolicy } from '../private/trust-policy';
import { iamRoleNameIssues } from '../private/iam-role-name';
import type { IEksCluster } from './eks-cluster';

/** Props of {@link WorkloadIdentity}. */
export interface WorkloadIdentityProps {
  /** IAM role name, from `workloadRoleName(system, env, service)`. */
  readonly roleName: string;
  /**
   * The EKS cluster whose pods assume the role: one this stack creates, or one another stack owns
   * (`EksCluster.fromClusterAttributes`). Its account pins `aws:SourceAccount`, its ARN pins
   * `aws:SourceArn` and the `eks-cluster-arn` session tag, its name the association.
   */
  readonly cluster: IEksCluster;
  /** Kubernetes namespace of the service, from `namespaceName(service)`. */
  readonly namespace: string;
  /** Kubernetes ServiceAccount of the pods, from `serviceAccountName(service)`. */
  readonly serviceAccount: string;
  /**
   * Tags on the role and the association.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** An IAM role for one ServiceAccount, through EKS Pod Identity. */
export class WorkloadIdentity extends Construct implements IPolicyHolder {
  /** The underlying `aws_iam_role` (escape hatch). */
  public readonly resource: IamRole;
  /** The `aws_eks_pod_identity_association`. */
  public readonly association: EksPodIdentityAssociation;
  /** ARN of the role. */
  public readonly roleArn: string;
  /** Name of the role. */
  public readonly roleName: string;

  private readonly policy: InlinePolicy;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    throwIfInvalidProps(this, iamRoleNameIssues(this, props.roleName));
    this.resource = new IamRole(this, 'Resource', {
      name: props.roleName,
      description: `Pods of ServiceAccount ${props.namespace}/${props.serviceAccount} (EKS Pod Identity)`,
      assumeRolePolicy: podIdentityTrustPolicy({
        account: props.cluster.account,
        clusterArn: props.cluster.clusterArn,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
      }),
      tags: { ...(props.tags ?? {}) },
    });
    this.roleArn = this.resource.arn;
    this.roleName = props.roleName;
    this.policy = new InlinePolicy(this, 'Policy', this.resource.id, 'workload');
    this.association = new EksPodIdentityAssociation(this, 'PodIdentityAssociation', {
      clusterName: props.cluster.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.roleArn,
      tags: { ...(props.tags ?? {}) },
    });
  }

  /** Adds a statement to the role's inline policy (created with the first statement). */
  public addToPolicy(statement: PolicyStatement): void {
    this.policy.add(statement);
  }

  /**
   * Lets the pods read exactly the referenced secrets: `secretsmanager:GetSecretValue` and
   * `secretsmanager:DescribeSecret` on each Secrets Manager ARN, `ssm:GetParameters` on each parameter
   * ARN (statements `ReadSecretsManagerSecrets`, `ReadSsmParameters`; none for no references). The same
   * references render the service's SecretProviderClass (`awsSecretReferences`), so what the CSI driver
   * fetches and what the role may read are one list.
   */
  public grantReadSecrets(references: readonly AwsSecretReference[]): void {
    for (const grant of secretReadGrants(references)) this.addToPolicy(grant);
  }

  /** The statements of the role's inline policy. */
  public get policyStatements(): readonly PolicyStatement[] {
    return this.policy.all;
  }
}
