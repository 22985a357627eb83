/**
 * An ECR repository with immutable tags, scan on push, KMS encryption and a lifecycle policy, plus
 * intent-named grants that return least-privilege IAM statements.
 */
import { EcrLifecyclePolicy, EcrRepository as EcrRepositoryResource, EcrRepositoryPolicy, Lazy } from '../vendor/terraform';
import { Construct, type IConstruct } from 'constructs';
import { propIssue, throwIfInvalidProps, type ValidationIssue } from '../../config';
import { REPOSITORY_NAME_REGEX } from '../../config/schema';
import { AWS_PARTITION_DNS_SUFFIX, type AwsPartition } from '../aws-partition';
import { sidFrom, type IPolicyHolder, type PolicyStatement } from '../policy-statement';
import { throwIfInvalidArguments } from '../private/invalid-arguments';
import { checkResourceLocation, throwIfInvalidAttributes } from '../private/resource-location';
import { EncryptionKey } from './encryption-key';

/**
 * An ECR repository, created by this stack ({@link EcrRepository}) or owned by another one
 * ({@link EcrRepository.fromRepositoryAttributes}): what a construct needs to reference it and grant
 * access to its images.
 */
export interface IEcrRepository extends IConstruct {
  /** Name of the repository. */
  readonly repositoryName: string;
  /** ARN of the repository (`arn:<partition>:ecr:<region>:<account>:repository/<name>`). */
  readonly repositoryArn: string;
  /** URL of the repository (`<account>.dkr.ecr.<region>.<partition DNS suffix>/<name>`). */
  readonly repositoryUrl: string;
  /**
   * Statements that let a principal pull images from this repository; added to `grantee` when given.
   * Only `ecr:GetAuthorizationToken` has resource `*` (it cannot be scoped).
   */
  grantPull(grantee?: IPolicyHolder): PolicyStatement[];
  /** Statements that let a principal push (and pull) images of this repository; added to `grantee` when given. */
  grantPush(grantee?: IPolicyHolder): PolicyStatement[];
}

/** What {@link EcrRepository.fromRepositoryAttributes} needs to reference a repository another stack owns. */
export interface EcrRepositoryAttributes {
  /** Name of the repository, e.g. `company-web`. */
  readonly repositoryName: string;
  /** AWS account id that owns the repository (12 digits). */
  readonly account: string;
  /** AWS region of the repository, e.g. `eu-central-1`. */
  readonly region: string;
  /**
   * AWS partition of the region.
   * @default - derived from the region: `cn-*` → `aws-cn`, `us-gov-*` → `aws-us-gov`, else `aws`
   */
  readonly partition?: AwsPartition;
}

/** The ARN of an ECR repository: `arn:<partition>:ecr:<region>:<account>:repository/<name>`. */
export function ecrRepositoryArnOf(attributes: Required<EcrRepositoryAttributes>): string {
  return `arn:${attributes.partition}:ecr:${attributes.region}:${attributes.account}:repository/${attributes.repositoryName}`;
}

/**
 * The URL of an ECR repository: `<account>.dkr.ecr.<region>.amazonaws.com/<name>`, with
 * `amazonaws.com.cn` in the China regions.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html
 */
export function ecrRepositoryUrlOf(attributes: Required<EcrRepositoryAttributes>): string {
  return `${attributes.account}.dkr.ecr.${attributes.region}.${AWS_PARTITION_DNS_SUFFIX[attributes.partition]}/${attributes.repositoryName}`;
}

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

/** The grants every {@link IEcrRepository} has, from its name and ARN. */
abstract class EcrRepositoryBase extends Construct implements IEcrRepository {
  public abstract readonly repositoryName: string;
  public abstract readonly repositoryArn: string;
  public abstract readonly repositoryUrl: string;

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

  private grant(grantee: IPolicyHolder | undefined, statements: PolicyStatement[]): PolicyStatement[] {
    for (const statement of statements) grantee?.addToPolicy(statement);
    return statements;
  }
}

