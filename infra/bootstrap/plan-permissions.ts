/**
 * What the read-only plan identity of an environment may do: read the Terraform state object and
 * describe the environment's resources, so `terraform plan -lock=false` can refresh them. It writes
 * nothing; {@link PLAN_VIEW_ONLY_POLICY} adds the reads AWS allows only on `Resource: "*"`.
 */
import {
  clusterName,
  managedRoleNamePrefixes,
  repositoryName,
  stateKey,
  type Definitions,
  type EnvironmentDefinition,
} from '../../config';
import type { PolicyStatement } from '../policy-statement';
import { ecrRepositoryArn, eksClusterArn, iamRoleArn, oidcProviderArn, s3BucketArn, s3ObjectArn } from '../private/arn';
import { oidcIssuers } from './ci-trust';

/**
 * The AWS managed policy the plan role holds for the reads AWS allows only on `Resource: "*"`
 * (`ec2:Describe*` of VPCs, subnets, gateways, routes, security groups and flow logs,
 * `logs:DescribeLogGroups`, `iam:List*`, `ecr:DescribeRepositories`). It lists and describes
 * configuration but reads no data: no S3 object, secret or parameter value.
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ViewOnlyAccess.html
 */
export const PLAN_VIEW_ONLY_POLICY = 'job-function/ViewOnlyAccess';

/** The ECR repository ARNs of an environment's services, deduplicated, in definition order. */
export function environmentRepositoryArns(env: EnvironmentDefinition): string[] {
  return [...new Set(env.services.map((s) => ecrRepositoryArn(env.region, env.account, repositoryName(s))))];
}

/**
 * The explicit, resource-scoped reads `terraform plan -lock=false` needs to refresh an environment
 * stack: only Describe/Get/List actions, never a wildcard action, and `Resource: "*"` only for
 * `kms:ListAliases` (it has no resource-level permissions). `sts:GetCallerIdentity` needs no permission.
 */
export function planRoleStatements(defs: Definitions, env: EnvironmentDefinition): PolicyStatement[] {
  const { account, region } = env;
  const cluster = clusterName(defs.system, env);
  const key = stateKey(defs.system, env);
  const eks = (type: string, rest: string) => `arn:aws:eks:${region}:${account}:${type}/${cluster}/${rest}`;
  const repositories = environmentRepositoryArns(env);
  const providers = oidcIssuers(defs).map((issuer) => oidcProviderArn(account, issuer.host));
  return [
    { sid: 'ReadTerraformState', actions: ['s3:GetObject'], resources: [s3ObjectArn(env.state.bucket, key)] },
    {
      sid: 'ListTerraformState',
      actions: ['s3:ListBucket'],
      resources: [s3BucketArn(env.state.bucket)],
      conditions: { StringEquals: { 's3:prefix': [key] } },
    },
    { sid: 'DescribeCluster', actions: ['eks:DescribeCluster'], resources: [eksClusterArn(region, account, cluster)] },
    { sid: 'DescribeNodeGroups', actions: ['eks:DescribeNodegroup'], resources: [eks('nodegroup', '*/*')] },
    { sid: 'DescribeAddons', actions: ['eks:DescribeAddon'], resources: [eks('addon', '*/*')] },
    {
      sid: 'DescribeAccessEntries',
      actions: ['eks:DescribeAccessEntry', 'eks:ListAssociatedAccessPolicies'],
      resources: [eks('access-entry', '*')],
    },
    { sid: 'DescribePodIdentityAssociations', actions: ['eks:DescribePodIdentityAssociation'], resources: [eks('podidentityassociation', '*')] },
    ...(repositories.length > 0
      ? [
          {
            sid: 'ReadRepositories',
            actions: ['ecr:DescribeRepositories', 'ecr:GetLifecyclePolicy', 'ecr:GetRepositoryPolicy', 'ecr:ListTagsForResource'],
            resources: repositories,
          },
        ]
      : []),
    {
      sid: 'ReadRoles',
      actions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
      resources: managedRoleNamePrefixes(defs.system, env).map((prefix) => iamRoleArn(account, `${prefix}*`)),
    },
    ...(providers.length > 0
      ? [{ sid: 'ReadOidcProviders', actions: ['iam:GetOpenIDConnectProvider', 'iam:ListOpenIDConnectProviderTags'], resources: providers }]
      : []),
    {
      sid: 'ReadKeys',
      actions: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'],
      resources: [`arn:aws:kms:${region}:${account}:key/*`],
    },
    // kms:ListAliases has no resource-level permissions; refreshing aws_kms_alias needs it.
    { sid: 'ListKeyAliases', actions: ['kms:ListAliases'], resources: ['*'] },
    {
      sid: 'ReadLogGroups',
      actions: ['logs:DescribeLogGroups', 'logs:ListTagsForResource', 'logs:ListTagsLogGroup'],
      resources: [`arn:aws:logs:${region}:${account}:log-group:*`],
    },
    { sid: 'DescribeAddressAttributes', actions: ['ec2:DescribeAddressesAttribute'], resources: [`arn:aws:ec2:${region}:${account}:elastic-ip/*`] },
  ];
}
