/** Bad props of the bootstrap constructs come as one ValidationError listing every problem. */
import { PermissionsBoundary } from '../../../infra/bootstrap/permissions-boundary';
import { StateBucket } from '../../../infra/bootstrap/state-bucket';
import { emptyStack } from '../../../testing';
import { issueLines, validationErrorOf } from '../../support/validation';

describe('StateBucket props', () => {
  test('reports a bad bucket name and bad day counts in one ValidationError', () => {
    const error = validationErrorOf(
      () => new StateBucket(emptyStack(), 'State', { bucketName: 'Company_State', noncurrentVersionExpirationDays: 0, abortIncompleteUploadDays: 1.5 }),
    );
    expect(error.message.split('\n')[0]).toBe('invalid props of StateBucket test/State (3 problems):');
    expect(issueLines(error)).toEqual([
      `test/State: 'bucketName' ("Company_State") is not an S3 bucket name; use 3–63 lowercase letters, digits, '.' and '-'`,
      `test/State: 'noncurrentVersionExpirationDays' (0) must be a whole number >= 1; raise it`,
      `test/State: 'abortIncompleteUploadDays' (1.5) must be a whole number >= 1; raise it`,
    ]);
  });
});

describe('PermissionsBoundary props', () => {
  test('names every additional service that is not an IAM service prefix', () => {
    const error = validationErrorOf(
      () =>
        new PermissionsBoundary(emptyStack(), 'Boundary', {
          policyName: 'company-boundary',
          account: '111111111111',
          stateBuckets: ['company-state'],
          additionalServices: ['sqs', 'SNS', 'dynamo db'],
        }),
    );
    expect(error.issues.map((i) => [i.field, i.value, i.fix])).toEqual([
      ['additionalServices[1]', 'SNS', 'use e.g. "sqs"'],
      ['additionalServices[2]', 'dynamo db', 'use e.g. "sqs"'],
    ]);
  });
});
