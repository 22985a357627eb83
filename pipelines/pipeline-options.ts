/** Options of the pipeline generator: tool versions and images the generated jobs use. */

/** Options of {@link generatePipelines}; every one has a working default. */
export interface PipelineOptions {
  /**
   * Definitions file the CI jobs pass to `deploykit --config`, relative to the repository root.
   * @default - none: the built-in definitions
   */
  readonly configFile?: string;
  /**
   * Directory of the step scripts, relative to the repository root.
   * @default "pipelines/scripts"
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
  return {
    configFile: options.configFile,
    scriptsDir: options.scriptsDir ?? 'pipelines/scripts',
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

function checkedCron(cron: string): string {
  if (!CRON_REGEX.test(cron)) {
    throw new Error(`driftCron (${JSON.stringify(cron)}) is not a five-field cron expression; use digits, "*", "/", "," and "-", e.g. "0 5 * * 1-5"`);
  }
  return cron;
}
