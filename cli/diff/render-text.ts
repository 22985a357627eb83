/** The terminal rendering of a diff report. */
import type { DiffReport } from './report';
import { environmentSummary, itemHeading, itemLines, riskyItems, totalSummary } from './report-lines';

/** Plain text: summaries, risky changes first, then every environment's changes. */
export function renderText(report: DiffReport): string {
  const lines = [`deploykit diff ${report.base} → ${report.head}`, ''];
  lines.push(...report.environments.map(environmentSummary), totalSummary(report));
  const risky = riskyItems(report);
  if (risky.length > 0) {
    lines.push('', `Risky changes (${risky.length}):`);
    for (const { env, item } of risky) {
      lines.push(`  ${env.name}: ${itemHeading(item)}`, ...item.risks.map((r) => `      ! ${r.rule}: ${r.reason}`));
    }
  }
  for (const env of report.environments) {
    if (env.terraform.length + env.kubernetes.length === 0) continue;
    lines.push('', `== ${env.name}${env.production ? ' (production)' : ''} ==`);
    for (const [title, items] of [['Terraform', env.terraform], ['Kubernetes', env.kubernetes]] as const) {
      if (items.length === 0) continue;
      lines.push(`${title}:`, ...items.flatMap((item) => itemLines(item).map((l) => `  ${l}`)));
    }
  }
  return `${lines.join('\n')}\n`;
}
