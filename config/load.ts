/**
 * Loads environment definitions from a file: a `.ts`/`.js` module (default export or
 * `definitions`), or a `.json`/`.yaml` file of the same shape. Without a file, the built-in example.
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { defineEnvironments } from './define-environments';
import type { Definitions } from './types';

/** Thrown when a definitions file cannot be read or parsed (before validation). */
export class DefinitionsFileError extends Error {
  /** @param file the file as given; @param reason what went wrong. */
  constructor(file: string, reason: string) {
    super(`cannot load definitions from ${file}: ${reason}`);
    this.name = 'DefinitionsFileError';
  }
}

/** Reads the raw (unvalidated) definitions of a file, or the built-in example when `file` is undefined. */
export function readDefinitionsInput(file?: string): unknown {
  if (!file) return require('./environments').exampleDefinitions;
  const path = resolve(file);
  const ext = extname(path).toLowerCase();
  let text: string | undefined;
  if (ext === '.json' || ext === '.yaml' || ext === '.yml') {
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new DefinitionsFileError(file, (err as Error).message);
    }
  }
  try {
    switch (ext) {
      case '.json':
        return JSON.parse(text as string);
      case '.yaml':
      case '.yml':
        return require('yaml').parse(text as string, { uniqueKeys: true, strict: true });
      case '.ts':
      case '.mts':
      case '.cts':
        require('tsx/cjs/api').register();
        return pickExport(require(path), file);
      case '.js':
      case '.cjs':
        return pickExport(require(path), file);
      default:
        throw new DefinitionsFileError(file, `unsupported extension ${JSON.stringify(ext)}; use .ts, .js, .json or .yaml`);
    }
  } catch (err) {
    if (err instanceof DefinitionsFileError) throw err;
    throw new DefinitionsFileError(file, (err as Error).message.split('\n')[0]);
  }
}

function pickExport(mod: Record<string, unknown>, file: string): unknown {
  const value = mod.default ?? mod.definitions;
  if (value === undefined) {
    throw new DefinitionsFileError(file, 'the module exports neither `default` nor `definitions`; export the definitions object');
  }
  return value;
}

/**
 * The other exports of a `.ts`/`.js` definitions module (e.g. the `stack` and `chart` factories a
 * platform team provides); empty for JSON and YAML files and for the built-in example. The module is
 * the one {@link readDefinitionsInput} loaded (Node caches it).
 */
export function readModuleExports(file?: string): Readonly<Record<string, unknown>> {
  if (!file) return {};
  const ext = extname(file).toLowerCase();
  if (!['.ts', '.mts', '.cts', '.js', '.cjs'].includes(ext)) return {};
  if (ext.endsWith('ts')) require('tsx/cjs/api').register();
  return require(resolve(file)) as Record<string, unknown>;
}

/** Loads and validates definitions. @throws ConfigError | DefinitionsFileError */
export function loadDefinitions(file?: string): Definitions {
  return defineEnvironments(readDefinitionsInput(file));
}
