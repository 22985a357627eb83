import { relative } from 'node:path';
import { loadDefinitions } from '../../config';
import type { Command } from '../main';
import { UsageError } from '../usage-error';

const FORMATS = ['table', 'json', 'sarif', 'codequality', 'markdown'] as const;
const SEVERITIES = ['error', 'warning'] as const;

/** `deploykit check`: policy and cross-layer guardrails over the synth output and pipeline files. */
export const checkCommand: Command = {
  summary: "check the synthesized output against built-in policy and cross-layer rules (and the --config module's checkRules)",
  usage: `Usage: deploykit check [--env <name>]... [--config <file>] [--dir <synth output>] [--format table|json|sarif|codequality] [--severity error|warning]
       deploykit check --list-rules [--format table|markdown|json]

  --env <name>          environment to check (repeatable) (default: all)
  --config <file>       definitions: .ts/.js module or .json/.yaml file (default: built-in example);
                        a module's checkRules export adds the team's own rules
  --dir <dir>           existing synth output to check (default: synthesize into a temporary directory first)
  --project-dir <dir>   project root holding .gitlab-ci.yml and .github/workflows/deploy.yml (default: .)
  --image-tag <tag>     image tag to synthesize with when --dir is not given (default: each service's image.tag)
  --date <YYYY-MM-DD>   day the date-dependent rules (EKS support windows) judge, at 00:00 UTC (default: now)
  --format <format>     table, json, sarif (SARIF 2.1.0 for GitHub code scanning) or codequality
                        (GitLab Code Quality report) (default: table)
  --severity <level>    lowest severity that fails the run: error or warning (default: error)
  --list-rules          print the rules (with --config: and the team's) instead of checking

The gate: exit 1 when an unsuppressed finding is at or above --severity.`,
  options: {
    env: { type: 'string', multiple: true },
    config: { type: 'string' },
    dir: { type: 'string' },
    'project-dir': { type: 'string', default: '.' },
    'image-tag': { type: 'string' },
    date: { type: 'string' },
    format: { type: 'string', default: 'table' },
    severity: { type: 'string', default: 'error' },
    'list-rules': { type: 'boolean', default: false },
  },
  run(values) {
    const format = values.format as string;
    const severity = values.severity as string;
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format (${JSON.stringify(format)}) must be one of ${FORMATS.join(', ')}`);
    if (!(SEVERITIES as readonly string[]).includes(severity)) throw new UsageError(`--severity (${JSON.stringify(severity)}) must be error or warning`);
    if (format === 'codequality' && values['list-rules']) throw new UsageError('--format codequality is not for --list-rules; use table, markdown or json');

    if (values['list-rules']) {
      const { builtInRules } = require('../../policy/registry') as typeof import('../../policy/registry');
      const { metadataOf } = require('../../policy/engine') as typeof import('../../policy/engine');
      const { unusedSuppressionRule } = require('../../policy/rules/check-suppressions') as typeof import('../../policy/rules/check-suppressions');
      const { loadTeamRules } = require('../../policy/team-rules') as typeof import('../../policy/team-rules');
      const rules = [...builtInRules(), unusedSuppressionRule, ...loadTeamRules(values.config as string | undefined)].map(metadataOf);
      const table = require('../../policy/format/rule-table') as typeof import('../../policy/format/rule-table');
      const text = format === 'markdown' ? table.ruleTableMarkdown(rules) : format === 'json' ? `${JSON.stringify(rules, null, 2)}\n` : table.ruleTableText(rules);
      process.stdout.write(text);
      return 0;
    }
    if (format === 'markdown') throw new UsageError('--format markdown is only for --list-rules; use table, json, sarif or codequality');
    const now = values.date === undefined ? undefined : parseDateOption(values.date as string);

    const { runCheck } = require('../../policy/run-check') as typeof import('../../policy/run-check');
    const defs = loadDefinitions(values.config as string | undefined);
    const report = runCheck(defs, {
      environments: values.env as string[] | undefined,
      dir: values.dir as string | undefined,
      projectRoot: values['project-dir'] as string,
      imageTag: values['image-tag'] as string | undefined,
      configFile: values.config as string | undefined,
      now,
    });
    const dir = values.dir as string | undefined;
    const prefix = dir === undefined ? undefined : relative(process.cwd(), dir).split('\\').join('/') || '.';
    if (format === 'json') process.stdout.write((require('../../policy/format/json') as typeof import('../../policy/format/json')).formatJson(report));
    else if (format === 'codequality') {
      process.stdout.write((require('../../policy/format/codequality') as typeof import('../../policy/format/codequality')).formatCodeQuality(report, { outputPrefix: prefix }));
    } else if (format === 'sarif') {
      const version = (require('../../package.json') as { version: string }).version;
      process.stdout.write((require('../../policy/format/sarif') as typeof import('../../policy/format/sarif')).formatSarif(report, { outputPrefix: prefix, version }));
    } else process.stdout.write((require('../../policy/format/table') as typeof import('../../policy/format/table')).formatTable(report));
    const { failsAt } = require('../../policy/engine') as typeof import('../../policy/engine');
    return failsAt(report, severity as 'error' | 'warning') ? 1 : 0;
  },
};

/** `--date`: a real calendar day as `YYYY-MM-DD`, at its start in UTC. */
function parseDateOption(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UsageError(`--date (${JSON.stringify(value)}) must be a calendar day as YYYY-MM-DD, e.g. 2026-12-02`);
  }
  return date;
}
