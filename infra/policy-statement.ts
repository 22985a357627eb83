/**
 * IAM policy statements as plain data, rendered to JSON with `JSON.stringify` so every policy
 * deploykit writes is deterministic and reviewable in the synthesized Terraform.
 */

/** A condition block: operator (`StringEquals`) → condition key → value(s). */
export type PolicyConditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** One statement of an IAM identity policy. */
export interface PolicyStatement {
  /** Statement id, unique within a policy (letters and digits). */
  readonly sid: string;
  /** Allow or deny. @default "Allow" */
  readonly effect?: 'Allow' | 'Deny';
  /** IAM actions, e.g. `ecr:BatchGetImage`; never a wildcard. */
  readonly actions: readonly string[];
  /** Resource ARNs the actions apply to. */
  readonly resources: readonly string[];
  /** Condition block. @default - no conditions */
  readonly conditions?: PolicyConditions;
}

/** Something that holds an identity policy and accepts more statements (a role). */
export interface IPolicyHolder {
  /** Adds a statement to the holder's inline policy. Adding the same statement twice keeps one. */
  addToPolicy(statement: PolicyStatement): void;
}

/** The IAM JSON form of a statement. */
export function statementJson(statement: PolicyStatement): Record<string, unknown> {
  return {
    Sid: statement.sid,
    Effect: statement.effect ?? 'Allow',
    Action: statement.actions.length === 1 ? statement.actions[0] : [...statement.actions],
    Resource: statement.resources.length === 1 ? statement.resources[0] : [...statement.resources],
    ...(statement.conditions ? { Condition: statement.conditions } : {}),
  };
}

/** A complete policy document (`Version` 2012-10-17) as a JSON string. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements.map(statementJson) });
}

/** A statement id from free text: letters and digits only, each word capitalised (`company-web` → `CompanyWeb`). */
export function sidFrom(...parts: readonly string[]): string {
  return parts
    .flatMap((p) => p.split(/[^A-Za-z0-9]+/))
    .filter((w) => w.length > 0)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}
