import { ECR_AUTHORIZATION_TOKEN_STATEMENT, EcrRepository, type EcrRepositoryProps } from '../../infra/constructs/ecr-repository';
import { EncryptionKey } from '../../infra/constructs/encryption-key';
import type { IPolicyHolder, PolicyStatement } from '../../infra/policy-statement';
import { emptyStack, onlyResource, resourcesOf, synthScope } from '../../testing';
import { issueLines, validationErrorOf } from '../support/validation';

const base: EcrRepositoryProps = { repositoryName: 'company-web', account: '333333333333', region: 'ap-east-1' };

/**
 * Checks a lifecycle policy against the ECR rules: unique positive priorities, `expire` actions,
 * `tagged` rules select by tagPrefixList or tagPatternList (not both), `untagged`/`any` rules do
 * not, `countUnit` only with `sinceImagePushed`, and an `any` rule has the highest priority.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lifecycle_policy_parameters
 */
function lifecyclePolicyProblems(policy: { rules: any[] }): string[] {
  const problems: string[] = [];
  const priorities = policy.rules.map((r) => r.rulePriority);
  if (new Set(priorities).size !== priorities.length) problems.push('priorities are not unique');
  for (const r of policy.rules) {
    const s = r.selection;
    if (!Number.isInteger(r.rulePriority) || r.rulePriority < 1) problems.push(`priority ${r.rulePriority} is not a positive integer`);
    if (r.action?.type !== 'expire') problems.push(`rule ${r.rulePriority} action is not expire`);
    if (!['tagged', 'untagged', 'any'].includes(s.tagStatus)) problems.push(`rule ${r.rulePriority} tagStatus ${s.tagStatus}`);
    const selectors = ['tagPrefixList', 'tagPatternList'].filter((k) => k in s);
    if (s.tagStatus === 'tagged' && selectors.length !== 1) problems.push(`tagged rule ${r.rulePriority} needs exactly one tag selector`);
    if (s.tagStatus !== 'tagged' && selectors.length > 0) problems.push(`${s.tagStatus} rule ${r.rulePriority} must not select tags`);
    if (!['imageCountMoreThan', 'sinceImagePushed'].includes(s.countType)) problems.push(`rule ${r.rulePriority} countType ${s.countType}`);
    if ((s.countType === 'sinceImagePushed') !== ('countUnit' in s)) problems.push(`rule ${r.rulePriority} countUnit mismatch`);
    if (!Number.isInteger(s.countNumber) || s.countNumber < 1) problems.push(`rule ${r.rulePriority} countNumber ${s.countNumber}`);
    if (s.tagStatus === 'any' && r.rulePriority !== Math.max(...priorities)) problems.push('the "any" rule is not the last');
  }
  return problems;
}

class RecordingHolder implements IPolicyHolder {
  readonly statements: PolicyStatement[] = [];
  addToPolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }
}

