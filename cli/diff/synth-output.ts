/**
 * Reads a synth output directory through its manifest: per environment, the Terraform JSON
 * (`*.tf.json`) and the Kubernetes objects of every YAML file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { OutputManifest } from '../synth';
import { DiffError } from './diff-error';

/** One environment's output, parsed. */
export interface EnvironmentOutput {
  readonly name: string;
  /** The Terraform JSON files of the environment, in manifest order. */
  readonly terraform: readonly Record<string, unknown>[];
  /** Every Kubernetes object of the environment, in file order. */
  readonly kubernetes: readonly Record<string, unknown>[];
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
    environments.set(name, {
      name,
      terraform: (files.terraform ?? []).filter((f) => f.endsWith('.tf.json')).map((f) => readJson(dir, f, label)),
      kubernetes: (files.kubernetes ?? []).filter((f) => /\.ya?ml$/.test(f)).flatMap((f) => readYamlObjects(dir, f, label)),
    });
  }
  return { environments };
}

function readJson(dir: string, file: string, label: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new DiffError(`${label}: cannot read ${file} (${(err as Error).message.split('\n')[0]}); synthesize the output again`);
  }
}

function readYamlObjects(dir: string, file: string, label: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = readFileSync(join(dir, file), 'utf8');
  } catch (err) {
    throw new DiffError(`${label}: cannot read ${file} (${(err as Error).message}); synthesize the output again`);
  }
  const objects: Record<string, unknown>[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length > 0) {
      throw new DiffError(`${label}: ${file} is not valid YAML (${doc.errors[0].message.split('\n')[0]}); synthesize the output again`);
    }
    const value: unknown = doc.toJS();
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) objects.push(value as Record<string, unknown>);
  }
  return objects;
}
