/**
 * The error a rule's check function turns into when it throws: it names the rule, so a team sees which
 * of its rules failed instead of a stack trace from inside the engine.
 */

/** Thrown by the engine when a rule's `check` throws; the original error is its `cause`. */
export class RuleCheckError extends Error {
  /** Id of the rule whose check threw. */
  readonly ruleId: string;

  /**
   * @param ruleId the rule that threw
   * @param where what it was checking: `environment 'dev'` or `the project`
   * @param cause what it threw
   */
  constructor(ruleId: string, where: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`rule ${ruleId} threw while checking ${where}: ${reason}; fix the rule's check function`, { cause });
    this.name = 'RuleCheckError';
    this.ruleId = ruleId;
    if (cause instanceof Error && cause.stack) this.stack = `${this.name}: ${this.message}\nCaused by: ${cause.stack}`;
  }
}
