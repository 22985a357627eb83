/** Public API of the environment definitions. Imports neither cdktf nor cdk8s. */
export { defineEnvironments, mergeOverride, defaultSubnets, type SubnetLayout } from './define-environments';
export { ValidationError, propIssue, throwIfInvalidProps, type ValidationIssue, type ValidationErrorOptions, type PropProblem } from './validation-error';
export { ConfigError } from './config-error';
export type { ConfigIssue } from './issue-format';
export { loadDefinitions, readDefinitionsInput, readModuleExports, DefinitionsFileError } from './load';
export { toEffectiveInput, definitionsJsonSchema } from './effective';
export { exampleDefinitions } from './environments';
export * from './naming';
export * from './types';
export * from './quantity';
export * from './cidr';
export * from './eks-versions';
export type { DefinitionsInput, ServiceInput, ServiceOverrideInput, EnvironmentInput } from './schema';
export { deploymentTargets, promotionSource, promotionTargets, requiresManualApproval, servicesBuiltOnReleaseTags, servicesToBuild, RELEASE_TAG_REGEX, type DeploymentTarget, type DeployTrigger } from './promotion';
export {
  awsSecretReferences,
  awsSecretsObjectName,
  kubernetesSecretReferences,
  partitionOf,
  readsAwsSecrets,
  secretArnParts,
  secretReadGrants,
  ssmParameterArn,
  SECRETS_MANAGER_READ_ACTIONS,
  SSM_PARAMETER_READ_ACTIONS,
  type AwsSecretKind,
  type AwsSecretReference,
  type SecretReadGrant,
  type SecretScope,
} from './secret-references';
export { secretValueHits, isHighEntropyToken, shannonEntropy, type SecretValueHit, type SecretValueKind } from './secret-values';
