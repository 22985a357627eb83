/**
 * Synthesizes a git revision of this project for `deploykit diff --base <ref>`: the revision is
 * checked out in a temporary `git worktree` and borrows the current checkout's node_modules through a
 * symlink (no `npm ci`). A revision of deploykit's own repository runs its own CLI (`config`, then
 * `synth`) with tsx; a revision of a team's repository, where deploykit is an installed package, is
 * synthesized by the installed deploykit with the revision's definitions module. Output goes to a
 * temporary directory. The worktree is removed afterwards; the working tree and `dist/` are never touched.
 * Worktrees of killed runs (their owner pid no longer runs) are removed by the next run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { DiffError } from './diff-error';
import { ownPackageRoot } from '../../pipelines/deploykit-source';
import { isProcessAlive } from '../../synth/process-alive';

/** Options of {@link synthesizeRevision}. */
export interface RevisionSynthOptions {
  /** The git ref to synthesize (`HEAD`, `origin/main`, a SHA). */
  readonly ref: string;
  /** How the ref is named in errors, e.g. `--base main`. @default - `--base <ref>` */
  readonly label?: string;
  /** Where the output goes; must not exist yet. */
  readonly outDir: string;
  /** Environments to synthesize; names the revision does not define are skipped. @default - all */
  readonly environments?: readonly string[];
  /** `--image-tag` for the revision's synth. @default - each service's tag */
  readonly imageTag?: string;
  /**
   * Definitions file. A file inside the repository is read as the revision has it, when it exists there.
   * @default - the revision's built-in definitions
   */
  readonly config?: string;
  /** Directory inside the repository. @default process.cwd() */
  readonly cwd?: string;
  /**
   * Called with a warning the report's reader should see (e.g. a team revision that locks another deploykit version).
   * @default - warnings are dropped
   */
  readonly onWarning?: (message: string) => void;
}

/** What the revision's synth produced. */
export interface RevisionSynthResult {
  /** The full commit SHA that was synthesized. */
  readonly commit: string;
  /** Tier per environment name, from the revision's definitions. */
  readonly tiers: ReadonlyMap<string, string>;
}

/** Prefix of the temporary directory holding each revision's worktree (`<tmp>/deploykit-diff-base-*\/checkout`). */
const WORKTREE_PREFIX = 'deploykit-diff-base-';
/** File beside the worktree naming the pid of the run that uses it. */
const OWNER_FILE = 'owner.pid';

/**
 * Removes the worktrees of `diff` runs that were killed (their owner process no longer runs), first
 * unlinking their borrowed node_modules, and prunes worktrees whose directories are gone.
 */
export function removeAbandonedWorktrees(repoRoot: string): string[] {
  const listed = git(['worktree', 'list', '--porcelain'], repoRoot);
  if (!listed.ok) return [];
  const removed: string[] = [];
  const paths = listed.stdout
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length));
  for (const path of paths) {
    const scratch = dirname(path);
    if (basename(path) !== 'checkout' || !basename(scratch).startsWith(WORKTREE_PREFIX) || !existsSync(scratch)) continue;
    let owner = Number.NaN;
    try {
      owner = Number.parseInt(readFileSync(join(scratch, OWNER_FILE), 'utf8'), 10);
    } catch {
      // No owner recorded: left by an earlier release, whose runs remove their worktree when they end.
    }
    if (Number.isInteger(owner) && isProcessAlive(owner)) continue;
    // The borrowed node_modules is a symlink to a live checkout's: remove the link, never its target.
    for (const link of findNodeModulesLinks(path)) unlinkSync(link);
    // Twice --force: a run killed during `git worktree add` leaves the worktree locked ("initializing").
    git(['worktree', 'remove', '--force', '--force', path], repoRoot);
    rmSync(scratch, { recursive: true, force: true });
    removed.push(path);
  }
  git(['worktree', 'prune'], repoRoot);
  return removed;
}

