/**
 * Runs rules over a loaded project, applies the environments' reviewed suppressions and sorts the
 * findings deterministically (environment in definition order, rule id, target, value).
 */
import type { ProjectContext } from './context';
import { RuleCheckError } from './rule-check-error';
import { unusedSuppressionRule } from './rules/check-suppressions';
import type { CheckReport, Finding, FindingInput, Rule, RuleMetadata, SuppressedFinding } from './types';

/** Code-point order: the same on every machine, unlike localeCompare. */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sort key order of findings. */
function compareFindings(envOrder: readonly string[]) {
  const rank = (env: string | undefined) => (env === undefined ? -1 : envOrder.indexOf(env));
  return (a: Finding, b: Finding): number =>
    rank(a.environment) - rank(b.environment) ||
    byCodePoint(a.ruleId, b.ruleId) ||
    byCodePoint(a.target, b.target) ||
    byCodePoint(a.value, b.value) ||
    byCodePoint(a.message, b.message);
}

function toFinding(rule: RuleMetadata, input: FindingInput, environment: string | undefined, defaultFile: string | undefined): Finding {
  return {
    ruleId: rule.id,
    severity: rule.severity,
    title: rule.title,
    environment,
    target: input.target,
    value: input.value,
    message: input.message ?? rule.title,
    fix: input.fix ?? rule.fix,
    file: input.file ?? defaultFile,
    upstream: rule.upstream,
  };
}

/** Runs one rule's check (`collect` iterates it); a throw becomes a {@link RuleCheckError} naming the rule. */
function evaluate(rule: RuleMetadata, where: string, collect: () => void): void {
  try {
    collect();
  } catch (err) {
    throw new RuleCheckError(rule.id, where, err);
  }
}

/**
 * Evaluates `rules` over `project`; suppressions come from each environment's definition.
 * @throws RuleCheckError when a rule's check throws
 */
export function runRules(project: ProjectContext, rules: readonly Rule[], notes: readonly string[] = []): CheckReport {
  const raw: Finding[] = [];
  for (const rule of rules) {
    if (rule.scope === 'environment') {
      for (const ctx of project.environments) {
        evaluate(rule, `environment '${ctx.env.name}'`, () => {
          for (const input of rule.check(ctx)) raw.push(toFinding(rule, input, ctx.env.name, ctx.terraformFile));
        });
      }
    } else {
      evaluate(rule, 'the project', () => {
        for (const input of rule.check(project)) raw.push(toFinding(rule, input, input.environment, input.file));
      });
    }
  }

  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const used = new Set<object>();
  for (const finding of raw) {
    const candidates = project.environments.filter((c) => finding.environment === undefined || c.env.name === finding.environment);
    const suppression = candidates
      .flatMap((c) => c.env.suppressions)
      .find((s) => s.rule === finding.ruleId && s.target === finding.target);
    if (suppression) {
      used.add(suppression);
      suppressed.push({ ...finding, reason: suppression.reason });
    } else {
      findings.push(finding);
    }
  }
  for (const ctx of project.environments) {
    ctx.env.suppressions.forEach((s, i) => {
      if (used.has(s)) return;
      findings.push(
        toFinding(
          unusedSuppressionRule,
          {
            target: `${ctx.env.name}.suppressions[${i}]`,
            value: `${s.rule} ${s.target}`,
            message: `suppression of ${s.rule} on '${s.target}' matches no finding`,
          },
          ctx.env.name,
          undefined,
        ),
      );
    });
  }
  const envOrder = project.environments.map((c) => c.env.name);
  const rulesRun: RuleMetadata[] = [...rules, unusedSuppressionRule].map(metadataOf).sort((a, b) => byCodePoint(a.id, b.id));
  return {
    findings: findings.sort(compareFindings(envOrder)),
    suppressed: suppressed.sort(compareFindings(envOrder)) as SuppressedFinding[],
    notes,
    environments: envOrder,
    rules: rulesRun,
  };
}

/** The descriptive fields of a rule (drops the check function). */
export function metadataOf(rule: RuleMetadata): RuleMetadata {
  const { id, name, severity, layer, title, fix, upstream, helpUri } = rule;
  return { id, name, severity, layer, title, fix, upstream, helpUri };
}

/** True when the report has an unsuppressed finding at or above `threshold`. */
export function failsAt(report: CheckReport, threshold: 'error' | 'warning'): boolean {
  return report.findings.some((f) => threshold === 'warning' || f.severity === 'error');
}
