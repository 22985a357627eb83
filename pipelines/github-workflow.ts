/**
 * The GitHub Actions workflow: least-privilege `permissions`, actions pinned to commit SHAs, AWS through
 * OIDC (`id-token: write` + configure-aws-credentials), `environment:` protection for manual approval,
 * one deploy per environment (`concurrency`), and no event data interpolated into `run:` (only `env:`).
 */
import { ciDeployRoleArn, ciPlanRoleArn, type Definitions, type EnvironmentDefinition } from '../config';
import { ACTION_PINS, uses } from './action-pins';
import type { GithubJob, GithubPermissions, GithubStep, GithubWorkflow } from './github-workflow-types';
import { resolvePipelineOptions, type PipelineOptions, type ResolvedPipelineOptions } from './pipeline-options';
import { deploymentTargets, servicesToBuild } from '../config/promotion';
import { buildCacheDir, imageArchive, StepCommands, type NotifyVariables } from './step-commands';

/** Tags that run the production deploys (GitHub filter pattern for `vX.Y.Z`). */
export const GITHUB_RELEASE_TAG_FILTER = 'v[0-9]+.[0-9]+.[0-9]+';

const READ: GithubPermissions = { contents: 'read' };
const ASSUME_ROLE: GithubPermissions = { contents: 'read', 'id-token': 'write' };
const PULL_REQUEST = "github.event_name == 'pull_request'";
const RELEASE_TAG = "github.event_name == 'push' && startsWith(github.ref, 'refs/tags/v')";

const NOTIFY: NotifyVariables = { version: '"$DEPLOY_VERSION"', status: '"$DEPLOY_STATUS"', url: '"$PIPELINE_URL"' };
const NOTIFY_ENV = {
  DEPLOYKIT_CHAT_WEBHOOK: '${{ secrets.DEPLOYKIT_CHAT_WEBHOOK }}',
  DEPLOY_VERSION: '${{ github.ref_name }}',
  DEPLOY_STATUS: '${{ job.status }}',
  PIPELINE_URL: '${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}',
};

/** Job ids, one place. */
export const githubJobId = {
  test: 'test',
  build: (service: string) => `build-${service}`,
  review: 'review',
  reviewPlan: (env: string) => `review-plan-${env}`,
  push: (env: string) => `push-${env}`,
  plan: (env: string) => `plan-${env}`,
  apply: (env: string) => `apply-${env}`,
  deploy: (env: string) => `deploy-${env}`,
  verify: (env: string) => `verify-${env}`,
};