/** `node_modules` symlinks in the worktree (at its root and one or two levels down, where a project may sit). */
function findNodeModulesLinks(worktree: string, depth = 0): string[] {
  const links: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(worktree, { withFileTypes: true });
  } catch {
    return links;
  }
  for (const entry of entries) {
    const path = join(worktree, entry.name);
    if (entry.name === 'node_modules' && entry.isSymbolicLink()) links.push(path);
    else if (entry.isDirectory() && entry.name !== '.git' && entry.name !== 'node_modules' && depth < 2) links.push(...findNodeModulesLinks(path, depth + 1));
  }
  return links;
}


/** Runs the revision's `cli/main.ts` with tsx. */
const RUNNER = "require('./cli/main').main(process.argv.slice(1)).then((code) => process.exit(code))";

function git(args: readonly string[], cwd: string): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { ok: result.status === 0, stdout: (result.stdout ?? '').trim(), stderr: (result.stderr ?? '').trim() || (result.error?.message ?? '') };
}

/** Root of the deploykit package this process runs from (the repository, or `node_modules/deploykit` when installed). */
function deploykitRoot(): string {
  const root = ownPackageRoot();
  if (root === undefined) throw new DiffError(`cannot find deploykit's package.json above ${__dirname}; reinstall deploykit`);
  return root;
}

/**
 * The node_modules directory of the project deploykit runs in: the one deploykit is installed in, or
 * the repository's own.
 */
function nodeModulesDir(root: string): string {
  for (let dir = dirname(root); dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) === 'node_modules') return dir;
  }
  return join(root, 'node_modules');
}

/** The `name` in a package.json, or undefined when the file is missing or unreadable. */
function packageName(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** The version of deploykit a revision's package-lock.json locks, if it has one that does. */
function lockedDeploykitVersion(project: string): string | undefined {
  try {
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages?: Record<string, { version?: string }> };
    return lock.packages?.['node_modules/deploykit']?.version;
  } catch {
    return undefined;
  }
}

/** True when `ref` names a commit of the repository around `cwd`. */
export function isGitRevision(ref: string, cwd = process.cwd()): boolean {
  return git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd).ok;
}

/** Synthesizes `options.ref` into `options.outDir`. @throws DiffError with git's or the revision's message. */
export function synthesizeRevision(options: RevisionSynthOptions): RevisionSynthResult {
  const cwd = options.cwd ?? process.cwd();
  const label = options.label ?? `--base ${options.ref}`;
  const top = git(['rev-parse', '--show-toplevel'], cwd);
  if (!top.ok) throw new DiffError(`${label}: not a synth output directory and not inside a git repository (${top.stderr}); pass a directory holding manifest.json`);
  const repoRoot = top.stdout;
  const commit = git(['rev-parse', '--verify', '--quiet', `${options.ref}^{commit}`], cwd);
  if (!commit.ok) {
    throw new DiffError(`${label}: neither a synth output directory nor a git revision; pass a directory holding manifest.json or a ref such as HEAD or origin/main`);
  }

  removeAbandonedWorktrees(repoRoot);
  const root = deploykitRoot();
  const nodeModules = nodeModulesDir(root);
  const projectInRepo = relative(repoRoot, dirname(nodeModules));
  const projectPath = projectInRepo.startsWith('..') || isAbsolute(projectInRepo) ? relative(repoRoot, cwd) : projectInRepo;
  const scratch = mkdtempSync(join(tmpdir(), WORKTREE_PREFIX));
  // Written before the worktree exists: a later run tells an abandoned worktree by its dead owner.
  writeFileSync(join(scratch, OWNER_FILE), `${process.pid}\n`);
  const worktree = join(scratch, 'checkout');
  const added = git(['worktree', 'add', '--detach', '--quiet', worktree, commit.stdout], repoRoot);
  if (!added.ok) throw new DiffError(`${label}: git worktree add failed (${added.stderr})`);
  const project = join(worktree, projectPath);
  const link = join(project, 'node_modules');
  try {
    const ownRepository = packageName(project) === 'deploykit';
    if (ownRepository && !existsSync(join(project, 'cli', 'main.ts'))) {
      throw new DiffError(`${label}: revision ${commit.stdout.slice(0, 12)} has no ${join(projectPath, 'cli', 'main.ts')}; choose a revision of deploykit`);
    }
    if (!existsSync(link)) symlinkSync(nodeModules, link, 'dir');
    const config = options.config === undefined ? [] : ['--config', revisionConfigPath(options.config, cwd, repoRoot, worktree)];
    if (!ownRepository) warnOnOtherDeploykit(project, root, label, options.onWarning);
    const run = (args: readonly string[]) => (ownRepository ? runCli(project, args, label, commit.stdout) : runInstalledCli(root, project, args, label, commit.stdout));

    const effective = JSON.parse(run(['config', '--format', 'json', ...config])) as { environments?: { name: string; tier?: string }[] };
    const defined = effective.environments ?? [];
    const tiers = new Map(defined.filter((e) => typeof e.tier === 'string').map((e) => [e.name, e.tier as string]));
    const names = options.environments?.length ? options.environments.filter((n) => defined.some((e) => e.name === n)) : undefined;
    if (names && names.length === 0) {
      // The revision defines none of the requested environments: an empty output.
      writeEmptyOutput(options.outDir);
    } else {
      const image = options.imageTag === undefined ? [] : ['--image-tag', options.imageTag];
      run(['synth', '--quiet', '--out', resolve(options.outDir), ...config, ...image, ...(names ?? []).flatMap((n) => ['--env', n])]);
    }
    return { commit: commit.stdout, tiers };
  } finally {
    if (existsSync(link)) unlinkSync(link);
    const removed = git(['worktree', 'remove', '--force', worktree], repoRoot);
    if (!removed.ok) git(['worktree', 'prune'], repoRoot);
    rmSync(dirname(worktree), { recursive: true, force: true });
  }
}

