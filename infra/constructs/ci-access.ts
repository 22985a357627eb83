/**
 * Keyless CI access to one environment: OpenID Connect providers for GitLab and/or GitHub, a
 * deploy role that only pipelines of the configured project, on protected refs, can assume, and a
 * read-only plan role for the review plans of merge/pull requests. The deploy role pushes the
 * environment's images, reads its Terraform state (and takes the state lock for `terraform plan`),
 * describes the cluster and edits the service namespaces through an EKS access entry. The plan role
 * reads the state object and describes the environment's resources for `terraform plan -lock=false`,
 * and writes nothing. Neither can apply Terraform: that is the separate, human-managed bootstrap role.
 */
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import type { IPolicyHolder, PolicyStatement } from '../policy-statement';
import { awsManagedPolicyArn, eksAccessPolicyArn, s3BucketArn, s3ObjectArn } from '../private/arn';
import { InlinePolicy } from '../private/inline-policy';
import { trustPolicy, type TrustStatement } from '../private/trust-policy';
import type { EcrRepository } from './ecr-repository';

/** The GitHub Actions OIDC issuer host. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/**
 * The AWS managed policy the plan role holds for the reads AWS allows only on `Resource: "*"`
 * (`ec2:Describe*` of VPCs, subnets, gateways, routes, security groups and flow logs,
 * `logs:DescribeLogGroups`, `iam:List*`, `ecr:DescribeRepositories`). It lists and describes
 * configuration but reads no data: no S3 object, secret or parameter value.
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/ViewOnlyAccess.html
 */
export const PLAN_VIEW_ONLY_POLICY = 'job-function/ViewOnlyAccess';

/** GitLab project allowed to deploy. */
export interface GitlabCiOptions {
  /** Project path, e.g. `group/project`. */
  readonly project: string;
  /** GitLab host, e.g. `gitlab.com`; the OIDC issuer is `https://<host>`. */
  readonly host: string;
}

/** GitHub repository allowed to deploy. */
export interface GithubCiOptions {
  /** Repository, e.g. `owner/repo`. */
  readonly repository: string;
}

/** Props of {@link CiAccess}. */
export interface CiAccessProps {
  /** Deploy role name, from `ciDeployRoleName(system, env)`. */
  readonly roleName: string;
  /** AWS account id of the environment. */
  readonly account: string;
  /** Environment name; GitHub jobs running in the GitHub environment of that name may deploy. */
  readonly environmentName: string;
  /**
   * Production environments deploy only from release tags (`v*`); the others from the default branch.
   * @default false
   */
  readonly production?: boolean;
  /**
   * GitLab project whose pipelines may assume the role.
   * @default - no GitLab access
   */
  readonly gitlab?: GitlabCiOptions;
  /**
   * GitHub repository whose workflows may assume the role.
   * @default - no GitHub access
   */
  readonly github?: GithubCiOptions;
  /**
   * Branch that deploys to non-production environments.
   * @default "main"
   */
  readonly defaultBranch?: string;
  /**
   * Create the OIDC providers, or reference the ones another environment in the same account
   * created (an account holds one provider per issuer URL).
   * @default "create"
   */
  readonly oidcProviders?: 'create' | 'reference';
  /** Name of the EKS cluster (a reference orders the access entry after the cluster). */
  readonly clusterName: string;
  /** ARN of the EKS cluster (`eks:DescribeCluster`). */
  readonly clusterArn: string;
  /** Namespaces the role may edit (`AmazonEKSEditPolicy`, namespace scope); none creates no access entry. */
  readonly namespaces: readonly string[];
  /** ECR repositories the role pushes to. */
  readonly repositories: readonly EcrRepository[];
  /** The environment's Terraform state: bucket and object key. */
  readonly state: { readonly bucket: string; readonly key: string };
  /**
   * Plan role name, from `ciPlanRoleName(system, env)`. The review plans of merge/pull requests
   * assume it; it may only read (see {@link CiAccess.planPolicyStatements}).
   * @default - no plan role
   */
  readonly planRoleName?: string;
  /**
   * AWS region of the environment; scopes the plan role's reads (EKS, KMS, EC2 ARNs). Required with
   * `planRoleName`.
   * @default - none
   */
  readonly region?: string;
  /**
   * Name prefixes of the IAM roles the environment's Terraform manages (cluster, node, flow-log,
   * workload and CI roles); the plan role reads roles with these prefixes only.
   * @default - [`${clusterName}-`]
   */
  readonly managedRoleNamePrefixes?: readonly string[];
}

