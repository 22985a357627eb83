/**
 * The permissions boundary of an account: a managed policy that is the upper bound of every IAM role
 * an environment stack creates (cluster, node, flow-log and workload roles). The apply role may
 * create and change those roles only with this boundary attached, so whatever policy Terraform
 * writes into them, they can never write IAM, change the account or organization, assume the CI
 * roles or touch the Terraform state.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
import { IamPolicy } from '../vendor/terraform';
import { Construct } from 'constructs';
import { MANAGED_BY, propIssue, throwIfInvalidProps } from '../../config';
import { policyDocument, type PolicyStatement } from '../policy-statement';
import { iamRoleArn, s3BucketArn } from '../private/arn';

/**
 * Services the roles under the boundary may use (`<service>:*`): what the EKS cluster role
 * (`AmazonEKSClusterPolicy`, and with Auto Mode the compute, storage, networking and load balancing
 * policies, see {@link BOUNDARY_AUTO_MODE_ACTIONS}), the Cluster Autoscaler, the node role (`AmazonEKSWorkerNodePolicy`, `AmazonEKS_CNI_Policy`,
 * `AmazonEC2ContainerRegistryReadOnly`, SSM), the flow-log role and typical workloads need.
 */
export const BOUNDARY_ALLOWED_SERVICES: readonly string[] = [
  'autoscaling',
  'cloudwatch',
  'dynamodb',
  'ec2',
  'ec2messages',
  'ecr',
  'eks',
  'eks-auth',
  'elasticloadbalancing',
  'events',
  'kms',
  'logs',
  's3',
  'secretsmanager',
  'sns',
  'sqs',
  'ssm',
  'ssmmessages',
  'sts',
  'xray',
];

/** Service-linked roles the roles under the boundary may create (EKS creates the load balancer's on first use). */
export const BOUNDARY_SERVICE_LINKED_ROLES: readonly string[] = ['elasticloadbalancing.amazonaws.com', 'autoscaling.amazonaws.com'];

/**
 * What the cluster role of an EKS Auto Mode cluster needs beyond the services above, as AWS's
 * managed policies for Auto Mode grant it: load balancer certificates, WAF and Shield
 * (`AmazonEKSLoadBalancingPolicy`). Its IAM needs (`AmazonEKSComputePolicy`: putting the node role
 * into an `eks*` instance profile, passing the node role to EC2) are separate statements.
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEKSLoadBalancingPolicy.html
 */
export const BOUNDARY_AUTO_MODE_ACTIONS: readonly string[] = [
  'acm:DescribeCertificate',
  'acm:ListCertificates',
  'cognito-idp:DescribeUserPoolClient',
  'shield:CreateProtection',
  'shield:DeleteProtection',
  'shield:TagResource',
  'wafv2:AssociateWebACL',
  'wafv2:DisassociateWebACL',
  'wafv2:GetWebACL',
  'wafv2:GetWebACLForResource',
  'wafv2:ListWebACLs',
];

/**
 * IAM actions that write; denied under the boundary (`iam:CreateServiceLinkedRole` is allowed only
 * as above). `iam:AddRoleToInstanceProfile` and `iam:PassRole` are not in the list: the boundary
 * allows them only as EKS Auto Mode needs them (instance profiles named `eks*`, the environments'
 * Auto Mode node roles passed to EC2), and denies passing roles to any other service.
 */
export const BOUNDARY_DENIED_IAM_ACTIONS: readonly string[] = [
  'iam:AddClientIDToOpenIDConnectProvider',
  'iam:AddUserToGroup',
  'iam:Attach*',
  'iam:ChangePassword',
  'iam:CreateAccessKey',
  'iam:CreateAccountAlias',
  'iam:CreateGroup',
  'iam:CreateInstanceProfile',
  'iam:CreateLoginProfile',
  'iam:CreateOpenIDConnectProvider',
  'iam:CreatePolicy',
  'iam:CreatePolicyVersion',
  'iam:CreateRole',
  'iam:CreateSAMLProvider',
  'iam:CreateServiceSpecificCredential',
  'iam:CreateUser',
  'iam:CreateVirtualMFADevice',
  'iam:Deactivate*',
  'iam:Delete*',
  'iam:Detach*',
  'iam:Enable*',
  'iam:Put*',
  'iam:Remove*',
  'iam:Reset*',
  'iam:Set*',
  'iam:Tag*',
  'iam:Untag*',
  'iam:Update*',
  'iam:Upload*',
];

