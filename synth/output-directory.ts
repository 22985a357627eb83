/**
 * Atomic, exclusive output. Everything is written into a fresh sibling staging directory and swapped
 * in only when the whole synth succeeded, so a failed run never leaves half-written output nor
 * deletes the last good one. Files that belong with the output but live elsewhere (the pipeline
 * files) are staged next to their targets and moved into place in the same step.
 *
 * One run at a time per output directory: a lock file `.<name>.lock` beside it holds the owner's
 * pid and host; a run that finds the lock held by a live process refuses, one held by a dead process
 * of this host is taken over. Holding the lock, a run removes what killed runs left: staging
 * directories, the backup of the previous output a kill between the two renames of the swap left
 * (restored as the output when the output is missing), and the staged copies of files outside the
 * output (`<file>.deploykit-<pid>-<stamp>.tmp`) whose run no longer runs.
 *
 * Test seam: with `DEPLOYKIT_TEST_HOLD_AT=<point>` in the environment (`locked`, `before-swap` or
 * `between-renames`), the process writes `deploykit: holding at <point>` to stderr and blocks there
 * until killed, so tests can SIGKILL a real run at an exact point. Nothing else reads the variable.
 */
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { MANIFEST_FILE } from './output-manifest';
import { isProcessAlive } from './process-alive';

/** Thrown when the output directory cannot be written: not deploykit output, locked by another run, unwritable. */
export class OutputDirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirectoryError';
  }
}

/** What the lock file holds. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

/** Options of {@link StagedOutput.begin}. */
export interface StagedOutputOptions {
  /**
   * Files outside the output directory that a run may stage beside their targets (the pipeline files,
   * whether or not this run changes them): staged copies killed runs left next to them are removed.
   * @default - none
   */
  readonly companionFiles?: readonly string[];
}

/** A file outside the output directory staged with it (see {@link StagedOutput.stageFile}). */
interface StagedFile {
  readonly target: string;
  readonly temporary: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A staging directory that replaces `target` on {@link commit}, or disappears on {@link abort}. */
export class StagedOutput {
  /** Absolute path of the final output directory. */
  readonly target: string;
  /** Absolute path of the staging directory to write into. */
  readonly staging: string;
  /** Absolute path of the lock file this run holds until {@link commit} or {@link abort}. */
  readonly lockFile: string;
  /** What this run found and repaired from killed runs, one sentence each. */
  readonly recovered: string[] = [];
  private readonly stamp = `${process.pid}-${Date.now().toString(36)}`;
  private readonly files: StagedFile[] = [];

  private constructor(target: string) {
    this.target = target;
    this.staging = join(dirname(target), `.${basename(target)}.staging-${this.stamp}`);
    this.lockFile = join(dirname(target), `.${basename(target)}.lock`);
  }

  /**
   * Takes the output directory's lock, cleans up after killed runs and starts a staged write to `dir`.
   * Refuses a non-empty directory that is not earlier deploykit output, so `--out .` can never
   * replace a project.
   * @throws OutputDirectoryError when another run holds the lock or the directory is not deploykit output
   */
  static begin(dir: string, options: StagedOutputOptions = {}): StagedOutput {
    const staged = new StagedOutput(resolve(dir));
    mkdirSync(dirname(staged.target), { recursive: true });
    staged.lock(dir);
    try {
      holdAt('locked');
      staged.cleanUpAbandoned();
      staged.cleanUpAbandonedFiles(options.companionFiles ?? []);
      const { target } = staged;
      if (existsSync(target)) {
        if (!statSync(target).isDirectory()) throw new OutputDirectoryError(`--out ${dir} is a file; choose a directory`);
        const entries = readdirSync(target);
        if (entries.length > 0 && !isDeploykitOutput(target)) {
          throw new OutputDirectoryError(
            `--out ${dir} is not empty and holds no deploykit ${MANIFEST_FILE}; refusing to replace it. Choose an empty or new directory`,
          );
        }
      }
      mkdirSync(staged.staging, { recursive: true });
      return staged;
    } catch (err) {
      staged.unlock();
      throw err;
    }
  }

