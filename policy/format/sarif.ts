/**
 * SARIF 2.1.0 output (`--format sarif`) for GitHub code scanning: one run, the rules as
 * `tool.driver.rules`, findings as results with the file and the logical target, suppressed
 * findings as results carrying an external suppression with its reason.
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * @see https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
 */
import type { CheckReport, Finding, SuppressedFinding } from '../types';

/** Options of {@link formatSarif}. */
export interface SarifOptions {
  /** Prefix for file paths relative to the synth output, e.g. `dist`. @default - paths stay relative to the synth output */
  readonly outputPrefix?: string;
  /** The tool version. @default "0.0.0" */
  readonly version?: string;
}

function uri(file: string, f: Finding, prefix: string | undefined, ciRules: ReadonlySet<string>): string {
  // Pipeline files (what rules of the `ci` layer read) are relative to the project root already; synth files to the output directory.
  if (f.ruleId.startsWith('DK-CI-') || ciRules.has(f.ruleId) || !prefix) return file;
  return `${prefix.replace(/\/+$/, '')}/${file}`;
}

function result(f: Finding | SuppressedFinding, ruleIndex: number, prefix: string | undefined, ciRules: ReadonlySet<string>) {
  const text = `${f.environment ? `[${f.environment}] ` : ''}${f.target}: ${f.message} (${f.value}). Fix: ${f.fix}`;
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.severity,
    message: { text },
    locations: [
      {
        ...(f.file ? { physicalLocation: { artifactLocation: { uri: uri(f.file, f, prefix, ciRules) } } } : {}),
        logicalLocations: [{ fullyQualifiedName: f.environment ? `${f.environment}/${f.target}` : f.target, kind: 'resource' }],
      },
    ],
    partialFingerprints: { 'deploykitTarget/v1': `${f.ruleId}|${f.environment ?? ''}|${f.target}|${f.value}` },
    ...('reason' in f ? { suppressions: [{ kind: 'external', status: 'accepted', justification: f.reason }] } : {}),
  };
}

/** Formats a report as a SARIF 2.1.0 log. */
export function formatSarif(report: CheckReport, options: SarifOptions = {}): string {
  const index = new Map(report.rules.map((r, i) => [r.id, i]));
  const ciRules = new Set(report.rules.filter((r) => r.layer === 'ci').map((r) => r.id));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'deploykit check',
            version: options.version ?? '0.0.0',
            informationUri: 'https://github.com/company/deploykit/blob/main/docs/check.md',
            rules: report.rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.title },
              fullDescription: { text: `${r.title}. Fix: ${r.fix}` },
              helpUri: r.helpUri,
              help: { text: `Fix: ${r.fix}` },
              defaultConfiguration: { level: r.severity },
              properties: {
                tags: [r.layer, ...r.upstream.map((u) => `${u.tool}:${u.id}`)],
                upstream: r.upstream.map((u) => `${u.tool} ${u.id}`),
              },
            })),
          },
        },
        results: [
          ...report.findings.map((f) => result(f, index.get(f.ruleId) ?? -1, options.outputPrefix, ciRules)),
          ...report.suppressed.map((f) => result(f, index.get(f.ruleId) ?? -1, options.outputPrefix, ciRules)),
        ],
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
