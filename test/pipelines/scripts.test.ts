/**
 * The step scripts that do not talk to Kubernetes (those are in deploy-script.test.ts and
 * verify-script.test.ts): Terraform with the real terraform, images with the aws/docker stand-ins,
 * notifications with the real curl against a loopback webhook, and what every script must do.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { terraformToolchain } from '../support/terraform';
import { SCRIPTS_DIR, ScriptWorkspace } from './script-workspace';

jest.setTimeout(60_000);

const ROLE = 'arn:aws:iam::111111111111:role/deploykit-shop-dev-deploy';
const PLAN_ROLE = 'arn:aws:iam::111111111111:role/deploykit-shop-dev-plan';
const OIDC = { DEPLOYKIT_ID_TOKEN: 'fake-oidc-token', CI_PIPELINE_ID: '7', CI_JOB_ID: '42' };
const ASSUME = (role: string) =>
  `aws sts assume-role-with-web-identity --role-arn ${role} --role-session-name deploykit-7-42 --web-identity-token fake-oidc-token --duration-seconds 3600 --query Credentials.[AccessKeyId,SecretAccessKey,SessionToken] --output text`;
const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('terraform scripts, with the real terraform', () => {
  const toolchain = terraformToolchain();
  if (!toolchain.available) throw new Error(`the terraform script tests need terraform: ${toolchain.reason}`);
  const TF_ENV = { ...OIDC, TF_CLI_CONFIG_FILE: toolchain.cliConfigFile, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };

  /**
   * A configuration of `terraform_data` resources (no provider, so it plans and applies offline) with a
   * local state outside the synth directory. The synthesized AWS stack itself cannot be planned here:
   * its S3 backend needs AWS, and synth replaces the directory, so no override file can be slipped in.
   */
  function configuration(values: Record<string, string>): string {
    return JSON.stringify({
      terraform: { backend: { local: { path: '../../../state/dev.tfstate' } } },
      resource: { terraform_data: Object.fromEntries(Object.entries(values).map(([name, input]) => [name, { input }])) },
    });
  }

  /** `deploykit synth` stand-in writing `configuration(values)`: the synth is tested in test/cli. */
  function workspaceSynthesizing(values: Record<string, string>): ScriptWorkspace {
    const shell = new ScriptWorkspace(TF_ENV);
    shell.file('synth/cdk.tf.json', configuration(values));
    shell.tool(
      'deploykit',
      `#!/usr/bin/env bash\nprintf 'deploykit %s\\n' "$*" >>"$STANDIN_LOG"\nwhile [[ $# -gt 0 && "$1" != --out ]]; do shift; done\nmkdir -p "$2/dev/terraform" && cp synth/cdk.tf.json "$2/dev/terraform/"\n`,
    );
    return shell;
  }
  const stateOf = (shell: ScriptWorkspace) => JSON.parse(readFileSync(join(shell.dir, 'state/dev.tfstate'), 'utf8'));
  const inputs = (shell: ScriptWorkspace) =>
    Object.fromEntries(stateOf(shell).resources.map((r: any) => [r.name, r.instances[0].attributes.input.value]));

  const PLAN_ARGS = ['--env', 'dev', '--image-tag', '3f2c9a1', '--region', 'eu-west-1', '--role-arn', ROLE];
  const APPLY_ARGS = ['--env', 'dev', '--region', 'eu-west-1', '--role-arn', ROLE];
  const DRIFT_ARGS = ['--env', 'dev', '--region', 'eu-west-1', '--role-arn', PLAN_ROLE];

  test('plan synthesizes with the image tag and saves tfplan; apply applies exactly that plan', async () => {
    const shell = workspaceSynthesizing({ web: 'v1' });
    const plan = await shell.run('terraform-plan.sh', PLAN_ARGS, { DEPLOYKIT_CLI: 'deploykit' });
    expect(plan.stderr).toContain('terraform-plan: saved the plan of dev to dist/dev/terraform/tfplan');
    expect(plan.code).toBe(0);
    expect(plan.calls).toEqual(['deploykit synth --env dev --image-tag 3f2c9a1 --out dist --no-pipelines --quiet', ASSUME(ROLE)]);
    expect(plan.stdout.replaceAll(`${String.fromCharCode(27)}[1m`, '').replaceAll(`${String.fromCharCode(27)}[0m`, '')).toContain('terraform_data.web will be created');
    // A later change of the configuration is not applied: the saved plan is.
    shell.file('dist/dev/terraform/cdk.tf.json', configuration({ web: 'v2', api: 'v2' }));
    const apply = await shell.run('terraform-apply.sh', APPLY_ARGS);
    expect(apply.stderr).toContain('terraform-apply: applied the saved plan of dev');
    expect(apply.code).toBe(0);
    expect(inputs(shell)).toEqual({ web: 'v1' });
  });

  test('a review plan takes no lock and saves nothing, with the plan role', async () => {
    const shell = workspaceSynthesizing({ web: 'v1' });
    const run = await shell.run('terraform-plan.sh', [...PLAN_ARGS.slice(0, 6), '--role-arn', PLAN_ROLE, '--review'], { DEPLOYKIT_CLI: 'deploykit' });
    expect(run.code).toBe(0);
    expect(run.calls).toContain(ASSUME(PLAN_ROLE));
    expect(run.stderr).toContain('terraform-plan: planned dev for review without taking the state lock; the plan is not saved');
    expect(existsSync(join(shell.dir, 'dist/dev/terraform/tfplan'))).toBe(false);
  });

  test('plan refuses the image tag latest before running anything', async () => {
    const run = await new ScriptWorkspace(TF_ENV).run('terraform-plan.sh', [...PLAN_ARGS.slice(0, 2), '--image-tag', 'latest', ...PLAN_ARGS.slice(4)]);
    expect(run.code).toBe(1);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain('terraform-plan: image tag "latest" is refused; pass the commit SHA (IMAGE_TAG)');
  });

  test('apply fails without a saved plan and names the fix', async () => {
    const run = await new ScriptWorkspace(TF_ENV).run('terraform-apply.sh', APPLY_ARGS);
    expect(run.code).toBe(1);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain('dist/dev/terraform/tfplan does not exist; run terraform-plan.sh --env dev first');
  });

  test('a failed apply (a stale plan) fails the job', async () => {
    const shell = workspaceSynthesizing({ web: 'v1' });
    expect((await shell.run('terraform-plan.sh', PLAN_ARGS, { DEPLOYKIT_CLI: 'deploykit' })).code).toBe(0);
    expect((await shell.run('terraform-apply.sh', APPLY_ARGS)).code).toBe(0);
    const again = await shell.run('terraform-apply.sh', APPLY_ARGS);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Saved plan is stale');
    expect(again.stderr).not.toContain('applied the saved plan');
  });

  test('drift check: 0 when the infrastructure matches, 2 with the changed addresses when not, 1 on errors', async () => {
    const shell = workspaceSynthesizing({ web: 'v1', api: 'v1' });
    expect((await shell.run('terraform-plan.sh', PLAN_ARGS, { DEPLOYKIT_CLI: 'deploykit' })).code).toBe(0);
    expect((await shell.run('terraform-apply.sh', APPLY_ARGS)).code).toBe(0);

    const clean = await shell.run('terraform-drift.sh', DRIFT_ARGS, { DEPLOYKIT_CLI: 'deploykit' });
    expect(clean.stderr).toContain('terraform-drift: no drift: dev matches its definitions');
    expect(clean.code).toBe(0);
    expect(clean.calls).toEqual(['deploykit synth --env dev --out dist --no-pipelines --quiet', ASSUME(PLAN_ROLE)]);

    // Services whose tag comes from CI: the commit's tag reaches synth; a moving tag is refused before anything runs.
    const tagged = await shell.run('terraform-drift.sh', [...DRIFT_ARGS, '--image-tag', '3f2c9a1'], { DEPLOYKIT_CLI: 'deploykit' });
    expect(tagged.code).toBe(0);
    expect(tagged.calls[0]).toBe('deploykit synth --env dev --out dist --no-pipelines --quiet --image-tag 3f2c9a1');
    const latest = await shell.run('terraform-drift.sh', [...DRIFT_ARGS, '--image-tag', 'latest'], { DEPLOYKIT_CLI: 'deploykit' });
    expect(latest.code).toBe(1);
    expect(latest.calls).toEqual([]);

    const applied = readFileSync(join(shell.dir, 'state/dev.tfstate'), 'utf8');
    shell.file('synth/cdk.tf.json', configuration({ web: 'v2', worker: 'v1' }));
    const drift = await shell.run('terraform-drift.sh', DRIFT_ARGS, { DEPLOYKIT_CLI: 'deploykit' });
    expect(drift.code).toBe(2);
    expect(drift.stderr).toContain('terraform-drift: drift in dev');
    expect(drift.stdout.split('\n').filter(Boolean).sort()).toEqual(['  create terraform_data.worker', '  delete terraform_data.api', '  update terraform_data.web']);
    expect(readFileSync(join(shell.dir, 'state/dev.tfstate'), 'utf8')).toBe(applied); // read-only: nothing applied

    const broken = JSON.parse(configuration({ web: 'v1' }));
    broken.resource.terraform_data.web.unknown_argument = 1;
    shell.file('synth/cdk.tf.json', JSON.stringify(broken));
    const failed = await shell.run('terraform-drift.sh', DRIFT_ARGS, { DEPLOYKIT_CLI: 'deploykit' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('No argument or block type is named "unknown_argument"');
    expect(failed.stderr).toContain('terraform-drift: terraform plan of dev failed (exit 1)');
  });
});

