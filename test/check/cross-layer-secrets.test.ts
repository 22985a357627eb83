import { stringify } from 'yaml';
import { secretsGrantedToWorkloadRole } from '../../policy/rules/cross-layer-secrets';
import { SERVICE_ACCOUNT_ROLE_ANNOTATION } from '../../config';
import { findingsOf, fixtureContext, resources } from './rule-fixtures';

const NS = 'payments';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/db-Ab12Cd';
const OTHER = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/other-Zz99Yy';
const PARAMETER = 'arn:aws:ssm:eu-west-1:123456789012:parameter/payments/token';

/** A SecretProviderClass, the Deployment mounting it and its ServiceAccount naming role `payments-role`. */
function kubernetes(objects: { objectName: string; objectType: string }[]) {
  return [
    {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: 'payments-aws-secrets', namespace: NS },
      spec: { provider: 'aws', parameters: { usePodIdentity: 'true', objects: stringify(objects) } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'payments', namespace: NS },
      spec: {
        template: {
          spec: {
            serviceAccountName: 'payments',
            volumes: [{ name: 'aws-secrets', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: 'payments-aws-secrets' } } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'payments', namespace: NS, annotations: { [SERVICE_ACCOUNT_ROLE_ANNOTATION]: 'arn:aws:iam::123456789012:role/payments-role' } },
    },
  ];
}

/** The role and its inline policy with `statements`. */
function terraform(statements: Record<string, unknown>[]) {
  return resources({
    aws_iam_role: { Payments: { name: 'payments-role', assume_role_policy: '{}' } },
    aws_iam_role_policy: { PaymentsPolicy: { role: '${aws_iam_role.Payments.id}', policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) } },
  });
}

const GRANT = [
  { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: [SECRET] },
  { Effect: 'Allow', Action: 'ssm:GetParameters', Resource: PARAMETER },
];
const OBJECTS = [
  { objectName: SECRET, objectType: 'secretsmanager' },
  { objectName: PARAMETER, objectType: 'ssmparameter' },
];

describe('DK-X-013 SecretProviderClassObjectsGranted', () => {
  const target = `SecretProviderClass/${NS}/payments-aws-secrets`;

  test('passes when the workload role grants every object it fetches', () => {
    expect(findingsOf(secretsGrantedToWorkloadRole, fixtureContext({ kubernetes: kubernetes(OBJECTS), terraform: terraform(GRANT) }))).toEqual([]);
  });

  test('fails for an ARN the role does not grant, naming it', () => {
    const ctx = fixtureContext({ kubernetes: kubernetes([...OBJECTS, { objectName: OTHER, objectType: 'secretsmanager' }]), terraform: terraform(GRANT) });
    expect(findingsOf(secretsGrantedToWorkloadRole, ctx)).toEqual([{ target, value: OTHER }]);
    const [finding] = [...secretsGrantedToWorkloadRole.check(ctx)];
    expect(finding.message).toBe(`aws_iam_role.Payments (the role of Deployment/${NS}/payments) does not allow secretsmanager:GetSecretValue, secretsmanager:DescribeSecret on ${OTHER}`);
  });

  test('fails when only one of the two Secrets Manager actions is granted, or a Deny takes it back', () => {
    const partial = terraform([{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: SECRET }, GRANT[1]]);
    expect(findingsOf(secretsGrantedToWorkloadRole, fixtureContext({ kubernetes: kubernetes(OBJECTS), terraform: partial }))).toEqual([{ target, value: SECRET }]);
    const denied = terraform([...GRANT, { Effect: 'Deny', Action: 'ssm:*', Resource: '*' }]);
    expect(findingsOf(secretsGrantedToWorkloadRole, fixtureContext({ kubernetes: kubernetes(OBJECTS), terraform: denied }))).toEqual([{ target, value: PARAMETER }]);
  });

  test('reads an SSM parameter named without ARN in the environment\'s account and region', () => {
    const ctx = fixtureContext({ kubernetes: kubernetes([{ objectName: '/payments/token', objectType: 'ssmparameter' }]), terraform: terraform(GRANT) });
    const expected = `arn:aws:ssm:${ctx.env.region}:${ctx.env.account}:parameter/payments/token`;
    expect(findingsOf(secretsGrantedToWorkloadRole, ctx)).toEqual(expected === PARAMETER ? [] : [{ target, value: expected }]);
  });

  test('fails when the mounting pods\' ServiceAccount names no role of the stack', () => {
    const ctx = fixtureContext({ kubernetes: kubernetes(OBJECTS), terraform: resources({}) });
    expect(findingsOf(secretsGrantedToWorkloadRole, ctx)).toEqual([{ target, value: `${NS}/payments` }]);
  });
});
