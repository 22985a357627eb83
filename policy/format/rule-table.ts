/** The rule table (`deploykit check --list-rules`), as Markdown for docs/check.md or as plain text. */
import type { RuleMetadata } from '../types';

const escape = (text: string) => text.replace(/\|/g, '\\|');

/** A Markdown table of the rules: id, severity, title, upstream equivalents. */
export function ruleTableMarkdown(rules: readonly RuleMetadata[]): string {
  const rows = rules.map(
    (r) => `| \`${r.id}\` | ${r.severity} | ${escape(r.title)} | ${r.upstream.length ? escape(r.upstream.map((u) => `${u.tool} ${u.id}`).join(', ')) : '—'} |`,
  );
  return `| id | severity | rule | upstream equivalent |\n|---|---|---|---|\n${rows.join('\n')}\n`;
}

/** One line per rule for a terminal. */
export function ruleTableText(rules: readonly RuleMetadata[]): string {
  return `${rules.map((r) => `${r.id.padEnd(11)} ${r.severity.padEnd(8)} ${r.title}`).join('\n')}\n`;
}
