/**
 * What the CI apply role needs beyond deploykit's own resource types to manage the company stack's
 * additions (the worker queues and the SQS interface endpoint): exported from the definitions module as
 * `applyPermissions`, so `deploykit check` (rule DK-TF-030) counts them and the bootstrap grants them.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html
 */
import type { ResourceTypeActions } from '../../infra/bootstrap/apply-permissions';

const EC2_TAGS = ['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeTags'];

/** Terraform resource types of the company stack and the IAM actions Terraform's AWS provider calls for each. */
export const COMPANY_APPLY_PERMISSIONS: ResourceTypeActions = {
  aws_sqs_queue: [
    'sqs:CreateQueue',
    'sqs:DeleteQueue',
    'sqs:GetQueueAttributes',
    'sqs:SetQueueAttributes',
    'sqs:GetQueueUrl',
    'sqs:ListQueueTags',
    'sqs:TagQueue',
    'sqs:UntagQueue',
  ],
  aws_sqs_queue_redrive_allow_policy: ['sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'],
  aws_security_group: [
    'ec2:CreateSecurityGroup',
    'ec2:DeleteSecurityGroup',
    'ec2:DescribeSecurityGroups',
    'ec2:AuthorizeSecurityGroupEgress',
    'ec2:RevokeSecurityGroupEgress',
    'ec2:DescribeNetworkInterfaces',
    ...EC2_TAGS,
  ],
  aws_vpc_security_group_ingress_rule: [
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:RevokeSecurityGroupIngress',
    'ec2:ModifySecurityGroupRules',
    'ec2:DescribeSecurityGroupRules',
    ...EC2_TAGS,
  ],
  aws_vpc_endpoint: [
    'ec2:CreateVpcEndpoint',
    'ec2:DeleteVpcEndpoints',
    'ec2:ModifyVpcEndpoint',
    'ec2:DescribeVpcEndpoints',
    'ec2:DescribeVpcEndpointServices',
    'ec2:DescribePrefixLists',
    'route53:AssociateVPCWithHostedZone',
    ...EC2_TAGS,
  ],
};
