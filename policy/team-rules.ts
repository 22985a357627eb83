/**
 * A team's own rules: the `checkRules` export of a definitions module (`deploykit check --config
 * team.ts`). They are validated once, at load, and then run like the built-in ones.
 */
import { DefinitionsFileError, readModuleExports } from '../config';
import { RULE_ID_REGEX } from '../config/schema';
import type { Rule, RuleLayer, Severity } from './types';

/** The id prefix of deploykit's built-in rules; a team's rule may not use it. */
export const BUILT_IN_RULE_PREFIX = 'DK-';

const SEVERITIES: readonly Severity[] = ['error', 'warning'];
const SCOPES: readonly Rule['scope'][] = ['environment', 'project'];
const LAYERS: readonly RuleLayer[] = ['terraform', 'kubernetes', 'ci', 'cross-layer', 'check'];

const quote = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);
const oneOf = (values: readonly string[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/**
 * The problems of a `checkRules` value, one message each (field path, value, rule, fix); empty when
 * every rule is usable.
 */
export function teamRuleIssues(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [`the 'checkRules' export (${quote(value)}) must be an array of rules; export checkRules: Rule[] or remove it`];
  }
  const issues: string[] = [];
  const firstIndexOf = new Map<string, number>();
  value.forEach((rule: unknown, i) => {
    const at = `checkRules[${i}]`;
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
      issues.push(`${at} (${quote(rule)}) must be a rule object with id, name, scope, severity, layer, title, fix, helpUri and check`);
      return;
    }
    const r = rule as Record<string, unknown>;
    if (typeof r.id !== 'string' || !RULE_ID_REGEX.test(r.id)) {
      issues.push(`${at}.id (${quote(r.id)}) must be upper-case letters and digits in parts joined by "-" (${RULE_ID_REGEX.source}); use your organisation's prefix, e.g. "ACME-K8S-001"`);
    } else if (r.id.startsWith(BUILT_IN_RULE_PREFIX)) {
      issues.push(`${at}.id (${quote(r.id)}) must not start with "${BUILT_IN_RULE_PREFIX}", which is reserved for deploykit's built-in rules; use your organisation's prefix, e.g. "ACME-K8S-001"`);
    } else if (firstIndexOf.has(r.id)) {
      issues.push(`${at}.id (${quote(r.id)}) is already the id of checkRules[${firstIndexOf.get(r.id)}]; give each rule its own id`);
    } else {
      firstIndexOf.set(r.id, i);
    }
    for (const field of ['name', 'title', 'fix'] as const) {
      if (typeof r[field] !== 'string' || (r[field] as string).trim() === '') issues.push(`${at}.${field} (${quote(r[field])}) must be a non-empty string`);
    }
    if (!SCOPES.includes(r.scope as Rule['scope'])) issues.push(`${at}.scope (${quote(r.scope)}) must be one of ${oneOf(SCOPES)}`);
    if (!SEVERITIES.includes(r.severity as Severity)) issues.push(`${at}.severity (${quote(r.severity)}) must be one of ${oneOf(SEVERITIES)}`);
    if (!LAYERS.includes(r.layer as RuleLayer)) issues.push(`${at}.layer (${quote(r.layer)}) must be one of ${oneOf(LAYERS)}`);
    if (typeof r.helpUri !== 'string' || !/^https?:\/\/\S+$/.test(r.helpUri)) {
      issues.push(`${at}.helpUri (${quote(r.helpUri)}) must be an http(s) URL documenting the requirement, e.g. your wiki page for the rule`);
    }
    if (r.upstream !== undefined && !(Array.isArray(r.upstream) && r.upstream.every((u) => typeof u?.tool === 'string' && typeof u?.id === 'string'))) {
      issues.push(`${at}.upstream (${quote(r.upstream)}) must be a list of { tool, id } strings, e.g. [{ tool: 'Checkov', id: 'CKV_K8S_21' }], or left out`);
    }
    if (typeof r.check !== 'function') {
      issues.push(`${at}.check (${quote(r.check)}) must be a function returning the findings, e.g. *check(ctx) { yield { target, value } }`);
    }
  });
  return issues;
}

/**
 * Validates a `checkRules` value and returns the rules, each with `upstream` defaulting to `[]`.
 * @param source the definitions module, named in the error
 * @throws DefinitionsFileError listing every problem
 */
export function validateTeamRules(value: unknown, source: string): readonly Rule[] {
  const issues = teamRuleIssues(value);
  if (issues.length === 1) throw new DefinitionsFileError(source, issues[0]);
  if (issues.length > 1) throw new DefinitionsFileError(source, `${issues.length} problems in 'checkRules':\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  // A rule left without `upstream` gets [] on an object inheriting the rest (also a class instance's check method).
  return (value as Rule[]).map((rule) => (rule.upstream === undefined ? (Object.assign(Object.create(rule), { upstream: [] }) as Rule) : rule));
}

/**
 * The `checkRules` export of a definitions module, validated.
 * @returns [] when there is no definitions module or it has no such export
 * @throws DefinitionsFileError when a rule is unusable (see {@link teamRuleIssues})
 */
export function loadTeamRules(configFile?: string): readonly Rule[] {
  const value = readModuleExports(configFile).checkRules;
  return value === undefined ? [] : validateTeamRules(value, configFile as string);
}
