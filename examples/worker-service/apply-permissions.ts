/**
 * The IAM actions the CI apply role needs for the resource types the company's own constructs add
 * (worker queues, the SQS endpoint and its security group; the group's ingress rule,
 * `aws_vpc_security_group_ingress_rule`, is a type deploykit's own stacks use and grant already).
 * `deploykit bootstrap --config examples/worker-service/deploykit.config.ts` merges them into every
 * apply role, and allows SQS under the permissions boundary so the workers' roles can consume their queues.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html
 */
import type { ResourceTypeActions } from '../../infra';

const EC2_TAGS = ['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeTags'];

/** IAM actions by Terraform resource type for `WorkerQueue` and `SqsEndpoint`. */
export const companyApplyPermissions: ResourceTypeActions = {
  aws_sqs_queue: [
    'sqs:CreateQueue',
    'sqs:DeleteQueue',
    'sqs:GetQueueAttributes',
    'sqs:GetQueueUrl',
    'sqs:SetQueueAttributes',
    'sqs:ListQueueTags',
    'sqs:TagQueue',
    'sqs:UntagQueue',
  ],
  aws_sqs_queue_redrive_allow_policy: ['sqs:GetQueueAttributes', 'sqs:SetQueueAttributes'],
  aws_security_group: [
    'ec2:CreateSecurityGroup',
    'ec2:DeleteSecurityGroup',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSecurityGroupRules',
    'ec2:RevokeSecurityGroupEgress',
    'ec2:AuthorizeSecurityGroupEgress',
    'ec2:DescribeNetworkInterfaces',
    ...EC2_TAGS,
  ],
  aws_vpc_endpoint: [
    'ec2:CreateVpcEndpoint',
    'ec2:DeleteVpcEndpoints',
    'ec2:DescribeVpcEndpoints',
    'ec2:ModifyVpcEndpoint',
    'ec2:DescribePrefixLists',
    'ec2:DescribeVpcEndpointServices',
    'route53:AssociateVPCWithHostedZone',
    ...EC2_TAGS,
  ],
};
