/**
 * Reads a synth output directory through its manifest: per environment, the Terraform JSON
 * (`*.tf.json`) and the Kubernetes objects of every YAML file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { splitDocuments } from '../../synth/kubernetes-yaml';
import { OutputInputError, parseKubernetesFile, parseTerraformFile, readOutputFile, readOutputManifest, type OutputManifest } from '../../synth/output-manifest';
import { DiffError } from './diff-error';

/** One environment's output, parsed. */
export interface EnvironmentOutput {
  readonly name: string;
  /** The Terraform JSON files of the environment, in manifest order. */
  readonly terraform: readonly Record<string, unknown>[];
  /** Every Kubernetes object of the environment, in file order. */
  readonly kubernetes: readonly Record<string, unknown>[];
  /**
   * The raw text of every file, in order: equal fingerprints mean equal outputs, so an unchanged
   * environment is reported without being parsed. @default - always parsed and compared
   */
  readonly fingerprint?: string;
  /** The raw YAML documents of the Kubernetes files, when read from disk. @default - not available */
  readonly kubernetesDocuments?: readonly string[];
  /** The file each of {@link kubernetesDocuments} comes from, in the same order. @default - not available */
  readonly kubernetesDocumentFiles?: readonly string[];
}

/**
 * The Kubernetes objects of two outputs minus those whose YAML document is byte-identical on both
 * sides (they cannot differ), so only changed objects are parsed and compared.
 */
export function changedKubernetesObjects(
  base: EnvironmentOutput,
  head: EnvironmentOutput,
): [Record<string, unknown>[], Record<string, unknown>[]] {
  if (!base.kubernetesDocuments || !head.kubernetesDocuments) return [[...base.kubernetes], [...head.kubernetes]];
  const count = new Map<string, number>();
  for (const doc of base.kubernetesDocuments) count.set(doc, (count.get(doc) ?? 0) + 1);
  const headOnly: [string, string][] = [];
  head.kubernetesDocuments.forEach((doc, i) => {
    const n = count.get(doc) ?? 0;
    if (n > 0) count.set(doc, n - 1);
    else headOnly.push([doc, head.kubernetesDocumentFiles?.[i] ?? 'kubernetes']);
  });
  const baseOnly: [string, string][] = [];
  base.kubernetesDocuments.forEach((doc, i) => {
    const n = count.get(doc) ?? 0;
    if (n > 0) {
      count.set(doc, n - 1);
      baseOnly.push([doc, base.kubernetesDocumentFiles?.[i] ?? 'kubernetes']);
    }
  });
  const parse = (side: EnvironmentOutput, docs: [string, string][]) => {
    try {
      return docs.flatMap(([doc, file]) => parseKubernetesFile(doc, file));
    } catch (err) {
      // Parsed alone, a document is "document 1": read the whole files for an error that counts right.
      void side.kubernetes;
      throw err;
    }
  };
  return [parse(base, baseOnly), parse(head, headOnly)];
}

/** A whole synth output directory, parsed. */
export interface SynthOutput {
  readonly environments: ReadonlyMap<string, EnvironmentOutput>;
}

/** True when `dir` holds a deploykit manifest.json. */
export function isSynthOutput(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json'));
}

/**
 * Reads the output in `dir`: the manifest is validated and every file read (parsed on first use).
 * @throws DiffError naming the file and the problem
 */
export function readSynthOutput(dir: string, label: string): SynthOutput {
  try {
    return readOutput(dir);
  } catch (err) {
    if (err instanceof OutputInputError) throw new DiffError(`${label}: ${err.message}`);
    throw err;
  }
}

function readOutput(dir: string): SynthOutput {
  const manifest: OutputManifest = readOutputManifest(dir);
  const environments = new Map<string, EnvironmentOutput>();
  for (const [name, files] of Object.entries(manifest.environments)) {
    const tfFiles = files.terraform.filter((f) => f.endsWith('.tf.json'));
    const k8sFiles = files.kubernetes.filter((f) => /\.ya?ml$/.test(f));
    const texts = new Map([...tfFiles, ...k8sFiles].map((f) => [f, readOutputFile(dir, f)]));
    const documents = k8sFiles.map((f) => splitDocuments(texts.get(f) as string));
    let terraform: Record<string, unknown>[] | undefined;
    let kubernetes: Record<string, unknown>[] | undefined;
    environments.set(name, {
      name,
      // Parsed on first use: unchanged environments are never parsed.
      get terraform() {
        return (terraform ??= tfFiles.map((f) => parseTerraformFile(texts.get(f) as string, join(dir, f))));
      },
      get kubernetes() {
        return (kubernetes ??= k8sFiles.flatMap((f) => parseKubernetesFile(texts.get(f) as string, join(dir, f))));
      },
      fingerprint: [...texts].map(([f, text]) => `${f}\u0000${text}`).join('\u0000'),
      kubernetesDocuments: documents.flat(),
      kubernetesDocumentFiles: documents.flatMap((docs, i) => docs.map(() => join(dir, k8sFiles[i]))),
    });
  }
  return { environments };
}
