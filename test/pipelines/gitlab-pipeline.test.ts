import { parse } from 'yaml';
import {
  ciApplyRoleArn,
  ciDeployRoleArn,
  ciPlanRoleArn,
  deploymentTargets,
  promotionSource,
  promotionTargets,
  pruneSelector,
  registryHost,
  repositoryName,
  servicesBuiltOnReleaseTags,
  servicesToBuild,
  type EnvironmentDefinition,
} from '../../config';
import { gitlabPipeline, gitlabPipelineDocument } from '../../pipelines/gitlab-pipeline';
import { generatePipelines, GITLAB_CI_FILE } from '../../pipelines/pipeline-files';
import { exampleDefs } from '../support/synth';
import { gitlabJobsFor, gitlabRepository, type ListedJob } from './pipeline-validators';

const repo = gitlabRepository(generatePipelines(exampleDefs()).find((f) => f.path === GITLAB_CI_FILE)!.content);
const jobsFor = (variables: Record<string, string>, unset: string[] = []) => gitlabJobsFor(repo, variables, unset);

const needsOf = (job: ListedJob | undefined) => (job?.needs ?? []).map((n) => n.job);

const STEPS = ['plan', 'apply', 'deploy', 'verify'];
const defsForContexts = exampleDefs();
const targets = deploymentTargets(defsForContexts);
const branchEnvs = targets.filter((t) => t.trigger === 'default-branch').map((t) => t.environment);
const tagEnvs = targets.filter((t) => t.trigger === 'release-tag').map((t) => t.environment);
/** The jobs that bring one environment's images: promote when it has a promotion source, else push. */
const imageJob = (env: EnvironmentDefinition) => (promotionSource(defsForContexts, env) ? `promote:${env.name}` : `push:${env.name}`);
const chain = (env: EnvironmentDefinition) => [imageJob(env), ...STEPS.map((step) => `${step}:${env.name}`)];
const builds = servicesToBuild(defsForContexts).map((s) => `build:${s}`);

