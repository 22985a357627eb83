/**
 * The IAM role of the EC2 instances EKS Auto Mode launches from its built-in node pools
 * (`compute_config.node_role_arn`): trusted by EC2 only, with exactly the two AWS managed policies
 * AWS documents for Auto Mode nodes. EKS creates the node role's access entry (type `EC2`, with
 * `AmazonEKSAutoNodePolicy`) itself when Auto Mode is enabled with this role, so deploykit writes
 * none; a team that adds its own NodeClass with another role must add that role's entry.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-create-node-role.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-learn-iam.html
 */
import { IamRole, IamRolePolicyAttachment } from '../vendor/terraform';
import { Construct } from 'constructs';
import { awsManagedPolicyArn } from '../private/arn';
import { serviceTrustPolicy } from '../private/trust-policy';
import { iamRoleNameIssues } from '../private/iam-role-name';
import { throwIfInvalidProps } from '../../config';

/** The managed policies of an Auto Mode node role, and no others. */
export const AUTO_MODE_NODE_MANAGED_POLICIES = ['AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryPullOnly'] as const;

/** Props of {@link AutoModeNodeRole}. */
export interface AutoModeNodeRoleProps {
  /** IAM role name, from `autoModeNodeRoleName(system, env)`. */
  readonly roleName: string;
  /** Name of the EKS cluster whose nodes assume the role (for the description). */
  readonly clusterName: string;
}

/** The node role of an EKS Auto Mode cluster. */
export class AutoModeNodeRole extends Construct {
  /** The underlying `aws_iam_role` (escape hatch). */
  public readonly resource: IamRole;
  /** ARN of the role. */
  public readonly roleArn: string;
  /** The managed policy attachments; the cluster waits for them. */
  public readonly attachments: readonly IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: AutoModeNodeRoleProps) {
    super(scope, id);
    throwIfInvalidProps(this, iamRoleNameIssues(this, props.roleName));
    this.resource = new IamRole(this, 'Resource', {
      name: props.roleName,
      description: `Nodes EKS Auto Mode launches for cluster ${props.clusterName}`,
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
    });
    this.roleArn = this.resource.arn;
    this.attachments = AUTO_MODE_NODE_MANAGED_POLICIES.map(
      (policy) => new IamRolePolicyAttachment(this, policy, { role: this.resource.name, policyArn: awsManagedPolicyArn(policy) }),
    );
  }
}
