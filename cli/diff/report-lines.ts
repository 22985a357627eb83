/** Lines shared by the text and Markdown renderings: summaries, items, field changes and risk flags. */
import { MASKED } from './sensitive-values';
import type { ChangeCounts, DiffReport, EnvironmentDiff, FieldChange, ItemChange } from './report';

/** Longest value shown on a line before it is cut with `…`. */
const MAX_VALUE_LENGTH = 160;

/** A value as one line of JSON; `(sensitive)` unquoted; long values cut. */
export function formatValue(value: unknown): string {
  if (value === MASKED) return MASKED;
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

/** `2 changed, 1 added, 0 removed · 1 risky` (moved only when there are any). */
export function formatCounts(counts: ChangeCounts): string {
  const moved = counts.moved > 0 ? `, ${counts.moved} moved` : '';
  return `${counts.changed} changed, ${counts.added} added, ${counts.removed} removed${moved} · ${counts.risky} risky`;
}

const hasItems = (env: EnvironmentDiff) => env.terraform.length + env.kubernetes.length > 0;

/** `prod: 2 changed, 1 added, 0 removed · 1 risky`, or `prod: No changes.` */
export function environmentSummary(env: EnvironmentDiff): string {
  const status = env.status === 'added' ? ' (new environment)' : env.status === 'removed' ? ' (environment removed)' : '';
  return `${env.name}${status}: ${hasItems(env) ? formatCounts(env.counts) : 'No changes.'}`;
}

/** `total: …` over every environment, or `No changes.` */
export function totalSummary(report: DiffReport): string {
  return report.environments.some(hasItems) ? `total: ${formatCounts(report.totals)}` : 'No changes.';
}

const SIGN: Record<ItemChange['action'], string> = { added: '+', removed: '-', changed: '~', moved: '>' };

/** The heading line of an item: `~ aws_vpc.Vpc`, `> aws_vpc.Network (moved from aws_vpc.Vpc)`. */
export function itemHeading(item: ItemChange): string {
  const moved = item.action === 'moved' ? ` (moved from ${item.movedFrom})` : '';
  return `${SIGN[item.action]} ${item.address}${moved}`;
}

/** One field change: `~ cidr_block: "10.30.0.0/16" → "10.40.0.0/16"`. */
export function fieldLine(field: FieldChange): string {
  switch (field.action) {
    case 'added':
      return `+ ${field.path}: ${formatValue(field.after)}`;
    case 'removed':
      return `- ${field.path}: ${formatValue(field.before)}`;
    default:
      return `~ ${field.path}: ${formatValue(field.before)} → ${formatValue(field.after)}`;
  }
}

/** Every line of an item: heading, indented field changes, indented risk flags (`! rule: reason`). */
export function itemLines(item: ItemChange): string[] {
  return [
    itemHeading(item),
    ...item.fields.map((f) => `    ${fieldLine(f)}`),
    ...item.risks.map((r) => `    ! ${r.rule}: ${r.reason}`),
  ];
}

/** Every risky item of the report with its environment, risky environments in report order. */
export function riskyItems(report: DiffReport): { env: EnvironmentDiff; item: ItemChange }[] {
  return report.environments.flatMap((env) => [...env.terraform, ...env.kubernetes].filter((item) => item.risks.length > 0).map((item) => ({ env, item })));
}
