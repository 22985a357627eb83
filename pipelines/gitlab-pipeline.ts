/**
 * The GitLab CI pipeline: plain jobs (no templates), `workflow:rules` for merge requests, the default
 * branch, release tags and schedules, `rules:` per job, OIDC `id_tokens` for AWS (each script assumes
 * the role its step needs with `--role-arn`), `resource_group` per environment, the environments'
 * runner `tags` on the jobs that talk to the Kubernetes API.
 */
import { promotionSource, promotionTargets, type Definitions, type EnvironmentDefinition, type Tier } from '../config';
import type { GitlabEnvironment, GitlabJob, GitlabNeed, GitlabPipeline, GitlabRule } from './gitlab-ci-types';
import { resolvePipelineOptions, type PipelineOptions, type ResolvedPipelineOptions } from './pipeline-options';
import { deploymentTargets, servicesBuiltOnReleaseTags, servicesToBuild } from '../config/promotion';
import { buildCacheDir, CHECK_REPORTS, imageArchive, imageDigestsFile, StepCommands, type NotifyVariables } from './step-commands';

/**
 * Stages, in order: test, build, review, then one stage per environment in definition order holding its
 * push (or promote), plan, apply, deploy, verify and drift jobs (ordered by `needs`). GitLab allows
 * `needs` only on jobs of the same or an earlier stage, so a stage per environment is what lets staging
 * wait for dev's verify.
 */
export function gitlabStages(defs: Definitions): string[] {
  return ['test', 'build', 'review', ...defs.environments.map((env) => env.name)];
}

/** The variable that receives the OIDC ID token the step scripts exchange for the CI role they are given. */
export const GITLAB_ID_TOKEN_VARIABLE = 'DEPLOYKIT_ID_TOKEN';

const MERGE_REQUEST = '$CI_PIPELINE_SOURCE == "merge_request_event"';
const SCHEDULE = '$CI_PIPELINE_SOURCE == "schedule"';
/** Only a push deploys: scheduled, web, API and trigger pipelines of the same ref never do. */
const PUSH = '$CI_PIPELINE_SOURCE == "push"';
const RELEASE_TAG = '$CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+$/';

const NOTIFY: NotifyVariables = { version: '"$CI_COMMIT_REF_NAME"', status: '"$CI_JOB_STATUS"', url: '"$CI_PIPELINE_URL"' };

const DEPLOYMENT_TIER: Record<Tier, GitlabEnvironment['deployment_tier']> = {
  development: 'development',
  staging: 'staging',
  production: 'production',
};

/** Job names, one place. */
export const gitlabJobName = {
  test: 'test',
  check: 'check',
  build: (service: string) => `build:${service}`,
  reviewDiff: 'review:diff',
  reviewPlan: (env: string) => `review:plan:${env}`,
  push: (env: string) => `push:${env}`,
  promote: (env: string) => `promote:${env}`,
  plan: (env: string) => `plan:${env}`,
  apply: (env: string) => `apply:${env}`,
  deploy: (env: string) => `deploy:${env}`,
  verify: (env: string) => `verify:${env}`,
  drift: (env: string) => `drift:${env}`,
};

