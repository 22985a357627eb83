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
    planRoleName: 'company-staging-ci-plan',
    region: 'ap-east-1',
    ...overrides,
  };
}

function trust(json: ReturnType<typeof synthScope>) {
  return policyOf(resourceAt(json, 'aws_iam_role', 'CiAccess'), 'assume_role_policy').Statement;
}

function planTrust(json: ReturnType<typeof synthScope>) {
  return policyOf(resourceAt(json, 'aws_iam_role', 'CiAccess/PlanRole'), 'assume_role_policy').Statement;
}

function planStatements(json: ReturnType<typeof synthScope>): any[] {
  return policyOf(resourceAt(json, 'aws_iam_role_policy', 'CiAccess/PlanPolicy')).Statement;
}

/** Read-only IAM verbs: an action of the plan role must start with one of them. */
const READ_ONLY_ACTION = /^[a-z0-9-]+:(Describe|Get|List|View)[A-Za-z]*$/;

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
    const statements = policyOf(resourceAt(json, 'aws_iam_role_policy', 'CiAccess/Policy')).Statement;
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

  describe('plan role', () => {
    test('trusts only merge request pipelines (any branch) and pull requests, with the deploy role\'s audiences', () => {
      const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope)));
      const [gitlab, github] = planTrust(json);
      expect(resourceAt(json, 'aws_iam_role', 'CiAccess/PlanRole')).toMatchObject({ name: 'company-staging-ci-plan', max_session_duration: 3600 });
      expect(gitlab).toMatchObject({ Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: expect.stringMatching(/aws_iam_openid_connect_provider\.CiAccess_GitlabProvider_\w+\.arn/) } });
      expect(gitlab.Condition).toEqual({
        StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' },
        StringLike: { 'gitlab.com:sub': ['project_path:company/platform/deploykit:ref_type:branch:ref:*'] },
      });
      expect(github).toMatchObject({ Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: expect.stringMatching(/aws_iam_openid_connect_provider\.CiAccess_GithubProvider_\w+\.arn/) } });
      expect(github.Condition).toEqual({
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:company/deploykit:pull_request'] },
      });
    });

    test('trusts the same request subjects in production, where the deploy role trusts only tags', () => {
      const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope, { production: true, environmentName: 'prod' })));
      const [gitlab, github] = planTrust(json);
      expect(gitlab.Condition.StringLike['gitlab.com:sub']).toEqual(['project_path:company/platform/deploykit:ref_type:branch:ref:*']);
      expect(github.Condition.StringLike['token.actions.githubusercontent.com:sub']).toEqual(['repo:company/deploykit:pull_request']);
    });

    test('the deploy role does not trust merge/pull request subjects', () => {
      const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope)));
      const subjects = JSON.stringify(trust(json).map((s: any) => s.Condition.StringLike));
      expect(subjects).not.toContain('pull_request');
      expect(subjects).not.toContain('ref:*');
    });

    test('trusts only the configured CI system and references existing providers when oidcProviders is "reference"', () => {
      const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope, { github: undefined, oidcProviders: 'reference' })));
      expect(planTrust(json)).toHaveLength(1);
      expect(planTrust(json)[0].Principal.Federated).toBe('arn:aws:iam::222222222222:oidc-provider/gitlab.com');
      const oidc = planStatements(json).find((s) => s.Sid === 'ReadOidcProviders');
      expect(oidc.Resource).toBe('arn:aws:iam::222222222222:oidc-provider/gitlab.com');
    });

    test('holds only read actions, never a wildcard action, and Resource "*" only for kms:ListAliases', () => {
      const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope)));
      const statements = planStatements(json);
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) {
        expect(s.Effect).toBe('Allow');
        for (const action of [s.Action].flat()) expect(action).toMatch(READ_ONLY_ACTION);
        if ([s.Resource].flat().includes('*')) expect(s).toMatchObject({ Sid: 'ListKeyAliases', Action: 'kms:ListAliases' });
      }
    });

    test('reads the state object without the lock file, and lists only the state key', () => {
      const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope)));
      const bySid = Object.fromEntries(planStatements(json).map((s) => [s.Sid, s]));
      expect(bySid.ReadTerraformState).toEqual({
        Sid: 'ReadTerraformState',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::company-terraform-state-222222222222/company/staging/terraform.tfstate',
      });
      expect(bySid.ListTerraformState).toMatchObject({
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::company-terraform-state-222222222222',
        Condition: { StringEquals: { 's3:prefix': ['company/staging/terraform.tfstate'] } },
      });
      expect(JSON.stringify(planStatements(json))).not.toContain('.tflock');
    });

    test('scopes the refresh reads to the environment\'s cluster, repositories, roles, keys, log groups and addresses', () => {
      const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope, { managedRoleNamePrefixes: ['company-staging-', 'company-staging-'] })));
      const statements = planStatements(json);
      expect(statements.map((s) => s.Sid)).toEqual([
        'ReadTerraformState',
        'ListTerraformState',
        'DescribeCluster',
        'DescribeNodeGroups',
        'DescribeAddons',
        'DescribeAccessEntries',
        'DescribePodIdentityAssociations',
        'ReadRepositories',
        'ReadRoles',
        'ReadOidcProviders',
        'ReadKeys',
        'ListKeyAliases',
        'ReadLogGroups',
        'DescribeAddressAttributes',
      ]);
      const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
      expect(bySid.DescribeCluster).toMatchObject({ Action: 'eks:DescribeCluster', Resource: 'arn:aws:eks:ap-east-1:222222222222:cluster/company-staging' });
      expect(bySid.DescribeNodeGroups.Resource).toBe('arn:aws:eks:ap-east-1:222222222222:nodegroup/company-staging/*/*');
      expect(bySid.DescribeAccessEntries.Resource).toBe('arn:aws:eks:ap-east-1:222222222222:access-entry/company-staging/*');
      expect(bySid.ReadRepositories.Resource).toMatch(/^\$\{aws_ecr_repository\.Repository_\w+\.arn\}$/);
      expect(bySid.ReadRoles.Resource).toBe('arn:aws:iam::222222222222:role/company-staging-*');
      expect(bySid.ReadKeys.Resource).toBe('arn:aws:kms:ap-east-1:222222222222:key/*');
      expect(bySid.ReadLogGroups.Resource).toBe('arn:aws:logs:ap-east-1:222222222222:log-group:*');
      expect(bySid.DescribeAddressAttributes).toMatchObject({ Action: 'ec2:DescribeAddressesAttribute', Resource: 'arn:aws:ec2:ap-east-1:222222222222:elastic-ip/*' });
    });

    test('reads the roles named after the cluster by default', () => {
      const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope)));
      expect(planStatements(json).find((s) => s.Sid === 'ReadRoles').Resource).toBe('arn:aws:iam::222222222222:role/company-staging-*');
    });

    test('attaches the AWS managed ViewOnlyAccess policy and no other managed policy', () => {
      const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope)));
      expect(onlyResource(json, 'aws_iam_role_policy_attachment')).toMatchObject({
        policy_arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
        role: expect.stringMatching(/aws_iam_role\.CiAccess_PlanRole_\w+\.name/),
      });
    });

    test('gets no EKS access entry and no write on the state lock', () => {
      const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope)));
      expect(onlyResource(json, 'aws_eks_access_entry').principal_arn).not.toMatch(/PlanRole/);
      for (const s of planStatements(json)) expect(JSON.stringify(s.Action)).not.toMatch(/Put|Delete|Create|Update/);
    });

    test('is not created without planRoleName', () => {
      const access = (() => {
        const stack = emptyStack();
        return new CiAccess(stack, 'CiAccess', props(stack, { planRoleName: undefined, region: undefined }));
      })();
      expect(access.planRole).toBeUndefined();
      expect(access.planRoleArn).toBeUndefined();
      expect(access.planPolicyStatements).toEqual([]);
      const json = synthScope((scope) => new CiAccess(scope, 'CiAccess', props(scope, { planRoleName: undefined })));
      expect(Object.values(resourcesOf(json, 'aws_iam_role')).map((r) => r.name)).toEqual(['company-staging-ci-deploy']);
      expect(resourcesOf(json, 'aws_iam_role_policy_attachment')).toEqual({});
    });

    test('fails when planRoleName is set without a region', () => {
      const stack = emptyStack();
      expect(() => new CiAccess(stack, 'CiAccess', props(stack, { region: undefined }))).toThrow(
        `test/CiAccess: 'planRoleName' ("company-staging-ci-plan") is set but 'region' is not, so the plan role's reads cannot be scoped; pass the environment's region`,
      );
    });
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