/** OIDC providers and the least-privilege CI deploy role of one environment. */
export class CiAccess extends Construct implements IPolicyHolder {
  /** The underlying `aws_iam_role` (escape hatch). */
  public readonly resource: IamRole;
  /** ARN of the deploy role. */
  public readonly roleArn: string;
  /** The OIDC providers this construct created, by CI system. */
  public readonly providers: { readonly gitlab?: IamOpenidConnectProvider; readonly github?: IamOpenidConnectProvider };
  /** The `sub` patterns the trust policy accepts, by CI system. */
  public readonly subjects: { readonly gitlab: readonly string[]; readonly github: readonly string[] };
  /** The read-only plan role (`aws_iam_role`); undefined without `planRoleName`. */
  public readonly planRole: IamRole | undefined;
  /** ARN of the plan role; undefined without `planRoleName`. */
  public readonly planRoleArn: string | undefined;
  /** The `sub` patterns the plan role's trust policy accepts, by CI system (merge/pull requests only). */
  public readonly planSubjects: { readonly gitlab: readonly string[]; readonly github: readonly string[] };

  private readonly policy: InlinePolicy;
  private readonly planPolicy: InlinePolicy | undefined;

  constructor(scope: Construct, id: string, props: CiAccessProps) {
    super(scope, id);
    const where = this.node.path;
    if (!props.gitlab && !props.github) {
      throw new Error(`${where}: neither 'gitlab' nor 'github' is set, so no pipeline could assume the deploy role; configure ci.gitlab or ci.github`);
    }
    const branch = props.defaultBranch ?? 'main';
    if (branch.includes('*') || branch.includes('?')) {
      throw new Error(`${where}: 'defaultBranch' (${JSON.stringify(branch)}) contains a wildcard; name one protected branch`);
    }
    if (props.planRoleName !== undefined && props.region === undefined) {
      throw new Error(
        `${where}: 'planRoleName' (${JSON.stringify(props.planRoleName)}) is set but 'region' is not, so the plan role's reads cannot be scoped; pass the environment's region`,
      );
    }
    const production = props.production ?? false;
    const create = (props.oidcProviders ?? 'create') === 'create';
    const providers: { gitlab?: IamOpenidConnectProvider; github?: IamOpenidConnectProvider } = {};
    let gitlab: OidcIssuer | undefined;
    let github: OidcIssuer | undefined;

    if (props.gitlab) {
      const { host } = props.gitlab;
      const audience = `https://${host}`;
      let arn = `arn:aws:iam::${props.account}:oidc-provider/${host}`;
      if (create) {
        providers.gitlab = new IamOpenidConnectProvider(this, 'GitlabProvider', { url: `https://${host}`, clientIdList: [audience] });
        arn = providers.gitlab.arn;
      }
      gitlab = { sid: 'GitlabPipelines', arn, host, audience };
    }
    if (props.github) {
      let arn = `arn:aws:iam::${props.account}:oidc-provider/${GITHUB_OIDC_HOST}`;
      if (create) {
        providers.github = new IamOpenidConnectProvider(this, 'GithubProvider', {
          url: `https://${GITHUB_OIDC_HOST}`,
          clientIdList: ['sts.amazonaws.com'],
        });
        arn = providers.github.arn;
      }
      github = { sid: 'GithubWorkflows', arn, host: GITHUB_OIDC_HOST, audience: 'sts.amazonaws.com' };
    }
    this.providers = providers;

    const project = props.gitlab?.project;
    const repo = props.github?.repository;
    this.subjects = {
      gitlab: project === undefined ? [] : [production ? `project_path:${project}:ref_type:tag:ref:v*` : `project_path:${project}:ref_type:branch:ref:${branch}`],
      github:
        repo === undefined
          ? []
          : [production ? `repo:${repo}:ref:refs/tags/v*` : `repo:${repo}:ref:refs/heads/${branch}`, `repo:${repo}:environment:${props.environmentName}`],
    };
    // Merge/pull request pipelines only. GitLab runs merge request pipelines on the source branch, whose
    // token names only the branch (`ref_type:branch:ref:<branch>`), never the merge request, and source
    // branches are not protected: any branch of the project matches. That is why this role is read-only.
    this.planSubjects = {
      gitlab: project === undefined ? [] : [`project_path:${project}:ref_type:branch:ref:*`],
      github: repo === undefined ? [] : [`repo:${repo}:pull_request`],
    };

    this.resource = new IamRole(this, 'Resource', {
      name: props.roleName,
      description: `CI deploys to ${props.environmentName}: push images, read Terraform state, edit service namespaces`,
      assumeRolePolicy: trustPolicy(oidcTrustStatements(gitlab, github, this.subjects)),
      maxSessionDuration: 3600,
    });
    this.roleArn = this.resource.arn;
    this.policy = new InlinePolicy(this, 'Policy', this.resource.id, 'ci-deploy');

    for (const repository of props.repositories) repository.grantPush(this);
    const { bucket, key } = props.state;
    this.addToPolicy({ sid: 'ReadTerraformState', actions: ['s3:GetObject'], resources: [s3ObjectArn(bucket, key)] });
    this.addToPolicy({
      sid: 'LockTerraformState',
      actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      resources: [s3ObjectArn(bucket, `${key}.tflock`)],
    });
    this.addToPolicy({
      sid: 'ListTerraformState',
      actions: ['s3:ListBucket'],
      resources: [s3BucketArn(bucket)],
      conditions: { StringEquals: { 's3:prefix': [key, `${key}.tflock`] } },
    });
    this.addToPolicy({ sid: 'DescribeCluster', actions: ['eks:DescribeCluster'], resources: [props.clusterArn] });

    if (props.namespaces.length > 0) {
      const entry = new EksAccessEntry(this, 'AccessEntry', { clusterName: props.clusterName, principalArn: this.roleArn, type: 'STANDARD' });
      new EksAccessPolicyAssociation(this, 'AccessPolicy', {
        clusterName: props.clusterName,
        principalArn: entry.principalArn,
        policyArn: eksAccessPolicyArn('AmazonEKSEditPolicy'),
        accessScope: { type: 'namespace', namespaces: [...props.namespaces] },
      });
    }

    if (props.planRoleName !== undefined && props.region !== undefined) {
      this.planRole = new IamRole(this, 'PlanRole', {
        name: props.planRoleName,
        description: `Review plans of merge/pull requests for ${props.environmentName}: read Terraform state, describe resources, write nothing`,
        assumeRolePolicy: trustPolicy(oidcTrustStatements(gitlab, github, this.planSubjects)),
        maxSessionDuration: 3600,
      });
      this.planRoleArn = this.planRole.arn;
      new IamRolePolicyAttachment(this, 'PlanViewOnlyAccess', { role: this.planRole.name, policyArn: awsManagedPolicyArn(PLAN_VIEW_ONLY_POLICY) });
      this.planPolicy = new InlinePolicy(this, 'PlanPolicy', this.planRole.id, 'ci-plan');
      const readStatements = planReadStatements({
        account: props.account,
        region: props.region,
        clusterName: props.clusterName,
        clusterArn: props.clusterArn,
        repositoryArns: props.repositories.map((r) => r.repositoryArn),
        oidcProviderArns: [gitlab?.arn, github?.arn].filter((arn): arn is string => arn !== undefined),
        roleNamePrefixes: props.managedRoleNamePrefixes ?? [`${props.clusterName}-`],
        state: props.state,
      });
      for (const statement of readStatements) this.planPolicy.add(statement);
    }
  }

