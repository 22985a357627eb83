/**
 * The one seam between deploykit and its Terraform CDK vendor: every use of `cdktf` and of the
 * prebuilt AWS provider bindings (`@cdktf/provider-aws`) in this repository — constructs, the synth
 * engine, examples and tests — imports from here (lint rule `no-restricted-imports` enforces it).
 * cdktf was archived upstream in December 2025; its fork CDK Terrain (`cdktn`, `@cdktn/provider-aws`)
 * exports the same API, so a switch rewrites the module names below and nothing else
 * (docs/adr/0001-cdktf-isolation-and-cdk-terrain.md; `npm run canary:cdktn` synthesizes through a
 * `cdktn` variant of this file and diffs the Terraform JSON).
 *
 * Only what the project uses is re-exported, under the vendor's own names (callers alias where a name
 * clashes with a deploykit construct). Provider resources come from their own submodules, never the
 * package barrel, which loads all 2,135 of them (~2 s, ~0.5 GiB per process).
 *
 * Import nothing else here and keep the module names literal (`'cdktf'`,
 * `'@cdktf/provider-aws/lib/<resource>'`): the canary derives its `cdktn` variant of this file by
 * replacing exactly those names.
 */
export {
  App,
  Aspects,
  Lazy,
  LocalBackend,
  S3Backend,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  Testing,
  Token,
  dependable,
} from 'cdktf';
export type { IAspect, ITerraformDependable, TerraformProvider } from 'cdktf';
export { AutoscalingGroupTagA } from '@cdktf/provider-aws/lib/autoscaling-group-tag';
export { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
export { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
export { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
export { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
export { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
export { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
export { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
export { Eip } from '@cdktf/provider-aws/lib/eip';
export { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
export { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
export { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
export { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
export { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
export { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
export { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
export { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
export { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
export { IamRole } from '@cdktf/provider-aws/lib/iam-role';
export { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
export { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
export { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
export { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
export { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
export { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
export { AwsProvider } from '@cdktf/provider-aws/lib/provider';
export { Route } from '@cdktf/provider-aws/lib/route';
export { RouteTable } from '@cdktf/provider-aws/lib/route-table';
export { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
export { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
export { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
export { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
export { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
export { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
export { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
export { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
export { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
export { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
export { SqsQueueRedriveAllowPolicy } from '@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy';
export { Subnet } from '@cdktf/provider-aws/lib/subnet';
export { Vpc } from '@cdktf/provider-aws/lib/vpc';
export { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
export { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
