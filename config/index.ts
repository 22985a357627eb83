/** Public API of the environment definitions. Imports neither cdktf nor cdk8s. */
export { defineEnvironments, mergeOverride, defaultSubnets, type SubnetLayout } from './define-environments';
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
