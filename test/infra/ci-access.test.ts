import type { Construct } from 'constructs';
import { CiAccess, type CiAccessProps } from '../../infra/constructs/ci-access';
import { EcrRepository } from '../../infra/constructs/ecr-repository';
import { emptyStack, onlyResource, policyOf, resourceAt, resourcesOf, synthScope } from './tf-json';

function props(scope: Construct, overrides: Partial<CiAccessProps> = {}): CiAccessProps {
  return {
    roleName: 'company-staging-ci-deploy',
    account: '222222222222',
    environmentName: 'staging',
    gitlab: { project: 'company/platform/deploykit', host: 'gitlab.com' },
    github: { repository: 'company/deploykit' },
    clusterName: 'company-staging',
    clusterArn: 'arn:aws:eks:ap-east-1:222222222222:cluster/company-staging',
    namespaces: ['company-web', 'company-api'],
    repositories: [new EcrRepository(scope, 'Repository', { repositoryName: 'company-web', account: '222222222222', region: 'ap-east-1' })],
    state: { bucket: 'company-terraform-state-222222222222', key: 'company/staging/terraform.tfstate' },
    ...overrides,
  };
}

function trust(json: ReturnType<typeof synthScope>) {
  return policyOf(resourceAt(json, 'aws_iam_role', 'CiAccess'), 'assume_role_policy').Statement;
}

describe('CiAccess', () => {
  test('creates the GitLab and GitHub OIDC providers with their audiences', () => {
    const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope)));
    expect(resourceAt(json, 'aws_iam_openid_connect_provider', 'CiAccess/GitlabProvider')).toMatchObject({
      url: 'https://gitlab.com',
      client_id_list: ['https://gitlab.com'],
    });
    expect(resourceAt(json, 'aws_iam_openid_connect_provider', 'CiAccess/GithubProvider')).toMatchObject({
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
    });
  });

  test('trusts only the project on the default branch and the GitHub environment outside production', () => {
    const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope)));
    const [gitlab, github] = trust(json);
    expect(resourceAt(json, 'aws_iam_role', 'CiAccess').name).toBe('company-staging-ci-deploy');
    expect(gitlab.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(gitlab.Condition).toEqual({
      StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' },
      StringLike: { 'gitlab.com:sub': ['project_path:company/platform/deploykit:ref_type:branch:ref:main'] },
    });
    expect(github.Condition).toEqual({
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      StringLike: {
        'token.actions.githubusercontent.com:sub': ['repo:company/deploykit:ref:refs/heads/main', 'repo:company/deploykit:environment:staging'],
      },
    });
  });

  test('trusts only release tags v* (and the GitHub environment) in production', () => {
    const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope, { production: true, environmentName: 'prod' })));
    const [gitlab, github] = trust(json);
    expect(gitlab.Condition.StringLike['gitlab.com:sub']).toEqual(['project_path:company/platform/deploykit:ref_type:tag:ref:v*']);
    expect(github.Condition.StringLike['token.actions.githubusercontent.com:sub']).toEqual([
      'repo:company/deploykit:ref:refs/tags/v*',
      'repo:company/deploykit:environment:prod',
    ]);
  });

  test('uses the configured default branch', () => {
    const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope, { defaultBranch: 'trunk', github: undefined })));
    expect(trust(json)).toHaveLength(1);
    expect(trust(json)[0].Condition.StringLike['gitlab.com:sub']).toEqual(['project_path:company/platform/deploykit:ref_type:branch:ref:trunk']);
  });

  test('references the account\'s existing providers instead of creating them when oidcProviders is "reference"', () => {
    const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope, { oidcProviders: 'reference' })));
    expect(resourcesOf(json, 'aws_iam_openid_connect_provider')).toEqual({});
    expect(trust(json).map((s: any) => s.Principal.Federated)).toEqual([
      'arn:aws:iam::222222222222:oidc-provider/gitlab.com',
      'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com',
    ]);
  });

  test('may push images, read the state, take the state lock and describe the cluster, and nothing else', () => {
    const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope)));
    const statements = policyOf(onlyResource(json, 'aws_iam_role_policy')).Statement;
    expect(statements).toMatchSnapshot();
    const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
    expect(bySid.EcrPushCompanyWeb.Resource).toMatch(/aws_ecr_repository\.Repository_\w+\.arn/);
    expect(bySid.ReadTerraformState).toMatchObject({
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::company-terraform-state-222222222222/company/staging/terraform.tfstate',
    });
    expect(bySid.LockTerraformState.Resource).toBe('arn:aws:s3:::company-terraform-state-222222222222/company/staging/terraform.tfstate.tflock');
    expect(bySid.DescribeCluster).toMatchObject({ Action: 'eks:DescribeCluster', Resource: 'arn:aws:eks:ap-east-1:222222222222:cluster/company-staging' });
    for (const s of statements) {
      for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
      if (s.Resource === '*') expect(s.Action).toBe('ecr:GetAuthorizationToken');
    }
    expect(JSON.stringify(statements)).not.toContain('"s3:PutObject","Resource":"arn:aws:s3:::company-terraform-state-222222222222/company/staging/terraform.tfstate"');
  });

  test('edits only the service namespaces through an access entry with AmazonEKSEditPolicy', () => {
    const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope)));
    expect(onlyResource(json, 'aws_eks_access_entry').principal_arn).toMatch(/aws_iam_role\.CiAccess_\w+\.arn/);
    expect(onlyResource(json, 'aws_eks_access_policy_association')).toMatchObject({
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
      access_scope: { type: 'namespace', namespaces: ['company-web', 'company-api'] },
    });
  });

  test('creates no access entry when there is no namespace', () => {
    const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope, { namespaces: [] })));
    expect(resourcesOf(json, 'aws_eks_access_entry')).toEqual({});
  });

  test('fails when neither GitLab nor GitHub is configured', () => {
    const stack = emptyStack();
    expect(() => new CiAccess(stack, 'CiAccess', props(stack, { gitlab: undefined, github: undefined }))).toThrow(
      `test/CiAccess: neither 'gitlab' nor 'github' is set, so no pipeline could assume the deploy role; configure ci.gitlab or ci.github`,
    );
  });

  test('fails when the default branch is a wildcard', () => {
    const stack = emptyStack();
    expect(() => new CiAccess(stack, 'CiAccess', props(stack, { defaultBranch: 'release/*' }))).toThrow(
      `test/CiAccess: 'defaultBranch' ("release/*") contains a wildcard; name one protected branch`,
    );
  });
});
