/**
 * GitLab Code Quality output (`--format codequality`): the unsuppressed findings as a JSON array of
 * issues GitLab shows in merge requests and the pipeline's Code Quality tab (`artifacts:reports:codequality`).
 * Each issue has a stable fingerprint, so GitLab can tell new findings from fixed ones between pipelines.
 * @see https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
 */
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../types';
import type { CheckReport } from '../types';

/** Options of {@link formatCodeQuality}. */
export interface CodeQualityOptions {
  /**
   * Prefix for file paths relative to the synth output, e.g. `dist`.
   * @default - paths stay relative to the synth output
   */
  readonly outputPrefix?: string;
}

/** One GitLab Code Quality issue. */
export interface CodeQualityIssue {
  readonly description: string;
  readonly check_name: string;
  readonly fingerprint: string;
  readonly severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  readonly location: { readonly path: string; readonly lines: { readonly begin: number } };
}

const SEVERITY: Record<Severity, CodeQualityIssue['severity']> = { error: 'critical', warning: 'minor' };

/** The file a finding points at, relative to the project root (GitLab links it in the merge request). */
function path(f: Finding, prefix: string | undefined, ciRules: ReadonlySet<string>): string {
  const dir = prefix?.replace(/\/+$/, '');
  // Pipeline files (what rules of the `ci` layer read) are relative to the project root already; synth files to the output directory.
  if (f.file && (f.ruleId.startsWith('DK-CI-') || ciRules.has(f.ruleId) || !dir)) return f.file;
  if (f.file) return `${dir}/${f.file}`;
  return f.environment && dir ? `${dir}/${f.environment}` : (dir ?? '.');
}

/** The line a finding names (`line 12: …` in the value of pipeline-text rules), else 1. */
function line(f: Finding): number {
  const match = /^line (\d+):/.exec(f.value);
  return match ? Number(match[1]) : 1;
}

/** Formats a report's unsuppressed findings as a GitLab Code Quality report. */
export function formatCodeQuality(report: CheckReport, options: CodeQualityOptions = {}): string {
  const ciRules = new Set(report.rules.filter((r) => r.layer === 'ci').map((r) => r.id));
  const issues: CodeQualityIssue[] = report.findings.map((f) => ({
    description: `${f.ruleId} ${f.environment ? `[${f.environment}] ` : ''}${f.target}: ${f.message} (${f.value}). Fix: ${f.fix}`,
    check_name: f.ruleId,
    fingerprint: createHash('md5').update(`${f.ruleId}|${f.environment ?? ''}|${f.target}|${f.value}`).digest('hex'),
    severity: SEVERITY[f.severity],
    location: { path: path(f, options.outputPrefix, ciRules), lines: { begin: line(f) } },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}
