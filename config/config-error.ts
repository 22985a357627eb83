import type { ConfigIssue } from './issue-format';

/**
 * Thrown when environment definitions are invalid. `issues` holds every problem found, each with
 * its path and a message naming the field, the value received, the rule and a fix; `message`
 * lists them one per line.
 */
export class ConfigError extends Error {
  /** Every problem, in definition order, without duplicates. */
  readonly issues: readonly ConfigIssue[];

  /** @param issues every problem found; duplicates are dropped. */
  constructor(issues: readonly ConfigIssue[]) {
    const unique = new Map<string, ConfigIssue>();
    for (const issue of issues) unique.set(`${issue.path}\u0000${issue.message}`, issue);
    const sorted = [...unique.values()];
    super(
      `invalid environment definitions (${sorted.length} ${sorted.length === 1 ? 'problem' : 'problems'}):\n` +
        sorted.map((i) => `  - ${i.path}: ${i.message}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.issues = sorted;
  }
}
