import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ciDeployRoleArn, ciPlanRoleArn } from '../../config';
import { gitlabPipeline, gitlabPipelineDocument } from '../../pipelines/gitlab-pipeline';
import { generatePipelines, GITLAB_CI_FILE } from '../../pipelines/pipeline-files';
import { exampleDefs, tempDir } from '../support/synth';

const GITLAB_CI_LOCAL = join(__dirname, '../../node_modules/.bin/gitlab-ci-local');

interface ListedJob {
  name: string;
  stage: string;
  when: string;
  needs?: { job: string }[];
}

/** A temporary git repository holding the generated `.gitlab-ci.yml` (gitlab-ci-local needs one). */
function repository(): string {
  const dir = tempDir('deploykit-gitlab-');
  const file = generatePipelines(exampleDefs()).find((f) => f.path === GITLAB_CI_FILE)!;
  writeFileSync(join(dir, GITLAB_CI_FILE), file.content);
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd: dir });
  git('init', '-q', '-b', 'main');
  git('add', GITLAB_CI_FILE);
  git('commit', '-q', '-m', 'pipeline');
  return dir;
}

const repo = repository();

/** Jobs gitlab-ci-local lists for a context (schema-validated), without those whose rules say never. */
function jobsFor(variables: Record<string, string>, unset: string[] = []): Map<string, ListedJob> {
  const args = [
    '--list-json',
    ...Object.entries(variables).flatMap(([k, v]) => ['--variable', `${k}=${v}`]),
    ...unset.flatMap((name) => ['--unset-variable', name]),
  ];
  const result = spawnSync(GITLAB_CI_LOCAL, args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GCL_IGNORE_PREDEFINED_VARS: 'CI_COMMIT_BRANCH,CI_COMMIT_TAG,CI_PIPELINE_SOURCE,CI_MERGE_REQUEST_IID' },
  });
  expect(result.status).toBe(0);
  const listed = JSON.parse(result.stdout) as ListedJob[];
  return new Map(listed.filter((j) => j.when !== 'never').map((j) => [j.name, j]));
}

const needsOf = (job: ListedJob | undefined) => (job?.needs ?? []).map((n) => n.job);

describe('GitLab pipeline (gitlab-ci-local 4.73.0)', () => {
  test('a push to main tests, builds and deploys dev then staging automatically, never prod', () => {
    const jobs = jobsFor({ CI_COMMIT_BRANCH: 'main' });
    expect([...jobs.keys()]).toEqual([
      'test', 'build:company-web', 'build:company-api',
      'push:dev', 'plan:dev', 'apply:dev', 'deploy:dev', 'verify:dev',
      'push:staging', 'plan:staging', 'apply:staging', 'deploy:staging', 'verify:staging',
    ]);
    for (const job of jobs.values()) expect(job.when).toBe('on_success');
    expect(needsOf(jobs.get('push:dev'))).toEqual(['test', 'build:company-web', 'build:company-api']);
    expect(needsOf(jobs.get('push:staging'))).toContain('verify:dev');
    expect(needsOf(jobs.get('plan:dev'))).toEqual(['push:dev']);
    expect(needsOf(jobs.get('apply:dev'))).toEqual(['plan:dev']);
    expect(needsOf(jobs.get('deploy:dev'))).toEqual(['apply:dev', 'plan:dev']);
    expect(needsOf(jobs.get('verify:dev'))).toEqual(['deploy:dev']);
    expect(jobs.get('apply:dev')?.stage).toBe('dev');
  });

  test('a release tag v1.2.3 offers prod behind a manual apply, and prod deploys only after it', () => {
    const jobs = jobsFor({ CI_COMMIT_TAG: 'v1.2.3' }, ['CI_COMMIT_BRANCH']);
    expect([...jobs.keys()]).toEqual([
      'test', 'build:company-web', 'build:company-api', 'push:prod', 'plan:prod', 'apply:prod', 'deploy:prod', 'verify:prod',
    ]);
    expect(jobs.get('apply:prod')?.when).toBe('manual');
    expect(needsOf(jobs.get('deploy:prod'))).toContain('apply:prod');
    expect(needsOf(jobs.get('verify:prod'))).toEqual(['deploy:prod']);
  });

  test('a tag that is not vX.Y.Z deploys nothing', () => {
    const jobs = jobsFor({ CI_COMMIT_TAG: 'v1.2' }, ['CI_COMMIT_BRANCH']);
    expect([...jobs.keys()].filter((name) => /^(push|plan|apply|deploy|verify):/.test(name))).toEqual([]);
  });

  test('a merge request runs the review and a plan per environment, and never applies', () => {
    const jobs = jobsFor({ CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '7' }, ['CI_COMMIT_BRANCH']);
    expect([...jobs.keys()]).toEqual([
      'test', 'build:company-web', 'build:company-api', 'review:diff', 'review:plan:dev', 'review:plan:staging', 'review:plan:prod',
    ]);
  });
});

