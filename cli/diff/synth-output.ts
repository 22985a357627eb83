/**
 * Reads a synth output directory through its manifest: per environment, the Terraform JSON
 * (`*.tf.json`) and the Kubernetes objects of every YAML file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseDocumentsFast } from '../kubernetes-yaml';
import type { OutputManifest } from '../synth';
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
  const headOnly: string[] = [];
  for (const doc of head.kubernetesDocuments) {
    const n = count.get(doc) ?? 0;
    if (n > 0) count.set(doc, n - 1);
    else headOnly.push(doc);
  }
  const baseOnly = [...count].flatMap(([doc, n]) => Array<string>(n).fill(doc));
  const parse = (docs: string[]) => parseYamlObjects(docs.join('---\n'), 'kubernetes', 'diff');
  return [parse(baseOnly), parse(headOnly)];
}

/** A whole synth output directory, parsed. */
export interface SynthOutput {
  readonly environments: ReadonlyMap<string, EnvironmentOutput>;
}

/** True when `dir` holds a deploykit manifest.json. */
export function isSynthOutput(dir: string): boolean {
  return existsSync(join(dir, 'manifest.json'));
}

/** Reads and parses the output in `dir`. @throws DiffError naming the file and the problem. */
export function readSynthOutput(dir: string, label: string): SynthOutput {
  const manifestFile = join(dir, 'manifest.json');
  let manifest: OutputManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as OutputManifest;
  } catch (err) {
    throw new DiffError(`${label}: cannot read ${manifestFile} (${(err as Error).message}); pass a deploykit synth output directory or a git ref`);
  }
  if (manifest.generator !== 'deploykit' || typeof manifest.environments !== 'object' || manifest.environments === null) {
    throw new DiffError(`${label}: ${manifestFile} is not a deploykit manifest (generator ${JSON.stringify(manifest.generator)}); pass a deploykit synth output directory`);
  }
  const environments = new Map<string, EnvironmentOutput>();
  for (const [name, files] of Object.entries(manifest.environments)) {
    const tfFiles = (files.terraform ?? []).filter((f) => f.endsWith('.tf.json'));
    const k8sFiles = (files.kubernetes ?? []).filter((f) => /\.ya?ml$/.test(f));
    const texts = new Map([...tfFiles, ...k8sFiles].map((f) => [f, readText(dir, f, label)]));
    let terraform: Record<string, unknown>[] | undefined;
    let kubernetes: Record<string, unknown>[] | undefined;
    environments.set(name, {
      name,
      // Parsed on first use: unchanged environments are never parsed.
      get terraform() {
        return (terraform ??= tfFiles.map((f) => parseJson(texts.get(f) as string, f, label)));
      },
      get kubernetes() {
        return (kubernetes ??= k8sFiles.flatMap((f) => parseYamlObjects(texts.get(f) as string, f, label)));
      },
      fingerprint: [...texts].map(([f, text]) => `${f}\u0000${text}`).join('\u0000'),
      kubernetesDocuments: k8sFiles.flatMap((f) => splitDocuments(texts.get(f) as string)),
    });
  }
  return { environments };
}

/** The documents of a YAML stream as text, without separators and blank documents. */
function splitDocuments(text: string): string[] {
  return text
    .split(/^---[ \t]*$/m)
    .map((d) => d.replace(/^\n+/, ''))
    .filter((d) => d.trim() !== '');
}

function readText(dir: string, file: string, label: string): string {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch (err) {
    throw new DiffError(`${label}: cannot read ${file} (${(err as Error).message.split('\n')[0]}); synthesize the output again`);
  }
}

function parseJson(text: string, file: string, label: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new DiffError(`${label}: cannot read ${file} (${(err as Error).message.split('\n')[0]}); synthesize the output again`);
  }
}

function parseYamlObjects(text: string, file: string, label: string): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  const fast = parseDocumentsFast(text);
  if (fast) return fast.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v));
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length > 0) {
      throw new DiffError(`${label}: ${file} is not valid YAML (${doc.errors[0].message.split('\n')[0]}); synthesize the output again`);
    }
    const value: unknown = doc.toJS();
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) objects.push(value as Record<string, unknown>);
  }
  return objects;
}
