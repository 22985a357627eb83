/**
 * Regeneration of the checked-in pipeline files by `deploykit synth`: from every environment of the
 * definitions, written only when their content changed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Definitions } from '../config';
import { GITHUB_WORKFLOW_FILE, GITLAB_CI_FILE, generatePipelines, writePipelineFiles, type PipelineFile } from './pipeline-files';
import { buildId, isUpToDate, remember, renderKey } from './regeneration-cache';
import type { PipelineOptions } from './pipeline-options';
import { detectDeploykitSource } from './deploykit-source';

/** Options of {@link regeneratePipelines}. */
export interface RegenerateOptions extends Omit<PipelineOptions, 'configFile'> {
  /** Repository root the files are written below. */
  readonly rootDir: string;
  /**
   * The definitions file synth read. The pipelines pass it to `deploykit --config` when it lies inside
   * `rootDir` (CI checks out only the repository).
   * @default - none: the built-in definitions
   */
  readonly configFile?: string;
  /**
   * How the jobs reach deploykit (see {@link PipelineOptions.deploykit}).
   * @default - detected for `rootDir`: `package` when deploykit runs from a `node_modules` directory or
   * `rootDir/package.json` names another package; else `repository`
   */
  readonly deploykit?: PipelineOptions['deploykit'];
  /**
   * Identity of the generator; with it, a rendering whose inputs and files are unchanged since the
   * last run is skipped (see regeneration-cache.ts).
   * @default - the bundle's build id; none (always render) when running from sources
   */
  readonly cacheSalt?: string;
}

/** What {@link regeneratePipelines} did. */
export interface RegenerateResult {
  /** Files rewritten because their content changed. */
  readonly written: readonly string[];
  /** Files already up to date. */
  readonly unchanged: readonly string[];
}

/** Renders both pipeline files exactly as {@link regeneratePipelines} would write them below `rootDir`. */
export function renderPipelines(defs: Definitions, options: RegenerateOptions): PipelineFile[] {
  const { rootDir, configFile, deploykit = detectDeploykitSource(rootDir), ...rest } = options;
  return generatePipelines(defs, { ...rest, deploykit, configFile: repositoryPath(rootDir, configFile) });
}

/** What {@link planPipelines} found: the files to write, and how to record a successful write. */
export interface PipelinePlan extends RegenerateResult {
  /** The changed files with their content, paths relative to `rootDir`. */
  readonly changed: readonly PipelineFile[];
  /** Records the rendering once the changed files are written (see regeneration-cache.ts). */
  remember(): void;
}

/**
 * Renders both pipeline files and compares them with the files below `rootDir`, writing nothing, so
 * a caller can write them together with other output (as `deploykit synth` does with `dist/`).
 */
export function planPipelines(defs: Definitions, options: RegenerateOptions): PipelinePlan {
  const { rootDir, cacheSalt = buildId(), deploykit = detectDeploykitSource(rootDir), ...inputs } = options;
  const key = renderKey(cacheSalt, { defs, inputs: { ...inputs, deploykit, rootDir: resolve(rootDir) } });
  if (isUpToDate(rootDir, key)) return { written: [], unchanged: [GITLAB_CI_FILE, GITHUB_WORKFLOW_FILE], changed: [], remember: () => undefined };
  const files = renderPipelines(defs, { ...options, deploykit });
  const changed = files.filter((file) => {
    const target = join(rootDir, file.path);
    return !existsSync(target) || statSync(target).isDirectory() || readFileSync(target, 'utf8') !== file.content;
  });
  return {
    changed,
    written: changed.map((f) => f.path),
    unchanged: files.filter((f) => !changed.includes(f)).map((f) => f.path),
    remember: () => remember(rootDir, key, files),
  };
}

/** Renders both pipeline files and writes those that changed. */
export function regeneratePipelines(defs: Definitions, options: RegenerateOptions): RegenerateResult {
  const plan = planPipelines(defs, options);
  writePipelineFiles(options.rootDir, plan.changed);
  plan.remember();
  return { written: plan.written, unchanged: plan.unchanged };
}

/** `file` relative to `rootDir` with '/' separators, or undefined when it lies outside. */
function repositoryPath(rootDir: string, file: string | undefined): string | undefined {
  if (!file) return undefined;
  const path = relative(resolve(rootDir), resolve(file));
  if (path === '' || path.startsWith('..') || isAbsolute(path)) return undefined;
  return path.split(sep).join('/');
}