describe('GitLab pipeline content', () => {
  const defs = exampleDefs();
  const pipeline = gitlabPipeline(defs);
  const jobs = pipeline.jobs;

  test('workflow rules run merge requests, the default branch and release tags without duplicate branch pipelines', () => {
    expect(pipeline.workflow.rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
      { if: '$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS', when: 'never' },
      { if: '$CI_COMMIT_BRANCH == "main"' },
      { if: '$CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+$/' },
      { if: '$CI_COMMIT_BRANCH' },
    ]);
  });

  test('every prod job runs only from a release tag and the apply is manual with a production environment', () => {
    for (const step of ['push', 'plan', 'apply', 'deploy', 'verify']) {
      expect(jobs[`${step}:prod`].rules?.map((r) => r.if)).toEqual(['$CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+$/']);
    }
    expect(jobs['apply:prod'].rules).toEqual([{ if: '$CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+$/', when: 'manual' }]);
    expect(jobs['apply:prod'].environment).toEqual({ name: 'prod', action: 'prepare', deployment_tier: 'production' });
    expect(jobs['deploy:prod'].needs).toContainEqual({ job: 'apply:prod', artifacts: false });
  });

  test('the file tells the reader to protect the production environment', () => {
    const file = generatePipelines(defs).find((f) => f.path === GITLAB_CI_FILE)!.content;
    expect(file).toMatch(/# Manual approval: protect the environment "prod" .*\n.*\napply:prod:/);
  });

  test('one deploy per environment at a time, never interrupted', () => {
    for (const env of ['dev', 'staging', 'prod']) {
      for (const step of ['apply', 'deploy', 'verify']) {
        expect(jobs[`${step}:${env}`]).toMatchObject({ resource_group: env, interruptible: false });
      }
    }
  });

  test('jobs that touch AWS get an OIDC ID token and no static keys', () => {
    for (const [name, job] of Object.entries(jobs)) {
      const touchesAws = /^(review:plan|push|plan|apply|deploy|verify):/.test(name);
      expect([name, job.id_tokens]).toEqual([name, touchesAws ? { DEPLOYKIT_ID_TOKEN: { aud: 'https://gitlab.com' } } : undefined]);
    }
    const text = JSON.stringify(gitlabPipelineDocument(pipeline));
    expect(text).not.toMatch(/AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID/);
  });

  test('the image tag is the commit SHA everywhere and never latest', () => {
    expect(pipeline.variables.IMAGE_TAG).toBe('$CI_COMMIT_SHA');
    const scripts = Object.values(jobs).flatMap((j) => j.script);
    for (const line of scripts.filter((l) => /--(image-)?tag /.test(l))) {
      expect(line).toMatch(/--(image-)?tag "\$IMAGE_TAG"/);
    }
    expect(JSON.stringify(gitlabPipelineDocument(pipeline))).not.toMatch(/:latest\b|--tag latest/);
  });

  test('plan keeps dist/<env> with the saved plan as an artifact, apply applies it and deploy uses its manifests', () => {
    expect(jobs['plan:staging'].artifacts).toMatchObject({ paths: ['dist/staging/'], access: 'developer' });
    expect(jobs['apply:staging'].needs).toEqual([{ job: 'plan:staging', artifacts: true }]);
    expect(jobs['deploy:staging'].needs).toContainEqual({ job: 'plan:staging', artifacts: true });
    expect(jobs['deploy:staging'].script[0]).toContain('--selector app.kubernetes.io/managed-by=deploykit,app.kubernetes.io/part-of=company,deploykit.io/environment=staging');
  });

  test('review plans sign in with the read-only plan role and plan without the state lock', () => {
    for (const env of defs.environments) {
      const job = jobs[`review:plan:${env.name}`];
      expect(job.id_tokens).toEqual({ DEPLOYKIT_ID_TOKEN: { aud: 'https://gitlab.com' } });
      expect(job.script.at(-1)).toBe(
        `pipelines/scripts/terraform-plan.sh --env ${env.name} --image-tag "$IMAGE_TAG" --region ${env.region} --role-arn ${ciPlanRoleArn(defs.system, env)} --review`,
      );
      expect(job.script.join('\n')).not.toContain(ciDeployRoleArn(defs.system, env));
      expect(job.artifacts).toBeUndefined();
    }
  });

  test('deploy jobs keep the deploy role, and no job but the review plans uses the plan role', () => {
    for (const [name, job] of Object.entries(jobs)) {
      const script = [...(job.script ?? []), ...(job.after_script ?? [])].join('\n');
      expect([name, /role\/deploykit-[a-z0-9-]+-plan\b/.test(script)]).toEqual([name, name.startsWith('review:plan:')]);
    }
    for (const env of defs.environments.filter((e) => e.name !== 'prod')) {
      for (const step of ['push', 'plan', 'apply', 'deploy', 'verify']) {
        expect(jobs[`${step}:${env.name}`].script.join('\n')).toContain(`--role-arn ${ciDeployRoleArn(defs.system, env)}`);
      }
      expect(jobs[`plan:${env.name}`].script.at(-1)).not.toContain('--review');
    }
  });

  test('verify waits for each Deployment as long as its progressDeadlineSeconds and checks its readiness path', () => {
    expect(jobs['verify:prod'].script).toEqual([
      expect.stringContaining('--namespace company-web --deployment company-web --timeout 300 --port 80 --path /readyz'),
      expect.stringContaining('--namespace company-api --deployment company-api --timeout 300 --port 80 --path /health/ready'),
    ]);
  });

  test('the generated file parses back to the pipeline object', () => {
    const file = generatePipelines(defs).find((f) => f.path === GITLAB_CI_FILE)!.content;
    expect(parse(file)).toEqual(JSON.parse(JSON.stringify(gitlabPipelineDocument(pipeline))));
  });
});
