import { defineEnvironments, isHighEntropyToken, secretValueHits } from '../../config';
import { configIssuesOf, exampleInput } from '../support/synth';

const env = (input: any, name: string) => input.environments.find((e: any) => e.name === name);

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const TOKEN = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----';

const FIX = {
  key: 'remove it and deactivate the key: pods get AWS credentials from their workload role (EKS Pod Identity); a third-party credential goes into AWS Secrets Manager, referenced in secretEnv ({ secretsManager: { arn } })',
  pem: 'move the key to AWS Secrets Manager and reference it in secretEnv ({ secretsManager: { arn } })',
  url: 'move the password to AWS Secrets Manager, reference it in secretEnv (e.g. DB_PASSWORD: { secretsManager: { arn } }) and write the URL with $(DB_PASSWORD) in its place',
  token: 'move it to AWS Secrets Manager and reference it in secretEnv ({ secretsManager: { arn } }); if it is not a secret, split or shorten it',
};

describe('secret values in the definitions', () => {
  test.each<[string, (input: any) => void, string, string]>([
    [
      'an access key id in an innocently named variable of the catalogue',
      (i) => (i.services['company-api'].env.UPSTREAM_ID = KEY_ID),
      'services.company-api.env',
      `'UPSTREAM_ID' (AKIA…PLE) contains an AWS access key id; ${FIX.key}`,
    ],
    [
      'an access key id in an AWS tag',
      (i) => (env(i, 'staging').tags = { owner: `ci ${KEY_ID}` }),
      'staging.tags',
      `'owner' (AKIA…PLE) contains an AWS access key id; ${FIX.key}`,
    ],
    [
      'a PEM private key in a per-environment variable',
      (i) => (env(i, 'prod').services['company-web'].env = { TLS_KEY: PEM }),
      'prod.services.company-web.env',
      `'TLS_KEY' (-----BEGIN RSA PRIVATE KEY-----) contains a PEM private key block; ${FIX.pem}`,
    ],
    [
      'a password in a database URL',
      (i) => (i.services['company-api'].env.DB_URL = 'postgres://app:hunter2@db.internal:5432/app'),
      'services.company-api.env',
      `'DB_URL' (postgres://app:****@db.internal:5432) contains a password in a URL (scheme://user:password@host); ${FIX.url}`,
    ],
    [
      'a password in a URL inside a list (admins)',
      (i) => env(i, 'dev').cluster.admins.push('https://admin:pa55@example.com'),
      'dev.cluster',
      `'admins[1]' (https://admin:****@example.com) contains a password in a URL (scheme://user:password@host); ${FIX.url}`,
    ],
    [
      'a high-entropy token in a node label',
      (i) => (env(i, 'dev').cluster.nodeGroups.general.labels = { team: TOKEN }),
      'dev.cluster.nodeGroups.general.labels',
      `'team' (wJa…EY (40 characters)) contains a high-entropy token (a random-looking run of base64 characters); ${FIX.token}`,
    ],
    [
      'a high-entropy token in an ingress host',
      (i) => (env(i, 'prod').services['company-web'].ingress.host = `x${TOKEN.replace('/', '').replace('/', '')}.example.com`),
      'prod.services.company-web.ingress',
      `'host' (xwJ…EY (39 characters)) contains a high-entropy token (a random-looking run of base64 characters); ${FIX.token}`,
    ],
  ])('refuses %s at its field path, masked', (_case, mutate, path, message) => {
    const issues = configIssuesOf(mutate);
    expect(issues).toContainEqual({ path, message });
    // The secret itself never appears in any message.
    for (const secret of [KEY_ID, TOKEN, 'hunter2', 'pa55', 'MIIEowIBAAKCAQEA']) expect(JSON.stringify(issues)).not.toContain(secret);
  });

  test('passes the built-in example', () => {
    expect(() => defineEnvironments(exampleInput())).not.toThrow();
  });

  test.each([
    ['an image digest', 'company-api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
    ['a commit SHA as image tag', '5f2fb3b0e9d1c2a7b8f4e6d5c3a2b1f0e9d8c7b6'],
    ['a UUID', '3f2504e0-4f89-41d3-9a0c-0305e82c3301'],
    ['a CIDR', '10.30.200.0/24'],
    ['a Secrets Manager ARN', 'arn:aws:secretsmanager:ap-east-1:333333333333:secret:prod/company-api/DatabaseCredentials2024-Q1w2E3'],
    ['an ACM certificate ARN', 'arn:aws:acm:ap-east-1:333333333333:certificate/00000000-0000-4000-8000-000000000000'],
    ['a cluster-local URL', 'http://company-api.company-api.svc.cluster.local:8080/api/v1'],
    ['a URL with a user but no password', 'ssh://git@gitlab.com/company/platform.git'],
    ['a URL whose password is a Kubernetes variable reference', 'postgres://app:$(DB_PASSWORD)@db.internal:5432/app'],
    ['an ECR image reference', '123456789012.dkr.ecr.ap-east-1.amazonaws.com/company-api:2.0.7'],
    ['an ALB TLS policy', 'ELBSecurityPolicy-TLS13-1-2-2021-06'],
    ['JVM options', '-Xmx512m -XX:MaxRAMPercentage=75.0'],
    ['a CamelCase name with digits', 'MyService2024ConfigurationV2'],
    ['an OpenTelemetry resource list', 'service.name=CompanyApi2,deployment.environment=prod'],
  ])('lets %s through', (_case, value) => {
    expect(secretValueHits(value)).toEqual([]);
  });

  test('the entropy test needs length, mixed case and digits, high entropy and few word-like runs', () => {
    expect(isHighEntropyToken('Q3vT9xLm2ZpR8wKc4NbY7hJd')).toBe(true);
    expect(isHighEntropyToken('Q3vT9xLm2ZpR8wKc4NbY7hJ')).toBe(false); // 23 characters
    expect(isHighEntropyToken('q3vt9xlm2zpr8wkc4nby7hjd1x')).toBe(false); // no upper case
    expect(isHighEntropyToken('QvTxLmZpRwKcNbYhJdQvTxLmZp')).toBe(false); // no digit
    expect(isHighEntropyToken('Aa1Aa1Aa1Aa1Aa1Aa1Aa1Aa1Aa1')).toBe(false); // low entropy
  });
});
