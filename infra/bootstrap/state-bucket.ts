/**
 * An S3 bucket for Terraform state: versioned (every state write can be rolled back), encrypted at
 * rest with SSE-S3, reachable only over TLS 1.2+, never public, owned by the bucket owner (ACLs
 * disabled), with old state versions expiring after a retention and abandoned uploads cleaned up.
 * Terraform's S3 backend locks with a `.tflock` object next to the state (`use_lockfile`), so no
 * DynamoDB table is needed.
 *
 * Encryption is SSE-S3 (AES-256, keys managed by S3) rather than SSE-KMS: state access is already
 * limited by the CI roles' policies, the bucket policy and the permissions boundary, and SSE-S3 adds no
 * key whose policy, deletion or cost could lock every environment out of its state.
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 */
import { S3Bucket, S3BucketLifecycleConfiguration, S3BucketOwnershipControls, S3BucketPolicy, S3BucketPublicAccessBlock, S3BucketServerSideEncryptionConfigurationA, S3BucketVersioningA, type TerraformProvider } from '../vendor/terraform';
import { Construct } from 'constructs';
import { propIssue, throwIfInvalidProps, type ValidationIssue } from '../../config';
import { s3BucketArn } from '../private/arn';

/** Props of {@link StateBucket}. */
export interface StateBucketProps {
  /** Bucket name, the environments' `state.bucket`. */
  readonly bucketName: string;
  /**
   * The AWS provider of the bucket's region.
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Days a replaced (noncurrent) state version is kept before it expires.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days after which an incomplete multipart upload is aborted.
   * @default 7
   */
  readonly abortIncompleteUploadDays?: number;
}

/** A Terraform state bucket with secure defaults. */
export class StateBucket extends Construct {
  /** The underlying `aws_s3_bucket` (escape hatch). */
  public readonly resource: S3Bucket;
  /** Name of the bucket. */
  public readonly bucketName: string;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const retention = props.noncurrentVersionExpirationDays ?? 90;
    const abortDays = props.abortIncompleteUploadDays ?? 7;
    const issues: ValidationIssue[] = [];
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName)) {
      issues.push(propIssue(this, { field: 'bucketName', value: props.bucketName, rule: 'is not an S3 bucket name', fix: "use 3–63 lowercase letters, digits, '.' and '-'" }));
    }
    for (const [field, value] of [
      ['noncurrentVersionExpirationDays', retention],
      ['abortIncompleteUploadDays', abortDays],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) issues.push(propIssue(this, { field, value, rule: 'must be a whole number >= 1', fix: 'raise it' }));
    }
    throwIfInvalidProps(this, issues);
    const provider = props.provider;
    this.bucketName = props.bucketName;
    this.resource = new S3Bucket(this, 'Resource', {
      provider,
      bucket: props.bucketName,
      // Losing the bucket loses every environment's state: Terraform refuses to destroy it.
      lifecycle: { preventDestroy: true },
    });
    const bucket = this.resource.id;
    new S3BucketVersioningA(this, 'Versioning', { provider, bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      provider,
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'OwnershipControls', { provider, bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      provider,
      bucket,
      rule: [
        {
          id: 'expire-noncurrent-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: retention }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
        },
      ],
    });
    const arn = s3BucketArn(props.bucketName);
    new S3BucketPolicy(this, 'Policy', {
      provider,
      bucket,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [arn, `${arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Sid: 'DenyOutdatedTls',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [arn, `${arn}/*`],
            Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
          },
        ],
      }),
      // S3 rejects a bucket policy while the public access block is being changed.
      dependsOn: [publicAccess],
    });
  }
}