describe('review.sh', () => {
  /**
   * A recording `deploykit` (its synth and diff are tested in test/cli and test/diff): here only what the
   * script passes on matters. `gh` is a stand-in because the GitHub API cannot be reached.
   */
  function reviewWorkspace(): ScriptWorkspace {
    const shell = new ScriptWorkspace();
    shell.tool('deploykit', `#!/usr/bin/env bash\nprintf 'deploykit %s\\n' "$*" >>"$STANDIN_LOG"\n[[ "$1" == diff ]] && echo '## deploykit diff'\nexit 0\n`);
    return shell;
  }

  test("synthesizes and diffs both sides with the commit's image tag, then posts the report", async () => {
    const shell = reviewWorkspace();
    const run = await shell.run('review.sh', ['--base', 'abc123', '--platform', 'github', '--image-tag', '3f2c9a1'], { DEPLOYKIT_CLI: 'deploykit', PR_NUMBER: '9' });
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([
      'deploykit synth --out dist --no-pipelines --quiet --image-tag 3f2c9a1',
      'deploykit diff --base abc123 --head dist --format markdown --image-tag 3f2c9a1',
      'gh pr comment 9 --body-file deploykit-diff.md',
    ]);
    expect(readFileSync(join(shell.dir, 'deploykit-diff.md'), 'utf8')).toBe('## deploykit diff\n');
  });

  test('refuses a moving image tag before synthesizing anything', async () => {
    const run = await reviewWorkspace().run('review.sh', ['--base', 'abc123', '--platform', 'github', '--image-tag', 'latest'], { DEPLOYKIT_CLI: 'deploykit', PR_NUMBER: '9' });
    expect(run.code).toBe(1);
    expect(run.calls).toEqual([]);
  });
});

