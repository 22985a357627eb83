import { Testing } from '../../../infra/vendor/terraform';
import {
  autoModeNodeRoleName,
  bootstrapStackName,
  ciRoleArn,
  ciRoleName,
  clusterName,
  defineEnvironments,
  deploymentTargets,
  permissionsBoundaryArn,
  permissionsBoundaryName,
  promotionSource,
  repositoryName,
  type Definitions,
  type EnvironmentDefinition,
} from '../../../config';
import { BootstrapStack, bootstrapAccounts, type BootstrapStackProps } from '../../../infra/bootstrap/bootstrap-stack';
import { exampleDefs, exampleInput, moveToAccount } from '../../support/synth';
import { addressAt, policyOf, resourceAt, resourcesOf, synthStack, type TfJson } from '../../../testing';

const defs = exampleDefs();

function synth(account: string, definitions: Definitions = defs, props: Partial<BootstrapStackProps> = {}): { stack: BootstrapStack; json: TfJson } {
  const stack = new BootstrapStack(Testing.app(), bootstrapStackName(definitions.system, account), { definitions, account, ...props });
  return { stack, json: synthStack(stack) };
}

/** The role of an environment's CI identity, found by its name. */
function role(json: TfJson, env: EnvironmentDefinition, kind: 'plan' | 'apply' | 'deploy', definitions: Definitions = defs) {
  const found = Object.entries(resourcesOf(json, 'aws_iam_role')).filter(([, r]) => r.name === ciRoleName(definitions.system, env, kind));
  expect(found).toHaveLength(1);
  const [name, resource] = found[0];
  const policies = Object.values(resourcesOf(json, 'aws_iam_role_policy')).filter((p) => p.role === `\${aws_iam_role.${name}.id}`);
  expect(policies).toHaveLength(1);
  return { resource, trust: JSON.parse(resource.assume_role_policy), statements: policyOf(policies[0]).Statement as any[], address: `aws_iam_role.${name}` };
}

/** The `sub` patterns a trust policy accepts for one issuer host. */
function subjects(trust: any, host: string): string[] {
  return trust.Statement.filter((s: any) => s.Condition.StringEquals[`${host}:aud`] !== undefined).flatMap((s: any) => s.Condition.StringLike[`${host}:sub`]);
}