describe('GitLab pipeline (gitlab-ci-local 4.73.0)', () => {
  test('a push to the default branch tests, checks, builds and deploys the default-branch environments in order, never a release-tag one', () => {
    const jobs = jobsFor({ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: defsForContexts.ci.defaultBranch });
    expect([...jobs.keys()]).toEqual(['test', 'check', ...builds, ...branchEnvs.flatMap(chain)]);
    for (const job of jobs.values()) expect(job.when).toBe('on_success');
    const first = branchEnvs[0];
    expect(needsOf(jobs.get(`push:${first.name}`))).toEqual(['test', 'check', ...first.services.map((s) => `build:${s.name}`)]);
    for (const [i, env] of branchEnvs.entries()) {
      if (i > 0) expect(needsOf(jobs.get(`push:${env.name}`))).toContain(`verify:${branchEnvs[i - 1].name}`);
      expect(needsOf(jobs.get(`plan:${env.name}`))).toEqual([`push:${env.name}`]);
      expect(needsOf(jobs.get(`apply:${env.name}`))).toEqual([`plan:${env.name}`]);
      expect(needsOf(jobs.get(`deploy:${env.name}`))).toEqual([`apply:${env.name}`, `plan:${env.name}`]);
      expect(needsOf(jobs.get(`verify:${env.name}`))).toEqual([`deploy:${env.name}`]);
      expect(jobs.get(`apply:${env.name}`)?.stage).toBe(env.name);
    }
  });

  test.each(['web', 'api'])('a %s pipeline on the default branch deploys nothing', (source) => {
    const jobs = jobsFor({ CI_PIPELINE_SOURCE: source, CI_COMMIT_BRANCH: defsForContexts.ci.defaultBranch });
    expect([...jobs.keys()].filter((name) => /^(push|promote|plan|apply|deploy|verify):/.test(name))).toEqual([]);
  });

  test('a scheduled pipeline runs only the drift check of every environment', () => {
    const jobs = jobsFor({ CI_PIPELINE_SOURCE: 'schedule', CI_COMMIT_BRANCH: defsForContexts.ci.defaultBranch });
    expect([...jobs.keys()]).toEqual(defsForContexts.environments.map((env) => `drift:${env.name}`));
  });

  test('a pushed release tag promotes (or builds and pushes) and deploys the release-tag environments behind a manual apply', () => {
    const jobs = jobsFor({ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1.2.3' }, ['CI_COMMIT_BRANCH']);
    const built = [...servicesBuiltOnReleaseTags(defsForContexts)].map((s) => `build:${s}`);
    expect([...jobs.keys()]).toEqual(['test', 'check', ...builds.filter((b) => built.includes(b)), ...tagEnvs.flatMap(chain)]);
    for (const env of tagEnvs) {
      expect(jobs.get(`apply:${env.name}`)?.when).toBe('manual');
      expect(needsOf(jobs.get(`deploy:${env.name}`))).toContain(`apply:${env.name}`);
      expect(needsOf(jobs.get(`verify:${env.name}`))).toEqual([`deploy:${env.name}`]);
      expect(needsOf(jobs.get(imageJob(env)))).toEqual(expect.arrayContaining(['test', 'check']));
    }
  });

  test('a release tag from a web or API pipeline deploys nothing', () => {
    const jobs = jobsFor({ CI_PIPELINE_SOURCE: 'web', CI_COMMIT_TAG: 'v1.2.3' }, ['CI_COMMIT_BRANCH']);
    expect([...jobs.keys()].filter((name) => /^(push|promote|plan|apply|deploy|verify):/.test(name))).toEqual([]);
  });

  test('a tag that is not vX.Y.Z deploys nothing', () => {
    const jobs = jobsFor({ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1.2' }, ['CI_COMMIT_BRANCH']);
    expect([...jobs.keys()].filter((name) => /^(push|promote|plan|apply|deploy|verify):/.test(name))).toEqual([]);
  });

  test('a merge request runs the check, the review and a plan per environment, and never applies', () => {
    const jobs = jobsFor({ CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: '7' }, ['CI_COMMIT_BRANCH']);
    expect([...jobs.keys()]).toEqual([
      'test', 'check', ...builds, 'review:diff', ...defsForContexts.environments.map((env) => `review:plan:${env.name}`),
    ]);
  });
});
describe('GitLab pipeline content', () => {
  const defs = exampleDefs();
  const pipeline = gitlabPipeline(defs);
  const jobs = pipeline.jobs;

  test('workflow rules run merge requests, schedules, the default branch and release tags without duplicate branch pipelines', () => {
    expect(pipeline.workflow.rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
      { if: '$CI_PIPELINE_SOURCE == "schedule"' },
      { if: '$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS', when: 'never' },
      { if: `$CI_COMMIT_BRANCH == "${defs.ci.defaultBranch}"` },
      { if: '$CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+$/' },
      { if: '$CI_COMMIT_BRANCH' },
    ]);
  });

  test('only pushes deploy: default-branch environments on a push to the branch, release-tag ones on a pushed vX.Y.Z tag', () => {
    for (const target of deploymentTargets(defs)) {
      const env = target.environment.name;
      const rule =
        target.trigger === 'release-tag'
          ? '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+$/'
          : `$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == "${defs.ci.defaultBranch}"`;
      const image = promotionSource(defs, target.environment) ? 'promote' : 'push';
      for (const step of [image, 'plan', 'deploy', 'verify']) expect(jobs[`${step}:${env}`].rules).toEqual([{ if: rule }]);
      expect(jobs[`apply:${env}`].rules).toEqual([target.manualApproval ? { if: rule, when: 'manual' } : { if: rule }]);
      if (target.manualApproval) expect(jobs[`apply:${env}`].environment).toEqual({ name: env, action: 'prepare', deployment_tier: target.environment.tier });
    }
  });

  test('the file tells the reader to protect the production environment', () => {
    const file = generatePipelines(defs).find((f) => f.path === GITLAB_CI_FILE)!.content;
    expect(file).toMatch(/# Manual approval: protect the environment "prod" .*\n.*\napply:prod:/);
  });

  test('one deploy per environment at a time, never interrupted', () => {
    for (const env of defs.environments) {
      for (const step of ['apply', 'deploy', 'verify']) {
        expect(jobs[`${step}:${env.name}`]).toMatchObject({ resource_group: env.name, interruptible: false });
      }
    }
  });

  test('jobs that touch AWS get an OIDC ID token and no static keys', () => {
    for (const [name, job] of Object.entries(jobs)) {
      const touchesAws = /^(review:plan|push|promote|plan|apply|deploy|verify|drift):/.test(name);
      expect([name, job.id_tokens]).toEqual([name, touchesAws ? { DEPLOYKIT_ID_TOKEN: { aud: `https://${defs.ci.gitlab?.host}` } } : undefined]);
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
    for (const env of defs.environments) {
      expect(jobs[`plan:${env.name}`].artifacts).toMatchObject({ paths: [`dist/${env.name}/`], access: 'developer' });
      expect(jobs[`apply:${env.name}`].needs).toEqual([{ job: `plan:${env.name}`, artifacts: true }]);
      expect(jobs[`deploy:${env.name}`].needs).toContainEqual({ job: `plan:${env.name}`, artifacts: true });
      for (const line of jobs[`deploy:${env.name}`].script) expect(line).toContain(`--selector ${pruneSelector(defs.system, env)}`);
    }
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

  test('every job runs as the identity its step needs', () => {
    const roles = (name: string) => [...jobs[name].script.join('\n').matchAll(/--role-arn (\S+)/g)].map((m) => m[1]);
    for (const target of deploymentTargets(defs)) {
      const env = target.environment;
      const [plan, apply, deploy] = [ciPlanRoleArn, ciApplyRoleArn, ciDeployRoleArn].map((arn) => arn(defs.system, env));
      const source = promotionSource(defs, env);
      if (source) expect(roles(`promote:${env.name}`)).toEqual(env.services.map(() => deploy));
      else expect(roles(`push:${env.name}`)).toEqual(env.services.map(() => deploy));
      expect(roles(`plan:${env.name}`)).toEqual([apply]);
      expect(roles(`apply:${env.name}`)).toEqual([apply]);
      expect(roles(`deploy:${env.name}`)).toEqual([apply, deploy]);
      expect(jobs[`deploy:${env.name}`].script.map((line) => /--scope (\S+)/.exec(line)?.[1])).toEqual(['cluster', 'namespaces']);
      expect(jobs[`deploy:${env.name}`].script[0]).not.toContain('--prune-allowlist');
      expect(jobs[`deploy:${env.name}`].script[1]).toContain('--prune-allowlist apps/v1/Deployment');
      expect(new Set(roles(`verify:${env.name}`))).toEqual(new Set([deploy]));
      expect(roles(`review:plan:${env.name}`)).toEqual([plan]);
      expect(roles(`drift:${env.name}`)).toEqual([plan]);
    }
  });

  test('the jobs that talk to the Kubernetes API, and only those, run on the environment\'s runners', () => {
    for (const [name, job] of Object.entries(jobs)) {
      const env = defs.environments.find((e) => name === `deploy:${e.name}` || name === `verify:${e.name}`);
      expect([name, job.tags]).toEqual([name, env?.deploy.runner?.gitlabTags]);
    }
  });

  test('deploykit check gates every deploy and publishes SARIF and a Code Quality report', () => {
    const check = jobs.check;
    expect(check.stage).toBe('test');
    expect(check.script).toEqual(expect.arrayContaining([
      'node bin/deploykit.js synth --image-tag "$IMAGE_TAG" --out dist --no-pipelines --quiet',
      'node bin/deploykit.js check --dir dist --format sarif > deploykit-check.sarif || status=$?',
      'node bin/deploykit.js check --dir dist --format codequality > gl-code-quality-report.json || status=$?',
    ]));
    expect(check.script.at(-1)).toBe('exit "${status:-0}"');
    expect(check.artifacts).toMatchObject({ when: 'always', paths: ['deploykit-check.sarif', 'gl-code-quality-report.json'], reports: { codequality: 'gl-code-quality-report.json' } });
    for (const target of deploymentTargets(defs)) {
      const env = target.environment;
      const first = jobs[`${promotionSource(defs, env) ? 'promote' : 'push'}:${env.name}`];
      expect(first.needs).toContainEqual({ job: 'check', artifacts: false });
    }
  });

  test('a release-tag environment with a promotion source promotes the verified digests and plans with them', () => {
    const promoted = defs.environments.filter((env) => promotionSource(defs, env));
    expect(promoted.length).toBeGreaterThan(0);
    for (const env of promoted) {
      const source = promotionSource(defs, env)!;
      expect(jobs[`push:${env.name}`]).toBeUndefined();
      const promote = jobs[`promote:${env.name}`];
      expect(promote.script).toEqual(
        env.services.map(
          (s) =>
            `pipelines/scripts/promote-image.sh --service ${s.name} --tag "$IMAGE_TAG" --source-registry ${registryHost(source)} --source-repository ${repositoryName(source.services.find((x) => x.name === s.name) ?? s)} --target-registry ${registryHost(env)} --target-repository ${repositoryName(s)} --region ${env.region} --role-arn ${ciDeployRoleArn(defs.system, env)} --digests-file image-digests/${env.name}.json`,
        ),
      );
      expect(promote.artifacts?.paths).toEqual([`image-digests/${env.name}.json`]);
      expect(jobs[`plan:${env.name}`].needs).toEqual([{ job: `promote:${env.name}`, artifacts: true }]);
      expect(jobs[`plan:${env.name}`].script.at(-1)).toContain(`--image-digests image-digests/${env.name}.json`);
    }
    for (const service of servicesToBuild(defs)) {
      const onTags = servicesBuiltOnReleaseTags(defs).has(service);
      expect(jobs[`build:${service}`].rules?.some((r) => r.if === '$CI_COMMIT_TAG' && r.when === 'never')).toBe(!onTags);
    }
  });

  test('the environments a release promotes from mark their images verified after verify, and no other does', () => {
    for (const env of defs.environments) {
      const marks = jobs[`verify:${env.name}`].script.filter((line) => line.includes('mark-verified.sh'));
      const expected = promotionTargets(defs, env).length > 0
        ? env.services.map((s) => `pipelines/scripts/mark-verified.sh --registry ${registryHost(env)} --repository ${repositoryName(s)} --tag "$IMAGE_TAG" --region ${env.region} --role-arn ${ciDeployRoleArn(defs.system, env)}`)
        : [];
      expect([env.name, marks]).toEqual([env.name, expected]);
      if (expected.length > 0) expect(jobs[`verify:${env.name}`].script.slice(-expected.length)).toEqual(expected);
    }
  });

  test('a scheduled drift job per environment plans read-only and nothing else runs on a schedule', () => {
    for (const env of defs.environments) {
      expect(jobs[`drift:${env.name}`]).toMatchObject({ stage: env.name, needs: [], rules: [{ if: '$CI_PIPELINE_SOURCE == "schedule"' }] });
      expect(jobs[`drift:${env.name}`].script.at(-1)).toBe(
        `pipelines/scripts/terraform-drift.sh --env ${env.name} --region ${env.region} --role-arn ${ciPlanRoleArn(defs.system, env)} --image-tag "$IMAGE_TAG"`,
      );
    }
    for (const [name, job] of Object.entries(jobs).filter(([n]) => !n.startsWith('drift:'))) {
      expect([name, job.rules?.some((r) => r.if === '$CI_PIPELINE_SOURCE == "schedule"' && r.when !== 'never') ?? false]).toEqual([name, false]);
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