  /** Adds a statement to the deploy role's inline policy. */
  public addToPolicy(statement: PolicyStatement): void {
    this.policy.add(statement);
  }

  /** The statements of the deploy role's inline policy. */
  public get policyStatements(): readonly PolicyStatement[] {
    return this.policy.all;
  }

  /**
   * The statements of the plan role's inline policy (empty without a plan role): reads of the state
   * object and of the environment's EKS, ECR, IAM, KMS, EC2 and CloudWatch Logs resources that
   * `terraform plan` refreshes. {@link PLAN_VIEW_ONLY_POLICY} adds the reads AWS allows only on "*".
   */
  public get planPolicyStatements(): readonly PolicyStatement[] {
    return this.planPolicy?.all ?? [];
  }
}

/** An OIDC issuer the roles trust. */
interface OidcIssuer {
  readonly sid: string;
  /** ARN of the account's `aws_iam_openid_connect_provider` for the issuer. */
  readonly arn: string;
  /** Issuer host, the prefix of the `aud`/`sub` condition keys. */
  readonly host: string;
  /** The audience the CI system's tokens carry. */
  readonly audience: string;
}

/** Trust statements accepting the issuers' tokens with their audience and one of the `sub` patterns. */
function oidcTrustStatements(
  gitlab: OidcIssuer | undefined,
  github: OidcIssuer | undefined,
  subjects: { readonly gitlab: readonly string[]; readonly github: readonly string[] },
): TrustStatement[] {
  const statements: TrustStatement[] = [];
  for (const [issuer, sub] of [
    [gitlab, subjects.gitlab],
    [github, subjects.github],
  ] as const) {
    if (!issuer) continue;
    statements.push({
      sid: issuer.sid,
      principal: { Federated: issuer.arn },
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: { StringEquals: { [`${issuer.host}:aud`]: issuer.audience }, StringLike: { [`${issuer.host}:sub`]: [...sub] } },
    });
  }
  return statements;
}

