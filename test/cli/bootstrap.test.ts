import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapStackName } from '../../config';
import { bootstrapAccounts } from '../../infra/bootstrap/bootstrap-stack';
import { runCli } from '../support/cli';
import { exampleDefs, tempDir } from '../support/synth';

const defs = exampleDefs();
const accounts = bootstrapAccounts(defs);
const workerConfig = join(__dirname, '..', '..', 'examples', 'worker-service', 'deploykit.config.ts');

describe('deploykit bootstrap', () => {
  test('writes one configuration per account and a manifest', async () => {
    const out = join(tempDir(), 'bootstrap');
    const result = await runCli('bootstrap', '--out', out);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toEqual({
      generator: 'deploykit',
      bootstrap: Object.fromEntries(accounts.map((a) => [a, `${a}/cdk.tf.json`])),
    });
    for (const account of accounts) {
      const tf = JSON.parse(readFileSync(join(out, account, 'cdk.tf.json'), 'utf8'));
      expect(tf.provider.aws[0].allowed_account_ids).toEqual([account]);
      const environments = defs.environments.filter((e) => e.account === account).map((e) => e.name);
      expect(result.stdout).toContain(`  ${account}  ${bootstrapStackName(defs.system, account)}`);
      expect(result.stdout).toContain(`environments ${environments.join(', ')}`);
    }
  });

  test('keeps local Terraform state and the lock file when it rewrites an account, and --account writes only that account', async () => {
    const out = join(tempDir(), 'bootstrap');
    expect((await runCli('bootstrap', '--out', out, '--quiet')).code).toBe(0);
    const [first, second] = accounts;
    writeFileSync(join(out, first, 'terraform.tfstate'), '{"version":4}');
    writeFileSync(join(out, first, '.terraform.lock.hcl'), '# lock');
    mkdirSync(join(out, second, '.terraform'));
    writeFileSync(join(out, second, 'terraform.tfstate'), '{"version":4,"serial":2}');
    const before = readFileSync(join(out, second, 'cdk.tf.json'), 'utf8');

    const result = await runCli('bootstrap', '--out', out, '--account', first, '--backend', 's3', '--quiet');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(readFileSync(join(out, first, 'terraform.tfstate'), 'utf8')).toBe('{"version":4}');
    expect(readFileSync(join(out, first, '.terraform.lock.hcl'), 'utf8')).toBe('# lock');
    expect(Object.keys(JSON.parse(readFileSync(join(out, first, 'cdk.tf.json'), 'utf8')).terraform.backend)).toEqual(['s3']);
    // The account not selected keeps its configuration and state; its plugins are left to `terraform init`.
    expect(readFileSync(join(out, second, 'cdk.tf.json'), 'utf8')).toBe(before);
    expect(readFileSync(join(out, second, 'terraform.tfstate'), 'utf8')).toBe('{"version":4,"serial":2}');
    expect(existsSync(join(out, second, '.terraform'))).toBe(false);
    expect(Object.keys(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).bootstrap)).toEqual(accounts);
  });

  test("merges a definitions module's applyPermissions into the apply roles", async () => {
    const out = join(tempDir(), 'bootstrap');
    const result = await runCli('bootstrap', '--config', workerConfig, '--out', out, '--quiet');
    expect(result.stderr).toBe('');
    const tf = JSON.parse(readFileSync(join(out, accounts[0], 'cdk.tf.json'), 'utf8'));
    const policies = Object.values<any>(tf.resource.aws_iam_role_policy).map((p) => p.policy as string);
    expect(policies.some((p) => p.includes('"sqs:CreateQueue"'))).toBe(true);
    const boundary = Object.values<any>(tf.resource.aws_iam_policy)[0].policy as string;
    expect(boundary).toContain('"sqs:*"');
  });

  test.each([
    [['bootstrap'], "deploykit bootstrap: '--out' is required; name the directory to write, e.g. --out bootstrap"],
    [['bootstrap', '--out', 'x', '--backend', 'consul'], `deploykit bootstrap: '--backend' ("consul") must be 'local' or 's3'`],
    [['bootstrap', '--out', 'x', '--account', '12345'], `deploykit bootstrap: '--account' ("12345") is not an AWS account id; use the 12 digits`],
    [['bootstrap', '--out', 'x', 'extra'], 'deploykit bootstrap: unexpected argument "extra"; this command takes only options (see --help)'],
  ])('refuses %j with a usage error', async (args, message) => {
    const result = await runCli(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${message}\n\nUsage: deploykit bootstrap --out <dir>`);
  });

  test('refuses an account without environments, naming the accounts it knows, and writes nothing', async () => {
    const out = join(tempDir(), 'bootstrap');
    const result = await runCli('bootstrap', '--out', out, '--account', '999999999999');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--account: ("999999999999") has no environment in the definitions; use one of ${accounts.join(', ')}`);
    expect(existsSync(out)).toBe(false);
  });

  test('refuses a malformed applyPermissions export with the field and the fix', async () => {
    const dir = tempDir();
    const file = join(dir, 'broken.config.js');
    writeFileSync(
      file,
      `module.exports = { default: require(${JSON.stringify(join(__dirname, '..', '..', 'config', 'environments.ts'))}).exampleDefinitions, applyPermissions: { aws_sqs_queue: ['sqs:*'] } };\n`,
    );
    const result = await runCli('bootstrap', '--config', file, '--out', join(dir, 'out'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`applyPermissions.aws_sqs_queue: "sqs:*" is not an IAM action; use "service:Action" without wildcards, e.g. "sqs:CreateQueue"`);
  });

  test('prints its usage with --help', async () => {
    const result = await runCli('bootstrap', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: deploykit bootstrap --out <dir> \[--config <file>\] \[--account <id>\]/);
    expect((await runCli('--help')).stdout).toMatch(/^ {2}bootstrap +write the once-per-account Terraform/m);
  });
});
