import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StubbedShell, type ScriptRun } from './script-stubs';

const SCRIPTS_DIR = join(__dirname, '../../pipelines/scripts');
const ROLE = 'arn:aws:iam::111111111111:role/company-dev-ci-deploy';
const PLAN_ROLE = 'arn:aws:iam::111111111111:role/company-dev-ci-plan';
const OIDC = { DEPLOYKIT_ID_TOKEN: 'fake-oidc-token', CI_PIPELINE_ID: '7', CI_JOB_ID: '42' };
const ASSUME = `aws sts assume-role-with-web-identity --role-arn ${ROLE} --role-session-name deploykit-7-42 --web-identity-token fake-oidc-token --duration-seconds 3600 --query Credentials.[AccessKeyId,SecretAccessKey,SessionToken] --output text`;
const KUBECONFIG = 'aws eks update-kubeconfig --name company-dev --region ap-east-1 --kubeconfig <kubeconfig>';

const VERIFY_ARGS = [
  '--cluster', 'company-dev', '--region', 'ap-east-1', '--role-arn', ROLE, '--namespace', 'company-web',
  '--deployment', 'company-web', '--timeout', '300', '--port', '80', '--path', '/readyz', '--image', 'curlimages/curl:8.11.1',
];
const ROLLOUT_STATUS = 'kubectl --namespace company-web rollout status deployment/company-web --timeout=300s';
const ROLLOUT_UNDO = 'kubectl --namespace company-web rollout undo deployment/company-web';

/** Calls with the random kubeconfig path and the smoke pod's long argv shortened. */
function commands(run: ScriptRun): string[] {
  return run.calls.map((call) =>
    call
      .replace(/--kubeconfig \S+/, '--kubeconfig <kubeconfig>')
      .replace(/^(kubectl --namespace \S+ run \S+) .*$/, '$1 <smoke test>'),
  );
}

describe('verify.sh', () => {
  test('waits for the rollout, smoke-tests the readiness endpoint and succeeds', () => {
    const shell = new StubbedShell();
    const run = shell.run('verify.sh', VERIFY_ARGS, OIDC);
    expect(run.stderr).toContain('deployment/company-web in company-web is rolled out and ready');
    expect(run.code).toBe(0);
    expect(commands(run)).toEqual([ASSUME, KUBECONFIG, ROLLOUT_STATUS, 'kubectl --namespace company-web run smoke-company-web-42 <smoke test>']);
  });

  test('smoke-tests through the Service from a pinned curl image under a restricted security context', () => {
    const run = new StubbedShell().run('verify.sh', VERIFY_ARGS, OIDC);
    const smoke = run.calls.find((c) => c.includes(' run '));
    expect(smoke).toContain('--image=curlimages/curl:8.11.1');
    expect(smoke).toContain('--rm');
    expect(smoke).toContain('"runAsNonRoot":true');
    expect(smoke).toContain('"allowPrivilegeEscalation":false');
    expect(smoke).toContain('"capabilities":{"drop":["ALL"]}');
    expect(smoke).toContain('"seccompProfile":{"type":"RuntimeDefault"}');
    expect(smoke).toMatch(/ curl --fail .* http:\/\/company-web\.company-web\.svc\.cluster\.local:80\/readyz$/);
  });

  test('rolls back, waits for the previous revision and fails the job when the rollout times out', () => {
    const shell = new StubbedShell();
    const run = shell.run('verify.sh', VERIFY_ARGS, { ...OIDC, STUB_FAIL_KUBECTL: 'rollout status', STUB_TIMES_KUBECTL: '1' });
    expect(run.code).toBe(1);
    expect(commands(run)).toEqual([ASSUME, KUBECONFIG, ROLLOUT_STATUS, ROLLOUT_UNDO, ROLLOUT_STATUS]);
    expect(run.stderr).toContain(
      'verify: deployment/company-web in company-web did not finish its rollout within 300s; rolled deployment/company-web in company-web back to the previous revision',
    );
  });

  test('rolls back and fails the job when the smoke test fails', () => {
    const shell = new StubbedShell();
    const run = shell.run('verify.sh', VERIFY_ARGS, { ...OIDC, STUB_FAIL_KUBECTL: ' run smoke-' });
    expect(run.code).toBe(1);
    expect(commands(run)).toEqual([
      ASSUME,
      KUBECONFIG,
      ROLLOUT_STATUS,
      'kubectl --namespace company-web run smoke-company-web-42 <smoke test>',
      ROLLOUT_UNDO,
      ROLLOUT_STATUS,
    ]);
    expect(run.stderr).toContain(
      'verify: the smoke test of http://company-web.company-web.svc.cluster.local:80/readyz failed; rolled deployment/company-web in company-web back to the previous revision',
    );
  });

  test('says so when the rollback does not complete either', () => {
    const run = new StubbedShell().run('verify.sh', VERIFY_ARGS, { ...OIDC, STUB_FAIL_KUBECTL: 'rollout status' });
    expect(run.code).toBe(1);
    expect(commands(run)).toEqual([ASSUME, KUBECONFIG, ROLLOUT_STATUS, ROLLOUT_UNDO, ROLLOUT_STATUS]);
    expect(run.stderr).toContain('the rollback did not complete either');
  });

  test('never prints the assumed credentials', () => {
    const run = new StubbedShell().run('verify.sh', VERIFY_ARGS, OIDC);
    for (const secret of ['fakeSecretKey', 'fakeSessionToken', 'fake-oidc-token']) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });
});

