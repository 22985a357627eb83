/**
 * The Markdown rendering of a diff report, for a GitLab merge-request note or a GitHub pull-request
 * comment: heading, summary, risky changes first, then one collapsible `<details>` per environment.
 * It stays under the comment size limits (GitHub: 65,536 characters) and says when it was cut.
 */
import type { DiffReport, ItemChange } from './report';
import { environmentSummary, itemHeading, itemLines, riskyItems, totalSummary } from './report-lines';

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** Longest report in characters, truncation notice included. @default 65000 */
  readonly maxLength?: number;
}

/** Default size limit: below GitHub's 65,536-character comment limit. */
export const MARKDOWN_MAX_LENGTH = 65_000;

/** Room kept for closing tags and the truncation notice. */
const RESERVE = 600;

/** Keeps user-controlled text from closing a code fence or injecting HTML. */
function code(text: string): string {
  return text.replace(/```/g, '`\u200b``');
}

function inline(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** Renders the report as Markdown of at most `maxLength` characters. */
export function renderMarkdown(report: DiffReport, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? MARKDOWN_MAX_LENGTH;
  const budget = maxLength - RESERVE;
  const out: string[] = [];
  let length = 0;
  let shown = 0;
  let truncated = false;
  const total = report.environments.reduce((n, env) => n + env.terraform.length + env.kubernetes.length, 0);
  /** Appends `text` when it fits; once something did not fit, nothing else is added. */
  const add = (text: string): boolean => {
    if (truncated || length + text.length > budget) {
      truncated = true;
      return false;
    }
    out.push(text);
    length += text.length;
    return true;
  };
  /** Always appended (closing tags); accounted for by RESERVE. */
  const close = (text: string) => {
    out.push(text);
    length += text.length;
  };

  add(`## deploykit diff\n\n${inline(report.base)} → ${inline(report.head)}\n\n`);
  add(`${report.environments.map((env) => `- ${bold(environmentSummary(env))}`).join('\n')}\n- **${totalSummary(report)}**\n\n`);

  const risky = riskyItems(report);
  if (risky.length > 0) {
    add(`### ⚠️ Risky changes (${risky.length})\n\n`);
    for (const { env, item } of risky) {
      const reasons = item.risks.map((r) => `  - ${inline(r.rule)}: ${escapeText(r.reason)}`).join('\n');
      if (!add(`- **${env.name}** ${inline(itemHeading(item))}\n${reasons}\n`)) break;
    }
    add('\n');
  }

  for (const env of report.environments) {
    if (env.terraform.length + env.kubernetes.length === 0) continue;
    if (!add(`<details${env.counts.risky > 0 ? ' open' : ''}><summary>${summaryHtml(environmentSummary(env))}</summary>\n\n`)) break;
    for (const [title, items] of [['Terraform', env.terraform], ['Kubernetes', env.kubernetes]] as const) {
      if (items.length === 0) continue;
      if (!add(`**${title}**\n\n\`\`\`diff\n`)) break;
      for (const item of items) {
        if (!add(itemBlock(item))) break;
        shown++;
      }
      close('```\n\n');
      if (truncated) break;
    }
    close('</details>\n\n');
    if (truncated) break;
  }
  if (truncated) {
    close(
      `> **Report truncated** at ${maxLength.toLocaleString('en-US')} characters: ${shown} of ${total} changes shown in detail. ` +
        'Run `deploykit diff --format text` or `--format json` for the whole report.\n',
    );
  }
  return out.join('');
}

function itemBlock(item: ItemChange): string {
  return `${itemLines(item).map(code).join('\n')}\n`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `prod: …` → `**prod**: …` */
function bold(summary: string): string {
  const colon = summary.indexOf(': ');
  return `**${escapeText(summary.slice(0, colon))}**${escapeText(summary.slice(colon))}`;
}

/** `prod: …` → `<b>prod</b>: …` */
function summaryHtml(summary: string): string {
  const colon = summary.indexOf(': ');
  return `<b>${escapeText(summary.slice(0, colon))}</b>${escapeText(summary.slice(colon))}`;
}