describe('ecr-push.sh', () => {
  test('signs in with the deploy role and pushes <repository>:<sha>', async () => {
    const shell = new ScriptWorkspace(OIDC);
    shell.file('images/shop-web.tar');
    const registry = '111111111111.dkr.ecr.eu-west-1.amazonaws.com';
    const run = await shell.run('ecr-push.sh', [
      '--archive', 'images/shop-web.tar', '--service', 'shop-web', '--tag', '3f2c9a1', '--registry', registry,
      '--repository', 'shop-web', '--region', 'eu-west-1', '--role-arn', ROLE,
    ]);
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([
      ASSUME(ROLE),
      'aws ecr get-login-password --region eu-west-1',
      `docker login --username AWS --password-stdin ${registry}`,
      'docker load --input images/shop-web.tar',
      `docker tag shop-web:3f2c9a1 ${registry}/shop-web:3f2c9a1`,
      `docker push ${registry}/shop-web:3f2c9a1`,
    ]);
    expect(run.stdout + run.stderr).not.toContain('fakeRegistryPassword');
  });
});

describe('build-image.sh', () => {
  test('builds with the BuildKit layer cache and writes the image archive', async () => {
    const run = await new ScriptWorkspace().run('build-image.sh', [
      '--service', 'shop-web', '--tag', '3f2c9a1', '--context', 'services/shop-web', '--archive', 'images/shop-web.tar',
    ]);
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([
      'docker buildx inspect deploykit',
      'docker buildx build --builder deploykit --cache-from type=local,src=.buildx-cache/shop-web --cache-to type=local,dest=.buildx-cache/shop-web.new,mode=max ' +
        '--tag shop-web:3f2c9a1 --output type=docker,dest=images/shop-web.tar services/shop-web',
    ]);
  });
});