/** What the plan role's reads are scoped to. */
interface PlanReadScope {
  readonly account: string;
  readonly region: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly repositoryArns: readonly string[];
  readonly oidcProviderArns: readonly string[];
  readonly roleNamePrefixes: readonly string[];
  readonly state: { readonly bucket: string; readonly key: string };
}

/**
 * The explicit, resource-scoped reads `terraform plan -lock=false` needs to refresh an environment
 * stack: only Describe/Get/List actions, never a wildcard action, never `Resource: "*"`.
 * `sts:GetCallerIdentity` (the provider's account check) needs no permission.
 */
function planReadStatements(scope: PlanReadScope): PolicyStatement[] {
  const { account, region, clusterName, state } = scope;
  const eks = (type: string, rest: string) => `arn:aws:eks:${region}:${account}:${type}/${clusterName}/${rest}`;
  return [
    { sid: 'ReadTerraformState', actions: ['s3:GetObject'], resources: [s3ObjectArn(state.bucket, state.key)] },
    {
      sid: 'ListTerraformState',
      actions: ['s3:ListBucket'],
      resources: [s3BucketArn(state.bucket)],
      conditions: { StringEquals: { 's3:prefix': [state.key] } },
    },
    { sid: 'DescribeCluster', actions: ['eks:DescribeCluster'], resources: [scope.clusterArn] },
    { sid: 'DescribeNodeGroups', actions: ['eks:DescribeNodegroup'], resources: [eks('nodegroup', '*/*')] },
    { sid: 'DescribeAddons', actions: ['eks:DescribeAddon'], resources: [eks('addon', '*/*')] },
    {
      sid: 'DescribeAccessEntries',
      actions: ['eks:DescribeAccessEntry', 'eks:ListAssociatedAccessPolicies'],
      resources: [eks('access-entry', '*')],
    },
    { sid: 'DescribePodIdentityAssociations', actions: ['eks:DescribePodIdentityAssociation'], resources: [eks('podidentityassociation', '*')] },
    ...(scope.repositoryArns.length > 0
      ? [
          {
            sid: 'ReadRepositories',
            actions: ['ecr:DescribeRepositories', 'ecr:GetLifecyclePolicy', 'ecr:GetRepositoryPolicy', 'ecr:ListTagsForResource'],
            resources: [...scope.repositoryArns],
          },
        ]
      : []),
    {
      sid: 'ReadRoles',
      actions: ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
      resources: [...new Set(scope.roleNamePrefixes)].map((prefix) => `arn:aws:iam::${account}:role/${prefix}*`),
    },
    {
      sid: 'ReadOidcProviders',
      actions: ['iam:GetOpenIDConnectProvider', 'iam:ListOpenIDConnectProviderTags'],
      resources: [...scope.oidcProviderArns],
    },
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
