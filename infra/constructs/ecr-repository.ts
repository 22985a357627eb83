/**
 * An ECR repository with immutable tags, scan on push, KMS encryption and a lifecycle policy, plus
 * intent-named grants that return least-privilege IAM statements.
 */
import { EcrLifecyclePolicy, EcrRepository as EcrRepositoryResource, EcrRepositoryPolicy, Lazy } from '../vendor/terraform';
import { Construct } from 'constructs';
import { REPOSITORY_NAME_REGEX } from '../../config/schema';
import { sidFrom, type IPolicyHolder, type PolicyStatement } from '../policy-statement';
import { EncryptionKey } from './encryption-key';

/** Props of {@link EcrRepository}. */
export interface EcrRepositoryProps {
  /** Repository name, e.g. `company-web` (from `repositoryName(service)`). */
  readonly repositoryName: string;
  /** AWS account id (owner of a dedicated key). */
  readonly account: string;
  /** AWS region of the repository. */
  readonly region: string;
  /**
   * KMS key that encrypts the images.
   * @default - a dedicated, rotated key with alias `ecr/<repositoryName>`
   */
  readonly encryptionKey?: EncryptionKey;
  /**
   * Tagged images kept; older ones expire (1–10000).
   * @default 100
   */
  readonly keepTaggedImages?: number;
  /**
   * Days after which untagged images (failed or superseded pushes) expire.
   * @default 14
   */
  readonly untaggedExpiryDays?: number;
  /**
   * Tags on the repository (the provider's default tags are added).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The ECR lifecycle policy document of {@link EcrRepository}. */
export interface LifecyclePolicyDocument {
  readonly rules: readonly {
    readonly rulePriority: number;
    readonly description: string;
    readonly selection: Readonly<Record<string, unknown>>;
    readonly action: { readonly type: 'expire' };
  }[];
}

/** Actions another account's principals get on a repository: read images and their tags (promotion). */
export const CROSS_ACCOUNT_PULL_ACTIONS: readonly string[] = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:DescribeImages',
  'ecr:GetDownloadUrlForLayer',
];

/** Actions that read images. */
const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] as const;
/** Actions that upload images (with the pull actions, which a push needs for existing layers). */
export const PUSH_ACTIONS: readonly string[] = ['ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'];

/**
 * The one statement with resource `*`: `ecr:GetAuthorizationToken` cannot be scoped to a repository.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/security_iam_id-based-policy-examples.html
 */
export const ECR_AUTHORIZATION_TOKEN_STATEMENT: PolicyStatement = {
  sid: 'EcrAuthorizationToken',
  actions: ['ecr:GetAuthorizationToken'],
  resources: ['*'],
};

/** A private ECR repository with secure defaults. */
export class EcrRepository extends Construct {
  /** The underlying `aws_ecr_repository` (escape hatch). */
  public readonly resource: EcrRepositoryResource;
  /** The lifecycle policy resource. */
  public readonly lifecyclePolicy: EcrLifecyclePolicy;
  /** The lifecycle rules, as written to the policy. */
  public readonly lifecycleRules: LifecyclePolicyDocument;
  /** The key that encrypts the images. */
  public readonly encryptionKey: EncryptionKey;
  /** Name of the repository. */
  public readonly repositoryName: string;
  /** ARN of the repository. */
  public readonly repositoryArn: string;
  /** URL of the repository (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
  public readonly repositoryUrl: string;
  /** The repository policy; undefined until {@link allowPull} is called. */
  public repositoryPolicy: EcrRepositoryPolicy | undefined;

  private readonly pullPrincipals = new Set<string>();

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    const where = this.node.path;
    const keepTaggedImages = props.keepTaggedImages ?? 100;
    const untaggedExpiryDays = props.untaggedExpiryDays ?? 14;
    if (!REPOSITORY_NAME_REGEX.test(props.repositoryName)) {
      throw new Error(
        `${where}: 'repositoryName' (${JSON.stringify(props.repositoryName)}) is not an ECR repository name; use 2–256 lowercase letters, digits, and . _ - /`,
      );
    }
    if (!Number.isInteger(keepTaggedImages) || keepTaggedImages < 1 || keepTaggedImages > 10000) {
      throw new Error(`${where}: 'keepTaggedImages' (${keepTaggedImages}) must be a whole number from 1 to 10000; keep at least the running release`);
    }
    if (!Number.isInteger(untaggedExpiryDays) || untaggedExpiryDays < 1) {
      throw new Error(`${where}: 'untaggedExpiryDays' (${untaggedExpiryDays}) must be a whole number >= 1; raise it`);
    }
    this.repositoryName = props.repositoryName;
    this.encryptionKey =
      props.encryptionKey ??
      new EncryptionKey(this, 'Key', {
        account: props.account,
        region: props.region,
        aliasName: `ecr/${props.repositoryName}`,
        description: `Images in ECR repository ${props.repositoryName}`,
      });

