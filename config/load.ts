/**
 * Loads environment definitions from a file: a `.ts`/`.js` module (default export or
 * `definitions`), or a `.json`/`.yaml` file of the same shape. Without a file, the built-in example.
 */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { ValidationError } from './validation-error';
import { defineEnvironments } from './define-environments';
import { formatPath, type ConfigIssue } from './issue-format';
import { jsonDuplicateKeys } from './json-duplicate-keys';
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
  return readDefinitionsSource(file).input;
}

/** The raw definitions of a file and the problems only its text shows (repeated JSON keys). */
function readDefinitionsSource(file?: string): { input: unknown; issues: ConfigIssue[] } {
  if (!file) return { input: require('./environments').exampleDefinitions, issues: [] };
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
      case '.json': {
        const input = JSON.parse(text as string) as unknown;
        return { input, issues: duplicateKeyIssues(text as string, input) };
      }
      case '.yaml':
      case '.yml':
        return { input: require('yaml').parse(text as string, { uniqueKeys: true, strict: true }), issues: [] };
      case '.ts':
      case '.mts':
      case '.cts':
        require('tsx/cjs/api').register();
        return { input: pickExport(require(path), file), issues: [] };
      case '.js':
      case '.cjs':
        return { input: pickExport(require(path), file), issues: [] };
      default:
        throw new DefinitionsFileError(file, `unsupported extension ${JSON.stringify(ext)}; use .ts, .js, .json or .yaml`);
    }
  } catch (err) {
    if (err instanceof DefinitionsFileError) throw err;
    throw new DefinitionsFileError(file, loadFailure(err, path));
  }
}

/**
 * Why a definitions file failed to load, with its location: a TypeScript syntax error as
 * `file:line:col: message` (esbuild, through tsx), a module that throws with the first line of its
 * own file in the stack, anything else by its first line.
 */
function loadFailure(err: unknown, path: string): string {
  if (!(err instanceof Error)) return String(err);
  const lines = err.message.split('\n');
  if (lines[0].startsWith('Transform failed')) {
    // esbuild counts columns from 0; editors and compilers from 1.
    const located = lines
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => l.replace(/:(\d+):(\d+): ERROR: /, (_m, line: string, col: string) => `:${line}:${Number(col) + 1}: `));
    if (located.length > 0) return `syntax error: ${located.join('; ')}`;
  }
  if (err instanceof SyntaxError && err.stack) {
    // A syntax error in a plain JavaScript module: Node puts `file:line` and the line itself first.
    const [where] = err.stack.split('\n');
    if (where.startsWith(path)) return `syntax error at ${where}: ${lines[0]}`;
  }
  const frame = err.stack?.split('\n').find((l) => l.includes(path));
  const at = frame?.match(/\(?([^()\s]+:\d+:\d+)\)?\s*$/)?.[1];
  return at ? `${lines[0]} (at ${at})` : lines[0];
}

/** Repeated keys of a JSON definitions file as issues, with paths as the validation names them. */
function duplicateKeyIssues(text: string, input: unknown): ConfigIssue[] {
  const envs = (input as { environments?: unknown } | null)?.environments;
  const envNames = Array.isArray(envs) ? envs.map((e) => (typeof (e as { name?: unknown })?.name === 'string' ? (e as { name: string }).name : undefined)) : [];
  return jsonDuplicateKeys(text).map((d) => ({
    path: formatPath(d.path, envNames),
    message: `'${d.key}' is given twice (lines ${d.firstLine} and ${d.line}); JSON keeps only the last one, so remove the other`,
  }));
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

/** Loads and validates definitions. @throws ValidationError | DefinitionsFileError */
export function loadDefinitions(file?: string): Definitions {
  const { input, issues } = readDefinitionsSource(file);
  let defs: Definitions;
  try {
    defs = defineEnvironments(input);
  } catch (err) {
    if (err instanceof ValidationError && issues.length > 0) throw new ValidationError([...issues, ...err.issues]);
    throw err;
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return defs;
}