describe('mark-verified.sh and promote-image.sh', () => {
  const STAGING = '222222222222.dkr.ecr.eu-west-1.amazonaws.com';
  const PROD = '333333333333.dkr.ecr.eu-west-1.amazonaws.com';
  const STAGING_ROLE = 'arn:aws:iam::222222222222:role/deploykit-shop-staging-deploy';
  const PROD_ROLE = 'arn:aws:iam::333333333333:role/deploykit-shop-prod-deploy';
  const MARK_ARGS = ['--registry', STAGING, '--repository', 'shop-web', '--tag', '3f2c9a1', '--region', 'eu-west-1', '--role-arn', STAGING_ROLE];
  const PROMOTE_ARGS = [
    '--service', 'web', '--tag', '3f2c9a1', '--source-registry', STAGING, '--source-repository', 'shop-web',
    '--target-registry', PROD, '--target-repository', 'shop-web', '--region', 'eu-west-1', '--role-arn', PROD_ROLE,
    '--digests-file', 'images.json',
  ];

  test('mark-verified tags the verified digest verified-<sha>, and again is a no-op', async () => {
    const shell = new ScriptWorkspace(OIDC);
    shell.ecr = { '222222222222/shop-web': { '3f2c9a1': digest('a') } };
    const first = await shell.run('mark-verified.sh', MARK_ARGS);
    expect(first.stderr).toContain(`mark-verified: marked ${STAGING}/shop-web:3f2c9a1 (${digest('a')}) as verified-3f2c9a1`);
    expect(first.code).toBe(0);
    expect(shell.ecr['222222222222/shop-web']).toEqual({ '3f2c9a1': digest('a'), 'verified-3f2c9a1': digest('a') });
    const second = await shell.run('mark-verified.sh', MARK_ARGS);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`mark-verified: ${STAGING}/shop-web:verified-3f2c9a1 already marks ${digest('a')}`);
    expect(second.calls.some((c) => c.startsWith('aws ecr put-image'))).toBe(false);
  });

  test('mark-verified refuses when verified-<sha> points at another digest', async () => {
    const shell = new ScriptWorkspace(OIDC);
    shell.ecr = { '222222222222/shop-web': { '3f2c9a1': digest('a'), 'verified-3f2c9a1': digest('b') } };
    const run = await shell.run('mark-verified.sh', MARK_ARGS);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`already points at ${digest('b')}, not at 3f2c9a1 (${digest('a')})`);
  });

  test('promote copies the verified digest to the target as <sha> and records it', async () => {
    const shell = new ScriptWorkspace(OIDC);
    shell.ecr = { '222222222222/shop-web': { '3f2c9a1': digest('a'), 'verified-3f2c9a1': digest('a') } };
    shell.file('images.json', JSON.stringify({ api: digest('c') }, null, 2));
    const run = await shell.run('promote-image.sh', PROMOTE_ARGS);
    expect(run.stderr).toContain(`promote-image: promoted web 3f2c9a1 (${digest('a')}) to ${PROD}/shop-web`);
    expect(run.code).toBe(0);
    expect(run.calls).toContain(`docker buildx imagetools create --tag ${PROD}/shop-web:3f2c9a1 ${STAGING}/shop-web@${digest('a')}`);
    expect(shell.ecr['333333333333/shop-web']).toEqual({ '3f2c9a1': digest('a') });
    expect(JSON.parse(readFileSync(join(shell.dir, 'images.json'), 'utf8'))).toEqual({ api: digest('c'), web: digest('a') });
    expect(run.stdout + run.stderr).not.toContain('fakeRegistryPassword');
  });

  test('promote refuses a commit that was not verified in the source, naming commit and registry', async () => {
    const shell = new ScriptWorkspace(OIDC);
    shell.ecr = { '222222222222/shop-web': { '3f2c9a1': digest('a') } };
    const run = await shell.run('promote-image.sh', PROMOTE_ARGS);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `promote-image: ${STAGING}/shop-web has no image tagged verified-3f2c9a1: commit 3f2c9a1 was not verified there; deploy it to that environment first (its verify job tags the image)`,
    );
    expect(run.calls.some((c) => c.startsWith('docker buildx'))).toBe(false);
    expect(existsSync(join(shell.dir, 'images.json'))).toBe(false);
  });

  test('promote fails when the target tag holds other content', async () => {
    const shell = new ScriptWorkspace(OIDC);
    shell.ecr = { '222222222222/shop-web': { 'verified-3f2c9a1': digest('a') }, '333333333333/shop-web': { '3f2c9a1': digest('d') } };
    // The copy "succeeds" on an immutable repository that keeps the old image: the digest check catches it.
    shell.tool('docker', '#!/usr/bin/env bash\nprintf "docker %s\\n" "$*" >>"$STANDIN_LOG"\n[[ " $* " == *" --password-stdin "* ]] && cat >/dev/null\nexit 0\n');
    const run = await shell.run('promote-image.sh', PROMOTE_ARGS);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${PROD}/shop-web:3f2c9a1 is ${digest('d')}, not the verified ${digest('a')}`);
  });
});

describe('notify.sh, with the real curl', () => {
  const ARGS = ['--env', 'prod', '--version', 'v1.2.3', '--status', 'failed', '--url', 'https://ci.example/p/1'];

  test('does nothing when DEPLOYKIT_CHAT_WEBHOOK is not set', async () => {
    const run = await new ScriptWorkspace().run('notify.sh', ARGS);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('DEPLOYKIT_CHAT_WEBHOOK is not set; not posting');
  });

  test('posts environment, version, status and link without putting the webhook on the command line', async () => {
    const received: { path: string; body: string; type: string }[] = [];
    const webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body, type: req.headers['content-type'] ?? '' });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hooks/secret-path`;
      const run = await new ScriptWorkspace().run('notify.sh', ARGS, { DEPLOYKIT_CHAT_WEBHOOK: url });
      expect(run.code).toBe(0);
      expect(received).toEqual([
        { path: '/hooks/secret-path', type: 'application/json', body: '{"text":"deploy of v1.2.3 to prod: failed (https://ci.example/p/1)"}' },
      ]);
      expect(run.stdout + run.stderr).not.toContain('secret-path');
    } finally {
      webhook.close();
    }
  });
});

describe('every step script', () => {
  const scripts = readdirSync(SCRIPTS_DIR).filter((f) => f.endsWith('.sh'));

  test.each(scripts)('%s prints its usage with --help and exits 0', async (script) => {
    const run = await new ScriptWorkspace().run(script, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: /);
  });

  test.each(scripts)('%s exits 2 on an unknown option', async (script) => {
    const run = await new ScriptWorkspace().run(script, ['--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown option --bogus (see --help)');
  });

  test('every script is shellcheck-clean', () => {
    const version = spawnSync('shellcheck', ['--version']);
    if (version.status !== 0) throw new Error('shellcheck is not installed: apt-get install shellcheck (.ci/run installs it)');
    const result = spawnSync('shellcheck', ['-x', ...scripts, 'lib/common.sh'], { cwd: SCRIPTS_DIR, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