/** Props of {@link PermissionsBoundary}. */
export interface PermissionsBoundaryProps {
  /** Policy name, from `permissionsBoundaryName(system)`. */
  readonly policyName: string;
  /** AWS account id (the CI roles' ARNs are denied by pattern in it). */
  readonly account: string;
  /** Terraform state buckets in the account; the roles under the boundary may not touch them. */
  readonly stateBuckets: readonly string[];
  /**
   * More services the roles under the boundary may use, e.g. from a definitions module's
   * `applyPermissions` (a team that creates queues lets its workloads use them).
   * @default []
   */
  readonly additionalServices?: readonly string[];
  /**
   * ARNs of the EKS Auto Mode node roles (`autoModeNodeRoleName`) of the account's environments: the
   * only roles a role under the boundary (an Auto Mode cluster role) may pass, and only to EC2.
   * @default []
   */
  readonly autoModeNodeRoleArns?: readonly string[];
}

/** The account's permissions boundary policy (`aws_iam_policy`). */
export class PermissionsBoundary extends Construct {
  /** The underlying `aws_iam_policy` (escape hatch). */
  public readonly resource: IamPolicy;
  /** The statements of the boundary, as written. */
  public readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps) {
    super(scope, id);
    const services = [...new Set([...BOUNDARY_ALLOWED_SERVICES, ...(props.additionalServices ?? [])])].filter((s) => s !== 'iam').sort();
    const additional = props.additionalServices ?? [];
    throwIfInvalidProps(
      this,
      additional.flatMap((service, i) =>
        /^[a-z0-9-]+$/.test(service)
          ? []
          : [propIssue(this, { field: `additionalServices[${i}]`, value: service, rule: 'is not an IAM service prefix', fix: 'use e.g. "sqs"' })],
      ),
    );
    this.statements = [
      { sid: 'AllowWorkloadServices', actions: services.map((s) => `${s}:*`), resources: ['*'] },
      { sid: 'AllowIamReads', actions: ['iam:Get*', 'iam:List*'], resources: ['*'] },
      { sid: 'AllowAutoModeLoadBalancing', actions: [...BOUNDARY_AUTO_MODE_ACTIONS], resources: ['*'] },
      {
        sid: 'AllowAutoModeInstanceProfiles',
        actions: ['iam:AddRoleToInstanceProfile'],
        resources: [`arn:aws:iam::${props.account}:instance-profile/eks*`],
      },
      ...((props.autoModeNodeRoleArns ?? []).length > 0
        ? [
            {
              sid: 'AllowPassingAutoModeNodeRoles',
              actions: ['iam:PassRole'],
              resources: [...new Set(props.autoModeNodeRoleArns)].sort(),
              conditions: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
            },
          ]
        : []),
      {
        sid: 'AllowServiceLinkedRoles',
        actions: ['iam:CreateServiceLinkedRole'],
        resources: [iamRoleArn(props.account, 'aws-service-role/*')],
        conditions: { StringEquals: { 'iam:AWSServiceName': [...BOUNDARY_SERVICE_LINKED_ROLES] } },
      },
      { sid: 'DenyIamWrites', effect: 'Deny', actions: [...BOUNDARY_DENIED_IAM_ACTIONS], resources: ['*'] },
      {
        sid: 'DenyPassingRolesExceptToEc2',
        effect: 'Deny',
        actions: ['iam:PassRole'],
        resources: ['*'],
        conditions: { StringNotEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
      { sid: 'DenyAccountAndOrganizationChanges', effect: 'Deny', actions: ['account:*', 'organizations:*'], resources: ['*'] },
      {
        sid: 'DenyAssumingCiRoles',
        effect: 'Deny',
        actions: ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:TagSession'],
        resources: [iamRoleArn(props.account, `${MANAGED_BY}-*`)],
      },
      ...(props.stateBuckets.length > 0
        ? [
            {
              sid: 'DenyTerraformState',
              effect: 'Deny' as const,
              actions: ['s3:*'],
              resources: props.stateBuckets.flatMap((bucket) => [s3BucketArn(bucket), `${s3BucketArn(bucket)}/*`]),
            },
          ]
        : []),
    ];
    this.resource = new IamPolicy(this, 'Resource', {
      name: props.policyName,
      description: 'Upper bound of every IAM role the environment stacks create (deploykit bootstrap)',
      policy: policyDocument(this.statements),
    });
  }
}
