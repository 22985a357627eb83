/**
 * IAM policy documents as the IAM rules read them, from wherever a Terraform configuration holds
 * them: a JSON string, a `${data.aws_iam_policy_document.x.json}` reference, or `inline_policy`
 * blocks. Statements are normalized to lists.
 */
import { blocks, strings, type TerraformConfig, type TerraformResource } from './terraform-config';

/** A normalized policy statement. */
export interface PolicyStatement {
  readonly sid: string | undefined;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  /** Principals by type (`Service`, `AWS`, `Federated`, or `*` for the bare wildcard). */
  readonly principals: Readonly<Record<string, readonly string[]>>;
  /** Conditions: operator → key → values. */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/** Where a policy was found: the resource and attribute, for finding targets. */
export interface LocatedPolicy {
  readonly resource: TerraformResource;
  /** `assume_role_policy`, `policy`, `inline_policy[0].policy`. */
  readonly attribute: string;
  readonly statements: readonly PolicyStatement[];
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function normalizeJsonStatement(s: Record<string, unknown>): PolicyStatement {
  const principals: Record<string, string[]> = {};
  const p = s.Principal;
  if (p === '*') principals['*'] = ['*'];
  else if (p && typeof p === 'object') for (const [k, v] of Object.entries(p)) principals[k] = list(v);
  const conditions: Record<string, Record<string, string[]>> = {};
  for (const [op, byKey] of Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
    conditions[op] = {};
    for (const [key, values] of Object.entries(byKey ?? {})) conditions[op][key] = list(values);
  }
  return {
    sid: typeof s.Sid === 'string' ? s.Sid : undefined,
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    principals,
    conditions,
  };
}

function normalizeDocumentStatement(s: Record<string, unknown>): PolicyStatement {
  const principals: Record<string, string[]> = {};
  for (const p of blocks(s.principals)) {
    const type = String(p.type);
    principals[type] = [...(principals[type] ?? []), ...strings(p.identifiers)];
  }
  const conditions: Record<string, Record<string, string[]>> = {};
  for (const c of blocks(s.condition)) {
    const op = String(c.test);
    conditions[op] = { ...(conditions[op] ?? {}), [String(c.variable)]: strings(c.values) };
  }
  return {
    sid: typeof s.sid === 'string' ? s.sid : undefined,
    effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
    actions: strings(s.actions),
    notActions: strings(s.not_actions),
    resources: strings(s.resources),
    principals,
    conditions,
  };
}

/** The statements of a policy value; undefined when it cannot be read (an expression deploykit does not evaluate). */
export function policyStatements(tf: TerraformConfig, value: unknown): PolicyStatement[] | undefined {
  const ref = tf.resolve(value, 'data.aws_iam_policy_document');
  if (ref) return blocks(ref.resource.values.statement).map(normalizeDocumentStatement);
  let doc: unknown = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const statement = (doc as Record<string, unknown>).Statement;
  return blocks(statement).map(normalizeJsonStatement);
}

/** Identity policies (what a principal may do) of the configuration, with where they are. */
export function identityPolicies(tf: TerraformConfig): LocatedPolicy[] {
  const out: LocatedPolicy[] = [];
  const add = (resource: TerraformResource, attribute: string, value: unknown) => {
    const statements = policyStatements(tf, value);
    if (statements) out.push({ resource, attribute, statements });
  };
  for (const type of ['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_user_policy', 'aws_iam_group_policy']) {
    for (const r of tf.ofType(type)) add(r, 'policy', r.values.policy);
  }
  for (const r of tf.ofType('aws_iam_role')) {
    blocks(r.values.inline_policy).forEach((p, i) => add(r, `inline_policy[${i}].policy`, p.policy));
  }
  return out;
}

/** Trust policies of every role. */
export function trustPolicies(tf: TerraformConfig): LocatedPolicy[] {
  const out: LocatedPolicy[] = [];
  for (const r of tf.ofType('aws_iam_role')) {
    const statements = policyStatements(tf, r.values.assume_role_policy);
    if (statements) out.push({ resource: r, attribute: 'assume_role_policy', statements });
  }
  return out;
}

/** True when an IAM action pattern (`ecr:*`, `ecr:Put*`) covers `action`. Case-insensitive, like IAM. */
export function actionMatches(pattern: string, action: string): boolean {
  let regex = PATTERNS.get(pattern);
  if (!regex) {
    regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
    PATTERNS.set(pattern, regex);
  }
  return regex.test(action);
}

const PATTERNS = new Map<string, RegExp>();

/** The identity policies attached to a role: inline blocks, `aws_iam_role_policy` and attached `aws_iam_policy`. */
export function policiesOfRole(tf: TerraformConfig, role: TerraformResource): LocatedPolicy[] {
  const all = identityPolicies(tf);
  const attached = tf
    .ofType('aws_iam_role_policy_attachment')
    .filter((a) => tf.refersTo(a.values.role, role))
    .map((a) => tf.resolve(a.values.policy_arn, 'aws_iam_policy')?.resource)
    .filter((p): p is TerraformResource => p !== undefined);
  return all.filter(
    (p) =>
      p.resource === role ||
      (p.resource.type === 'aws_iam_role_policy' && tf.refersTo(p.resource.values.role, role)) ||
      attached.includes(p.resource),
  );
}
