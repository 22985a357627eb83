/**
 * An inline role policy that collects statements and renders them at synth time. The
 * `aws_iam_role_policy` is created with the first statement, so a role without permissions has
 * no policy at all.
 * @internal
 */
import { IamRolePolicy, Lazy } from '../vendor/terraform';
import type { Construct } from 'constructs';
import { propIssue } from '../../config';
import { policyDocument, type PolicyStatement } from '../policy-statement';
import { throwIfInvalidArguments } from './invalid-arguments';

export class InlinePolicy {
  private readonly statements: PolicyStatement[] = [];
  private resource: IamRolePolicy | undefined;

  constructor(
    private readonly scope: Construct,
    private readonly id: string,
    private readonly roleId: string,
    private readonly policyName: string,
  ) {}

  /** Adds a statement; an identical statement is kept once, a different one with the same `sid` is an error. */
  public add(statement: PolicyStatement): void {
    const existing = this.statements.find((s) => s.sid === statement.sid);
    if (existing) {
      if (JSON.stringify(existing) === JSON.stringify(statement)) return;
      throwIfInvalidArguments(this.scope, 'addToPolicy', [
        propIssue(this.scope, { field: 'sid', value: statement.sid, rule: 'is already used by a different statement', fix: 'give each statement its own sid' }),
      ]);
    }
    this.statements.push(statement);
    this.resource ??= new IamRolePolicy(this.scope, this.id, {
      name: this.policyName,
      role: this.roleId,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
  }

  /** The statements added so far. */
  public get all(): readonly PolicyStatement[] {
    return this.statements;
  }
}