/** The GitLab CI pipeline of a definition set. */
export function gitlabPipeline(defs: Definitions, options: PipelineOptions = {}): GitlabPipeline {
  const opts = resolvePipelineOptions(options);
  const commands = new StepCommands(defs, opts);
  const defaultBranch = `$CI_COMMIT_BRANCH == ${JSON.stringify(defs.ci.defaultBranch)}`;
  const notScheduled: GitlabRule[] = [{ if: SCHEDULE, when: 'never' }, { when: 'on_success' }];
  const jobs: Record<string, GitlabJob> = {};

  jobs[gitlabJobName.test] = {
    stage: 'test',
    image: opts.nodeImage,
    interruptible: true,
    rules: notScheduled,
    cache: { key: { files: ['package-lock.json'] }, paths: ['.npm/'] },
    script: ['npm ci --cache .npm --prefer-offline --no-audit --no-fund', 'npm test'],
  };

  // The policy gate: every deploy waits for it. The SARIF report is kept; the Code Quality report shows
  // the findings in merge requests. Both reports are written before the job fails on a finding.
  jobs[gitlabJobName.check] = {
    stage: 'test',
    image: opts.nodeImage,
    interruptible: true,
    needs: [],
    rules: notScheduled,
    cache: { key: { files: ['package-lock.json'] }, paths: ['.npm/'] },
    script: [
      ...commands.installCli('--cache .npm --prefer-offline'),
      commands.synthForCheck(),
      `${commands.check('sarif')} > ${CHECK_REPORTS.sarif} || status=$?`,
      `${commands.check('codequality')} > ${CHECK_REPORTS.codequality} || status=$?`,
      'exit "${status:-0}"',
    ],
    artifacts: {
      when: 'always',
      paths: [CHECK_REPORTS.sarif, CHECK_REPORTS.codequality],
      reports: { codequality: CHECK_REPORTS.codequality },
      expire_in: '1 week',
    },
  };

  // The docker image is Alpine: bash for the step scripts, and npm where the scripts come from the package.
  const apkAdd = (...packages: string[]) => `apk add --no-cache ${[...packages, ...(opts.deploykit === 'package' ? ['nodejs', 'npm'] : [])].join(' ')}`;
  const builtOnTags = servicesBuiltOnReleaseTags(defs);
  for (const service of servicesToBuild(defs)) {
    jobs[gitlabJobName.build(service)] = {
      ...dockerJob(opts, 'build'),
      needs: [],
      interruptible: true,
      // Release pipelines build only what they cannot promote.
      rules: builtOnTags.has(service) ? notScheduled : [{ if: SCHEDULE, when: 'never' }, { if: '$CI_COMMIT_TAG', when: 'never' }, { when: 'on_success' }],
      cache: { key: `buildx-${service}`, paths: [`${buildCacheDir(service)}/`] },
      before_script: [apkAdd('bash')],
      script: [...commands.installScripts(), commands.buildImage(service)],
      artifacts: { paths: [imageArchive(service)], expire_in: '1 day' },
    };
  }

  jobs[gitlabJobName.reviewDiff] = {
    stage: 'review',
    image: '$DEPLOYKIT_TOOLS_IMAGE',
    variables: { GIT_DEPTH: '0', REVIEW_BASE_SHA: '$CI_MERGE_REQUEST_DIFF_BASE_SHA' },
    needs: [],
    interruptible: true,
    rules: [{ if: MERGE_REQUEST }],
    script: [...commands.installCli(), commands.review('gitlab')],
    artifacts: { paths: ['deploykit-diff.md'], expire_in: '1 week' },
  };
  // Review plans sign in with the environment's read-only plan role (`--role-arn` of ciPlanRoleArn),
  // the one role merge request pipelines can assume, and plan with -lock=false.
  for (const env of defs.environments) {
    jobs[gitlabJobName.reviewPlan(env.name)] = {
      ...awsJob(defs, 'review'),
      needs: [],
      interruptible: true,
      rules: [{ if: MERGE_REQUEST }],
      script: [...commands.installCli(), commands.reviewPlan(env)],
    };
  }

  for (const target of deploymentTargets(defs)) {
    const env = target.environment;
    const rule: GitlabRule = { if: `${PUSH} && ${target.trigger === 'release-tag' ? RELEASE_TAG : defaultBranch}` };
    const after: GitlabNeed[] = target.after ? [need(gitlabJobName.verify(target.after.name), false)] : [];
    const gate = [need(gitlabJobName.test, false), need(gitlabJobName.check, false)];
    const source = target.trigger === 'release-tag' ? promotionSource(defs, env) : undefined;
    const runner = env.deploy.runner?.gitlabTags ? { tags: env.deploy.runner.gitlabTags } : {};
    if (source) {
      // The release deploys the digests the source environment verified for this commit; nothing is rebuilt.
      jobs[gitlabJobName.promote(env.name)] = {
        ...awsJob(defs, env.name),
        needs: [...gate, ...after],
        rules: [rule],
        script: [...commands.installScripts(), ...commands.promote(env, source)],
        artifacts: { paths: [imageDigestsFile(env.name)], expire_in: '1 week' },
      };
    } else {
      jobs[gitlabJobName.push(env.name)] = {
        ...dockerJob(opts, env.name),
        id_tokens: idTokens(defs),
        needs: [...gate, ...env.services.map((s) => need(gitlabJobName.build(s.name), true)), ...after],
        rules: [rule],
        before_script: [apkAdd('bash', 'aws-cli')],
        script: [...commands.installScripts(), ...commands.pushImages(env)],
      };
    }
    jobs[gitlabJobName.plan(env.name)] = {
      ...awsJob(defs, env.name),
      needs: [source ? need(gitlabJobName.promote(env.name), true) : need(gitlabJobName.push(env.name), false)],
      rules: [rule],
      script: [...commands.installCli(), commands.plan(env, source ? imageDigestsFile(env.name) : undefined)],
      artifacts: {
        paths: [`dist/${env.name}/`],
        exclude: [`dist/${env.name}/terraform/.terraform/**/*`],
        expire_in: '1 week',
        access: 'developer',
      },
    };
    jobs[gitlabJobName.apply(env.name)] = {
      ...awsJob(defs, env.name),
      ...deployGuard(env, 'prepare'),
      needs: [need(gitlabJobName.plan(env.name), true)],
      rules: [target.manualApproval ? { ...rule, when: 'manual' } : rule],
      script: [...commands.installScripts(), commands.apply(env)],
      after_script: [commands.notify(env, NOTIFY, true)],
    };
    // Cluster-scoped objects with the apply role, then the namespaces with the deploy role.
    jobs[gitlabJobName.deploy(env.name)] = {
      ...awsJob(defs, env.name),
      ...runner,
      ...deployGuard(env, 'start'),
      needs: [need(gitlabJobName.apply(env.name), false), need(gitlabJobName.plan(env.name), true)],
      rules: [rule],
      script: [...commands.installScripts(), commands.deployCluster(env), commands.deployNamespaces(env)],
      after_script: [commands.notify(env, NOTIFY, true)],
    };
    jobs[gitlabJobName.verify(env.name)] = {
      ...awsJob(defs, env.name),
      ...runner,
      ...deployGuard(env, 'verify'),
      needs: [need(gitlabJobName.deploy(env.name), false)],
      rules: [rule],
      // A verified image is what a release tag may promote.
      script: [...commands.installScripts(), ...commands.verify(env), ...(promotionTargets(defs, env).length > 0 ? commands.markVerified(env) : [])],
      after_script: [commands.notify(env, NOTIFY, false)],
    };
  }

  // Drift: a pipeline schedule on the default branch plans every environment read-only and fails on drift.
  for (const env of defs.environments) {
    jobs[gitlabJobName.drift(env.name)] = {
      ...awsJob(defs, env.name),
      needs: [],
      interruptible: true,
      rules: [{ if: SCHEDULE }],
      script: [...commands.installCli(), commands.drift(env)],
    };
  }

  return {
    workflow: {
      rules: [
        { if: MERGE_REQUEST },
        { if: SCHEDULE },
        // A branch with an open merge request runs the merge-request pipeline only.
        { if: '$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS', when: 'never' },
        { if: defaultBranch },
        { if: RELEASE_TAG },
        { if: '$CI_COMMIT_BRANCH' },
      ],
    },
    stages: gitlabStages(defs),
    variables: {
      IMAGE_TAG: '$CI_COMMIT_SHA',
      DEPLOYKIT_TOOLS_IMAGE: opts.toolsImage,
      TF_IN_AUTOMATION: 'true',
    },
    jobs,
  };
}

