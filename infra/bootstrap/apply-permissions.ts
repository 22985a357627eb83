/**
 * What the CI apply identity may do, by Terraform resource type: the IAM actions Terraform's AWS
 * provider calls to create, read, update, tag and delete each resource type an environment stack
 * manages. The bootstrap's apply role is granted exactly the union of these for the types in use, and
 * `deploykit check` proves offline that every resource type in an environment's output is covered
 * (so a new construct cannot reach `terraform apply` with a permission the role lacks).
 *
 * IAM writes are special: they are allowed only on roles with the environment's name prefixes and
 * only while the permissions boundary is attached ({@link BOUNDARY_CONDITIONED_ACTIONS}).
 */

/** IAM actions one Terraform resource type needs (all of create, read, update, tag, delete). */
export type ResourceTypeActions = Readonly<Record<string, readonly string[]>>;

const EC2_TAGS = ['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeTags'];
const LOG_TAGS = ['logs:TagResource', 'logs:UntagResource', 'logs:ListTagsForResource', 'logs:TagLogGroup', 'logs:ListTagsLogGroup'];
const EKS_TAGS = ['eks:TagResource', 'eks:UntagResource', 'eks:ListTagsForResource'];
const KMS_GRANT = ['kms:CreateGrant', 'kms:DescribeKey'];