describe('BootstrapStack', () => {
  describe.each(bootstrapAccounts(defs))('the bootstrap of account %s', (account) => {
    const envs = defs.environments.filter((e) => e.account === account);
    const { json } = synth(account);
    const { project, host } = defs.ci.gitlab!;
    const repo = defs.ci.github!.repository;
    const branch = defs.ci.defaultBranch;

    test('is pinned to the account and keeps its own state locally until it is migrated', () => {
      expect(json.provider!.aws[0]).toMatchObject({ region: envs[0].region, allowed_account_ids: [account] });
      expect(json.terraform!.backend).toEqual({ local: { path: 'terraform.tfstate' } });
    });

    test('creates each state bucket the environments name once, with every protection', () => {
      const buckets = [...new Set(envs.map((e) => e.state.bucket))];
      expect(Object.values(resourcesOf(json, 'aws_s3_bucket')).map((b) => b.bucket)).toEqual(buckets);
      const [bucket] = Object.values(resourcesOf(json, 'aws_s3_bucket'));
      expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
      for (const versioning of Object.values(resourcesOf(json, 'aws_s3_bucket_versioning'))) expect(versioning.versioning_configuration).toEqual({ status: 'Enabled' });
      for (const sse of Object.values(resourcesOf(json, 'aws_s3_bucket_server_side_encryption_configuration'))) {
        expect(sse.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
      }
      for (const block of Object.values(resourcesOf(json, 'aws_s3_bucket_public_access_block'))) {
        expect(block).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
      }
      for (const ownership of Object.values(resourcesOf(json, 'aws_s3_bucket_ownership_controls'))) expect(ownership.rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
      for (const lifecycle of Object.values(resourcesOf(json, 'aws_s3_bucket_lifecycle_configuration'))) {
        expect(lifecycle.rule).toEqual([
          expect.objectContaining({
            status: 'Enabled',
            noncurrent_version_expiration: [{ noncurrent_days: 90 }],
            abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
          }),
        ]);
      }
      for (const policy of Object.values(resourcesOf(json, 'aws_s3_bucket_policy'))) {
        const tls = policyOf(policy).Statement.find((s: any) => s.Sid === 'DenyInsecureTransport');
        expect(tls).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
        expect(tls.Resource).toEqual(buckets.flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]));
      }
    });

    test('creates one OIDC provider per CI system with its audience', () => {
      const providers = Object.values(resourcesOf(json, 'aws_iam_openid_connect_provider')).map((p) => [p.url, p.client_id_list]);
      expect(providers.sort()).toEqual(
        [
          [`https://${host}`, [`https://${host}`]],
          ['https://token.actions.githubusercontent.com', ['sts.amazonaws.com']],
        ].sort(),
      );
    });

    test('creates the permissions boundary, which denies IAM writes, account changes, the CI roles and the state', () => {
      const policy = resourceAt(json, 'aws_iam_policy', 'PermissionsBoundary');
      expect(policy.name).toBe(permissionsBoundaryName(defs.system));
      const statements = policyOf(policy).Statement;
      const denied = (action: string, resource: string) =>
        statements.some((s: any) => s.Effect === 'Deny' && [s.Action].flat().includes(action) && [s.Resource].flat().includes(resource));
      expect(denied('iam:CreateRole', '*')).toBe(true);
      expect(denied('iam:PassRole', '*')).toBe(true);
      expect(denied('iam:Put*', '*')).toBe(true);
      expect(denied('organizations:*', '*')).toBe(true);
      expect(denied('sts:AssumeRole', `arn:aws:iam::${account}:role/deploykit-*`)).toBe(true);
      for (const e of envs) expect(denied('s3:*', `arn:aws:s3:::${e.state.bucket}/*`)).toBe(true);
      for (const service of ['ec2', 'eks', 'ecr', 'logs', 'kms']) {
        expect(statements.find((s: any) => s.Sid === 'AllowWorkloadServices').Action).toContain(`${service}:*`);
      }
    });

    test("lets roles under the boundary do exactly what AWS's Auto Mode cluster policies need beyond the allowed services", () => {
      const statements = policyOf(resourceAt(json, 'aws_iam_policy', 'PermissionsBoundary')).Statement;
      const matches = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(value);
      const applies = (s: any, action: string, resource: string, passedTo?: string) => {
        if (![s.Action].flat().some((a: string) => matches(a, action)) || ![s.Resource].flat().some((r: string) => matches(r, resource))) return false;
        const equals = s.Condition?.StringEquals?.['iam:PassedToService'];
        const notEquals = s.Condition?.StringNotEquals?.['iam:PassedToService'];
        if (equals !== undefined && ![equals].flat().includes(passedTo)) return false;
        if (notEquals !== undefined && [notEquals].flat().includes(passedTo)) return false;
        return true;
      };
      /** Effective boundary decision for one request (an explicit deny wins). */
      const allowed = (action: string, resource: string, passedTo?: string) =>
        statements.some((s: any) => s.Effect === 'Allow' && applies(s, action, resource, passedTo)) &&
        !statements.some((s: any) => s.Effect === 'Deny' && applies(s, action, resource, passedTo));
      const profile = `arn:aws:iam::${account}:instance-profile/eks-ap-east-1-company-prod-1234`;
      expect(allowed('iam:AddRoleToInstanceProfile', profile)).toBe(true);
      expect(allowed('iam:AddRoleToInstanceProfile', `arn:aws:iam::${account}:instance-profile/other`)).toBe(false);
      expect(allowed('iam:AddUserToGroup', `arn:aws:iam::${account}:group/admins`)).toBe(false);
      for (const env of envs) {
        const nodeRole = `arn:aws:iam::${account}:role/${autoModeNodeRoleName(defs.system, env)}`;
        expect(allowed('iam:PassRole', nodeRole, 'ec2.amazonaws.com')).toBe(true);
        expect(allowed('iam:PassRole', nodeRole, 'lambda.amazonaws.com')).toBe(false);
        expect(allowed('iam:PassRole', `arn:aws:iam::${account}:role/${ciRoleName(defs.system, env, 'apply')}`, 'ec2.amazonaws.com')).toBe(false);
      }
      for (const action of ['acm:DescribeCertificate', 'wafv2:GetWebACLForResource', 'shield:CreateProtection', 'cognito-idp:DescribeUserPoolClient']) {
        expect(allowed(action, '*')).toBe(true);
      }
      expect(allowed('iam:CreateRole', `arn:aws:iam::${account}:role/anything`)).toBe(false);
    });

    test.each(envs.map((e) => [e.name, e] as const))('gives %s plan, apply and deploy roles trusted exactly as the promotion rules say', (_name, env) => {
      const releaseTag = deploymentTargets(defs).find((t) => t.environment.name === env.name)!.trigger === 'release-tag';
      const github = 'token.actions.githubusercontent.com';
      const plan = role(json, env, 'plan');
      expect(subjects(plan.trust, host)).toEqual([`project_path:${project}:ref_type:branch:ref:*`]);
      expect(subjects(plan.trust, github)).toEqual([`repo:${repo}:pull_request`, `repo:${repo}:ref:refs/heads/${branch}`]);
      for (const kind of ['apply', 'deploy'] as const) {
        const { trust } = role(json, env, kind);
        expect(subjects(trust, host)).toEqual([releaseTag ? `project_path:${project}:ref_type:tag:ref:v*` : `project_path:${project}:ref_type:branch:ref:${branch}`]);
        expect(subjects(trust, github)).toEqual(
          releaseTag ? [`repo:${repo}:ref:refs/tags/v*`, `repo:${repo}:environment:${env.name}`] : [`repo:${repo}:ref:refs/heads/${branch}`],
        );
        for (const s of trust.Statement) {
          expect(s.Action).toBe('sts:AssumeRoleWithWebIdentity');
          expect(s.Principal.Federated).toMatch(new RegExp(`^arn:aws:iam::${account}:oidc-provider/`));
        }
      }
    });

    test.each(envs.map((e) => [e.name, e] as const))('lets the %s plan role read only, with ViewOnlyAccess', (_name, env) => {
      const plan = role(json, env, 'plan');
      const writes = plan.statements.flatMap((s) => [s.Action].flat()).filter((a: string) => !/^[a-z0-9]+:(Describe|Get|List)/.test(a));
      expect(writes).toEqual([]);
      const attachments = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment')).filter((a) => a.role === `\${${plan.address}.name}`);
      expect(attachments.map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess']);
    });

    test.each(envs.map((e) => [e.name, e] as const))('lets the %s deploy role push its images, pull its promotion source and describe its cluster', (_name, env) => {
      const { statements } = role(json, env, 'deploy');
      const arns = (e: EnvironmentDefinition) => [...new Set(e.services.map((s) => `arn:aws:ecr:${e.region}:${e.account}:repository/${repositoryName(s)}`))];
      expect(statements.find((s) => s.Sid === 'EcrAuthorizationToken')).toMatchObject({ Action: 'ecr:GetAuthorizationToken', Resource: '*' });
      const push = statements.find((s) => s.Sid === 'PushImages');
      expect(push.Resource).toEqual(arns(env));
      expect(push.Action).toEqual(expect.arrayContaining(['ecr:PutImage', 'ecr:BatchGetImage', 'ecr:InitiateLayerUpload']));
      const source = promotionSource(defs, env);
      const pull = statements.find((s) => s.Sid === 'PullPromotionSourceImages');
      if (source) {
        expect(pull.Resource).toEqual(arns(source));
        expect([pull.Action].flat()).not.toContain('ecr:PutImage');
      } else {
        expect(pull).toBeUndefined();
      }
      expect(statements.find((s) => s.Sid === 'DescribeCluster').Resource).toBe(`arn:aws:eks:${env.region}:${env.account}:cluster/${clusterName(defs.system, env)}`);
      expect(statements.filter((s) => [s.Resource].flat().includes('*')).map((s) => s.Action)).toEqual(['ecr:GetAuthorizationToken']);
    });

    test('outputs the role ARNs, the bucket names and the boundary ARN', () => {
      expect(Object.keys(json.output!).sort()).toEqual(['ci_role_arns', 'permissions_boundary_arn', 'state_bucket_names']);
      expect(Object.keys(json.output!.ci_role_arns.value as object)).toEqual(envs.map((e) => e.name));
      expect(json.output!.state_bucket_names.value).toEqual([...new Set(envs.map((e) => e.state.bucket))]);
      expect(json.output!.permissions_boundary_arn.value).toBe(`\${${addressAt(json, 'aws_iam_policy', 'PermissionsBoundary')}.arn}`);
      for (const env of envs) for (const kind of ['plan', 'apply', 'deploy'] as const) expect(role(json, env, kind).resource.name).toBe(ciRoleArn(defs.system, env, kind).split('/')[1]);
    });
  });

  test('pins the Terraform addresses of the stateful bootstrap resources', () => {
    const { json } = synth('333333333333');
    expect({
      bucket: addressAt(json, 'aws_s3_bucket', 'StateBucketCompanyTerraformState333333333333'),
      versioning: addressAt(json, 'aws_s3_bucket_versioning', 'StateBucketCompanyTerraformState333333333333/Versioning'),
      gitlab: addressAt(json, 'aws_iam_openid_connect_provider', 'OidcProviders/Gitlab'),
      github: addressAt(json, 'aws_iam_openid_connect_provider', 'OidcProviders/Github'),
      boundary: addressAt(json, 'aws_iam_policy', 'PermissionsBoundary'),
      planRole: addressAt(json, 'aws_iam_role', 'CiRolesProd/PlanRole'),
      applyRole: addressAt(json, 'aws_iam_role', 'CiRolesProd/ApplyRole'),
      deployRole: addressAt(json, 'aws_iam_role', 'CiRolesProd/DeployRole'),
    }).toEqual({
      bucket: 'aws_s3_bucket.StateBucketCompanyTerraformState333333333333_67DAD280',
      versioning: 'aws_s3_bucket_versioning.StateBucketCompanyTerraformState333333333333_Versioning_DAB031FE',
      gitlab: 'aws_iam_openid_connect_provider.OidcProviders_Gitlab_BA109902',
      github: 'aws_iam_openid_connect_provider.OidcProviders_Github_6DC6579E',
      boundary: 'aws_iam_policy.PermissionsBoundary_2D0B48CC',
      planRole: 'aws_iam_role.CiRolesProd_PlanRole_FB64039A',
      applyRole: 'aws_iam_role.CiRolesProd_ApplyRole_DCB59873',
      deployRole: 'aws_iam_role.CiRolesProd_DeployRole_E7EC49BD',
    });
  });

  test('covers every environment of a shared account with one bucket per name, one provider per issuer and roles per environment', () => {
    const input = exampleInput();
    moveToAccount(input.environments[1], input.environments[0].account);
    input.environments[1].cluster.admins = [];
    input.environments[1].state.bucket = input.environments[0].state.bucket;
    moveToAccount(input.environments[2], input.environments[0].account);
    input.environments[2].cluster.admins = [];
    input.environments[2].state = { bucket: 'company-prod-state', region: 'eu-west-1' };
    const shared = defineEnvironments(input);
    const { json } = synth(shared.environments[0].account, shared);
    const buckets = Object.values(resourcesOf(json, 'aws_s3_bucket')).map((b) => [b.bucket, b.provider]);
    expect(buckets.sort()).toEqual([
      ['company-prod-state', 'aws.eu-west-1'],
      [shared.environments[0].state.bucket, undefined],
    ]);
    expect(json.provider!.aws.map((p: any) => [p.alias, p.region])).toEqual([
      [undefined, shared.environments[0].region],
      ['eu-west-1', 'eu-west-1'],
    ]);
    expect(Object.keys(resourcesOf(json, 'aws_iam_openid_connect_provider'))).toHaveLength(2);
    expect(Object.values(resourcesOf(json, 'aws_iam_role')).map((r) => r.name).sort()).toEqual(
      shared.environments.flatMap((e) => (['plan', 'apply', 'deploy'] as const).map((k) => ciRoleName(shared.system, e, k))).sort(),
    );
    expect(Object.keys(resourcesOf(json, 'aws_iam_policy'))).toHaveLength(1);
  });

  test('moves its own state into the first state bucket with the s3 backend', () => {
    const { json } = synth('111111111111', defs, { backend: 's3' });
    expect(json.terraform!.backend).toEqual({
      s3: { bucket: defs.environments[0].state.bucket, key: 'company/bootstrap/terraform.tfstate', region: defs.environments[0].state.region, encrypt: true, use_lockfile: true },
    });
  });

  test('creates no CI identity when neither GitLab nor GitHub is configured', () => {
    const input = exampleInput();
    input.ci = { defaultBranch: 'main' };
    const { json } = synth('111111111111', defineEnvironments(input));
    expect(resourcesOf(json, 'aws_iam_role')).toEqual({});
    expect(resourcesOf(json, 'aws_iam_openid_connect_provider')).toEqual({});
    expect(Object.keys(resourcesOf(json, 'aws_s3_bucket'))).toHaveLength(1);
    expect(resourceAt(json, 'aws_iam_policy', 'PermissionsBoundary').name).toBe(permissionsBoundaryName(defs.system));
  });

  test('fails when the account has no environment', () => {
    expect(() => synth('999999999999')).toThrow(
      `company-bootstrap-999999999999: 'account' ("999999999999") has no environment; use one of 111111111111, 222222222222, 333333333333`,
    );
  });

  test('boundary ARN of the environments is the policy the bootstrap creates', () => {
    const env = defs.environments[0];
    expect(permissionsBoundaryArn(defs.system, env)).toBe(`arn:aws:iam::${env.account}:policy/${permissionsBoundaryName(defs.system)}`);
  });
});
