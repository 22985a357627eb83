/** Human-readable output of `deploykit check`: one block per finding, then suppressions, notes and a summary. */
import type { CheckReport, Finding } from '../types';

function upstream(f: Finding): string {
  return f.upstream.length ? `\n      upstream: ${f.upstream.map((u) => `${u.tool} ${u.id}`).join(', ')}` : '';
}

function line(f: Finding): string {
  const where = `${f.environment ? `${f.environment} ` : ''}${f.target}`;
  return `  ${f.severity.toUpperCase().padEnd(7)} ${f.ruleId.padEnd(10)} ${where}\n      ${f.message}: ${f.value}\n      fix: ${f.fix}${upstream(f)}`;
}

/** Formats a report as text for a terminal. */
export function formatTable(report: CheckReport): string {
  const out: string[] = [];
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  out.push(`deploykit check: ${report.environments.join(', ')} — ${report.rules.length} rules`);
  if (report.findings.length > 0) out.push('', 'Findings:', ...report.findings.map(line));
  if (report.suppressed.length > 0) {
    out.push('', 'Suppressed:', ...report.suppressed.map((s) => `  ${s.ruleId.padEnd(10)} ${s.environment ? `${s.environment} ` : ''}${s.target}: ${s.value}\n      reason: ${s.reason}`));
  }
  if (report.notes.length > 0) out.push('', 'Notes:', ...report.notes.map((n) => `  - ${n}`));
  out.push('', `${errors} error(s), ${warnings} warning(s), ${report.suppressed.length} suppressed`);
  return `${out.join('\n')}\n`;
}
