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

/** Who may assume a role through EKS Pod Identity: one ServiceAccount in one namespace of one cluster. */
export interface PodIdentityTrust {
  /** AWS account id of the cluster (pins `aws:SourceAccount`). */
  readonly account: string;
  /** ARN of the EKS cluster (pins `aws:SourceArn` and the `eks-cluster-arn` session tag). */
  readonly clusterArn: string;
  /** Kubernetes namespace of the ServiceAccount. */
  readonly namespace: string;
  /** Kubernetes ServiceAccount of the pods. */
  readonly serviceAccount: string;
}

/**
 * Trust policy of a role assumed through EKS Pod Identity: only the Pod Identity service, for the
 * given ServiceAccount, namespace and cluster (session tags the agent sets), in the given account.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html
 */
export function podIdentityTrustPolicy(trust: PodIdentityTrust): string {
  return trustPolicy([
    {
      sid: 'EksPodIdentity',
      principal: { Service: 'pods.eks.amazonaws.com' },
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      conditions: {
        StringEquals: {
          'aws:SourceAccount': trust.account,
          'aws:RequestTag/eks-cluster-arn': trust.clusterArn,
          'aws:RequestTag/kubernetes-namespace': trust.namespace,
          'aws:RequestTag/kubernetes-service-account': trust.serviceAccount,
        },
        ArnEquals: { 'aws:SourceArn': trust.clusterArn },
      },
    },
  ]);
}
