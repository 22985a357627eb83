import { WorkloadIdentity, type WorkloadIdentityProps } from '../../infra/constructs/workload-identity';
import { emptyStack, onlyResource, policyOf, resourcesOf, synthScope } from '../../testing';

const base: WorkloadIdentityProps = {
  roleName: 'company-prod-company-web',
  account: '333333333333',
  clusterName: 'company-prod',
  clusterArn: 'arn:aws:eks:ap-east-1:333333333333:cluster/company-prod',
  namespace: 'company-web',
  serviceAccount: 'company-web',
};

describe('WorkloadIdentity', () => {
  test('creates a role only the ServiceAccount of the namespace on the cluster can assume through EKS Pod Identity', () => {
    const json = synthScope((scope) => new WorkloadIdentity(scope, 'Workload', base));
    const role = onlyResource(json, 'aws_iam_role');
    expect(role.name).toBe('company-prod-company-web');
    expect(policyOf(role, 'assume_role_policy')).toMatchSnapshot();
    const [statement] = policyOf(role, 'assume_role_policy').Statement;
    expect(statement.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(statement.Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(statement.Condition.StringEquals).toEqual({
      'aws:SourceAccount': '333333333333',
      'aws:RequestTag/eks-cluster-arn': base.clusterArn,
      'aws:RequestTag/kubernetes-namespace': 'company-web',
      'aws:RequestTag/kubernetes-service-account': 'company-web',
    });
  });

  test('associates the role with the ServiceAccount', () => {
    const json = synthScope((scope) => new WorkloadIdentity(scope, 'Workload', base));
    const association = onlyResource(json, 'aws_eks_pod_identity_association');
    expect(association).toMatchObject({ cluster_name: 'company-prod', namespace: 'company-web', service_account: 'company-web' });
    expect(association.role_arn).toMatch(/aws_iam_role\.Workload_\w+\.arn/);
  });

  test('attaches no permissions by default', () => {
    const json = synthScope((scope) => new WorkloadIdentity(scope, 'Workload', base));
    expect(resourcesOf(json, 'aws_iam_role_policy')).toEqual({});
    expect(resourcesOf(json, 'aws_iam_role_policy_attachment')).toEqual({});
  });

  test('addToPolicy writes the statements into one inline policy, keeping a repeated statement once', () => {
    const json = synthScope((scope) => {
      const identity = new WorkloadIdentity(scope, 'Workload', base);
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
    const json = synthScope((scope) => new WorkloadIdentity(scope, 'Workload', { ...base, tags: { service: 'company-web' } }));
    expect(onlyResource(json, 'aws_iam_role').tags).toEqual({ service: 'company-web' });
    expect(onlyResource(json, 'aws_eks_pod_identity_association').tags).toEqual({ service: 'company-web' });
  });

  test('fails when two different statements share a sid', () => {
    const identity = new WorkloadIdentity(emptyStack(), 'Workload', base);
    identity.addToPolicy({ sid: 'Read', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::a/*'] });
    expect(() => identity.addToPolicy({ sid: 'Read', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })).toThrow(
      `test/Workload: policy statement 'sid' ("Read") is already used by a different statement; give each statement its own sid`,
    );
  });

  test('fails when the role name is not a valid IAM role name', () => {
    const name = 'x'.repeat(65);
    expect(() => new WorkloadIdentity(emptyStack(), 'Workload', { ...base, roleName: name })).toThrow(
      `test/Workload: 'roleName' ("${name}") is not a valid IAM role name; use at most 64 letters, digits and +=,.@_-`,
    );
  });
});