/**
 * The built-in resource types of deploykit's environment stacks and the actions each needs.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
export const RESOURCE_TYPE_ACTIONS: ResourceTypeActions = {
  aws_vpc: ['ec2:CreateVpc', 'ec2:DeleteVpc', 'ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:ModifyVpcAttribute', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkAcls', 'ec2:DescribeRouteTables', ...EC2_TAGS],
  aws_subnet: ['ec2:CreateSubnet', 'ec2:DeleteSubnet', 'ec2:DescribeSubnets', 'ec2:ModifySubnetAttribute', 'ec2:DescribeNetworkInterfaces', ...EC2_TAGS],
  aws_internet_gateway: ['ec2:CreateInternetGateway', 'ec2:DeleteInternetGateway', 'ec2:AttachInternetGateway', 'ec2:DetachInternetGateway', 'ec2:DescribeInternetGateways', ...EC2_TAGS],
  aws_eip: ['ec2:AllocateAddress', 'ec2:ReleaseAddress', 'ec2:DescribeAddresses', 'ec2:DescribeAddressesAttribute', 'ec2:DisassociateAddress', ...EC2_TAGS],
  aws_nat_gateway: ['ec2:CreateNatGateway', 'ec2:DeleteNatGateway', 'ec2:DescribeNatGateways', ...EC2_TAGS],
  aws_route_table: ['ec2:CreateRouteTable', 'ec2:DeleteRouteTable', 'ec2:DescribeRouteTables', ...EC2_TAGS],
  aws_route: ['ec2:CreateRoute', 'ec2:DeleteRoute', 'ec2:ReplaceRoute', 'ec2:DescribeRouteTables'],
  aws_route_table_association: ['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation', 'ec2:DescribeRouteTables'],
  aws_default_security_group: [
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSecurityGroupRules',
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:AuthorizeSecurityGroupEgress',
    'ec2:RevokeSecurityGroupIngress',
    'ec2:RevokeSecurityGroupEgress',
    ...EC2_TAGS,
  ],
  aws_vpc_security_group_ingress_rule: [
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:RevokeSecurityGroupIngress',
    'ec2:DescribeSecurityGroupRules',
    'ec2:ModifySecurityGroupRules',
    'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
    'ec2:DescribeSecurityGroups',
    ...EC2_TAGS,
  ],
  aws_flow_log: ['ec2:CreateFlowLogs', 'ec2:DeleteFlowLogs', 'ec2:DescribeFlowLogs', 'logs:CreateLogDelivery', 'logs:DeleteLogDelivery', 'iam:PassRole', ...EC2_TAGS],
  aws_cloudwatch_log_group: [
    'logs:CreateLogGroup',
    'logs:DeleteLogGroup',
    'logs:DescribeLogGroups',
    'logs:PutRetentionPolicy',
    'logs:DeleteRetentionPolicy',
    'logs:AssociateKmsKey',
    'logs:DisassociateKmsKey',
    ...LOG_TAGS,
  ],
  aws_kms_key: [
    'kms:CreateKey',
    'kms:DescribeKey',
    'kms:GetKeyPolicy',
    'kms:PutKeyPolicy',
    'kms:GetKeyRotationStatus',
    'kms:EnableKeyRotation',
    'kms:DisableKeyRotation',
    'kms:EnableKey',
    'kms:DisableKey',
    'kms:UpdateKeyDescription',
    'kms:ScheduleKeyDeletion',
    'kms:TagResource',
    'kms:UntagResource',
    'kms:ListResourceTags',
  ],
  aws_kms_alias: ['kms:CreateAlias', 'kms:DeleteAlias', 'kms:UpdateAlias', 'kms:ListAliases'],
  aws_ecr_repository: [
    'ecr:CreateRepository',
    'ecr:DeleteRepository',
    'ecr:DescribeRepositories',
    'ecr:PutImageScanningConfiguration',
    'ecr:PutImageTagMutability',
    'ecr:TagResource',
    'ecr:UntagResource',
    'ecr:ListTagsForResource',
    ...KMS_GRANT,
  ],
  aws_ecr_lifecycle_policy: ['ecr:PutLifecyclePolicy', 'ecr:GetLifecyclePolicy', 'ecr:DeleteLifecyclePolicy'],
  aws_ecr_repository_policy: ['ecr:SetRepositoryPolicy', 'ecr:GetRepositoryPolicy', 'ecr:DeleteRepositoryPolicy'],
  aws_eks_cluster: [
    'eks:CreateCluster',
    'eks:DeleteCluster',
    'eks:DescribeCluster',
    'eks:UpdateClusterConfig',
    'eks:UpdateClusterVersion',
    'eks:DescribeUpdate',
    'eks:AssociateEncryptionConfig',
    ...EKS_TAGS,
    // The cluster role, and with EKS Auto Mode the node role (compute_config.node_role_arn), are passed
    // on CreateCluster and UpdateClusterConfig; both are named by the environment (PassEnvironmentRoles).
    'iam:PassRole',
    'iam:CreateServiceLinkedRole',
    'ec2:DescribeSubnets',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeVpcs',
    ...KMS_GRANT,
  ],
  aws_eks_node_group: [
    'eks:CreateNodegroup',
    'eks:DeleteNodegroup',
    'eks:DescribeNodegroup',
    'eks:UpdateNodegroupConfig',
    'eks:UpdateNodegroupVersion',
    'eks:DescribeUpdate',
    ...EKS_TAGS,
    'iam:PassRole',
    'iam:CreateServiceLinkedRole',
    'ec2:DescribeSubnets',
  ],
  aws_eks_addon: ['eks:CreateAddon', 'eks:DeleteAddon', 'eks:DescribeAddon', 'eks:UpdateAddon', 'eks:DescribeAddonVersions', 'eks:DescribeUpdate', ...EKS_TAGS],
  aws_eks_access_entry: ['eks:CreateAccessEntry', 'eks:DeleteAccessEntry', 'eks:DescribeAccessEntry', 'eks:UpdateAccessEntry', ...EKS_TAGS],
  aws_eks_access_policy_association: ['eks:AssociateAccessPolicy', 'eks:DisassociateAccessPolicy', 'eks:ListAssociatedAccessPolicies'],
  aws_eks_pod_identity_association: [
    'eks:CreatePodIdentityAssociation',
    'eks:DeletePodIdentityAssociation',
    'eks:DescribePodIdentityAssociation',
    'eks:UpdatePodIdentityAssociation',
    ...EKS_TAGS,
    'iam:PassRole',
    'iam:GetRole',
  ],
  aws_iam_role: [
    'iam:CreateRole',
    'iam:DeleteRole',
    'iam:GetRole',
    'iam:UpdateRole',
    'iam:UpdateRoleDescription',
    'iam:UpdateAssumeRolePolicy',
    'iam:PutRolePermissionsBoundary',
    'iam:TagRole',
    'iam:UntagRole',
    'iam:ListRolePolicies',
    'iam:ListAttachedRolePolicies',
    'iam:ListInstanceProfilesForRole',
  ],
  aws_iam_role_policy: ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'],
  aws_iam_role_policy_attachment: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:ListAttachedRolePolicies'],
  // The Cluster Autoscaler's node-template tags on a managed node group's Auto Scaling group.
  aws_autoscaling_group_tag: ['autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags', 'autoscaling:DescribeTags', 'autoscaling:DescribeAutoScalingGroups'],
  aws_cloudwatch_metric_alarm: [
    'cloudwatch:PutMetricAlarm',
    'cloudwatch:DeleteAlarms',
    'cloudwatch:DescribeAlarms',
    'cloudwatch:TagResource',
    'cloudwatch:UntagResource',
    'cloudwatch:ListTagsForResource',
  ],
};

/**
 * IAM actions the apply role may call only while the request carries the permissions boundary
 * (`iam:PermissionsBoundary` condition): creating a role or changing what it may do.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export const BOUNDARY_CONDITIONED_ACTIONS: readonly string[] = [
  'iam:CreateRole',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:DeleteRolePolicy',
];

/** The actions the resource types need, deduplicated and sorted. Unknown types contribute nothing. */
export function actionsFor(resourceTypes: Iterable<string>, table: ResourceTypeActions = RESOURCE_TYPE_ACTIONS): string[] {
  const actions = new Set<string>();
  for (const type of resourceTypes) for (const action of table[type] ?? []) actions.add(action);
  return [...actions].sort();
}

/** The resource types of `used` that the table does not cover, in order. */
export function uncoveredResourceTypes(used: Iterable<string>, table: ResourceTypeActions = RESOURCE_TYPE_ACTIONS): string[] {
  return [...new Set(used)].filter((type) => !(type in table));
}
