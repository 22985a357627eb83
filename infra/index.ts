/** Public API of the Terraform layer: the environment stack and the constructs it composes. */
export { EnvironmentStack, type EnvironmentStackProps } from './environment-stack';
export * from './constructs/ci-access';
export * from './constructs/ecr-repository';
export * from './constructs/eks-cluster';
export * from './constructs/encryption-key';
export * from './constructs/network';
export * from './constructs/node-group';
export * from './constructs/workload-identity';
export { policyDocument, sidFrom, statementJson, type IPolicyHolder, type PolicyConditions, type PolicyStatement } from './policy-statement';
