import { EncryptionKey } from '../../infra/constructs/encryption-key';
import { emptyStack, onlyResource, policyOf, synthScope } from '../../testing';
import { validationErrorOf } from '../support/validation';

const base = { account: '333333333333', region: 'ap-east-1', aliasName: 'company-prod/logs', description: 'logs' };

describe('EncryptionKey', () => {
  test('creates a rotated key with a 30-day deletion window, an alias and a root-only key policy by default', () => {
    const json = synthScope((scope) => new EncryptionKey(scope, 'Key', base));
    const key = onlyResource(json, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    expect(key.deletion_window_in_days).toBe(30);
    expect(onlyResource(json, 'aws_kms_alias').name).toBe('alias/company-prod/logs');
    expect(policyOf(key)).toMatchSnapshot();
  });

  test('grants kms:* only to the account root principal, never to a wildcard principal', () => {
    const json = synthScope((scope) => new EncryptionKey(scope, 'Key', { ...base, allowCloudWatchLogs: true }));
    for (const s of policyOf(onlyResource(json, 'aws_kms_key')).Statement) {
      expect(s.Principal).not.toBe('*');
      expect(JSON.stringify(s.Principal)).not.toContain('"*"');
      if (s.Action === 'kms:*') expect(s.Principal).toEqual({ AWS: 'arn:aws:iam::333333333333:root' });
    }
  });

  test('lets CloudWatch Logs of the region use the key for this account\'s log groups when allowCloudWatchLogs is set', () => {
    const json = synthScope((scope) => new EncryptionKey(scope, 'Key', { ...base, allowCloudWatchLogs: true }));
    const logs = policyOf(onlyResource(json, 'aws_kms_key')).Statement.find((s: any) => s.Sid === 'CloudWatchLogsUsesKey');
    expect(logs.Principal).toEqual({ Service: 'logs.ap-east-1.amazonaws.com' });
    expect(logs.Action).not.toContain('kms:*');
    expect(logs.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:ap-east-1:333333333333:log-group:*' },
    });
  });

  test('uses the given deletion window', () => {
    const json = synthScope((scope) => new EncryptionKey(scope, 'Key', { ...base, deletionWindowInDays: 7 }));
    expect(onlyResource(json, 'aws_kms_key').deletion_window_in_days).toBe(7);
  });

  test.each([6, 31, 10.5])('fails when deletionWindowInDays is %p', (days) => {
    expect(() => new EncryptionKey(emptyStack(), 'Key', { ...base, deletionWindowInDays: days })).toThrow(
      `test/Key: 'deletionWindowInDays' (${days}) must be a whole number from 7 to 30, the waiting periods KMS accepts; pick a number of days from 7 to 30`,
    );
  });

  test('reports a bad deletion window and a prefixed alias in one ValidationError', () => {
    const error = validationErrorOf(() => new EncryptionKey(emptyStack(), 'Key', { ...base, deletionWindowInDays: 0, aliasName: 'alias/x' }));
    expect(error.issues.map((i) => [i.path, i.field, i.value])).toEqual([
      ['test/Key', 'deletionWindowInDays', 0],
      ['test/Key', 'aliasName', 'alias/x'],
    ]);
  });

  test('fails when the alias name carries the alias/ prefix', () => {
    expect(() => new EncryptionKey(emptyStack(), 'Key', { ...base, aliasName: 'alias/x' })).toThrow(
      `test/Key: 'aliasName' ("alias/x") must not start with "alias/"; drop the prefix, it is added`,
    );
  });
});
