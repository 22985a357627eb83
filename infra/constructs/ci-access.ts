/**
 * Keyless CI access to one environment: OpenID Connect providers for GitLab and/or GitHub and a
 * deploy role that only pipelines of the configured project, on protected refs, can assume. The
 * role pushes the environment's images, reads its Terraform state (and takes the state lock for
 * `terraform plan`), describes the cluster and edits the service namespaces through an EKS access
 * entry. It cannot apply Terraform: that is the separate, human-managed bootstrap role.
 */
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Construct } from 'constructs';
import type { IPolicyHolder, PolicyStatement } from '../policy-statement';
import { eksAccessPolicyArn, s3BucketArn, s3ObjectArn } from '../private/arn';
import { InlinePolicy } from '../private/inline-policy';
import { trustPolicy, type TrustStatement } from '../private/trust-policy';
import type { EcrRepository } from './ecr-repository';

/** The GitHub Actions OIDC issuer host. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

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

  private readonly policy: InlinePolicy;

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
    const production = props.production ?? false;
    const create = (props.oidcProviders ?? 'create') === 'create';
    const statements: TrustStatement[] = [];
    const providers: { gitlab?: IamOpenidConnectProvider; github?: IamOpenidConnectProvider } = {};
    let gitlabSubjects: string[] = [];
    let githubSubjects: string[] = [];

    if (props.gitlab) {
      const { host, project } = props.gitlab;
      const audience = `https://${host}`;
      let arn = `arn:aws:iam::${props.account}:oidc-provider/${host}`;
      if (create) {
        providers.gitlab = new IamOpenidConnectProvider(this, 'GitlabProvider', { url: `https://${host}`, clientIdList: [audience] });
        arn = providers.gitlab.arn;
      }
      gitlabSubjects = production
        ? [`project_path:${project}:ref_type:tag:ref:v*`]
        : [`project_path:${project}:ref_type:branch:ref:${branch}`];
      statements.push({
        sid: 'GitlabPipelines',
        principal: { Federated: arn },
        actions: ['sts:AssumeRoleWithWebIdentity'],
        conditions: { StringEquals: { [`${host}:aud`]: audience }, StringLike: { [`${host}:sub`]: gitlabSubjects } },
      });
    }
    if (props.github) {
      const repo = props.github.repository;
      let arn = `arn:aws:iam::${props.account}:oidc-provider/${GITHUB_OIDC_HOST}`;
      if (create) {
        providers.github = new IamOpenidConnectProvider(this, 'GithubProvider', {
          url: `https://${GITHUB_OIDC_HOST}`,
          clientIdList: ['sts.amazonaws.com'],
        });
        arn = providers.github.arn;
      }
      githubSubjects = [
        production ? `repo:${repo}:ref:refs/tags/v*` : `repo:${repo}:ref:refs/heads/${branch}`,
        `repo:${repo}:environment:${props.environmentName}`,
      ];
      statements.push({
        sid: 'GithubWorkflows',
        principal: { Federated: arn },
        actions: ['sts:AssumeRoleWithWebIdentity'],
        conditions: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: githubSubjects },
        },
      });
    }
    this.providers = providers;
    this.subjects = { gitlab: gitlabSubjects, github: githubSubjects };

    this.resource = new IamRole(this, 'Resource', {
      name: props.roleName,
      description: `CI deploys to ${props.environmentName}: push images, read Terraform state, edit service namespaces`,
      assumeRolePolicy: trustPolicy(statements),
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
  }

  /** Adds a statement to the deploy role's inline policy. */
  public addToPolicy(statement: PolicyStatement): void {
    this.policy.add(statement);
  }

  /** The statements of the deploy role's inline policy. */
  public get policyStatements(): readonly PolicyStatement[] {
    return this.policy.all;
  }
}
