/**
 * One error type for every problem deploykit finds in what it is given, in both layers: the
 * environment definitions (an issue's `path` is the definition path, e.g.
 * `prod.services.web.autoscaling`) and the props of a construct (its `path` is the construct path,
 * e.g. `prod/company-web/Deployment`). Every issue names the field, the value received, the rule
 * and a fix; a construct reports all of its problems at once.
 */
import type { IConstruct } from 'constructs';
import { show } from './issue-format';

/** One problem, in the environment definitions or in a construct's props. */
export interface ValidationIssue {
  /**
   * Where the problem is: the dotted definition path with environments named
   * (`prod.services.company-web.autoscaling`), or the construct path (`prod/company-web`).
   */
  readonly path: string;
  /** What is wrong and how to fix it, naming the field and the value received. */
  readonly message: string;
  /** The construct path, when a construct found the problem in its props. */
  readonly constructPath?: string;
  /** The field, relative to `path` (`maxReplicas`, `health.readinessPath`). */
  readonly field?: string;
  /** The value received (as given; messages show it cut to 120 characters). */
  readonly value?: unknown;
  /** How to fix it, as one instruction. */
  readonly fix?: string;
}

/** Options of {@link ValidationError}. */
export interface ValidationErrorOptions {
  /**
   * What was invalid, for the first line of the message.
   * @default "environment definitions"
   */
  readonly subject?: string;
}

/**
 * Thrown when environment definitions or construct props are invalid. `issues` holds every problem
 * found, each with its path and a message naming the field, the value received, the rule and a fix;
 * `message` lists them one per line. Nothing has been written when it is thrown.
 */
export class ValidationError extends Error {
  /** Every problem, in the order found, without duplicates. */
  readonly issues: readonly ValidationIssue[];

  /** @param issues every problem found (at least one); duplicates are dropped. */
  constructor(issues: readonly ValidationIssue[], options: ValidationErrorOptions = {}) {
    const unique = new Map<string, ValidationIssue>();
    for (const issue of issues) unique.set(`${issue.path}\u0000${issue.message}`, issue);
    const listed = [...unique.values()];
    const subject = options.subject ?? 'environment definitions';
    super(
      `invalid ${subject} (${listed.length} ${listed.length === 1 ? 'problem' : 'problems'}):\n` +
        listed.map((i) => `  - ${i.path}: ${i.message}`).join('\n'),
    );
    this.name = 'ValidationError';
    this.issues = listed;
  }
}

/** A problem with one prop of a construct: what {@link propIssue} takes. */
export interface PropProblem {
  /** The prop, dotted below the props object (`autoscaling.maxReplicas`). */
  readonly field: string;
  /** The value received. */
  readonly value: unknown;
  /** The rule it breaks, as a predicate (`must be a whole number from 1 to 10000`). */
  readonly rule: string;
  /** How to fix it (`keep at least the running release`). */
  readonly fix: string;
}

/**
 * An issue about a construct's prop, in the shape of every other:
 * `<construct path>: '<field>' (<value>) <rule>; <fix>`.
 */
export function propIssue(construct: IConstruct, problem: PropProblem): ValidationIssue {
  const path = construct.node.path;
  return {
    path,
    constructPath: path,
    field: problem.field,
    value: problem.value,
    fix: problem.fix,
    message: `'${problem.field}' (${show(problem.value)}) ${problem.rule}; ${problem.fix}`,
  };
}

/**
 * Throws one {@link ValidationError} listing every problem of a construct's props; returns when
 * there is none. Call it once, after checking every prop, so a user sees all problems in one run.
 */
export function throwIfInvalidProps(construct: IConstruct, issues: readonly ValidationIssue[]): void {
  if (issues.length === 0) return;
  const name = construct.constructor.name;
  throw new ValidationError(issues, { subject: `props of ${name} ${construct.node.path || '(root)'}` });
}