/**
 * A repository another stack (or team, or account) owns, referenced by its literal name, ARN and URL.
 * It creates nothing and calls no AWS API.
 */
class ImportedEcrRepository extends EcrRepositoryBase {
  public readonly repositoryName: string;
  public readonly repositoryArn: string;
  public readonly repositoryUrl: string;

  constructor(scope: Construct, id: string, attributes: EcrRepositoryAttributes) {
    super(scope, id);
    const issues: ValidationIssue[] = [];
    if (!REPOSITORY_NAME_REGEX.test(attributes.repositoryName)) issues.push(repositoryNameIssue(this, attributes.repositoryName));
    const partition = checkResourceLocation(this, attributes, issues);
    throwIfInvalidAttributes(this, 'EcrRepository.fromRepositoryAttributes', issues);
    const resolved = { ...attributes, partition };
    this.repositoryName = attributes.repositoryName;
    this.repositoryArn = ecrRepositoryArnOf(resolved);
    this.repositoryUrl = ecrRepositoryUrlOf(resolved);
  }
}

function repositoryNameIssue(construct: IConstruct, repositoryName: string): ValidationIssue {
  return propIssue(construct, {
    field: 'repositoryName',
    value: repositoryName,
    rule: 'is not an ECR repository name',
    fix: 'use 2–256 lowercase letters, digits, and . _ - /',
  });
}

/** A private ECR repository with secure defaults. */
export class EcrRepository extends EcrRepositoryBase {
  /**
   * References a repository another stack owns, by its name, account and region: the ARN and URL are
   * computed offline (no AWS call, no data source), so grants name the literal ARN.
   * @example EcrRepository.fromRepositoryAttributes(this, 'Web', { repositoryName: 'company-web', account: '111111111111', region: 'eu-central-1' })
   */
  public static fromRepositoryAttributes(scope: Construct, id: string, attributes: EcrRepositoryAttributes): IEcrRepository {
    return new ImportedEcrRepository(scope, id, attributes);
  }

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
    const keepTaggedImages = props.keepTaggedImages ?? 100;
    const untaggedExpiryDays = props.untaggedExpiryDays ?? 14;
    const issues: ValidationIssue[] = [];
    if (!REPOSITORY_NAME_REGEX.test(props.repositoryName)) issues.push(repositoryNameIssue(this, props.repositoryName));
    if (!Number.isInteger(keepTaggedImages) || keepTaggedImages < 1 || keepTaggedImages > 10000) {
      issues.push(
        propIssue(this, { field: 'keepTaggedImages', value: keepTaggedImages, rule: 'must be a whole number from 1 to 10000', fix: 'keep at least the running release' }),
      );
    }
    if (!Number.isInteger(untaggedExpiryDays) || untaggedExpiryDays < 1) {
      issues.push(propIssue(this, { field: 'untaggedExpiryDays', value: untaggedExpiryDays, rule: 'must be a whole number >= 1', fix: 'raise it' }));
    }
    throwIfInvalidProps(this, issues);
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
   * Lets IAM roles (typically another account's CI deploy roles, which promote this repository's
   * verified images) pull through the repository policy. The policy names each role's account as
   * principal and the roles in an `aws:PrincipalArn` condition, so the roles need not exist when it
   * is applied. Calls accumulate into one `aws_ecr_repository_policy` (construct id `Policy`).
   * @param roleArns IAM role ARNs, e.g. `ciDeployRoleArn(system, target)`
   */
  public allowPull(roleArns: readonly string[]): void {
    const issues = roleArns.flatMap((arn, i) =>
      /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn)
        ? []
        : [propIssue(this, { field: `roleArns[${i}]`, value: arn, rule: 'is not an IAM role ARN', fix: 'use arn:aws:iam::<account>:role/<name>' })],
    );
    throwIfInvalidArguments(this, 'allowPull', issues);
    for (const arn of roleArns) this.pullPrincipals.add(arn);
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
}
