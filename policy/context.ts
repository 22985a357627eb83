/**
 * What rules read: per environment the resolved definitions, the parsed Terraform configuration
 * and Kubernetes objects; per project the pipeline files. Each file is read and parsed once.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Definitions, EnvironmentDefinition, SystemDefinition } from '../config';
import type { ResourceTypeActions } from '../infra/bootstrap/apply-permissions';
import { MANIFEST_FILE, OutputInputError, parseKubernetesFile, parseTerraformFile, readOutputFile, readOutputManifest, type OutputManifest } from '../synth/output-manifest';
import { KubernetesObjects, type KubernetesObject } from './kubernetes-objects';
import { readPipelineFiles, type GeneratedPipelineFile, type PipelineFile } from './pipeline-files';
import { TerraformConfig } from './terraform-config';

/** One environment as the rules see it. */
export interface CheckContext {
  readonly system: SystemDefinition;
  readonly definitions: Definitions;
  readonly env: EnvironmentDefinition;
  readonly terraform: TerraformConfig;
  /** Path of the Terraform file relative to the synth output. */
  readonly terraformFile: string;
  readonly kubernetes: KubernetesObjects;
  /** The moment "now" for date-dependent rules (EKS support windows). */
  readonly now: Date;
  /**
   * The team's extension of the apply role's permissions: Terraform resource types beyond
   * `RESOURCE_TYPE_ACTIONS` and the IAM actions each needs (what a definitions module exports as
   * `applyPermissions`).
   * @default {}
   */
  readonly applyPermissions?: ResourceTypeActions;
}

/** Every environment at once, and the pipeline files. */
export interface ProjectContext {
  readonly definitions: Definitions;
  readonly environments: readonly CheckContext[];
  /** Pipeline files present; empty when none were generated. */
  readonly pipelines: readonly PipelineFile[];
  readonly now: Date;
}

/** Where the synthesized files are. */
export interface LoadOptions {
  /** Synth output directory (holds `manifest.json` and `<env>/…`). */
  readonly dir: string;
  /** Project root holding the pipeline files. @default - no pipeline files: the CI rules are skipped */
  readonly projectRoot?: string;
  /** Environments to check. @default - all */
  readonly environments?: readonly EnvironmentDefinition[];
  /** @default - the current time */
  readonly now?: Date;
  /** Outputs already in memory by environment name (from synth), so their files are not read back. @default - read every file */
  readonly preloaded?: ReadonlyMap<
    string,
    {
      readonly terraform: Readonly<Record<string, unknown>>;
      readonly kubernetes: readonly unknown[];
      /** The objects by the file synth wrote them to; without it every object counts as in the environment's first file. */
      readonly kubernetesFiles?: readonly { readonly file: string; readonly objects: readonly unknown[] }[];
    }
  >;
  /** The pipeline files as the generator renders them; identical files on disk are not parsed. @default - parse every file */
  readonly generatedPipelines?: readonly GeneratedPipelineFile[];
  /** The team's extension of the apply role's permissions, by Terraform resource type ({@link CheckContext.applyPermissions}). @default {} */
  readonly applyPermissions?: ResourceTypeActions;
}

/** Thrown when the synth output lacks an environment's files or is malformed. */
export class CheckInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckInputError';
  }
}

/**
 * The Kubernetes files of an environment whose output has no manifest: the YAML files directly in its
 * `kubernetes/` directory (`cluster.k8s.yaml`) and in `kubernetes/namespaces/`, in the order synth lists
 * them in a manifest (sorted by path: cluster-scoped objects first, then the namespaces).
 */
function listKubernetesFiles(dir: string, prefix: string): string[] {
  const yamlIn = (sub: string): string[] => {
    const path = join(dir, sub);
    if (!existsSync(path)) return [];
    return readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
      .map((entry) => [prefix, sub, entry.name].filter((part) => part !== '').join('/'));
  };
  return [...yamlIn(''), ...yamlIn('namespaces')].sort();
}

/** Reads the synth output and pipeline files into contexts. @throws CheckInputError */
export function loadProject(definitions: Definitions, options: LoadOptions): ProjectContext {
  try {
    return load(definitions, options);
  } catch (err) {
    if (err instanceof OutputInputError) throw new CheckInputError(err.message);
    throw err;
  }
}

function load(definitions: Definitions, options: LoadOptions): ProjectContext {
  const now = options.now ?? new Date();
  const applyPermissions = options.applyPermissions ?? {};
  const manifestPath = join(options.dir, MANIFEST_FILE);
  const manifest: Partial<OutputManifest> = existsSync(manifestPath) ? readOutputManifest(options.dir) : {};
  const envs = options.environments ?? definitions.environments;
  const environments = envs.map((env): CheckContext => {
    const listed = manifest.environments?.[env.name];
    const terraformFile = listed?.terraform?.find((f) => f.endsWith('.tf.json')) ?? `${env.name}/terraform/cdk.tf.json`;
    const k8sFiles = listed?.kubernetes ?? listKubernetesFiles(join(options.dir, env.name, 'kubernetes'), `${env.name}/kubernetes`);
    const preloaded = options.preloaded?.get(env.name);
    if (preloaded) {
      const kubernetes = new KubernetesObjects();
      if (preloaded.kubernetesFiles) for (const { file, objects } of preloaded.kubernetesFiles) kubernetes.add(objects as KubernetesObject[], file);
      else kubernetes.add(preloaded.kubernetes as KubernetesObject[], k8sFiles[0] ?? `${env.name}/kubernetes`);
      return { system: definitions.system, definitions, env, terraform: new TerraformConfig(preloaded.terraform), terraformFile, kubernetes, now, applyPermissions };
    }
    const tfPath = join(options.dir, terraformFile);
    if (!existsSync(tfPath)) {
      throw new CheckInputError(
        `${tfPath} does not exist; environment '${env.name}' has no synth output there. Run 'deploykit synth --out ${options.dir}' or omit --dir`,
      );
    }
    const terraform = new TerraformConfig(parseTerraformFile(readOutputFile(options.dir, terraformFile), tfPath));
    const kubernetes = new KubernetesObjects();
    for (const file of k8sFiles) {
      kubernetes.add(parseKubernetesFile(readOutputFile(options.dir, file), join(options.dir, file)) as unknown as KubernetesObject[], file);
    }
    return { system: definitions.system, definitions, env, terraform, terraformFile, kubernetes, now, applyPermissions };
  });
  const pipelines = options.projectRoot === undefined ? [] : readPipelineFiles(options.projectRoot, options.generatedPipelines);
  return { definitions, environments, pipelines, now };
}
