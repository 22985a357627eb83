/** Public API of the CI pipeline generator. */
export { regeneratePipelines, type RegenerateOptions, type RegenerateResult } from './regenerate';
export { generatePipelines, writePipelineFiles, GITLAB_CI_FILE, GITHUB_WORKFLOW_FILE, type PipelineFile } from './pipeline-files';
export type { PipelineOptions } from './pipeline-options';
export { gitlabPipeline, gitlabJobName, gitlabStages, GITLAB_ID_TOKEN_VARIABLE } from './gitlab-pipeline';
export { githubWorkflow, githubJobId, GITHUB_RELEASE_TAG_FILTER } from './github-workflow';
export { deploymentTargets, requiresManualApproval, servicesToBuild, RELEASE_TAG_REGEX, type DeploymentTarget, type DeployTrigger } from '../config/promotion';
export { ACTION_PINS, type ActionPin } from './action-pins';
export { PRUNE_ALLOWLIST } from './prune-allowlist';
export { GENERATED_HEADER } from './yaml-file';
export type * from './gitlab-ci-types';
export type * from './github-workflow-types';
