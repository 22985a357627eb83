/**
 * Public API of deploykit, as installed from npm: the environment definitions (`deploykit/config`), the
 * Terraform layer (`deploykit/infra`), the Kubernetes layer (`deploykit/k8s`), the check engine and its rule
 * types (`deploykit/policy`, here as the `policy` namespace), the synth engine (`deploykit/synth`, here as the
 * `synth` namespace) and the factory types a definitions module exports for `deploykit synth --config`. Each
 * layer is also its own entry point.
 */
export * from './config';
export * from './infra';
export * from './k8s';
export type { ChartFactory, StackFactory, SynthExtensions } from './synth/extensions';
/** The synth engine as a namespace (`synth.synthesize`, `synth.StagedOutput`), as `deploykit/synth` exports it. */
export * as synth from './synth';
/** The check engine as a namespace (`policy.runCheck`, `policy.Rule`): its reader types would clash with the layers' names. */
export * as policy from './policy';
