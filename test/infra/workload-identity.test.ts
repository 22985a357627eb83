import type { Construct } from 'constructs';
import { EksCluster } from '../../infra/constructs/eks-cluster';
import { WorkloadIdentity, type WorkloadIdentityProps } from '../../infra/constructs/workload-identity';
import { emptyStack, onlyResource, policyOf, resourcesOf, synthScope } from '../../testing';

const CLUSTER_ARN = 'arn:aws:eks:ap-east-1:333333333333:cluster/company-prod';

/** Props for a workload identity on a cluster another stack owns (imported into `scope`). */
function props(scope: Construct, overrides: Partial<WorkloadIdentityProps> = {}): WorkloadIdentityProps {
  return {
    roleName: 'company-prod-company-web',
    cluster: EksCluster.fromClusterAttributes(scope, 'Cluster', { clusterName: 'company-prod', account: '333333333333', region: 'ap-east-1' }),
    namespace: 'company-web',
    serviceAccount: 'company-web',
    ...overrides,
  };
}

describe('WorkloadIdentity', () => {
  test('creates a role only the ServiceAccount of the namespace on the cluster can assume through EKS Pod Identity', () => {
    const json = synthScope((scope) => new WorkloadIdentity(scope, 'Workload', props(scope)));
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('company-prod-company-web');
    expect(policyOf(role, 'assume_role_policy')).toMatchSnapshot();
    const [statement] = policyOf(role, 'assume_role_policy').Statement;
    expect(statement.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(statement.Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(statement.Condition.StringEquals).toEqual({
      'aws:SourceAccount': '333333333333',
      'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN,
      'aws:RequestTag/kubernetes-namespace': 'company-web',
      'aws:RequestTag/kubernetes-service-account': 'company-web',
    });
  });

  test('associates the role with the ServiceAccount', () => {
    const json = synthScope((scope) => new WorkloadIdentity(scope, 'Workload', props(scope)));
    const association = onlyResource(json, 'aws_eks_pod_identity_association');
    expect(association).toMatchObject({ cluster_name: 'company-prod', namespace: 'company-web', service_account: 'company-web' });
    expect(association.role_arn).toMatch(/aws_iam_role\.Workload_\w+\.arn/);
  });

  test('attaches no permissions by default', () => {
    const json = synthScope((scope) => new WorkloadIdentity(scope, 'Workload', props(scope)));
    expect(resourcesOf(json, 'aws_iam_role_policy')).toEqual({});
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment')).toEqual({});
  });

  test('addToPolicy writes the statements into one inline policy, keeping a repeated statement once', () => {
    const json = synthScope((scope) => {
      const identity = new WorkloadIdentity(scope, 'Workload', props(scope));
      const read = { sid: 'ReadBucket', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::company-assets/*'] };
      identity.addToPolicy(read);
      identity.addToPolicy(read);
      identity.addToPolicy({ sid: 'ReadQueue', actions: ['sqs:ReceiveMessage'], resources: ['arn:aws:sqs:ap-east-1:333333333333:jobs'] });
    });
    const policy = onlyResource(json, 'aws_iam_role_policy');
    expect(policy.name).toBe('workload');
    expect(policyOf(policy).Statement.map((s: any) => s.Sid)).toEqual(['ReadBucket', 'ReadQueue']);
  });

  test('tags the role and the association', () => {
    const json = synthScope((scope) => new WorkloadIdentity(scope, 'Workload', props(scope, { tags: { service: 'company-web' } })));
    expect(onlyResource(json, 'aws_iam_role').tags).toEqual({ service: 'company-web' });
    expect(onlyResource(json, 'aws_eks_pod_identity_association').tags).toEqual({ service: 'company-web' });
  });

  test('fails when two different statements share a sid', () => {
    const stack = emptyStack();
    const identity = new WorkloadIdentity(stack, 'Workload', props(stack));
    identity.addToPolicy({ sid: 'Read', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::a/*'] });
    expect(() => identity.addToPolicy({ sid: 'Read', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })).toThrow(
      `test/Workload: 'sid' ("Read") is already used by a different statement; give each statement its own sid`,
    );
  });

  test('fails when the role name is not a valid IAM role name', () => {
    const name = 'x'.repeat(65);
    const stack = emptyStack();
    expect(() => new WorkloadIdentity(stack, 'Workload', props(stack, { roleName: name }))).toThrow(
      `test/Workload: 'roleName' ("${name}") is not a valid IAM role name; use at most 64 letters, digits and +=,.@_-`,
    );
  });
});
