/**
 * The generated pipeline files and their atomic write: both files are rendered first, then each is
 * written to a temporary sibling and renamed into place, so a reader never sees half a file.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Definitions } from '../config';
import { githubWorkflow, githubWorkflowComment } from './github-workflow';
import { gitlabJobComments, gitlabPipeline, gitlabPipelineDocument } from './gitlab-pipeline';
import type { PipelineOptions } from './pipeline-options';
import { toYamlFile } from './yaml-file';

/** Path of the GitLab pipeline, relative to the repository root. */
export const GITLAB_CI_FILE = '.gitlab-ci.yml';
/** Path of the GitHub workflow, relative to the repository root. */
export const GITHUB_WORKFLOW_FILE = '.github/workflows/deploy.yml';

/** One generated file. */
export interface PipelineFile {
  /** Path relative to the repository root. */
  readonly path: string;
  /** File content (YAML). */
  readonly content: string;
  /** The document the content serialises, as plain data (what a YAML parser reads back). */
  readonly value: object;
}

/** Renders both pipeline files of a definition set (every environment, whatever was synthesized). */
export function generatePipelines(defs: Definitions, options: PipelineOptions = {}): PipelineFile[] {
  const gitlab = gitlabPipelineDocument(gitlabPipeline(defs, options));
  const github = githubWorkflow(defs, options);
  return [
    { path: GITLAB_CI_FILE, content: toYamlFile(gitlab, { keyComments: gitlabJobComments(defs) }), value: plainData(gitlab) },
    { path: GITHUB_WORKFLOW_FILE, content: toYamlFile(github, { headerComment: githubWorkflowComment(defs, options) }), value: plainData(github) },
  ];
}

/** The data a YAML parser reads back from the serialised object (no undefined values). */
function plainData(value: object): object {
  return JSON.parse(JSON.stringify(value)) as object;
}

/** Writes the files below `rootDir`, each atomically; returns the paths written. */
export function writePipelineFiles(rootDir: string, files: readonly PipelineFile[]): string[] {
  return files.map((file) => {
    const target = join(rootDir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, file.content);
      renameSync(temporary, target);
    } catch (err) {
      rmSync(temporary, { force: true });
      throw err;
    }
    return target;
  });
}