/** The pipeline as the plain object written to `.gitlab-ci.yml` (global keys, then jobs). */
export function gitlabPipelineDocument(pipeline: GitlabPipeline): Record<string, unknown> {
  return { workflow: pipeline.workflow, stages: pipeline.stages, variables: pipeline.variables, ...pipeline.jobs };
}

/** Comments above the jobs that need a protected environment. */
export function gitlabJobComments(defs: Definitions): Record<string, string> {
  const comments: Record<string, string> = {};
  for (const target of deploymentTargets(defs).filter((t) => t.manualApproval)) {
    const name = target.environment.name;
    comments[gitlabJobName.apply(name)] =
      `Manual approval: protect the environment "${name}" (Settings > CI/CD > Protected environments, required\n` +
      `approvals) and the tags v* (Settings > Repository > Protected tags) so only approvers can deploy it.`;
  }
  const first = defs.environments[0];
  if (first) {
    comments[gitlabJobName.drift(first.name)] =
      `Drift check: create a pipeline schedule on "${defs.ci.defaultBranch}" (Build > Pipeline schedules); scheduled\n` +
      `pipelines run only the drift jobs, which fail when an environment no longer matches its definitions.`;
  }
  return comments;
}

function need(job: string, artifacts: boolean): GitlabNeed {
  return { job, artifacts };
}

function idTokens(defs: Definitions): GitlabJob['id_tokens'] {
  return { [GITLAB_ID_TOKEN_VARIABLE]: { aud: `https://${defs.ci.gitlab?.host ?? 'gitlab.com'}` } };
}

function dockerJob(opts: ResolvedPipelineOptions, stage: string): Pick<GitlabJob, 'stage' | 'image' | 'services' | 'variables'> {
  return {
    stage,
    image: opts.dockerImage,
    services: [`${opts.dockerImage}-dind`],
    variables: { DOCKER_TLS_CERTDIR: '/certs' },
  };
}

/** A job on the tools image that assumes one of the environment's CI roles with an OIDC ID token. */
function awsJob(defs: Definitions, stage: string): Pick<GitlabJob, 'stage' | 'image' | 'id_tokens'> {
  return { stage, image: '$DEPLOYKIT_TOOLS_IMAGE', id_tokens: idTokens(defs) };
}

/** One deploy per environment at a time, never cancelled, tracked as a GitLab environment. */
function deployGuard(
  env: EnvironmentDefinition,
  action: GitlabEnvironment['action'],
): Pick<GitlabJob, 'resource_group' | 'interruptible' | 'environment'> {
  return {
    resource_group: env.name,
    interruptible: false,
    environment: { name: env.name, action, deployment_tier: DEPLOYMENT_TIER[env.tier] },
  };
}