    this.resource = new EcrRepositoryResource(this, 'Resource', {
      name: props.repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: this.encryptionKey.keyArn }],
      tags: { ...(props.tags ?? {}) },
    });
    this.repositoryArn = this.resource.arn;
    this.repositoryUrl = this.resource.repositoryUrl;

    this.lifecycleRules = {
      rules: [
        {
          rulePriority: 1,
          description: `Expire untagged images after ${untaggedExpiryDays} days`,
          selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedExpiryDays },
          action: { type: 'expire' },
        },
        {
          rulePriority: 2,
          description: `Keep the last ${keepTaggedImages} tagged images`,
          selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: keepTaggedImages },
          action: { type: 'expire' },
        },
      ],
    };
    this.lifecyclePolicy = new EcrLifecyclePolicy(this, 'LifecyclePolicy', {
      repository: this.resource.name,
      policy: JSON.stringify(this.lifecycleRules),
    });
  }

  /**
   * Statements that let a principal pull images from this repository; added to `grantee` when given.
   * Only `ecr:GetAuthorizationToken` has resource `*` (it cannot be scoped).
   */
  public grantPull(grantee?: IPolicyHolder): PolicyStatement[] {
    return this.grant(grantee, [
      ECR_AUTHORIZATION_TOKEN_STATEMENT,
      { sid: `EcrPull${sidFrom(this.repositoryName)}`, actions: [...PULL_ACTIONS], resources: [this.repositoryArn] },
    ]);
  }

  /** Statements that let a principal push (and pull) images of this repository; added to `grantee` when given. */
  public grantPush(grantee?: IPolicyHolder): PolicyStatement[] {
    return this.grant(grantee, [
      ECR_AUTHORIZATION_TOKEN_STATEMENT,
      { sid: `EcrPush${sidFrom(this.repositoryName)}`, actions: [...PULL_ACTIONS, ...PUSH_ACTIONS], resources: [this.repositoryArn] },
    ]);
  }

  /**
   * Lets IAM roles (typically another account's CI deploy roles, which promote this repository's
   * verified images) pull through the repository policy. The policy names each role's account as
   * principal and the roles in an `aws:PrincipalArn` condition, so the roles need not exist when it
   * is applied. Calls accumulate into one `aws_ecr_repository_policy` (construct id `Policy`).
   * @param roleArns IAM role ARNs, e.g. `ciDeployRoleArn(system, target)`
   */
  public allowPull(roleArns: readonly string[]): void {
    for (const arn of roleArns) {
      if (!/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn)) {
        throw new Error(`${this.node.path}: allowPull role ARN (${JSON.stringify(arn)}) is not an IAM role ARN; use arn:aws:iam::<account>:role/<name>`);
      }
      this.pullPrincipals.add(arn);
    }
    this.repositoryPolicy ??= new EcrRepositoryPolicy(this, 'Policy', {
      repository: this.resource.name,
      policy: Lazy.stringValue({ produce: () => this.pullPolicyDocument() }),
    });
  }

  private pullPolicyDocument(): string {
    const roles = [...this.pullPrincipals].sort();
    const accounts = [...new Set(roles.map((arn) => arn.split(':')[4]))].sort();
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PullFromRoles',
          Effect: 'Allow',
          Principal: { AWS: accounts.map((a) => `arn:aws:iam::${a}:root`) },
          Action: [...CROSS_ACCOUNT_PULL_ACTIONS],
          Condition: { ArnEquals: { 'aws:PrincipalArn': roles } },
        },
      ],
    });
  }

  private grant(grantee: IPolicyHolder | undefined, statements: PolicyStatement[]): PolicyStatement[] {
    for (const statement of statements) grantee?.addToPolicy(statement);
    return statements;
  }
}
