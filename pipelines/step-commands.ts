/**
 * The shell commands of each pipeline step, identical in GitLab CI and GitHub Actions: both call the
 * step scripts (`pipelines/scripts/` of deploykit's checkout, or of the installed package) with values
 * derived from the definitions through `config/naming.ts`.
 * The image tag is always the `IMAGE_TAG` variable, which both pipelines set to the commit SHA.
 */
import {
  ciApplyRoleArn,
  ciDeployRoleArn,
  ciPlanRoleArn,
  clusterName,
  namespaceName,
  pruneSelector,
  registryHost,
  repositoryName,
  type Definitions,
  type ServiceDefinition,
  type EnvironmentDefinition,
} from '../config';
import type { ResolvedPipelineOptions } from './pipeline-options';
import { PRUNE_ALLOWLIST } from './prune-allowlist';
import { commandLine } from './shell-quote';

/** The variable holding the commit SHA, quoted for the shell. */
export const IMAGE_TAG = '"$IMAGE_TAG"';

/** Where a service's image archive travels between the build and push jobs. */
export function imageArchive(serviceName: string): string {
  return `images/${serviceName}.tar`;
}

/**
 * Where a release-tag environment's promoted image digests travel from its promote job to its plan
 * job: `{ "<service>": "sha256:…" }`. Outside `dist/`, which synth replaces whole.
 */
export function imageDigestsFile(envName: string): string {
  return `image-digests/${envName}.json`;
}

/** Files `deploykit check` writes in the pipeline: SARIF 2.1.0 and GitLab Code Quality JSON. */
export const CHECK_REPORTS = { sarif: 'deploykit-check.sarif', codequality: 'gl-code-quality-report.json' } as const;

/** BuildKit cache directory of a service. */
export function buildCacheDir(serviceName: string): string {
  return `.buildx-cache/${serviceName}`;
}

/** Shell variables (quoted references) a notification reads. */
export interface NotifyVariables {
  /** The tag or branch deployed, e.g. `"$CI_COMMIT_REF_NAME"`. */
  readonly version: string;
  /** The job outcome, e.g. `"$CI_JOB_STATUS"`. */
  readonly status: string;
  /** Link to the pipeline run, e.g. `"$CI_PIPELINE_URL"`. */
  readonly url: string;
}

/** Shell commands of the pipeline steps of one definition set. */
export class StepCommands {
  constructor(
    private readonly defs: Definitions,
    private readonly options: ResolvedPipelineOptions,
  ) {}

  private script(name: string): string {
    return `${this.options.scriptsDir}/${name}`;
  }

  /**
   * Makes the deploykit CLI runnable: `npm ci` and the build of the CLI in deploykit's own repository;
   * the repository's `npm ci` (deploykit is one of its dependencies) when deploykit is a package.
   */
  installCli(npmOptions = ''): string[] {
    const install = `npm ci${npmOptions ? ` ${npmOptions}` : ''} --no-audit --no-fund`;
    return this.options.deploykit === 'package' ? [install] : [install, 'npm run build'];
  }

  /**
   * Makes the step scripts available to a job that runs no deploykit CLI command itself: nothing in
   * deploykit's repository (they are checked out); the repository's `npm ci` when deploykit is a package,
   * whose scripts are in `node_modules`.
   */
  installScripts(): string[] {
    return this.options.deploykit === 'package' ? ['npm ci --no-audit --no-fund'] : [];
  }

  /** How a job names the step that {@link installCli} or {@link installScripts} runs. */
  installStepName(): string {
    return this.options.deploykit === 'package' ? 'install deploykit' : 'build deploykit';
  }

  /** A deploykit CLI command line: the built bin of the checkout, or the installed package's bin. */
  private cli(command: string): string {
    return this.options.deploykit === 'package' ? `npx --no-install deploykit ${command}` : `node bin/deploykit.js ${command}`;
  }

  /** Builds one service image tagged with the commit SHA. */
  buildImage(serviceName: string): string {
    return commandLine(this.script('build-image.sh'), [
      ['--service', serviceName],
      ['--tag', IMAGE_TAG],
      ['--context', this.options.buildContext(serviceName)],
      ['--archive', imageArchive(serviceName)],
      ['--cache-dir', buildCacheDir(serviceName)],
    ]);
  }

