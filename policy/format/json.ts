/** Machine-readable output of `deploykit check` (`--format json`). */
import type { CheckReport } from '../types';

/** Formats a report as a JSON document: summary, findings, suppressed findings (with reasons) and notes. */
export function formatJson(report: CheckReport): string {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  return `${JSON.stringify(
    {
      generator: 'deploykit check',
      environments: report.environments,
      summary: { errors, warnings: report.findings.length - errors, suppressed: report.suppressed.length },
      findings: report.findings,
      suppressed: report.suppressed,
      notes: report.notes,
    },
    null,
    2,
  )}\n`;
}