/** The revision's copy of a definitions file inside the repository, else the file as given. */
function revisionConfigPath(config: string, cwd: string, repoRoot: string, worktree: string): string {
  const absolute = resolve(cwd, config);
  const inRepo = relative(repoRoot, absolute);
  if (!inRepo.startsWith('..') && !isAbsolute(inRepo) && existsSync(join(worktree, inRepo))) return join(worktree, inRepo);
  return absolute;
}

function runCli(project: string, args: readonly string[], label: string, commit: string): string {
  const result = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', RUNNER, ...args], {
    cwd: project,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.error?.message ?? ''}`.trim();
    throw new DiffError(`${label}: deploykit ${args[0]} failed in revision ${commit.slice(0, 12)} (exit ${result.status}):\n${output}`);
  }
  return result.stdout;
}

/**
 * Runs the installed deploykit (this process's own bin) in a team's revision: its definitions module,
 * imported by path, resolves `deploykit` through the borrowed node_modules to the same package.
 */
function runInstalledCli(root: string, project: string, args: readonly string[], label: string, commit: string): string {
  const result = spawnSync(process.execPath, [join(root, 'bin', 'deploykit.js'), ...args], {
    cwd: project,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DEPLOYKIT_NO_REBUILD: '1' },
  });
  if (result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.error?.message ?? ''}`.trim();
    throw new DiffError(`${label}: deploykit ${args[0]} failed in revision ${commit.slice(0, 12)} (exit ${result.status}):\n${output}`);
  }
  return result.stdout;
}

/**
 * A team's revision is synthesized with the deploykit installed now: when the revision locked another
 * version, output changes that come from the upgrade itself are not in the report, and the reader is told.
 */
function warnOnOtherDeploykit(project: string, root: string, label: string, onWarning: ((message: string) => void) | undefined): void {
  const locked = lockedDeploykitVersion(project);
  const installed = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version;
  if (locked === undefined || installed === undefined || locked === installed) return;
  onWarning?.(
    `${label}: the revision locks deploykit ${locked} but is synthesized with the installed ${installed}; changes that come from the deploykit upgrade itself are not in this report (compare two synth outputs for that)`,
  );
}

function writeEmptyOutput(outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify({ generator: 'deploykit', environments: {} }, null, 2)}\n`);
}