  /** Pushes every service the environment runs to the environment's ECR registry. */
  pushImages(env: EnvironmentDefinition): string[] {
    return env.services.map((service) =>
      commandLine(this.script('ecr-push.sh'), [
        ['--archive', imageArchive(service.name)],
        ['--service', service.name],
        ['--tag', IMAGE_TAG],
        ['--registry', registryHost(env)],
        ['--repository', repositoryName(service)],
        ['--region', env.region],
        ['--role-arn', ciDeployRoleArn(this.defs.system, env)],
      ]),
    );
  }

  /**
   * Synthesizes the environment with the commit's image tag and saves `tfplan`, under the apply role
   * (the saved plan takes the state lock). With `imageDigests`, the Deployments run the promoted digests.
   */
  plan(env: EnvironmentDefinition, imageDigests?: string): string {
    return commandLine(this.script('terraform-plan.sh'), [
      ['--env', env.name],
      ['--image-tag', IMAGE_TAG],
      ['--region', env.region],
      ['--role-arn', ciApplyRoleArn(this.defs.system, env)],
      ['--config', this.options.configFile],
      ['--image-digests', imageDigests],
    ]);
  }

  /**
   * The review plan of a merge/pull request: synthesizes the environment with the commit's image tag
   * and runs `terraform plan -lock=false` under the read-only plan role (`ciPlanRoleArn`), which may
   * not write the state lock. Nothing is saved: a review plan is never applied.
   */
  reviewPlan(env: EnvironmentDefinition): string {
    return commandLine(this.script('terraform-plan.sh'), [
      ['--env', env.name],
      ['--image-tag', IMAGE_TAG],
      ['--region', env.region],
      ['--role-arn', ciPlanRoleArn(this.defs.system, env)],
      ['--config', this.options.configFile],
      '--review',
    ]);
  }

  /** Applies the saved plan under the apply role. */
  apply(env: EnvironmentDefinition): string {
    return commandLine(this.script('terraform-apply.sh'), [
      ['--env', env.name],
      ['--region', env.region],
      ['--role-arn', ciApplyRoleArn(this.defs.system, env)],
    ]);
  }

  /**
   * Server-side applies the environment's cluster-scoped objects (`kubernetes/cluster.k8s.yaml`:
   * Namespaces …) under the apply role, whose EKS access entry is cluster-wide.
   */
  deployCluster(env: EnvironmentDefinition): string {
    return commandLine(this.script('deploy.sh'), [
      ['--env', env.name],
      ['--cluster', clusterName(this.defs.system, env)],
      ['--region', env.region],
      ['--role-arn', ciApplyRoleArn(this.defs.system, env)],
      ['--scope', 'cluster'],
      ['--selector', pruneSelector(this.defs.system, env)],
    ]);
  }

  /**
   * Server-side applies each service namespace's objects under the deploy role (its EKS access entry is
   * scoped to those namespaces), pruning the allowlisted kinds that carry the environment's labels.
   */
  deployNamespaces(env: EnvironmentDefinition): string {
    return commandLine(this.script('deploy.sh'), [
      ['--env', env.name],
      ['--cluster', clusterName(this.defs.system, env)],
      ['--region', env.region],
      ['--role-arn', ciDeployRoleArn(this.defs.system, env)],
      ['--scope', 'namespaces'],
      ['--selector', pruneSelector(this.defs.system, env)],
      ...PRUNE_ALLOWLIST.map((kind) => ['--prune-allowlist', kind] as const),
    ]);
  }

  /** Waits for each service's rollout and smoke-tests it; rolls back on failure. */
  verify(env: EnvironmentDefinition): string[] {
    return env.services.map((service) =>
      commandLine(this.script('verify.sh'), [
        ['--cluster', clusterName(this.defs.system, env)],
        ['--region', env.region],
        ['--role-arn', ciDeployRoleArn(this.defs.system, env)],
        ['--namespace', namespaceName(service)],
        ['--deployment', service.name],
        ['--timeout', String(service.progressDeadlineSeconds)],
        ['--port', String(service.servicePort)],
        ['--path', service.health.readinessPath],
        ['--image', this.options.curlImage],
      ]),
    );
  }

