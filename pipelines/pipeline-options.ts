/** Options of the pipeline generator: how jobs reach deploykit, tool versions and images the generated jobs use. */
import { detectDeploykitSource, STEP_SCRIPTS_DIR, type DeploykitSource } from './deploykit-source';

/** Options of {@link generatePipelines}; every one has a working default. */
export interface PipelineOptions {
  /**
   * How the jobs reach deploykit. `repository`: the repository is deploykit's own checkout (`npm ci` and
   * `npm run build`, then `node bin/deploykit.js`). `package`: deploykit is an npm dependency of the
   * repository (the repository's `npm ci`, then `npx --no-install deploykit`; the step scripts run from
   * `node_modules/deploykit/pipelines/scripts`, so every job that runs one installs the dependencies first).
   * @default - detected: `package` when deploykit runs from a `node_modules` directory or the repository's
   * package.json names another package (the working directory's, or the `rootDir` of regeneration); else `repository`
   */
  readonly deploykit?: DeploykitSource;
  /**
   * Definitions file the CI jobs pass to `deploykit --config`, relative to the repository root.
   * @default - none: the built-in definitions
   */
  readonly configFile?: string;
  /**
   * Directory of the step scripts, relative to the repository root.
   * @default - "pipelines/scripts"; "node_modules/deploykit/pipelines/scripts" when `deploykit` is `package`
   */
  readonly scriptsDir?: string;
  /**
   * Build context (directory holding the Dockerfile) of a service, relative to the repository root.
   * @default - `services/<service name>`
   */
  readonly buildContext?: (serviceName: string) => string;
  /**
   * Node.js version the jobs run deploykit with (GitHub `setup-node`).
   * @default "22"
   */
  readonly nodeVersion?: string;
  /**
   * Terraform version the jobs run (GitHub `setup-terraform`).
   * @default "1.11.4"
   */
  readonly terraformVersion?: string;
  /**
   * GitLab image of the test job.
   * @default "node:22-bookworm"
   */
  readonly nodeImage?: string;
  /**
   * GitLab image of the build and push jobs (Docker CLI with buildx); the matching `-dind` service runs beside it.
   * @default "docker:27.5.1"
   */
  readonly dockerImage?: string;
  /**
   * GitLab image of the plan, apply, deploy, verify and review jobs: Node.js 20, Terraform, AWS CLI v2 and
   * kubectl. A CI variable `DEPLOYKIT_TOOLS_IMAGE` overrides it per project.
   * @default "$CI_REGISTRY_IMAGE/deploykit-tools:1.0.0"
   */
  readonly toolsImage?: string;
  /**
   * Image of the in-cluster smoke test pod; pinned to a version, never `latest`.
   * @default "curlimages/curl:8.11.1"
   */
  readonly curlImage?: string;
  /**
   * GitHub-hosted runner label of every job.
   * @default "ubuntu-24.04"
   */
  readonly runner?: string;
  /**
   * When the GitHub workflow's scheduled drift check runs (`on.schedule` cron, UTC). GitLab schedules are
   * set in the project (Build > Pipeline schedules).
   * @default "0 5 * * 1-5" - 05:00 UTC on weekdays
   */
  readonly driftCron?: string;
}

/** A five-field cron expression: digits, `*`, `/`, `,` and `-` only. */
const CRON_REGEX = /^([0-9*/,-]+ ){4}[0-9*/,-]+$/;

/** {@link PipelineOptions} with every default applied. @internal */
export type ResolvedPipelineOptions = Required<Omit<PipelineOptions, 'configFile'>> & Pick<PipelineOptions, 'configFile'>;

/** Applies the defaults of {@link PipelineOptions}. @internal */
export function resolvePipelineOptions(options: PipelineOptions = {}): ResolvedPipelineOptions {
  const deploykit = checkedSource(options.deploykit ?? detectDeploykitSource(process.cwd()));
  return {
    configFile: options.configFile,
    deploykit,
    scriptsDir: options.scriptsDir ?? STEP_SCRIPTS_DIR[deploykit],
    buildContext: options.buildContext ?? ((name) => `services/${name}`),
    nodeVersion: options.nodeVersion ?? '22',
    terraformVersion: options.terraformVersion ?? '1.11.4',
    nodeImage: options.nodeImage ?? 'node:22-bookworm',
    dockerImage: options.dockerImage ?? 'docker:27.5.1',
    toolsImage: options.toolsImage ?? '$CI_REGISTRY_IMAGE/deploykit-tools:1.0.0',
    curlImage: options.curlImage ?? 'curlimages/curl:8.11.1',
    runner: options.runner ?? 'ubuntu-24.04',
    driftCron: checkedCron(options.driftCron ?? '0 5 * * 1-5'),
  };
}

function checkedSource(source: string): DeploykitSource {
  if (source !== 'repository' && source !== 'package') {
    throw new Error(`deploykit (${JSON.stringify(source)}) is not a deploykit source; use "repository" (deploykit's own checkout) or "package" (an npm dependency)`);
  }
  return source;
}

function checkedCron(cron: string): string {
  if (!CRON_REGEX.test(cron)) {
    throw new Error(`driftCron (${JSON.stringify(cron)}) is not a five-field cron expression; use digits, "*", "/", "," and "-", e.g. "0 5 * * 1-5"`);
  }
  return cron;
}
