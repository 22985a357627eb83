/**
 * Atomic output: everything is written into a fresh sibling directory and swapped in only when the
 * whole synth succeeded, so a failed run never leaves half-written output nor deletes the last good one.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Name of the marker file that proves a directory is deploykit output (safe to replace). */
export const MANIFEST_FILE = 'manifest.json';

/** Thrown when the output directory holds something that is not deploykit output. */
export class OutputDirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirectoryError';
  }
}

/** A staging directory that replaces `target` on {@link commit}, or disappears on {@link abort}. */
export class StagedOutput {
  /** Absolute path of the final output directory. */
  readonly target: string;
  /** Absolute path of the staging directory to write into. */
  readonly staging: string;

  private constructor(target: string) {
    this.target = target;
    this.staging = join(dirname(target), `.${basename(target)}.staging-${process.pid}-${Date.now().toString(36)}`);
  }

  /**
   * Starts a staged write to `dir`. Refuses a non-empty directory that is not earlier deploykit
   * output, so `--out .` can never replace a project.
   */
  static begin(dir: string): StagedOutput {
    const target = resolve(dir);
    if (existsSync(target)) {
      if (!statSync(target).isDirectory()) throw new OutputDirectoryError(`--out ${dir} is a file; choose a directory`);
      const entries = readdirSync(target);
      if (entries.length > 0 && !isDeploykitOutput(target)) {
        throw new OutputDirectoryError(
          `--out ${dir} is not empty and holds no deploykit ${MANIFEST_FILE}; refusing to replace it. Choose an empty or new directory`,
        );
      }
    }
    const staged = new StagedOutput(target);
    mkdirSync(staged.staging, { recursive: true });
    return staged;
  }

  /** Swaps the staging directory in place of the target. */
  commit(): void {
    const previous = `${this.staging}.previous`;
    const hadTarget = existsSync(this.target);
    if (hadTarget) renameSync(this.target, previous);
    try {
      renameSync(this.staging, this.target);
    } catch (err) {
      if (hadTarget) renameSync(previous, this.target);
      throw err;
    }
    if (hadTarget) rmSync(previous, { recursive: true, force: true });
  }

  /** Discards the staging directory; the target stays as it was. */
  abort(): void {
    rmSync(this.staging, { recursive: true, force: true });
  }
}

function isDeploykitOutput(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { generator?: string };
    return manifest.generator === 'deploykit';
  } catch {
    return false;
  }
}
