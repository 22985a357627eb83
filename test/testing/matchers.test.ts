/** The jest matchers of deploykit/testing, registered the way a team registers them. */
import { AwsProvider, S3Bucket } from '../../infra/vendor/terraform';
import { Construct } from 'constructs';
import '../../testing/jest';
import { emptyStack } from '../../testing';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'team' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
};
const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } };

/** The message a failing assertion throws. */
function failureOf(assertion: () => void): string {
  try {
    assertion();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the assertion passed');
}

describe('toContainKubernetesObject', () => {
  test('finds an object by kind, name and namespace', () => {
    expect([namespace, deployment]).toContainKubernetesObject({ kind: 'Deployment', name: 'web', namespace: 'team' });
    expect([namespace, deployment]).not.toContainKubernetesObject({ kind: 'Deployment', name: 'web', namespace: 'other' });
  });

  test('fails naming the objects there are', () => {
    expect(failureOf(() => expect([namespace, deployment]).toContainKubernetesObject({ kind: 'Service', name: 'web' }))).toBe(
      'expected one Service web, found 0 among Namespace/team, Deployment/team/web',
    );
  });
});

describe('toBeValidKubernetesObject', () => {
  test('passes a valid object and fails a misspelled field with its path', () => {
    expect(deployment).toBeValidKubernetesObject();
    const misspelled = structuredClone(deployment) as any;
    misspelled.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(failureOf(() => expect(misspelled).toBeValidKubernetesObject())).toBe(
      'expected a valid Kubernetes object:\n' +
        "Deployment/team/web: spec.template.spec.containers[0].imagePullPolicyy: unknown field 'imagePullPolicyy' (not in the schema); remove it or correct its spelling",
    );
  });
});

describe('toHaveTerraformResource', () => {
  function stack() {
    const s = emptyStack();
    new AwsProvider(s, 'Aws', { region: 'eu-west-1' });
    const logs = new Construct(s, 'Logs');
    new S3Bucket(logs, 'Bucket', { bucket: 'team-logs', forceDestroy: false });
    return s;
  }

  test('finds a resource by type, construct path and properties, on a stack or its JSON', () => {
    const s = stack();
    expect(s).toHaveTerraformResource('aws_s3_bucket');
    expect(s).toHaveTerraformResource('aws_s3_bucket', 'Logs/Bucket', { bucket: 'team-logs' });
    expect(s).not.toHaveTerraformResource('aws_s3_bucket', 'Logs/Bucket', { bucket: 'other' });
    expect(s).not.toHaveTerraformResource('aws_s3_bucket', 'Other/Bucket');
  });

  test('fails showing the resources of the type there are', () => {
    const message = failureOf(() => expect(stack()).toHaveTerraformResource('aws_s3_bucket', 'Logs/Bucket', { bucket: 'other' }));
    expect(message).toContain('expected a aws_s3_bucket at Logs/Bucket with');
    expect(message).toContain('"team-logs"');
    expect(failureOf(() => expect(stack()).toHaveTerraformResource('aws_s3_bucket', 'Missing'))).toMatch(
      /^expected a aws_s3_bucket at Missing, found none; aws_s3_bucket resources: Logs_Bucket_[0-9A-F]{8}$/,
    );
  });
});
