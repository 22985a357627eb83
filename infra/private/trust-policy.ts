/**
 * Trust (assume-role) policies. Principals are services or OIDC providers, never `*`.
 * @internal
 */
import type { PolicyConditions } from '../policy-statement';

/** One trust statement. */
export interface TrustStatement {
  readonly sid: string;
  readonly principal: { readonly Service: string } | { readonly Federated: string };
  readonly actions: readonly string[];
  readonly conditions?: PolicyConditions;
}

/** The trust policy document as a JSON string. */
export function trustPolicy(statements: readonly TrustStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: 'Allow',
      Principal: s.principal,
      Action: s.actions.length === 1 ? s.actions[0] : [...s.actions],
      ...(s.conditions ? { Condition: s.conditions } : {}),
    })),
  });
}

/**
 * Trust policy letting one AWS service assume the role. Pass `conditions` where the service sends
 * `aws:SourceAccount`/`aws:SourceArn` (confused-deputy protection).
 */
export function serviceTrustPolicy(service: string, conditions?: PolicyConditions): string {
  return trustPolicy([{ sid: 'AssumedByService', principal: { Service: service }, actions: ['sts:AssumeRole'], conditions }]);
}
