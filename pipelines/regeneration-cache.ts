/**
 * Lets `deploykit synth` skip re-rendering the pipeline files when nothing that feeds them changed:
 * the same build of deploykit, the same definitions and options, and the files on disk exactly as
 * last written. The record lives in `<rootDir>/node_modules/.cache/deploykit/` (never committed);
 * without a `node_modules` there, or when running from sources, nothing is cached.
 * @internal
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

declare const __DEPLOYKIT_BUILD_ID__: string | undefined;

/** Identity of the running build (set by scripts/build.mjs), or undefined when running from sources. */
export function buildId(): string | undefined {
  return typeof __DEPLOYKIT_BUILD_ID__ === 'string' ? __DEPLOYKIT_BUILD_ID__ : undefined;
}

interface CacheRecord {
  readonly key: string;
  readonly files: Record<string, string>;
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

function cacheFile(rootDir: string): string | undefined {
  const modules = join(resolve(rootDir), 'node_modules');
  return existsSync(modules) ? join(modules, '.cache', 'deploykit', 'pipelines.json') : undefined;
}

/** The key of one rendering: build, inputs and options; undefined disables the cache. */
export function renderKey(salt: string | undefined, inputs: unknown): string | undefined {
  return salt === undefined ? undefined : sha1(`${salt}\u0000${JSON.stringify(inputs)}`);
}

/** True when the last rendering had this key and every file it wrote is still unchanged on disk. */
export function isUpToDate(rootDir: string, key: string | undefined): boolean {
  const file = key === undefined ? undefined : cacheFile(rootDir);
  if (!file) return false;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as CacheRecord;
    return (
      record.key === key &&
      Object.entries(record.files).every(([path, hash]) => sha1(readFileSync(join(rootDir, path), 'utf8')) === hash)
    );
  } catch {
    return false;
  }
}

/** Records a rendering (best effort: a read-only tree simply is not cached). */
export function remember(rootDir: string, key: string | undefined, files: readonly { path: string; content: string }[]): void {
  const file = key === undefined ? undefined : cacheFile(rootDir);
  if (!file) return;
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const record: CacheRecord = { key: key as string, files: Object.fromEntries(files.map((f) => [f.path, sha1(f.content)])) };
    const temporary = `${file}.${process.pid}`;
    writeFileSync(temporary, JSON.stringify(record));
    renameSync(temporary, file);
  } catch {
    // Caching is an optimisation only.
  }
}
