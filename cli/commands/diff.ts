import { buildDiffReport } from '../diff/build-report';
import { hasChanges, type DiffReport } from '../diff/report';
import { renderMarkdown } from '../diff/render-markdown';
import { renderText } from '../diff/render-text';
import type { Command } from '../main';
import { UsageError } from '../usage-error';

const FORMATS = ['markdown', 'json', 'text'] as const;
const FAIL_ON = ['risky', 'any'] as const;

/** Exit code of `deploykit diff` for a report: 1 when `--fail-on` is hit, else 0. */
export function diffExitCode(report: DiffReport, failOn: (typeof FAIL_ON)[number] | undefined): number {
  if (failOn === 'any' && hasChanges(report)) return 1;
  if (failOn === 'risky' && report.totals.risky > 0) return 1;
  return 0;
}

/** `deploykit diff`: a reviewable, risk-flagged report of what changes between two synth outputs. */
export const diffCommand: Command = {
  summary: 'compare two synth outputs (directories or git refs) and flag risky changes',
  usage: `Usage: deploykit diff --base <dir|git-ref> [--head <dir|git-ref>] [--env <name>]... [--image-tag <tag>]
                      [--config <file>] [--format markdown|json|text] [--fail-on risky|any]

  --base <dir|ref>    synth output directory (holds manifest.json) or git ref synthesized in a temporary worktree
  --head <dir|ref>    the same for the new side (default: the working tree, synthesized)
  --env <name>        environment to compare (repeatable; default: all)
  --image-tag <tag>   image tag for every synthesized side (default: each service's image.tag)
  --config <file>     definitions for every synthesized side (default: built-in example)
  --format <format>   markdown (merge-request note), text or json (default: markdown)
  --fail-on <what>    exit 1 when the report has risky changes, or any change (default: never)

The gate: exit 1 when --fail-on is hit.`,
  options: {
    base: { type: 'string' },
    head: { type: 'string' },
    env: { type: 'string', multiple: true },
    'image-tag': { type: 'string' },
    config: { type: 'string' },
    format: { type: 'string', default: 'markdown' },
    'fail-on': { type: 'string' },
  },
  run(values) {
    const format = values.format as string;
    const failOn = values['fail-on'] as string | undefined;
    if (!FORMATS.includes(format as (typeof FORMATS)[number])) throw new UsageError(`--format must be markdown, json or text, not ${JSON.stringify(format)}`);
    if (failOn !== undefined && !FAIL_ON.includes(failOn as (typeof FAIL_ON)[number])) {
      throw new UsageError(`--fail-on must be risky or any, not ${JSON.stringify(failOn)}`);
    }
    if (typeof values.base !== 'string' || values.base === '') throw new UsageError('--base is required: a synth output directory or a git ref such as origin/main');
    const report = buildDiffReport({
      base: values.base,
      head: values.head as string | undefined,
      environments: values.env as string[] | undefined,
      imageTag: values['image-tag'] as string | undefined,
      config: values.config as string | undefined,
      onWarning: (message) => process.stderr.write(`deploykit diff: warning: ${message}\n`),
    });
    const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'text' ? renderText(report) : renderMarkdown(report);
    process.stdout.write(text);
    return diffExitCode(report, failOn as (typeof FAIL_ON)[number] | undefined);
  },
};
