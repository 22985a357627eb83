/**
 * The method counterpart of `throwIfInvalidProps`: one {@link ValidationError} listing every problem
 * with the arguments of a construct's method (`allowApiAccessFrom`, `addAccessEntry`, …).
 * @internal
 */
import type { IConstruct } from 'constructs';
import { ValidationError, type ValidationIssue } from '../../config';

/** Throws when there are issues; the subject names the class, the method and the construct path. */
export function throwIfInvalidArguments(construct: IConstruct, method: string, issues: readonly ValidationIssue[]): void {
  if (issues.length === 0) return;
  throw new ValidationError(issues, { subject: `arguments of ${construct.constructor.name}.${method} at ${construct.node.path || '(root)'}` });
}
