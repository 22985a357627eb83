/**
 * The GitHub Actions workflow: least-privilege `permissions`, actions pinned to commit SHAs, AWS through
 * OIDC (`id-token: write` + configure-aws-credentials, one step per role a job needs), `environment:`
 * only on the approval-gated jobs of release-tag environments (its subject `repo:<r>:environment:<env>`
 * is trusted only by production roles; other jobs present their ref), one deploy per environment
 * (`concurrency`), and no event data interpolated into `run:` (only `env:`).
 */
import {
  ciApplyRoleArn,
  ciDeployRoleArn,
  ciPlanRoleArn,
  promotionSource,
  promotionTargets,
  type CiRoleKind,
  type Definitions,
  type EnvironmentDefinition,
} from '../config';
import { ACTION_PINS, uses } from './action-pins';
import type { GithubJob, GithubPermissions, GithubStep, GithubWorkflow } from './github-workflow-types';
import { resolvePipelineOptions, type PipelineOptions, type ResolvedPipelineOptions } from './pipeline-options';
import { deploymentTargets, servicesBuiltOnReleaseTags, servicesToBuild } from '../config/promotion';
import { buildCacheDir, CHECK_REPORTS, imageArchive, imageDigestsFile, StepCommands, type NotifyVariables } from './step-commands';

/** Tags that run the production deploys (GitHub filter pattern for `vX.Y.Z`). */
export const GITHUB_RELEASE_TAG_FILTER = 'v[0-9]+.[0-9]+.[0-9]+';

const READ: GithubPermissions = { contents: 'read' };
const ASSUME_ROLE: GithubPermissions = { contents: 'read', 'id-token': 'write' };
/** upload-sarif writes code scanning alerts; `actions: read` lets it read the run in private repositories. */
const UPLOAD_SARIF: GithubPermissions = { actions: 'read', contents: 'read', 'security-events': 'write' };
const PULL_REQUEST = "github.event_name == 'pull_request'";
const SCHEDULE = "github.event_name == 'schedule'";
const NOT_SCHEDULED = "github.event_name != 'schedule'";
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
  check: 'check',
  build: (service: string) => `build-${service}`,
  review: 'review',
  reviewPlan: (env: string) => `review-plan-${env}`,
  push: (env: string) => `push-${env}`,
  promote: (env: string) => `promote-${env}`,
  plan: (env: string) => `plan-${env}`,
  apply: (env: string) => `apply-${env}`,
  deploy: (env: string) => `deploy-${env}`,
  verify: (env: string) => `verify-${env}`,
  drift: (env: string) => `drift-${env}`,
};

