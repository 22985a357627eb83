/**
 * The synth engine: every selected environment's Terraform stack and Kubernetes chart, in one
 * process, written atomically to the output directory with a manifest of the files.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App as Cdk8sApp } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { App as CdktfApp } from '../infra/vendor/terraform';
import { ValidationError, stackName, type Definitions, type EnvironmentDefinition } from '../config';
import { imageDigestIssues, imageTagIssues } from '../config/rules';
import { EnvironmentStack } from '../infra/environment-stack';
import { EnvironmentChart } from '../k8s/environment-chart';
import { CLUSTER_OBJECTS_FILE, namespaceObjectsFile, splitByScope } from '../k8s/object-scope';
import type { SynthExtensions } from './extensions';
import { stringifyObject, YamlWriteError } from './kubernetes-yaml';
import { StagedOutput } from './output-directory';
import { unknownEnvironmentsError } from './unknown-environments';
import { MANIFEST_FILE, readOutputManifest, type OutputManifest } from './output-manifest';

/** Options of {@link synthesize}. */
export interface SynthOptions extends SynthExtensions {
  /** Output directory. @default "dist" */
  readonly outDir?: string;
  /** Environments to synthesize; others keep their previous output. @default - all */
  readonly environments?: readonly string[];
  /** Image tag for every service (the commit SHA in CI). @default - each service's `image.tag` */
  readonly imageTag?: string;
  /**
   * Image digest (`sha256:<64 hex>`) per service name: those services run `<repo>:<tag>@<digest>`
   * (a release promoted from the environment that verified it). Validated against the selected environments.
   * @default - every image by tag
   */
  readonly imageDigests?: Readonly<Record<string, string>>;
  /**
   * Called once per environment with what was written (the Terraform JSON and the Kubernetes
   * objects), so a caller such as `check` need not read the files back. @default - no callback
   */
  readonly onEnvironment?: (output: SynthesizedEnvironment) => void;
  /**
   * Files outside the output directory written in the same step (the pipeline files): written next
   * to their targets before the swap and moved into place right after it, so a failure to write
   * them leaves the previous output unchanged. @default - none
   */
  readonly extraFiles?: readonly { readonly path: string; readonly content: string }[];
  /**
   * Every file outside the output directory a run may stage (the pipeline files, changed or not):
   * staged copies that killed runs left beside them are removed. @default - the paths of `extraFiles`
   */
  readonly extraFilePaths?: readonly string[];
  /**
   * Called once the output is in place with what this run repaired of what killed runs left (a
   * restored output, removed staging directories and staged files, a taken-over lock), one sentence
   * each; not called when there was nothing to repair. @default - not reported
   */
  readonly onRecovered?: (repairs: readonly string[]) => void;
}

/** One environment's synthesized output, in memory (see {@link SynthOptions.onEnvironment}). */
export interface SynthesizedEnvironment {
  readonly name: string;
  /** The parsed `cdk.tf.json`. */
  readonly terraform: Readonly<Record<string, unknown>>;
  /** The Kubernetes objects in file order. */
  readonly kubernetes: readonly unknown[];
  /**
   * The Kubernetes files written, by path relative to the output directory (`<env>/kubernetes/cluster.k8s.yaml`,
   * `<env>/kubernetes/namespaces/<namespace>.k8s.yaml`), sorted, each with its objects in file order.
   */
  readonly kubernetesFiles: readonly { readonly file: string; readonly objects: readonly unknown[] }[];
}

/** What one environment's synth produced. */
export interface EnvironmentSynthSummary {
  readonly name: string;
  /** Terraform resources and data sources in the stack. */
  readonly terraformResources: number;
  /** Kubernetes objects in the chart. */
  readonly kubernetesObjects: number;
  /** Files written, relative to the output directory. */
  readonly files: readonly string[];
  /** Wall time of this environment's synth in milliseconds. */
  readonly milliseconds: number;
}

/** Picks the environments named in `names` (all when empty). @throws ValidationError for unknown names. */
export function selectEnvironments(defs: Definitions, names?: readonly string[]): EnvironmentDefinition[] {
  if (!names || names.length === 0) return [...defs.environments];
  const unknown = unknownEnvironmentsError(names, defs.environments.map((e) => e.name));
  if (unknown) throw unknown;
  return defs.environments.filter((e) => names.includes(e.name));
}

