/**
 * Public API of the check engine (`deploykit/policy`): what a team needs to write its own rules and
 * run them with the built-in ones. A rule is data plus one `check` function yielding findings; export
 * your rules as `checkRules` from a definitions module and `deploykit check --config` runs them, or
 * call {@link runCheck} with `rules`. See docs/check.md, "Writing your own rules".
 */

// The vocabulary: rules, findings, the report.
export type {
  CheckReport,
  EnvironmentRule,
  Finding,
  FindingInput,
  ProjectRule,
  Rule,
  RuleLayer,
  RuleMetadata,
  Severity,
  SuppressedFinding,
  UpstreamReference,
} from './types';

// What rules read.
export { CheckInputError, loadProject, type CheckContext, type LoadOptions, type ProjectContext } from './context';
export {
  CLUSTER_SCOPED_KINDS,
  KubernetesObjects,
  POD_TEMPLATE_KINDS,
  containersOf,
  mapSelects,
  namespaceOf,
  podTemplateOf,
  selects,
  targetOf,
  workloadsOf,
  type Container,
  type KubernetesObject,
  type LabelSelector,
  type PodSpec,
  type PodTemplate,
  type Probe,
} from './kubernetes-objects';
export { TerraformConfig, block, blocks, show, strings, type TerraformResource } from './terraform-config';
export { PIPELINE_FILES, parsePipelineFile, readPipelineFiles, type GeneratedPipelineFile, type PipelineFile, type PipelineJob } from './pipeline-files';
export { identityPolicies, policiesOfRole, trustPolicies, type LocatedPolicy, type PolicyStatement } from './iam-policy';

// Running rules.
export { runCheck, type CheckOptions } from './run-check';
export { failsAt, metadataOf, runRules } from './engine';
export { builtInRules } from './registry';
export { RuleCheckError } from './rule-check-error';
export { BUILT_IN_RULE_PREFIX, loadTeamRules, teamRuleIssues, validateTeamRules } from './team-rules';

// Formats.
export { formatTable } from './format/table';
export { formatJson } from './format/json';
export { formatSarif, type SarifOptions } from './format/sarif';
export { formatCodeQuality, type CodeQualityIssue, type CodeQualityOptions } from './format/codequality';
export { ruleTableMarkdown, ruleTableText } from './format/rule-table';
