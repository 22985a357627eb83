/**
 * The AWS secrets a service reads, derived once from its `secretEnv`: the Kubernetes layer renders
 * them into a SecretProviderClass (what the Secrets Store CSI Driver fetches) and the Terraform layer
 * into the workload role's policy (what the pods may read). Both call {@link awsSecretReferences} and
 * {@link secretReadGrants}, so the objects fetched and the ARNs granted cannot drift apart.
 * @see docs/adr/0007-secrets-delivery.md
 */
import { SECRETS_MANAGER_ARN_REGEX, SSM_PARAMETER_ARN_REGEX } from './schema';
import type { ServiceDefinition } from './types';

/** Where one variable of an AWS reference comes from. */
export type AwsSecretKind = 'secretsmanager' | 'ssmparameter';

/** One environment variable read from AWS (Secrets Manager or SSM Parameter Store). */
export interface AwsSecretReference {
  /** The environment variable, the key in `secretEnv`. */
  readonly variable: string;
  /** The service holding it, as ASCP's `objectType` names it. */
  readonly kind: AwsSecretKind;
  /** Full ARN of the secret or parameter: what ASCP fetches and what the IAM grant names. */
  readonly arn: string;
  /** Top-level key of a JSON secret the variable takes. @default - the whole value */
  readonly jsonKey?: string;
}

/** The environment fields an ARN derives from. */
export interface SecretScope {
  readonly account: string;
  readonly region: string;
}

/** IAM actions ASCP calls to read a Secrets Manager secret. */
export const SECRETS_MANAGER_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] as const;
/** IAM actions ASCP calls to read SSM parameters (SecureStrings are decrypted with the AWS managed key `aws/ssm`). */
export const SSM_PARAMETER_READ_ACTIONS = ['ssm:GetParameters'] as const;

/** The AWS partition of a region (`cn-north-1` → `aws-cn`). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The ARN of an SSM parameter by name (`/company/api/token` → `arn:aws:ssm:<region>:<account>:parameter/company/api/token`). */
export function ssmParameterArn(scope: SecretScope, name: string): string {
  return `arn:${partitionOf(scope.region)}:ssm:${scope.region}:${scope.account}:parameter/${name.replace(/^\//, '')}`;
}

/** Partition, region and account of a Secrets Manager or SSM parameter ARN; undefined for anything else. */
export function secretArnParts(arn: string): { partition: string; region: string; account: string } | undefined {
  const match = SECRETS_MANAGER_ARN_REGEX.exec(arn) ?? SSM_PARAMETER_ARN_REGEX.exec(arn);
  return match ? { partition: match[1], region: match[2], account: match[3] } : undefined;
}

/**
 * The AWS references of a service, in `secretEnv` order (Kubernetes Secret references are not
 * among them). SSM parameters given by name get the environment's region and account.
 */
export function awsSecretReferences(scope: SecretScope, service: Pick<ServiceDefinition, 'secretEnv'>): AwsSecretReference[] {
  const refs: AwsSecretReference[] = [];
  for (const [variable, ref] of Object.entries(service.secretEnv)) {
    if (ref.secretsManager) {
      refs.push({ variable, kind: 'secretsmanager', arn: ref.secretsManager.arn, ...(ref.secretsManager.key !== undefined ? { jsonKey: ref.secretsManager.key } : {}) });
    } else if (ref.ssmParameter) {
      const arn = ref.ssmParameter.arn ?? ssmParameterArn(scope, ref.ssmParameter.name ?? '');
      refs.push({ variable, kind: 'ssmparameter', arn });
    }
  }
  return refs;
}

/** The Kubernetes Secret references of a service (`{ secretName, key }`), by variable. */
export function kubernetesSecretReferences(service: Pick<ServiceDefinition, 'secretEnv'>): { variable: string; secretName: string; key: string }[] {
  return Object.entries(service.secretEnv).flatMap(([variable, ref]) =>
    ref.secretName !== undefined && ref.key !== undefined ? [{ variable, secretName: ref.secretName, key: ref.key }] : [],
  );
}

/** An identity-policy statement granting read access to exactly the referenced secrets. */
export interface SecretReadGrant {
  readonly sid: string;
  readonly actions: readonly string[];
  /** Full ARNs, sorted, each once; never a wildcard. */
  readonly resources: readonly string[];
}

/**
 * The statements the workload role needs for `refs`: Secrets Manager reads on exactly the secret ARNs,
 * SSM reads on exactly the parameter ARNs. Empty for no references. No `kms:Decrypt`: secrets and
 * SecureStrings encrypted with the AWS managed keys (`aws/secretsmanager`, `aws/ssm`) are decrypted by
 * the service on the caller's behalf; a customer managed key would need its own grant.
 */
export function secretReadGrants(refs: readonly AwsSecretReference[]): SecretReadGrant[] {
  const arnsOf = (kind: AwsSecretKind) => [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.arn))].sort();
  const grants: SecretReadGrant[] = [];
  const secrets = arnsOf('secretsmanager');
  if (secrets.length > 0) grants.push({ sid: 'ReadSecretsManagerSecrets', actions: [...SECRETS_MANAGER_READ_ACTIONS], resources: secrets });
  const parameters = arnsOf('ssmparameter');
  if (parameters.length > 0) grants.push({ sid: 'ReadSsmParameters', actions: [...SSM_PARAMETER_READ_ACTIONS], resources: parameters });
  return grants;
}

/**
 * Name of the service's SecretProviderClass and of the Kubernetes Secret the CSI driver syncs its
 * values into (`<service>-aws-secrets`).
 */
export function awsSecretsObjectName(service: Pick<ServiceDefinition, 'name'>): string {
  return `${service.name}-aws-secrets`;
}

/**
 * Whether any service of the environment reads a secret from AWS: then the environment runs the Secrets
 * Store CSI Driver add-on (and its SecretProviderClass kind exists in the cluster).
 */
export function readsAwsSecrets(environment: SecretScope & { readonly services: readonly Pick<ServiceDefinition, 'secretEnv'>[] }): boolean {
  return environment.services.some((service) => awsSecretReferences(environment, service).length > 0);
}