  /**
   * Writes `content` next to `path` (outside the output directory) now, and moves it to `path` right
   * after the swap, so a failure to write it (a full disk, a directory in the way) happens before
   * the output changes. @throws OutputDirectoryError naming the file
   */
  stageFile(path: string, content: string): void {
    const target = resolve(path);
    const temporary = `${target}.deploykit-${this.stamp}.tmp`;
    try {
      if (existsSync(target) && statSync(target).isDirectory()) throw Object.assign(new Error('a directory is in the way'), { code: 'EISDIR' });
      mkdirSync(dirname(target), { recursive: true });
      this.files.push({ target, temporary });
      writeFileSync(temporary, content);
    } catch (err) {
      throw new OutputDirectoryError(`cannot write ${path} (${(err as Error).message.split('\n')[0]}); nothing was changed`);
    }
  }

  /**
   * Links (or copies) into the staging directory every file and symlink of the current output for
   * which `keep(relativePath)` is true and that the staging directory does not already hold.
   * Hard links make this cheap for large directories such as `.terraform/`.
   */
  carryOver(keep: (relativePath: string) => boolean): string[] {
    const carried: string[] = [];
    const walk = (relativeDir: string) => {
      for (const entry of readdirSync(join(this.target, relativeDir), { withFileTypes: true })) {
        const path = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
        if (!keep(path)) continue;
        const from = join(this.target, path);
        const to = join(this.staging, path);
        if (entry.isDirectory()) {
          mkdirSync(to, { recursive: true });
          walk(path);
          continue;
        }
        if (existsSync(to) || isSymlink(to)) continue;
        mkdirSync(dirname(to), { recursive: true });
        if (entry.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
        else {
          try {
            linkSync(from, to);
          } catch {
            copyFileSync(from, to);
          }
        }
        carried.push(path);
      }
    };
    if (existsSync(this.target)) walk('');
    return carried;
  }

  /** Swaps the staging directory in place of the target, moves the staged files into place, releases the lock. */
  commit(): void {
    holdAt('before-swap');
    const backup = join(dirname(this.target), `.${basename(this.target)}.previous-${this.stamp}`);
    const hadTarget = existsSync(this.target);
    if (hadTarget) renameSync(this.target, backup);
    holdAt('between-renames');
    try {
      renameSync(this.staging, this.target);
    } catch (err) {
      if (hadTarget) renameSync(backup, this.target);
      throw err;
    }
    try {
      for (const file of this.files) renameSync(file.temporary, file.target);
    } catch (err) {
      // Put the previous output back: the run failed, so nothing it wrote may stay.
      renameSync(this.target, this.staging);
      if (hadTarget) renameSync(backup, this.target);
      throw new OutputDirectoryError(`cannot move a staged file into place (${(err as Error).message}); the previous output was restored`);
    }
    if (hadTarget) rmSync(backup, { recursive: true, force: true });
    this.unlock();
  }

  /** Discards the staging directory and staged files and releases the lock; the target stays as it was. */
  abort(): void {
    rmSync(this.staging, { recursive: true, force: true });
    for (const file of this.files) rmSync(file.temporary, { force: true });
    this.unlock();
  }

  private lock(dir: string): void {
    const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    const temporary = `${this.lockFile}.${this.stamp}`;
    writeFileSync(temporary, `${JSON.stringify(owner)}\n`);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          // link() creates the lock with its content in one step, and fails when it exists.
          linkSync(temporary, this.lockFile);
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw lockError(err, dir, this.lockFile);
        }
        const text = readText(this.lockFile);
        const holder = parseOwner(text);
        if (holder && (holder.host !== owner.host || isProcessAlive(holder.pid))) {
          throw new OutputDirectoryError(
            `--out ${dir} is being written by another deploykit run (pid ${holder.pid} on ${holder.host}, since ${holder.since}); ` +
              `wait for it to finish, or remove ${this.lockFile} if that process no longer runs`,
          );
        }
        if (!holder && text !== undefined && Date.now() - (mtimeOf(this.lockFile) ?? 0) < 60_000) {
          throw new OutputDirectoryError(`--out ${dir} is locked by ${this.lockFile}, which names no owner; wait a minute or remove it`);
        }
        // The owner died (killed): take the lock over, unless another run just did.
        if (readText(this.lockFile) === text) rmSync(this.lockFile, { force: true });
        this.recovered.push(
          holder
            ? `took over ${basename(this.lockFile)} of pid ${holder.pid}, which no longer runs`
            : `took over ${basename(this.lockFile)}, which named no owner (${JSON.stringify(text?.trim() ?? '')})`,
        );
      }
    } finally {
      rmSync(temporary, { force: true });
    }
  }

  private unlock(): void {
    if (parseOwner(readText(this.lockFile))?.pid === process.pid) rmSync(this.lockFile, { force: true });
  }

  /** Removes staging directories and swap backups that killed runs left; restores a backup when the output is missing. */
  private cleanUpAbandoned(): void {
    const parent = dirname(this.target);
    const name = escapeRegExp(basename(this.target));
    const stagingPattern = new RegExp(`^\\.${name}\\.staging-\\d+-[0-9a-z]+$`);
    // `.previous-<stamp>`, and `.staging-<stamp>.previous` as earlier releases named the backup.
    const backupPattern = new RegExp(`^\\.${name}\\.(previous-\\d+-[0-9a-z]+|staging-\\d+-[0-9a-z]+\\.previous)$`);
    const lockTemporaryPattern = new RegExp(`^\\.${name}\\.lock\\.\\d+-[0-9a-z]+$`);
    const entries = readdirSync(parent);
    const backups = entries
      .filter((e) => backupPattern.test(e))
      .map((e) => join(parent, e))
      .sort((a, b) => (mtimeOf(b) ?? 0) - (mtimeOf(a) ?? 0));
    if (backups.length > 0 && !existsSync(this.target)) {
      renameSync(backups[0], this.target);
      this.recovered.push(`restored ${relative(process.cwd(), this.target) || '.'} from ${basename(backups[0])}, left by a run killed while swapping`);
      backups.shift();
    }
    for (const backup of backups) {
      rmSync(backup, { recursive: true, force: true });
      this.recovered.push(`removed ${basename(backup)}, left by a run killed while swapping`);
    }
    for (const entry of entries.filter((e) => stagingPattern.test(e) && join(parent, e) !== this.staging)) {
      rmSync(join(parent, entry), { recursive: true, force: true });
      this.recovered.push(`removed ${entry}, left by a killed run`);
    }
    for (const entry of entries.filter((e) => lockTemporaryPattern.test(e) && !e.endsWith(this.stamp))) rmSync(join(parent, entry), { force: true });
  }

  /**
   * Removes the staged copies (`<file>.deploykit-<pid>-<stamp>.tmp`) a run killed before moving them
   * into place left beside `files`. The lock covers one output directory, not these files (two outputs
   * may share a pipelines directory), so only copies whose pid no longer runs on this host are removed.
   */
  private cleanUpAbandonedFiles(files: readonly string[]): void {
    for (const file of files) {
      const directory = dirname(resolve(file));
      if (!existsSync(directory) || !statSync(directory).isDirectory()) continue;
      const pattern = new RegExp(`^${escapeRegExp(basename(file))}\\.deploykit-(\\d+)-[0-9a-z]+\\.tmp$`);
      for (const entry of readdirSync(directory)) {
        const pid = Number(pattern.exec(entry)?.[1]);
        if (!Number.isInteger(pid) || pid === process.pid || isProcessAlive(pid)) continue;
        rmSync(join(directory, entry), { force: true });
        this.recovered.push(`removed ${join(dirname(file), entry)}, left by a killed run`);
      }
    }
  }
}

function lockError(err: unknown, dir: string, lockFile: string): OutputDirectoryError {
  return new OutputDirectoryError(`--out ${dir}: cannot create the lock ${lockFile} (${(err as Error).message})`);
}

/** The test seam described in the module comment. */
function holdAt(point: 'locked' | 'before-swap' | 'between-renames'): void {
  if (process.env.DEPLOYKIT_TEST_HOLD_AT !== point) return;
  writeSync(2, `deploykit: holding at ${point}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}


function parseOwner(text: string | undefined): LockOwner | undefined {
  try {
    const owner = JSON.parse(text ?? '') as Partial<LockOwner>;
    return Number.isInteger(owner.pid) && typeof owner.host === 'string' ? (owner as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function mtimeOf(path: string): number | undefined {
  try {
    return lstatSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
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