/**
 * Synthesizes the selected environments into `outDir`. Validates everything first; writes into a
 * staging directory and swaps it in only when every environment succeeded.
 */
export function synthesize(defs: Definitions, options: SynthOptions = {}): EnvironmentSynthSummary[] {
  const outDir = options.outDir ?? 'dist';
  const envs = selectEnvironments(defs, options.environments);
  const tagIssues = imageTagIssues(envs, options.imageTag);
  const digestIssues = options.imageDigests === undefined ? [] : imageDigestIssues(envs, options.imageDigests);
  if (tagIssues.length + digestIssues.length > 0) throw new ValidationError([...tagIssues, ...digestIssues]);

  const staged = StagedOutput.begin(outDir, { companionFiles: options.extraFilePaths ?? options.extraFiles?.map((f) => f.path) });
  try {
    const summaries = writeEnvironments(defs, envs, staged.staging, options);
    const manifest: OutputManifest = { generator: 'deploykit', environments: {} };
    const selected = new Set(envs.map((e) => e.name));
    const defined = new Set(defs.environments.map((e) => e.name));
    const previous = readManifest(staged.target);
    // Files the previous synth wrote for environments written now or no longer defined are replaced or
    // dropped; everything else in the output (other environments, `.terraform/`, saved plans) is kept.
    const replaced = new Set(
      Object.entries(previous?.environments ?? {})
        .filter(([name]) => selected.has(name) || !defined.has(name))
        .flatMap(([, files]) => [...files.terraform, ...files.kubernetes]),
    );
    staged.carryOver((path) => path !== MANIFEST_FILE && !replaced.has(path));
    for (const env of defs.environments) {
      if (selected.has(env.name)) {
        const files = summaries.find((s) => s.name === env.name)?.files ?? [];
        manifest.environments[env.name] = {
          terraform: files.filter((f) => f.startsWith(`${env.name}/terraform/`)),
          kubernetes: files.filter((f) => f.startsWith(`${env.name}/kubernetes/`)),
        };
      } else if (previous?.environments[env.name] && existsSync(join(staged.target, env.name))) {
        manifest.environments[env.name] = previous.environments[env.name];
      }
    }
    writeFileSync(join(staged.staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    for (const file of options.extraFiles ?? []) staged.stageFile(file.path, file.content);
    staged.commit();
    if (staged.recovered.length > 0) options.onRecovered?.(staged.recovered);
    return summaries;
  } catch (err) {
    staged.abort();
    throw err;
  }
}

function writeEnvironments(
  defs: Definitions,
  envs: readonly EnvironmentDefinition[],
  root: string,
  options: SynthOptions,
): EnvironmentSynthSummary[] {
  // One app per environment: each stack is alone in its app, so cdktf skips the cross-stack
  // preparation pass (see EnvironmentStack.prepareStack), and environments cannot reference each other.
  const cdktfOut = join(root, '.cdktf');
  const timings = new Map<string, number>();
  const stacks = envs.map((env) => {
    const started = performance.now();
    mkdirSync(join(cdktfOut, env.name), { recursive: true });
    const app = new CdktfApp({ outdir: join(cdktfOut, env.name), stackTraces: false });
    const props = { definitions: defs, environment: env };
    const stack = options.stack ? options.stack(app, stackName(defs.system, env), props) : new EnvironmentStack(app, stackName(defs.system, env), props);
    throwConstructValidationErrors(app);
    app.synth();
    timings.set(env.name, performance.now() - started);
    return stack;
  });
  const summaries = envs.map((env, i) => {
    const started = performance.now();
    const tfDir = join(root, env.name, 'terraform');
    mkdirSync(join(root, env.name), { recursive: true });
    renameSync(join(cdktfOut, env.name, 'stacks', stacks[i].node.id), tfDir);
    const tfJson = JSON.parse(readFileSync(join(tfDir, 'cdk.tf.json'), 'utf8')) as Record<string, Record<string, object>>;
    const terraformResources = ['resource', 'data'].reduce(
      (sum, block) => sum + Object.values(tfJson[block] ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0),
      0,
    );

    const k8sDir = join(root, env.name, 'kubernetes');
    const objects = kubernetesObjects(defs, env, options);
    const scoped = splitByScope(objects);
    mkdirSync(join(k8sDir, 'namespaces'), { recursive: true });
    const kubernetesFiles = [
      ...(scoped.cluster.length > 0 ? [{ file: CLUSTER_OBJECTS_FILE, objects: scoped.cluster }] : []),
      ...[...scoped.namespaces].map(([namespace, list]) => ({ file: namespaceObjectsFile(namespace), objects: list })),
    ];
    for (const { file, objects: list } of kubernetesFiles) writeFileSync(join(k8sDir, file), kubernetesYaml(env, list));
    options.onEnvironment?.({
      name: env.name,
      terraform: tfJson,
      kubernetes: objects,
      kubernetesFiles: kubernetesFiles
        .map(({ file, objects: list }) => ({ file: `${env.name}/kubernetes/${file}`, objects: list }))
        .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
    });

    const files = [...listFiles(tfDir), ...listFiles(k8sDir)].map((f) => relative(root, f)).sort();
    return {
      name: env.name,
      terraformResources,
      kubernetesObjects: objects.length,
      files,
      milliseconds: Math.round((timings.get(env.name) ?? 0) + performance.now() - started),
    };
  });
  rmSync(cdktfOut, { recursive: true, force: true });
  return summaries;
}

/**
 * The environment chart's objects in apply order, after the same construct validation `cdk8s synth`
 * runs. Written with the fast YAML emitter instead of cdk8s's, which dominates synth time at scale.
 */
function kubernetesObjects(defs: Definitions, env: EnvironmentDefinition, options: SynthOptions): unknown[] {
  const app = new Cdk8sApp();
  const props = { definitions: defs, environment: env, imageTag: options.imageTag, imageDigests: options.imageDigests };
  const chart = options.chart ? options.chart(app, stackName(defs.system, env), props) : new EnvironmentChart(app, stackName(defs.system, env), props);
  throwConstructValidationErrors(app);
  return chart.toJson();
}

/**
 * Runs every construct's validations, as `cdktf synth` and `cdk8s synth` do, and throws all their
 * messages as one {@link ValidationError} (each at its construct path) rather than the vendors' generic error.
 */
function throwConstructValidationErrors(root: IConstruct): void {
  const issues = root.node.findAll().flatMap((c) => c.node.validate().map((message) => ({ path: c.node.path, constructPath: c.node.path, message })));
  if (issues.length > 0) throw new ValidationError(issues, { subject: 'constructs' });
}

/**
 * Reads an `--image-digests` file: a JSON object of service name → `sha256:<64 hex>`, as the promote job
 * writes it. Its content is validated by {@link synthesize}.
 * @throws ValidationError at `--image-digests` when the file cannot be read or is not JSON
 */
export function readImageDigests(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new ValidationError([{ path: '--image-digests', message: `(${JSON.stringify(file)}) cannot be read (${reason}); pass the digests file the promote job wrote` }]);
  }
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch (err) {
    throw new ValidationError([{ path: '--image-digests', message: `(${JSON.stringify(file)}) is not JSON (${(err as Error).message}); pass the digests file the promote job wrote` }]);
  }
}

/** The objects as a YAML stream. @throws ValidationError naming the object and field of a value YAML cannot carry */
function kubernetesYaml(env: EnvironmentDefinition, objects: readonly unknown[]): string {
  return objects
    .map((object) => {
      try {
        return stringifyObject(object);
      } catch (err) {
        if (!(err instanceof YamlWriteError)) throw err;
        const { kind, metadata } = object as { kind?: string; metadata?: { name?: string } };
        const message = err.message.slice(err.path.length + 2);
        throw new ValidationError([{ path: `${env.name}.kubernetes.${kind}/${metadata?.name}.${err.path}`, message }]);
      }
    })
    .join('---\n');
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The previous output's manifest; undefined when missing or malformed (then every file is kept). */
function readManifest(dir: string): OutputManifest | undefined {
  try {
    return readOutputManifest(dir);
  } catch {
    return undefined;
  }
}
