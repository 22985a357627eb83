/**
 * Public API of the synth engine (`deploykit/synth`): what `deploykit synth` and `deploykit bootstrap` do, as
 * functions. {@link synthesize} writes every selected environment's Terraform configuration and Kubernetes YAML
 * into an output directory, atomically and under a lock, with the manifest `check`, `diff` and CI read;
 * {@link writeBootstrap} does the same for the per-account bootstrap configurations. The readers of an output
 * directory, the Kubernetes YAML writer and reader, and the factory types a definitions module exports for
 * `deploykit synth --config` complete it. See docs/extending.md, "Synthesizing from your own code".
 */

// Synthesizing environments.
export { readImageDigests, selectEnvironments, synthesize, type EnvironmentSynthSummary, type SynthesizedEnvironment, type SynthOptions } from './synthesize';
export { loadApplyPermissions, loadExtensions, type ChartFactory, type StackFactory, type SynthExtensions } from './extensions';
export { PRESERVED_TERRAFORM_FILES, writeBootstrap, type BootstrapManifest, type BootstrapOptions, type BootstrapSummary } from './bootstrap';

// The output directory: staged, locked writes and its manifest.
export { OutputDirectoryError, StagedOutput, type StagedOutputOptions } from './output-directory';
export {
  MANIFEST_FILE,
  OutputInputError,
  parseKubernetesFile,
  parseTerraformFile,
  readOutputFile,
  readOutputManifest,
  type OutputManifest,
} from './output-manifest';

// Kubernetes YAML as synth writes it, and a reader for it.
export { parseDocuments, splitDocuments, stringifyDocuments, stringifyObject, YamlReadError, YamlWriteError } from './kubernetes-yaml';
