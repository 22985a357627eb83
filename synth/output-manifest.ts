/**
 * Reading a synth output directory as untrusted input (`check --dir`, `diff --base/--head`): the
 * manifest must have the shape synth writes, every file it lists must lie inside the directory, and
 * every file must parse as what it claims to be. Each problem is an {@link OutputInputError} naming the file.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join, posix, relative, isAbsolute } from 'node:path';
import { parseDocuments, YamlReadError } from './kubernetes-yaml';

/** Name of the marker file that proves a directory is deploykit output. */
export const MANIFEST_FILE = 'manifest.json';

/** The manifest written to `<out>/manifest.json`; CI and other tools rely on it. */
export interface OutputManifest {
  readonly generator: 'deploykit';
  readonly environments: Record<string, { readonly terraform: string[]; readonly kubernetes: string[] }>;
}

/** Thrown when a synth output directory is malformed; the message names the file and the problem. */
export class OutputInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputInputError';
  }
}

const REGENERATE = "synthesize it again with 'deploykit synth'";

/** Reads and validates `<dir>/manifest.json`. @throws OutputInputError */
export function readOutputManifest(dir: string): OutputManifest {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new OutputInputError(`${file}: cannot be read (${(err as Error).message.split('\n')[0]}); pass a deploykit synth output directory`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new OutputInputError(`${file}: is not JSON (${(err as Error).message}); ${REGENERATE}`);
  }
  const manifest = value as { generator?: unknown; environments?: unknown } | null;
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest) || manifest.generator !== 'deploykit') {
    throw new OutputInputError(
      `${file}: is not a deploykit manifest (an object with "generator": "deploykit", got ${describe(value)}); pass a deploykit synth output directory`,
    );
  }
  const environments = manifest.environments;
  if (typeof environments !== 'object' || environments === null || Array.isArray(environments)) {
    throw new OutputInputError(`${file}: 'environments' (${describe(environments)}) must be an object of environment names; ${REGENERATE}`);
  }
  for (const [env, entry] of Object.entries(environments as Record<string, unknown>)) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(env)) throw new OutputInputError(`${file}: environment name ${JSON.stringify(env)} is not a deploykit environment name; ${REGENERATE}`);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new OutputInputError(`${file}: environments.${env} (${describe(entry)}) must be an object with 'terraform' and 'kubernetes' file lists; ${REGENERATE}`);
    }
    for (const layer of ['terraform', 'kubernetes'] as const) {
      const list = (entry as Record<string, unknown>)[layer];
      if (!Array.isArray(list)) throw new OutputInputError(`${file}: environments.${env}.${layer} (${describe(list)}) must be a list of file paths; ${REGENERATE}`);
      list.forEach((path: unknown, index) => {
        const problem = pathProblem(path, `${env}/${layer}/`);
        if (problem) throw new OutputInputError(`${file}: environments.${env}.${layer}[${index}] (${describe(path)}) ${problem}; ${REGENERATE}`);
      });
    }
  }
  return value as OutputManifest;
}

/** Why `path` is not a file path synth writes below `prefix`; undefined when it is one. */
function pathProblem(path: unknown, prefix: string): string | undefined {
  if (typeof path !== 'string' || path === '') return 'must be a non-empty string';
  if (path.includes('\\') || path.includes('\u0000')) return 'must use "/" separators and no NUL';
  if (isAbsolute(path) || posix.normalize(path) !== path || path.split('/').includes('..')) {
    return 'must be a normalized relative path inside the output directory';
  }
  if (!path.startsWith(prefix)) return `must lie below ${prefix}`;
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/**
 * The text of a file the manifest lists, checked to resolve (symlinks followed) inside `dir` and to be UTF-8.
 * @throws OutputInputError
 */
export function readOutputFile(dir: string, file: string): string {
  const path = join(dir, file);
  let bytes: Buffer;
  try {
    const inside = relative(realpathSync(dir), realpathSync(path));
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new OutputInputError(`${path}: resolves outside the output directory ${dir}; ${REGENERATE}`);
    }
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof OutputInputError) throw err;
    throw new OutputInputError(`${path}: cannot be read (${(err as Error).message.split('\n')[0]}); ${REGENERATE}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new OutputInputError(`${path}: is not UTF-8 text; ${REGENERATE}`);
  }
}

/** A Terraform JSON file's configuration. @throws OutputInputError unless it is a JSON object */
export function parseTerraformFile(text: string, path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new OutputInputError(`${path}: is not valid JSON (${(err as Error).message}); ${REGENERATE}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OutputInputError(`${path}: must hold a Terraform JSON object, got ${describe(value)}; ${REGENERATE}`);
  }
  return value as Record<string, unknown>;
}

/**
 * The Kubernetes objects of a YAML file: every document must be a mapping with string `apiVersion` and `kind`.
 * @throws OutputInputError naming the file and the document
 */
export function parseKubernetesFile(text: string, path: string): Record<string, unknown>[] {
  let docs: unknown[];
  try {
    docs = parseDocuments(text);
  } catch (err) {
    if (err instanceof YamlReadError) throw new OutputInputError(`${path}: ${err.message}; ${REGENERATE}`);
    throw err;
  }
  docs.forEach((doc, index) => {
    const object = doc as { apiVersion?: unknown; kind?: unknown } | null;
    if (typeof object !== 'object' || object === null || Array.isArray(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      throw new OutputInputError(
        `${path}: document ${index + 1} (${describe(doc)}) is not a Kubernetes object (a mapping with string 'apiVersion' and 'kind'); ${REGENERATE}`,
      );
    }
  });
  return docs as Record<string, unknown>[];
}