describe('terraform-plan.sh and terraform-apply.sh', () => {
  const PLAN_ARGS = ['--env', 'dev', '--image-tag', '3f2c9a1', '--region', 'ap-east-1', '--role-arn', ROLE];

  test('plan synthesizes the environment with the image tag, then saves tfplan', () => {
    const run = new StubbedShell().run('terraform-plan.sh', PLAN_ARGS, OIDC);
    expect(run.code).toBe(0);
    expect(commands(run)).toEqual([
      'deploykit synth --env dev --image-tag 3f2c9a1 --out dist --no-pipelines --quiet',
      ASSUME,
      'terraform -chdir=dist/dev/terraform init -input=false',
      'terraform -chdir=dist/dev/terraform plan -input=false -out=tfplan',
    ]);
  });

  test('a review plan assumes the plan role and plans without the state lock, saving nothing', () => {
    const run = new StubbedShell().run(
      'terraform-plan.sh',
      ['--env', 'dev', '--image-tag', '3f2c9a1', '--region', 'ap-east-1', '--role-arn', PLAN_ROLE, '--review'],
      OIDC,
    );
    expect(run.code).toBe(0);
    expect(commands(run)).toEqual([
      'deploykit synth --env dev --image-tag 3f2c9a1 --out dist --no-pipelines --quiet',
      ASSUME.replace(ROLE, PLAN_ROLE),
      'terraform -chdir=dist/dev/terraform init -input=false',
      'terraform -chdir=dist/dev/terraform plan -input=false -lock=false',
    ]);
    expect(run.stderr).toContain('terraform-plan: planned dev for review without taking the state lock; the plan is not saved');
  });

  test('a failed review plan fails the job', () => {
    const run = new StubbedShell().run(
      'terraform-plan.sh',
      ['--env', 'dev', '--image-tag', '3f2c9a1', '--region', 'ap-east-1', '--role-arn', PLAN_ROLE, '--review'],
      { ...OIDC, STUB_FAIL_TERRAFORM: 'plan' },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain('planned dev for review');
  });

  test('plan refuses the image tag latest before running anything', () => {
    const run = new StubbedShell().run('terraform-plan.sh', ['--env', 'dev', '--image-tag', 'latest', '--region', 'ap-east-1', '--role-arn', ROLE], OIDC);
    expect(run.code).toBe(1);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain('terraform-plan: image tag "latest" is refused; pass the commit SHA (IMAGE_TAG)');
  });

  test('apply applies exactly the saved plan', () => {
    const shell = new StubbedShell();
    shell.file('dist/dev/terraform/tfplan');
    const run = shell.run('terraform-apply.sh', ['--env', 'dev', '--region', 'ap-east-1', '--role-arn', ROLE], OIDC);
    expect(run.code).toBe(0);
    expect(commands(run)).toEqual([
      ASSUME,
      'terraform -chdir=dist/dev/terraform init -input=false',
      'terraform -chdir=dist/dev/terraform apply -input=false tfplan',
    ]);
  });

  test('apply fails without a saved plan and names the fix', () => {
    const run = new StubbedShell().run('terraform-apply.sh', ['--env', 'dev', '--region', 'ap-east-1', '--role-arn', ROLE], OIDC);
    expect(run.code).toBe(1);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain('dist/dev/terraform/tfplan does not exist; run terraform-plan.sh --env dev first');
  });

  test('a failed apply fails the job, so the deploy job that needs it never runs and nothing is deployed', () => {
    const shell = new StubbedShell();
    shell.file('dist/dev/terraform/tfplan');
    const run = shell.run('terraform-apply.sh', ['--env', 'dev', '--region', 'ap-east-1', '--role-arn', ROLE], {
      ...OIDC,
      STUB_FAIL_TERRAFORM: 'apply',
    });
    expect(run.code).toBe(1);
    expect(commands(run)).toEqual([
      ASSUME,
      'terraform -chdir=dist/dev/terraform init -input=false',
      'terraform -chdir=dist/dev/terraform apply -input=false tfplan',
    ]);
    expect(run.calls.some((c) => c.startsWith('kubectl'))).toBe(false);
  });
});

describe('deploy.sh', () => {
  test('server-side applies the manifests and prunes by the environment labels and allowlist', () => {
    const shell = new StubbedShell();
    shell.file('dist/dev/kubernetes/company-dev.k8s.yaml', 'kind: Namespace\n');
    const run = shell.run(
      'deploy.sh',
      [
        '--env', 'dev', '--cluster', 'company-dev', '--region', 'ap-east-1', '--role-arn', ROLE,
        '--selector', 'app.kubernetes.io/managed-by=deploykit,deploykit.io/environment=dev',
        '--prune-allowlist', 'apps/v1/Deployment', '--prune-allowlist', 'core/v1/Service',
      ],
      OIDC,
    );
    expect(run.code).toBe(0);
    expect(commands(run)).toEqual([
      ASSUME,
      KUBECONFIG,
      'kubectl apply --server-side --field-manager=deploykit --prune -l app.kubernetes.io/managed-by=deploykit,deploykit.io/environment=dev ' +
        '--prune-allowlist=apps/v1/Deployment --prune-allowlist=core/v1/Service --recursive -f dist/dev/kubernetes',
    ]);
  });
});

describe('ecr-push.sh', () => {
  test('signs in with the deploy role and pushes <repository>:<sha>', () => {
    const shell = new StubbedShell();
    shell.file('images/company-web.tar');
    const registry = '111111111111.dkr.ecr.ap-east-1.amazonaws.com';
    const run = shell.run(
      'ecr-push.sh',
      ['--archive', 'images/company-web.tar', '--service', 'company-web', '--tag', '3f2c9a1', '--registry', registry,
        '--repository', 'company-web', '--region', 'ap-east-1', '--role-arn', ROLE],
      OIDC,
    );
    expect(run.code).toBe(0);
    expect(commands(run)).toEqual([
      ASSUME,
      'aws ecr get-login-password --region ap-east-1',
      `docker login --username AWS --password-stdin ${registry}`,
      'docker load --input images/company-web.tar',
      `docker tag company-web:3f2c9a1 ${registry}/company-web:3f2c9a1`,
      `docker push ${registry}/company-web:3f2c9a1`,
    ]);
    expect(run.stdout + run.stderr).not.toContain('fakeRegistryPassword');
  });
});

describe('build-image.sh', () => {
  test('builds with the BuildKit layer cache and writes the image archive', () => {
    const run = new StubbedShell().run('build-image.sh', ['--service', 'company-web', '--tag', '3f2c9a1', '--context', 'services/company-web', '--archive', 'images/company-web.tar']);
    expect(run.code).toBe(0);
    expect(commands(run)).toEqual([
      'docker buildx inspect deploykit',
      'docker buildx build --builder deploykit --cache-from type=local,src=.buildx-cache/company-web --cache-to type=local,dest=.buildx-cache/company-web.new,mode=max ' +
        '--tag company-web:3f2c9a1 --output type=docker,dest=images/company-web.tar services/company-web',
    ]);
  });
});

describe('notify.sh', () => {
  const ARGS = ['--env', 'prod', '--version', 'v1.2.3', '--status', 'failed', '--url', 'https://ci.example/p/1'];

  test('does nothing when DEPLOYKIT_CHAT_WEBHOOK is not set', () => {
    const run = new StubbedShell().run('notify.sh', ARGS);
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain('DEPLOYKIT_CHAT_WEBHOOK is not set; not posting');
  });

  test('posts environment, version, status and link without putting the webhook on the command line', () => {
    const webhook = 'https://chat.example/hooks/secret-path';
    const run = new StubbedShell().run('notify.sh', ARGS, { DEPLOYKIT_CHAT_WEBHOOK: webhook });
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([
      'curl --fail --silent --show-error --max-time 10 --config - --header Content-Type: application/json ' +
        '--data {"text":"deploy of v1.2.3 to prod: failed (https://ci.example/p/1)"}',
    ]);
    expect(run.calls.join('\n') + run.stdout + run.stderr).not.toContain('secret-path');
  });
});

describe('every step script', () => {
  const scripts = readdirSync(SCRIPTS_DIR).filter((f) => f.endsWith('.sh'));

  test.each(scripts)('%s prints its usage with --help and exits 0', (script) => {
    const run = new StubbedShell().run(script, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: /);
  });

  test.each(scripts)('%s exits 2 on an unknown option', (script) => {
    const run = new StubbedShell().run(script, ['--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown option --bogus (see --help)');
  });

  const shellcheck = spawnSync('shellcheck', ['--version']).status === 0;
  (shellcheck ? test : test.skip)(
    `${shellcheck ? '' : '[skipped: shellcheck is not installed] '}every script is shellcheck-clean`,
    () => {
      const result = spawnSync('shellcheck', ['-x', ...scripts, 'lib/common.sh'], { cwd: SCRIPTS_DIR, encoding: 'utf8' });
      expect(result.stdout).toBe('');
      expect(result.status).toBe(0);
    },
  );
});
