/**
 * ARNs deploykit writes into policies before the resources exist. Only the `aws` partition is
 * supported, like the role ARNs in `config/naming.ts`.
 * @internal
 */

/** The account's root principal, `arn:aws:iam::<account>:root` (KMS key policies require it). */
export function accountRootArn(account: string): string {
  return `arn:aws:iam::${account}:root`;
}

/** The ARN of an AWS managed IAM policy, e.g. `AmazonEKSClusterPolicy`. */
export function awsManagedPolicyArn(name: string): string {
  return `arn:aws:iam::aws:policy/${name}`;
}

/** The ARN of an EKS access policy, e.g. `AmazonEKSClusterAdminPolicy`. */
export function eksAccessPolicyArn(name: string): string {
  return `arn:aws:eks::aws:cluster-access-policy/${name}`;
}

/** An S3 object ARN. */
export function s3ObjectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

/** An S3 bucket ARN. */
export function s3BucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

/** An IAM role ARN, or a name pattern such as `company-dev-*`. */
export function iamRoleArn(account: string, name: string): string {
  return `arn:aws:iam::${account}:role/${name}`;
}

/** The ARN of an account's OIDC provider for an issuer host. */
export function oidcProviderArn(account: string, host: string): string {
  return `arn:aws:iam::${account}:oidc-provider/${host}`;
}

/** An ECR repository ARN. */
export function ecrRepositoryArn(region: string, account: string, name: string): string {
  return `arn:aws:ecr:${region}:${account}:repository/${name}`;
}

/** An EKS cluster ARN. */
export function eksClusterArn(region: string, account: string, name: string): string {
  return `arn:aws:eks:${region}:${account}:cluster/${name}`;
}
