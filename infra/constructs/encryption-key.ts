/**
 * A customer-managed KMS key with yearly rotation, an alias and a key policy that gives
 * administration only to the account root (the pattern AWS requires so IAM policies can grant use)
 * and, when asked, use by CloudWatch Logs for this account's log groups.
 */
import { KmsAlias, KmsKey } from '../vendor/terraform';
import { Construct } from 'constructs';
import { propIssue, throwIfInvalidProps, type ValidationIssue } from '../../config';
import { accountRootArn } from '../private/arn';

/** Props of {@link EncryptionKey}. */
export interface EncryptionKeyProps {
  /** AWS account id that owns the key; its root principal administers it. */
  readonly account: string;
  /** AWS region of the key (used for the CloudWatch Logs service principal). */
  readonly region: string;
  /** Alias name without the `alias/` prefix, e.g. `company-prod/eks-secrets`. */
  readonly aliasName: string;
  /** What the key protects, shown in the KMS console. */
  readonly description: string;
  /**
   * Days KMS waits before deleting the key after it is scheduled for deletion (7–30).
   * @default 30
   * @see https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
   */
  readonly deletionWindowInDays?: number;
  /**
   * Let CloudWatch Logs encrypt this account's log groups in `region` with the key
   * (condition on the `aws:logs:arn` encryption context).
   * @default false
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   */
  readonly allowCloudWatchLogs?: boolean;
}

/** Actions a service needs to use (not administer) a key. */
const KEY_USE_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
] as const;

/** A rotated, customer-managed KMS key with an alias. */
export class EncryptionKey extends Construct {
  /** The underlying `aws_kms_key` (escape hatch). */
  public readonly resource: KmsKey;
  /** The `aws_kms_alias`. */
  public readonly alias: KmsAlias;
  /** ARN of the key. */
  public readonly keyArn: string;
  /** Alias name including the `alias/` prefix. */
  public readonly aliasName: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    const issues: ValidationIssue[] = [];
    if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < 7 || deletionWindowInDays > 30) {
      issues.push(
        propIssue(this, {
          field: 'deletionWindowInDays',
          value: deletionWindowInDays,
          rule: 'must be a whole number from 7 to 30, the waiting periods KMS accepts',
          fix: 'pick a number of days from 7 to 30',
        }),
      );
    }
    if (props.aliasName.startsWith('alias/')) {
      issues.push(propIssue(this, { field: 'aliasName', value: props.aliasName, rule: 'must not start with "alias/"', fix: 'drop the prefix, it is added' }));
    }
    throwIfInvalidProps(this, issues);
    const statements: Record<string, unknown>[] = [
      {
        Sid: 'AccountRootAdministersKey',
        Effect: 'Allow',
        Principal: { AWS: accountRootArn(props.account) },
        Action: 'kms:*',
        Resource: '*',
      },
    ];
    if (props.allowCloudWatchLogs) {
      statements.push({
        Sid: 'CloudWatchLogsUsesKey',
        Effect: 'Allow',
        Principal: { Service: `logs.${props.region}.amazonaws.com` },
        Action: [...KEY_USE_ACTIONS],
        Resource: '*',
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${props.region}:${props.account}:log-group:*` },
        },
      });
    }
    this.resource = new KmsKey(this, 'Resource', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
    this.aliasName = `alias/${props.aliasName}`;
    this.alias = new KmsAlias(this, 'Alias', { name: this.aliasName, targetKeyId: this.resource.keyId });
    this.keyArn = this.resource.arn;
  }
}
