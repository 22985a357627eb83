/**
 * The vocabulary of `deploykit check`: rules, the findings they report and the report the engine
 * returns. Rules are plain data plus one function; the engine, not the rule, applies suppressions
 * and sorting.
 */
import type { CheckContext, ProjectContext } from './context';

/** How bad a finding is. `error` fails `check` by default; `warning` only with `--severity warning`. */
export type Severity = 'error' | 'warning';

/** Which output a rule reads. */
export type RuleLayer = 'terraform' | 'kubernetes' | 'ci' | 'cross-layer' | 'check';

/** The equivalent rule of an upstream scanner, e.g. `{ tool: 'Checkov', id: 'CKV_AWS_58' }`. */
export interface UpstreamReference {
  /** Scanner or standard: Checkov, Trivy, kube-score, Polaris, Pod Security Standards, CIS EKS. */
  readonly tool: string;
  /** Its rule id or section. */
  readonly id: string;
}

/** What a rule reports for one failing resource; the engine adds the rule's data. */
export interface FindingInput {
  /** The resource or object it failed on: `type.name`, `kind/namespace/name`, or a file path. */
  readonly target: string;
  /** The offending value, as text (`"0.0.0.0/0"`, `missing`, `3 < 5`). */
  readonly value: string;
  /** What is wrong, in one sentence naming the field. @default - the rule's title */
  readonly message?: string;
  /** How to fix this instance. @default - the rule's fix hint */
  readonly fix?: string;
  /** File the target lives in, relative to the synth output (or project root for pipeline files). @default - the layer's file */
  readonly file?: string;
}

/**
 * A rule evaluated once per environment, e.g. over its Kubernetes objects:
 * `*check({ kubernetes }) { for (const d of kubernetes.ofKind('Deployment')) if (…) yield { target: targetOf(d), value: 'missing' }; }`
 */
export interface EnvironmentRule extends RuleMetadata {
  /** Evaluated once per checked environment. */
  readonly scope: 'environment';
  /**
   * Yields one {@link FindingInput} per failing resource of the environment (a generator is the usual
   * form). Read what it needs from `ctx`; it must not write anything. A throw stops the run with a
   * `RuleCheckError` naming the rule.
   */
  check(ctx: CheckContext): Iterable<FindingInput>;
}

/** A rule evaluated once over every environment (pipeline files, state keys). */
export interface ProjectRule extends RuleMetadata {
  /** Evaluated once for the whole project. */
  readonly scope: 'project';
  /**
   * Yields one finding per failing resource; `environment` names the environment it belongs to
   * (undefined for project-wide files such as the pipelines).
   */
  check(ctx: ProjectContext): Iterable<FindingInput & { readonly environment?: string }>;
}

/** A rule of `deploykit check`: built in, or a team's (the `checkRules` export of a definitions module). */
export type Rule = EnvironmentRule | ProjectRule;

/** The descriptive part of a rule, also what `--list-rules` prints and SARIF's `rules[]` holds. */
export interface RuleMetadata {
  /**
   * Stable id, never reused: `DK-TF-001`, `DK-K8S-001`, `DK-CI-001`, `DK-X-001` for the built-in rules.
   * A team's rule uses its own prefix (`DK-` is reserved): upper-case letters and digits in parts
   * joined by `-`, e.g. `ACME-K8S-001`. Suppressions name it.
   */
  readonly id: string;
  /** Short PascalCase name (SARIF `name`), e.g. `DeploymentHasTeamLabel`. */
  readonly name: string;
  /** `error` fails `check` by default; `warning` only with `--severity warning`. */
  readonly severity: Severity;
  /** The output it reads; a SARIF tag. */
  readonly layer: RuleLayer;
  /** What must hold, as one sentence; the finding's message unless it gives its own. */
  readonly title: string;
  /** Default fix hint, unless a finding gives its own. */
  readonly fix: string;
  /** Equivalent upstream rules. A team's rule may leave it out. @default [] */
  readonly upstream: readonly UpstreamReference[];
  /** Documentation of the requirement (an http(s) URL; SARIF `helpUri`). */
  readonly helpUri: string;
}

/** One reported problem. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly title: string;
  /** Environment the finding belongs to; undefined for project-wide files. */
  readonly environment: string | undefined;
  readonly target: string;
  readonly value: string;
  readonly message: string;
  readonly fix: string;
  /** File holding the target (see {@link FindingInput.file}). */
  readonly file: string | undefined;
  readonly upstream: readonly UpstreamReference[];
}

/** A finding silenced by a reviewed suppression. */
export interface SuppressedFinding extends Finding {
  /** The suppression's reason. */
  readonly reason: string;
}

/** The result of a check run. */
export interface CheckReport {
  /** Unsuppressed findings, sorted. */
  readonly findings: readonly Finding[];
  /** Suppressed findings with their reasons, sorted. */
  readonly suppressed: readonly SuppressedFinding[];
  /** Things the run could not look at, e.g. absent pipeline files. */
  readonly notes: readonly string[];
  /** Environments checked, in definition order. */
  readonly environments: readonly string[];
  /** Every rule that ran (for SARIF and listings). */
  readonly rules: readonly RuleMetadata[];
}