/** The GitHub Actions workflow of a definition set. */
export function githubWorkflow(defs: Definitions, options: PipelineOptions = {}): GithubWorkflow {
  const opts = resolvePipelineOptions(options);
  const commands = new StepCommands(defs, opts);
  const steps = new Steps(defs, opts);
  const defaultBranch = `github.event_name == 'push' && github.ref == 'refs/heads/${defs.ci.defaultBranch}'`;
  const jobs: Record<string, GithubJob> = {};
  const job = (props: Omit<GithubJob, 'runs-on' | 'timeout-minutes'> & { timeout?: number }): GithubJob => {
    const { timeout, name, ...rest } = props;
    return { name, 'runs-on': opts.runner, 'timeout-minutes': timeout ?? 30, ...rest };
  };

  jobs[githubJobId.test] = job({
    name: 'test',
    permissions: READ,
    steps: [steps.checkout(), steps.setupNode(), run('npm ci', 'npm ci --no-audit --no-fund'), run('npm test', 'npm test')],
  });

  const services = servicesToBuild(defs);
  for (const service of services) {
    jobs[githubJobId.build(service)] = job({
      name: `build ${service}`,
      permissions: READ,
      steps: [
        steps.checkout(),
        {
          name: 'restore the layer cache',
          uses: uses(ACTION_PINS.cache),
          with: { path: buildCacheDir(service), key: `buildx-${service}-\${{ github.sha }}`, 'restore-keys': `buildx-${service}-` },
        },
        run(`build ${service}`, commands.buildImage(service)),
        {
          name: 'keep the image for the push jobs',
          uses: uses(ACTION_PINS.uploadArtifact),
          with: { name: `image-${service}`, path: imageArchive(service), 'retention-days': 1, 'if-no-files-found': 'error' },
        },
      ],
    });
  }

  jobs[githubJobId.review] = job({
    name: 'review: deploykit diff',
    if: PULL_REQUEST,
    needs: [githubJobId.test],
    permissions: { contents: 'read', 'pull-requests': 'write' },
    steps: [
      steps.checkout(0),
      steps.setupNode(),
      run('build deploykit', ...commands.installCli()),
      {
        name: 'post the diff',
        env: {
          REVIEW_BASE_SHA: '${{ github.event.pull_request.base.sha }}',
          PR_NUMBER: '${{ github.event.pull_request.number }}',
          GH_TOKEN: '${{ github.token }}',
        },
        run: commands.review('github'),
      },
    ],
  });
  for (const env of defs.environments) {
    jobs[githubJobId.reviewPlan(env.name)] = job({
      name: `review: plan ${env.name}`,
      if: PULL_REQUEST,
      needs: [githubJobId.test],
      permissions: ASSUME_ROLE,
      steps: [
        steps.checkout(),
        steps.setupNode(),
        steps.setupTerraform(),
        steps.assumeRole(env, 'plan'),
        run('build deploykit', ...commands.installCli()),
        run(`plan ${env.name} for review`, commands.reviewPlan(env)),
      ],
    });
  }

  for (const target of deploymentTargets(defs)) {
    const env = target.environment;
    const when = target.trigger === 'release-tag' ? RELEASE_TAG : defaultBranch;
    const oneAtATime = { group: `deploy-${env.name}`, 'cancel-in-progress': false };
    const planArtifact = `plan-${env.name}`;
    jobs[githubJobId.push(env.name)] = job({
      name: `push ${env.name}`,
      if: when,
      needs: [githubJobId.test, ...env.services.map((s) => githubJobId.build(s.name)), ...(target.after ? [githubJobId.verify(target.after.name)] : [])],
      permissions: ASSUME_ROLE,
      steps: [
        steps.checkout(),
        { name: 'fetch the images', uses: uses(ACTION_PINS.downloadArtifact), with: { pattern: 'image-*', path: 'images', 'merge-multiple': true } },
        steps.assumeRole(env),
        run(`push to ${env.name}`, ...commands.pushImages(env)),
      ],
    });
    jobs[githubJobId.plan(env.name)] = job({
      name: `plan ${env.name}`,
      if: when,
      needs: [githubJobId.push(env.name)],
      permissions: ASSUME_ROLE,
      steps: [
        steps.checkout(),
        steps.setupNode(),
        steps.setupTerraform(),
        steps.assumeRole(env),
        run('build deploykit', ...commands.installCli()),
        run(`plan ${env.name}`, commands.plan(env)),
        {
          name: 'keep the plan for apply and deploy',
          uses: uses(ACTION_PINS.uploadArtifact),
          with: {
            name: planArtifact,
            path: `dist/${env.name}/\n!dist/${env.name}/terraform/.terraform/`,
            'include-hidden-files': true,
            'retention-days': 7,
            'if-no-files-found': 'error',
          },
        },
      ],
    });
    jobs[githubJobId.apply(env.name)] = job({
      name: `apply ${env.name}`,
      if: when,
      needs: [githubJobId.plan(env.name)],
      permissions: ASSUME_ROLE,
      // Protection rules of this environment (required reviewers for production) gate the apply.
      environment: { name: env.name },
      concurrency: oneAtATime,
      steps: [
        steps.checkout(),
        steps.setupTerraform(),
        steps.downloadPlan(env),
        steps.assumeRole(env),
        run(`apply ${env.name}`, commands.apply(env)),
        steps.notify(env, commands.notify(env, NOTIFY, true)),
      ],
    });
    jobs[githubJobId.deploy(env.name)] = job({
      name: `deploy ${env.name}`,
      if: when,
      needs: [githubJobId.apply(env.name)],
      permissions: ASSUME_ROLE,
      concurrency: oneAtATime,
      steps: [
        steps.checkout(),
        steps.downloadPlan(env),
        steps.assumeRole(env),
        run(`deploy ${env.name}`, commands.deploy(env)),
        steps.notify(env, commands.notify(env, NOTIFY, true)),
      ],
    });
    jobs[githubJobId.verify(env.name)] = job({
      name: `verify ${env.name}`,
      if: when,
      needs: [githubJobId.deploy(env.name)],
      permissions: ASSUME_ROLE,
      concurrency: oneAtATime,
      timeout: 60,
      steps: [
        steps.checkout(),
        steps.assumeRole(env),
        run(`verify ${env.name}`, ...commands.verify(env)),
        steps.notify(env, commands.notify(env, NOTIFY, false)),
      ],
    });
  }

  return {
    name: 'deploykit',
    on: {
      push: { branches: [defs.ci.defaultBranch], tags: [GITHUB_RELEASE_TAG_FILTER] },
      pull_request: { branches: [defs.ci.defaultBranch] },
    },
    permissions: READ,
    env: { IMAGE_TAG: '${{ github.sha }}', TF_IN_AUTOMATION: 'true' },
    jobs,
  };
}

