import { awsSecretReferences, defineEnvironments, secretReadGrants, ssmParameterArn } from '../../config';
import { configIssuesOf, exampleInput } from '../support/synth';

const env = (input: any, name: string) => input.environments.find((e: any) => e.name === name);
/** A fixture secret ARN in `account` (full: name plus the 6-character suffix). */
const secretArn = (account: string, name = 'company-api/database', region = 'ap-east-1') => `arn:aws:secretsmanager:${region}:${account}:secret:${name}-Ab12Cd`;

/** Sets prod's company-api `secretEnv` and returns the issues (prod's account is read from the input). */
function prodSecretEnvIssues(secretEnv: (account: string) => Record<string, unknown>) {
  return configIssuesOf((input) => {
    const prod = env(input, 'prod');
    prod.services['company-api'] = { secretEnv: secretEnv(prod.account) };
  });
}

describe('secretEnv references', () => {
  test('resolves Secrets Manager, SSM (by name and by ARN) and Kubernetes Secret references side by side', () => {
    const input = exampleInput();
    const prod = env(input, 'prod');
    const param = `arn:aws:ssm:${prod.region}:${prod.account}:parameter/company/api/signing-key`;
    prod.services['company-api'] = {
      secretEnv: {
        DB_PASSWORD: { secretsManager: { arn: secretArn(prod.account, undefined, prod.region), key: 'password' } },
        DB_USER: { secretsManager: { arn: secretArn(prod.account, undefined, prod.region), key: 'username' } },
        API_TOKEN: { ssmParameter: { name: '/company/api/token' } },
        SIGNING_KEY: { ssmParameter: { arn: param } },
        LEGACY: { secretName: 'legacy-credentials', key: 'token' },
      },
    };
    const defs = defineEnvironments(input);
    const resolved = defs.environments.find((e) => e.name === 'prod')!;
    const api = resolved.services.find((s) => s.name === 'company-api')!;
    const refs = awsSecretReferences(resolved, api);
    expect(refs).toEqual([
      { variable: 'DB_PASSWORD', kind: 'secretsmanager', arn: secretArn(prod.account, undefined, prod.region), jsonKey: 'password' },
      { variable: 'DB_USER', kind: 'secretsmanager', arn: secretArn(prod.account, undefined, prod.region), jsonKey: 'username' },
      { variable: 'API_TOKEN', kind: 'ssmparameter', arn: `arn:aws:ssm:${prod.region}:${prod.account}:parameter/company/api/token` },
      { variable: 'SIGNING_KEY', kind: 'ssmparameter', arn: param },
    ]);
    expect(secretReadGrants(refs)).toEqual([
      { sid: 'ReadSecretsManagerSecrets', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [secretArn(prod.account, undefined, prod.region)] },
      {
        sid: 'ReadSsmParameters',
        actions: ['ssm:GetParameters'],
        resources: [`arn:aws:ssm:${prod.region}:${prod.account}:parameter/company/api/signing-key`, `arn:aws:ssm:${prod.region}:${prod.account}:parameter/company/api/token`],
      },
    ]);
  });

  test('grants nothing for a service without AWS references', () => {
    expect(secretReadGrants([])).toEqual([]);
  });

  test('derives parameter ARNs in the region\'s partition, with or without the leading slash', () => {
    expect(ssmParameterArn({ account: '123456789012', region: 'cn-north-1' }, '/a/b')).toBe('arn:aws-cn:ssm:cn-north-1:123456789012:parameter/a/b');
    expect(ssmParameterArn({ account: '123456789012', region: 'eu-west-1' }, 'plain')).toBe('arn:aws:ssm:eu-west-1:123456789012:parameter/plain');
  });

  const at = 'prod.services.company-api.secretEnv.DB_PASSWORD';
  // Read from the definitions, so the expectations follow the example.
  const { account: PROD, region: REGION } = env(exampleInput(), 'prod');
  const OTHER_REGION = REGION === 'eu-west-1' ? 'us-east-1' : 'eu-west-1';
  test.each<[string, (account: string) => Record<string, unknown>, string, string]>([
    [
      'a partial Secrets Manager ARN (no random suffix)',
      (a) => ({ DB_PASSWORD: { secretsManager: { arn: `arn:aws:secretsmanager:${REGION}:${a}:secret:company-api/database` } } }),
      `${at}.secretsManager`,
      `'arn' ("arn:aws:secretsmanager:${REGION}:${PROD}:secret:company-api/database") is a partial Secrets Manager ARN: it lacks the 6-character random suffix Secrets Manager appends (-AbC123); copy the full ARN (\`aws secretsmanager describe-secret --secret-id <name> --query ARN\`): the IAM grant names exactly that ARN, while a partial one would need a wildcard that also matches every other secret whose name starts the same, and a secret deleted and recreated under the same name gets a new suffix`,
    ],
    [
      'something that is not a Secrets Manager ARN',
      () => ({ DB_PASSWORD: { secretsManager: { arn: 'company-api/database' } } }),
      `${at}.secretsManager`,
      `'arn' ("company-api/database") is not a Secrets Manager secret ARN; use the full ARN arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters> (\`aws secretsmanager describe-secret --secret-id <name> --query ARN\` prints it)`,
    ],
    [
      'a secret in another account',
      () => ({ DB_PASSWORD: { secretsManager: { arn: secretArn('999999999999', 'company-api/database', REGION) } } }),
      `${at}.secretsManager`,
      `'arn' ("arn:aws:secretsmanager:${REGION}:999999999999:secret:company-api/database-Ab12Cd") is in account 999999999999, not the environment's account ${PROD}; deploykit reads secrets only in the environment's own account (a cross-account read needs a resource policy on the secret and a customer managed KMS key, which deploykit does not model), so create or replicate the secret in account ${PROD} and use its ARN`,
    ],
    [
      'a secret in another region',
      (a) => ({ DB_PASSWORD: { secretsManager: { arn: secretArn(a, 'company-api/database', OTHER_REGION) } } }),
      `${at}.secretsManager`,
      `'arn' ("arn:aws:secretsmanager:${OTHER_REGION}:${PROD}:secret:company-api/database-Ab12Cd") is in region "${OTHER_REGION}", not the environment's region "${REGION}", where the CSI driver's AWS provider fetches; replicate the secret to ${REGION} and use that replica's ARN`,
    ],
    [
      'a secret in another partition',
      (a) => ({ DB_PASSWORD: { secretsManager: { arn: `arn:aws-cn:secretsmanager:cn-north-1:${a}:secret:db-Ab12Cd` } } }),
      `${at}.secretsManager`,
      `'arn' ("arn:aws-cn:secretsmanager:cn-north-1:${PROD}:secret:db-Ab12Cd") is in partition "aws-cn", but the environment's region "${REGION}" is in "aws"; use the ARN of a secret in the environment's partition`,
    ],
    [
      'an SSM parameter ARN in another account',
      () => ({ DB_PASSWORD: { ssmParameter: { arn: `arn:aws:ssm:${REGION}:999999999999:parameter/db/password` } } }),
      `${at}.ssmParameter`,
      `'arn' ("arn:aws:ssm:${REGION}:999999999999:parameter/db/password") is in account 999999999999, not the environment's account ${PROD}; deploykit reads secrets only in the environment's own account (a cross-account read needs a resource policy on the secret and a customer managed KMS key, which deploykit does not model), so create or replicate the secret in account ${PROD} and use its ARN`,
    ],
    [
      'an SSM parameter with both name and ARN',
      (a) => ({ DB_PASSWORD: { ssmParameter: { name: '/db/password', arn: `arn:aws:ssm:${REGION}:${a}:parameter/db/password` } } }),
      `${at}.ssmParameter`,
      `sets both 'name' and 'arn'; give exactly one of them`,
    ],
    [
      'two sources for one variable',
      (a) => ({ DB_PASSWORD: { secretsManager: { arn: secretArn(a) }, secretName: 'db', key: 'password' } }),
      at,
      `combines 'secretsManager' and 'secretName'; use exactly one of secretsManager, ssmParameter or secretName + key`,
    ],
    [
      'no source',
      () => ({ DB_PASSWORD: {} }),
      at,
      `names no source; use { secretsManager: { arn, key? } }, { ssmParameter: { name } } or { secretName, key }`,
    ],
    [
      'a Kubernetes Secret without its key',
      () => ({ DB_PASSWORD: { secretName: 'db' } }),
      at,
      `'key' is not set while 'secretName' ("db") is; add the key inside the Kubernetes Secret`,
    ],
    [
      'the Kubernetes key used for a JSON key',
      (a) => ({ DB_PASSWORD: { secretsManager: { arn: secretArn(a) }, key: 'password' } }),
      at,
      `'key' ("password") belongs to the Kubernetes Secret form; for a JSON key of a Secrets Manager secret write secretsManager: { arn, key }`,
    ],
  ])('refuses %s with the exact message', (_case, secretEnv, path, message) => {
    expect(prodSecretEnvIssues(secretEnv)).toContainEqual({ path, message });
  });

});