/** The GitHub Actions workflow of a definition set. */
export function githubWorkflow(defs: Definitions, options: PipelineOptions = {}): GithubWorkflow {
  const opts = resolvePipelineOptions(options);
  const commands = new StepCommands(defs, opts);
  const steps = new Steps(defs, opts);
  const defaultBranch = `github.event_name == 'push' && github.ref == 'refs/heads/${defs.ci.defaultBranch}'`;
  const jobs: Record<string, GithubJob> = {};
  const job = (props: Omit<GithubJob, 'runs-on' | 'timeout-minutes'> & { timeout?: number; runsOn?: readonly string[] }): GithubJob => {
    const { timeout, name, runsOn, ...rest } = props;
    return { name, 'runs-on': runsOn ?? opts.runner, 'timeout-minutes': timeout ?? 30, ...rest };
  };

  jobs[githubJobId.test] = job({
    name: 'test',
    if: NOT_SCHEDULED,
    permissions: READ,
    steps: [steps.checkout(), steps.setupNode(), run('npm ci', 'npm ci --no-audit --no-fund'), run('npm test', 'npm test')],
  });

  // The policy gate: every deploy waits for it; its SARIF goes to code scanning even when it fails.
  jobs[githubJobId.check] = job({
    name: 'deploykit check',
    if: NOT_SCHEDULED,
    permissions: UPLOAD_SARIF,
    steps: [
      steps.checkout(),
      steps.setupNode(),
      run(commands.installStepName(), ...commands.installCli()),
      run('synthesize', commands.synthForCheck()),
      run('deploykit check', `${commands.check('sarif')} > ${CHECK_REPORTS.sarif}`),
      {
        name: 'upload the findings to code scanning',
        if: 'success() || failure()',
        uses: uses(ACTION_PINS.uploadSarif),
        with: { sarif_file: CHECK_REPORTS.sarif, category: 'deploykit-check' },
      },
    ],
  });

  const builtOnTags = servicesBuiltOnReleaseTags(defs);
  for (const service of servicesToBuild(defs)) {
    jobs[githubJobId.build(service)] = job({
      name: `build ${service}`,
      // Release pipelines build only what they cannot promote.
      if: builtOnTags.has(service) ? NOT_SCHEDULED : `${NOT_SCHEDULED} && !startsWith(github.ref, 'refs/tags/')`,
      permissions: READ,
      steps: [
        steps.checkout(),
        ...steps.installScripts(commands),
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
      run(commands.installStepName(), ...commands.installCli()),
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
      steps: steps.withPlanRole(env, run(`plan ${env.name} for review`, commands.reviewPlan(env)), commands),
    });
  }

  for (const target of deploymentTargets(defs)) {
    const env = target.environment;
    const when = target.trigger === 'release-tag' ? RELEASE_TAG : defaultBranch;
    const oneAtATime = { group: `deploy-${env.name}`, 'cancel-in-progress': false };
    const planArtifact = `plan-${env.name}`;
    const digestsArtifact = `image-digests-${env.name}`;
    const gate = [githubJobId.test, githubJobId.check];
    const after = target.after ? [githubJobId.verify(target.after.name)] : [];
    const source = target.trigger === 'release-tag' ? promotionSource(defs, env) : undefined;
    const runsOn = env.deploy.runner?.githubLabels;
    if (source) {
      // The release deploys the digests the source environment verified for this commit; nothing is rebuilt.
      jobs[githubJobId.promote(env.name)] = job({
        name: `promote ${source.name} images to ${env.name}`,
        if: when,
        needs: [...gate, ...after],
        permissions: ASSUME_ROLE,
        steps: [
          steps.checkout(),
          ...steps.installScripts(commands),
          steps.assumeRole(env, 'deploy'),
          run(`promote to ${env.name}`, ...commands.promote(env, source)),
          {
            name: 'keep the digests for the plan',
            uses: uses(ACTION_PINS.uploadArtifact),
            with: { name: digestsArtifact, path: imageDigestsFile(env.name), 'retention-days': 7, 'if-no-files-found': 'error' },
          },
        ],
      });
    } else {
      jobs[githubJobId.push(env.name)] = job({
        name: `push ${env.name}`,
        if: when,
        needs: [...gate, ...env.services.map((s) => githubJobId.build(s.name)), ...after],
        permissions: ASSUME_ROLE,
        steps: [
          steps.checkout(),
          ...steps.installScripts(commands),
          { name: 'fetch the images', uses: uses(ACTION_PINS.downloadArtifact), with: { pattern: 'image-*', path: 'images', 'merge-multiple': true } },
          steps.assumeRole(env, 'deploy'),
          run(`push to ${env.name}`, ...commands.pushImages(env)),
        ],
      });
    }
    jobs[githubJobId.plan(env.name)] = job({
      name: `plan ${env.name}`,
      if: when,
      needs: [source ? githubJobId.promote(env.name) : githubJobId.push(env.name)],
      permissions: ASSUME_ROLE,
      steps: [
        steps.checkout(),
        steps.setupNode(),
        steps.setupTerraform(),
        ...(source
          ? [{ name: 'fetch the promoted digests', uses: uses(ACTION_PINS.downloadArtifact), with: { name: digestsArtifact, path: 'image-digests' } }]
          : []),
        steps.assumeRole(env, 'apply'),
        run(commands.installStepName(), ...commands.installCli()),
        run(`plan ${env.name}`, commands.plan(env, source ? imageDigestsFile(env.name) : undefined)),
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
      // The approval gate: the environment's protection rules (required reviewers, tags v* only).
      ...(target.manualApproval ? { environment: { name: env.name } } : {}),
      concurrency: oneAtATime,
      steps: [
        steps.checkout(),
        ...steps.installScripts(commands),
        steps.setupTerraform(),
        steps.downloadPlan(env),
        steps.assumeRole(env, 'apply'),
        run(`apply ${env.name}`, commands.apply(env)),
        steps.notify(env, commands.notify(env, NOTIFY, true)),
      ],
    });
    jobs[githubJobId.deploy(env.name)] = job({
      name: `deploy ${env.name}`,
      if: when,
      needs: [githubJobId.apply(env.name)],
      runsOn,
      permissions: ASSUME_ROLE,
      concurrency: oneAtATime,
      steps: [
        steps.checkout(),
        ...steps.installScripts(commands),
        steps.downloadPlan(env),
        steps.assumeRole(env, 'apply'),
        run(`deploy the cluster-scoped objects of ${env.name}`, commands.deployCluster(env)),
        steps.assumeRole(env, 'deploy'),
        run(`deploy the namespaces of ${env.name}`, commands.deployNamespaces(env)),
        steps.notify(env, commands.notify(env, NOTIFY, true)),
      ],
    });
    jobs[githubJobId.verify(env.name)] = job({
      name: `verify ${env.name}`,
      if: when,
      needs: [githubJobId.deploy(env.name)],
      runsOn,
      permissions: ASSUME_ROLE,
      concurrency: oneAtATime,
      timeout: 60,
      steps: [
        steps.checkout(),
        ...steps.installScripts(commands),
        steps.assumeRole(env, 'deploy'),
        run(`verify ${env.name}`, ...commands.verify(env)),
        // A verified image is what a release tag may promote.
        ...(promotionTargets(defs, env).length > 0 ? [run(`mark the images verified in ${env.name}`, ...commands.markVerified(env))] : []),
        steps.notify(env, commands.notify(env, NOTIFY, false)),
      ],
    });
  }

  for (const env of defs.environments) {
    jobs[githubJobId.drift(env.name)] = job({
      name: `drift ${env.name}`,
      if: SCHEDULE,
      permissions: ASSUME_ROLE,
      steps: steps.withPlanRole(env, run(`check ${env.name} for drift`, commands.drift(env)), commands),
    });
  }

  return {
    name: 'deploykit',
    on: {
      push: { branches: [defs.ci.defaultBranch], tags: [GITHUB_RELEASE_TAG_FILTER] },
      pull_request: { branches: [defs.ci.defaultBranch] },
      schedule: [{ cron: opts.driftCron }],
    },
    permissions: READ,
    env: { IMAGE_TAG: '${{ github.sha }}', TF_IN_AUTOMATION: 'true' },
    jobs,
  };
}

/**
 * First-day settings the workflow relies on, written at the top of the generated file: the protection
 * of each approval-gated environment, and the schedule of the drift check.
 */
export function githubWorkflowComment(defs: Definitions, options: PipelineOptions = {}): string {
  const opts = resolvePipelineOptions(options);
  const gated = deploymentTargets(defs).filter((t) => t.manualApproval).map((t) => t.environment.name);
  return [
    ...gated.map(
      (name) =>
        `Settings > Environments > "${name}": add required reviewers, and under Deployment branches and tags allow only\n` +
        `the tag pattern "v*": the ${name} roles trust the subject repo:<repository>:environment:${name}.`,
    ),
    `Drift check: scheduled runs ("${opts.driftCron}", UTC, on "${defs.ci.defaultBranch}") run only the drift jobs, which fail on drift.`,
  ].join('\n');
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

  /** The steps of a read-only job: checkout, Node.js, Terraform, the plan role, the deploykit build or install, then `step`. */
  withPlanRole(env: EnvironmentDefinition, step: GithubStep, commands: StepCommands): GithubStep[] {
    return [
      this.checkout(),
      this.setupNode(),
      this.setupTerraform(),
      this.assumeRole(env, 'plan'),
      run(commands.installStepName(), ...commands.installCli()),
      step,
    ];
  }

  /**
   * Node.js and the repository's dependencies, for a job that runs step scripts but no deploykit command,
   * when the scripts come from the installed package; nothing in deploykit's own repository.
   */
  installScripts(commands: StepCommands): GithubStep[] {
    const install = commands.installScripts();
    return install.length === 0 ? [] : [this.setupNode(), run(commands.installStepName(), ...install)];
  }

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
   * Assumes one of the environment's CI roles through OIDC: `plan` (read-only; pull requests and drift),
   * `apply` (Terraform and the cluster-scoped objects) or `deploy` (images and the namespaced objects).
   */
  assumeRole(env: EnvironmentDefinition, role: CiRoleKind): GithubStep {
    const arn = { plan: ciPlanRoleArn, apply: ciApplyRoleArn, deploy: ciDeployRoleArn }[role](this.defs.system, env);
    return {
      name: `assume the ${env.name} ${role} role (OIDC)`,
      uses: uses(ACTION_PINS.configureAwsCredentials),
      with: {
        'role-to-assume': arn,
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