function run(name: string, ...lines: string[]): GithubStep {
  return { name, run: lines.join('\n') };
}

/** Steps used by several jobs. */
class Steps {
  constructor(
    private readonly defs: Definitions,
    private readonly opts: ResolvedPipelineOptions,
  ) {}

  checkout(fetchDepth?: number): GithubStep {
    return {
      name: 'checkout',
      uses: uses(ACTION_PINS.checkout),
      with: { 'persist-credentials': false, ...(fetchDepth === undefined ? {} : { 'fetch-depth': fetchDepth }) },
    };
  }

  setupNode(): GithubStep {
    return { name: 'set up Node.js', uses: uses(ACTION_PINS.setupNode), with: { 'node-version': this.opts.nodeVersion, cache: 'npm' } };
  }

  setupTerraform(): GithubStep {
    return {
      name: 'set up Terraform',
      uses: uses(ACTION_PINS.setupTerraform),
      with: { terraform_version: this.opts.terraformVersion, terraform_wrapper: false },
    };
  }

  /**
   * Assumes one of the environment's CI roles through OIDC: the deploy role, or the read-only plan role
   * that pull request workflows (subject `repo:<repo>:pull_request`) may assume.
   */
  assumeRole(env: EnvironmentDefinition, role: 'deploy' | 'plan' = 'deploy'): GithubStep {
    return {
      name: `assume the ${env.name} ${role} role (OIDC)`,
      uses: uses(ACTION_PINS.configureAwsCredentials),
      with: {
        'role-to-assume': role === 'plan' ? ciPlanRoleArn(this.defs.system, env) : ciDeployRoleArn(this.defs.system, env),
        'role-session-name': `deploykit-\${{ github.run_id }}-\${{ github.run_attempt }}`,
        'aws-region': env.region,
        'mask-aws-account-id': false,
      },
    };
  }

  downloadPlan(env: EnvironmentDefinition): GithubStep {
    return { name: 'fetch the plan', uses: uses(ACTION_PINS.downloadArtifact), with: { name: `plan-${env.name}`, path: `dist/${env.name}` } };
  }

  notify(env: EnvironmentDefinition, command: string): GithubStep {
    return { name: `notify ${env.name}`, if: 'always()', env: NOTIFY_ENV, run: command };
  }
}
