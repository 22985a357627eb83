/**
 * deploykit/testing: what a platform team's tests need to check their constructs the way deploykit checks its
 * own — strict Kubernetes schema validation, finding objects and resources, jest matchers, and offline
 * `terraform validate`. Needs the optional peer dependencies `kubernetes-models` and `ajv` for the Kubernetes
 * validation.
 */
export {
  findKubernetesObject,
  findKubernetesObjects,
  kubernetesObjectId,
  matchesKubernetesObject,
  type KubernetesObject,
  type KubernetesObjectQuery,
} from './kubernetes-object';
export {
  DEPLOYKIT_CRD_SCHEMAS,
  dottedPath,
  KubernetesValidationError,
  kubernetesObjectProblems,
  validateKubernetesObject,
  validateKubernetesObjects,
  type KubernetesValidationOptions,
  type KubernetesValidationProblem,
} from './kubernetes-validation';
export { compileCrdSchema, strictCrdSchema, type CrdValidator, type JsonSchema, type SchemaProblem } from './crd-schema';
export {
  addressAt,
  allPolicyStatements,
  constructPathOf,
  emptyStack,
  onlyResource,
  policyOf,
  resourceAt,
  resourcesAt,
  resourcesOf,
  synthScope,
  synthStack,
  terraformJsonOf,
  type TfJson,
  type TfResource,
} from './terraform-json';
export {
  initPluginDirectory,
  PROVIDER_MIRROR_ENV,
  reuseInitialisedPlugins,
  runTerraform,
  terraformToolchain,
  validateTerraform,
  type AvailableTerraformToolchain,
  type TerraformToolchain,
  type TerraformToolchainOptions,
  type ValidateTerraformOptions,
} from './terraform-toolchain';
export { setupMatchers, type ExpectWithExtend, type MatcherContext, type MatcherResult } from './matchers';