  /**
   * Tags each service's image `verified-<sha>` in the environment's registry after its verify succeeded,
   * under the deploy role: the mark a release tag's promotion requires.
   */
  markVerified(env: EnvironmentDefinition): string[] {
    return env.services.map((service) =>
      commandLine(this.script('mark-verified.sh'), [
        ['--registry', registryHost(env)],
        ['--repository', repositoryName(service)],
        ['--tag', IMAGE_TAG],
        ['--region', env.region],
        ['--role-arn', ciDeployRoleArn(this.defs.system, env)],
      ]),
    );
  }

  /**
   * Copies each service's image the `source` environment verified for this commit into `env`'s registry
   * (same digest) under `env`'s deploy role, and records the digests in {@link imageDigestsFile}.
   * A service the source does not run is looked up under the target's repository name, which the
   * source registry then lacks: the promotion refuses it.
   */
  promote(env: EnvironmentDefinition, source: EnvironmentDefinition): string[] {
    return env.services.map((service) => {
      const fromService: ServiceDefinition = source.services.find((s) => s.name === service.name) ?? service;
      return commandLine(this.script('promote-image.sh'), [
        ['--service', service.name],
        ['--tag', IMAGE_TAG],
        ['--source-registry', registryHost(source)],
        ['--source-repository', repositoryName(fromService)],
        ['--target-registry', registryHost(env)],
        ['--target-repository', repositoryName(service)],
        ['--region', env.region],
        ['--role-arn', ciDeployRoleArn(this.defs.system, env)],
        ['--digests-file', imageDigestsFile(env.name)],
      ]);
    });
  }

  /**
   * Plans the environment read-only under the plan role (`-detailed-exitcode -lock=false`) and fails
   * when the live infrastructure drifted from the definitions.
   */
  drift(env: EnvironmentDefinition): string {
    return commandLine(this.script('terraform-drift.sh'), [
      ['--env', env.name],
      ['--region', env.region],
      ['--role-arn', ciPlanRoleArn(this.defs.system, env)],
      // Services without image.tag take the commit's tag; the Terraform output does not depend on it.
      ['--image-tag', IMAGE_TAG],
      ['--config', this.options.configFile],
    ]);
  }

  /** Synthesizes every environment with the commit's image tag into `dist/` for `deploykit check`. */
  synthForCheck(): string {
    return commandLine(this.cli('synth'), [
      ['--image-tag', IMAGE_TAG],
      ['--out', 'dist'],
      ['--config', this.options.configFile],
      '--no-pipelines',
      '--quiet',
    ]);
  }

  /** `deploykit check` over `dist/` and the pipeline files, writing one report format to stdout. */
  check(format: 'sarif' | 'codequality'): string {
    return commandLine(this.cli('check'), [['--dir', 'dist'], ['--config', this.options.configFile], ['--format', format]]);
  }

  /**
   * Posts the outcome to the chat webhook when `DEPLOYKIT_CHAT_WEBHOOK` is set. `run` names the shell
   * variables (quoted, e.g. `"$CI_JOB_STATUS"`) holding the version, the job status and the pipeline link.
   */
  notify(env: EnvironmentDefinition, run: NotifyVariables, onlyFailure: boolean): string {
    return commandLine(this.script('notify.sh'), [
      ['--env', env.name],
      ['--version', run.version],
      ['--status', run.status],
      ['--url', run.url],
      ...(onlyFailure ? ['--only-failure'] : []),
    ]);
  }

  /** Synthesizes the head, diffs it against the base and posts the report. */
  review(platform: 'gitlab' | 'github'): string {
    return commandLine(this.script('review.sh'), [
      ['--base', '"$REVIEW_BASE_SHA"'],
      ['--platform', platform],
      ['--image-tag', IMAGE_TAG],
      ['--config', this.options.configFile],
    ]);
  }
}