describe('EcrRepository', () => {
  test('creates an immutable, scanned, KMS-encrypted repository with a dedicated rotated key by default', () => {
    const json = synthScope((scope) => new EcrRepository(scope, 'Repository', base));
    const repo = onlyResource(json, 'aws_ecr_repository');
    expect(repo).toMatchObject({
      name: 'company-web',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'KMS' }],
    });
    expect(repo.encryption_configuration[0].kms_key).toMatch(/aws_kms_key\.Repository_Key_\w+\.arn/);
    expect(onlyResource(json, 'aws_kms_key').enable_key_rotation).toBe(true);
    expect(onlyResource(json, 'aws_kms_alias').name).toBe('alias/ecr/company-web');
  });

  test('uses the given encryption key instead of a dedicated one', () => {
    const json = synthScope((scope) => {
      const key = new EncryptionKey(scope, 'Shared', { account: '333333333333', region: 'ap-east-1', aliasName: 'ecr', description: 'images' });
      new EcrRepository(scope, 'Repository', { ...base, encryptionKey: key });
    });
    expect(Object.keys(resourcesOf(json, 'aws_kms_key'))).toHaveLength(1);
    expect(onlyResource(json, 'aws_ecr_repository').encryption_configuration[0].kms_key).toMatch(/aws_kms_key\.Shared_\w+\.arn/);
  });

  test('writes a lifecycle policy that expires untagged images after 14 days and keeps 100 tagged images by default', () => {
    const json = synthScope((scope) => new EcrRepository(scope, 'Repository', base));
    const policy = JSON.parse(onlyResource(json, 'aws_ecr_lifecycle_policy').policy);
    expect(policy).toMatchSnapshot();
    expect(lifecyclePolicyProblems(policy)).toEqual([]);
  });

  test('applies keepTaggedImages and untaggedExpiryDays and stays a valid lifecycle policy', () => {
    const json = synthScope((scope) => new EcrRepository(scope, 'Repository', { ...base, keepTaggedImages: 30, untaggedExpiryDays: 3 }));
    const policy = JSON.parse(onlyResource(json, 'aws_ecr_lifecycle_policy').policy);
    expect(policy.rules.map((r: any) => r.selection.countNumber)).toEqual([3, 30]);
    expect(lifecyclePolicyProblems(policy)).toEqual([]);
  });

  test('the lifecycle rule checker rejects an "any" rule that is not last and duplicate priorities', () => {
    expect(
      lifecyclePolicyProblems({
        rules: [
          { rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } },
          { rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } },
          { rulePriority: 2, selection: { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } },
        ],
      }),
    ).toEqual(['priorities are not unique', 'the "any" rule is not the last', 'tagged rule 2 needs exactly one tag selector']);
  });

  test('tags the repository with the given tags', () => {
    const json = synthScope((scope) => new EcrRepository(scope, 'Repository', { ...base, tags: { service: 'company-web' } }));
    expect(onlyResource(json, 'aws_ecr_repository').tags).toEqual({ service: 'company-web' });
  });

  test('grantPull returns read-only statements scoped to the repository plus the authorization token, and adds them to the grantee', () => {
    const repo = new EcrRepository(emptyStack(), 'Repository', base);
    const holder = new RecordingHolder();
    const statements = repo.grantPull(holder);
    expect(holder.statements).toEqual(statements);
    expect(statements[0]).toEqual(ECR_AUTHORIZATION_TOKEN_STATEMENT);
    expect(statements[1]).toEqual({
      sid: 'EcrPullCompanyWeb',
      actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resources: [repo.repositoryArn],
    });
  });

  test('grantPush adds the upload actions, still scoped to the repository', () => {
    const repo = new EcrRepository(emptyStack(), 'Repository', base);
    const [, push] = repo.grantPush();
    expect(push.actions).toEqual(expect.arrayContaining(['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload']));
    expect(push.resources).toEqual([repo.repositoryArn]);
    for (const s of repo.grantPush()) {
      for (const a of s.actions) expect(a).not.toContain('*');
      if (s.resources.includes('*')) expect(s.actions).toEqual(['ecr:GetAuthorizationToken']);
    }
  });

  test('fails when the repository name is not valid for ECR', () => {
    expect(() => new EcrRepository(emptyStack(), 'Repository', { ...base, repositoryName: 'Company_Web' })).toThrow(
      `test/Repository: 'repositoryName' ("Company_Web") is not an ECR repository name; use 2–256 lowercase letters, digits, and . _ - /`,
    );
  });

  test('fails when keepTaggedImages is below 1', () => {
    expect(() => new EcrRepository(emptyStack(), 'Repository', { ...base, keepTaggedImages: 0 })).toThrow(
      `test/Repository: 'keepTaggedImages' (0) must be a whole number from 1 to 10000; keep at least the running release`,
    );
  });

  test('fails when untaggedExpiryDays is below 1', () => {
    expect(() => new EcrRepository(emptyStack(), 'Repository', { ...base, untaggedExpiryDays: 0 })).toThrow(
      `test/Repository: 'untaggedExpiryDays' (0) must be a whole number >= 1; raise it`,
    );
  });

  test('reports every bad prop in one ValidationError with fields and values', () => {
    const error = validationErrorOf(
      () => new EcrRepository(emptyStack(), 'Repository', { ...base, repositoryName: 'Company_Web', keepTaggedImages: 10001, untaggedExpiryDays: 0.5 }),
    );
    expect(error.message.split('\n')[0]).toBe('invalid props of EcrRepository test/Repository (3 problems):');
    expect(error.issues.map((i) => [i.constructPath, i.field, i.value])).toEqual([
      ['test/Repository', 'repositoryName', 'Company_Web'],
      ['test/Repository', 'keepTaggedImages', 10001],
      ['test/Repository', 'untaggedExpiryDays', 0.5],
    ]);
  });

  test('fails when allowPull is given anything but IAM role ARNs, naming each', () => {
    const repository = new EcrRepository(emptyStack(), 'Repository', base);
    const error = validationErrorOf(() => repository.allowPull(['arn:aws:iam::444455556666:role/ok', 'arn:aws:iam::4444:role/short', 'deploy']));
    expect(issueLines(error)).toEqual([
      `test/Repository: 'roleArns[1]' ("arn:aws:iam::4444:role/short") is not an IAM role ARN; use arn:aws:iam::<account>:role/<name>`,
      `test/Repository: 'roleArns[2]' ("deploy") is not an IAM role ARN; use arn:aws:iam::<account>:role/<name>`,
    ]);
    expect(repository.repositoryPolicy).toBeUndefined();
  });
});
