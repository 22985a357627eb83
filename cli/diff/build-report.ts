/**
 * `deploykit diff` end to end: resolves the base and the head (a synth output directory, a git
 * revision synthesized in a temporary worktree, or, for the head by default, the working tree
 * synthesized in process), reads both outputs and compares them. Everything is synthesized into
 * temporary directories, removed afterwards; `dist/` is never touched.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadDefinitions, type Definitions } from '../../config';
import { unknownEnvironmentsError } from '../../synth/unknown-environments';
import { compareOutputs } from './compare-outputs';
import { DiffError } from './diff-error';
import type { DiffReport } from './report';
import { synthesizeRevision } from './revision-output';
import { isSynthOutput, readSynthOutput, type SynthOutput } from './synth-output';

/** Options of {@link buildDiffReport}; the CLI options of `deploykit diff`. */
export interface DiffOptions {
  /** Synth output directory (holds manifest.json) or git ref to compare against. */
  readonly base: string;
  /** Synth output directory or git ref. @default - the working tree, synthesized */
  readonly head?: string;
  /** Environments to compare. @default - every environment of either side */
  readonly environments?: readonly string[];
  /** `--image-tag` for every synthesized side. @default - each service's `image.tag` */
  readonly imageTag?: string;
  /** Definitions file for every synthesized side. @default - the built-in definitions of each side */
  readonly config?: string;
  /** Directory relative paths and git refs are resolved from. @default process.cwd() */
  readonly cwd?: string;
  /**
   * Called with warnings about how a side was synthesized (e.g. a team revision locking another deploykit version).
   * @default - warnings are dropped
   */
  readonly onWarning?: (message: string) => void;
}

interface ResolvedSide {
  readonly output: SynthOutput;
  readonly label: string;
  readonly tiers: ReadonlyMap<string, string>;
}

/** Builds the report comparing `options.base` with `options.head`. @throws DiffError, ValidationError, DefinitionsFileError */
export function buildDiffReport(options: DiffOptions): DiffReport {
  const cwd = options.cwd ?? process.cwd();
  const scratch = mkdtempSync(join(tmpdir(), 'deploykit-diff-'));
  try {
    const base = resolveSide('base', options.base, options, cwd, join(scratch, 'base'));
    const head = resolveSide('head', options.head, options, cwd, join(scratch, 'head'));
    refuseUnknownEnvironments(options.environments ?? [], [base, head], () => {
      const configFile = options.config === undefined ? undefined : resolve(cwd, options.config);
      return loadDefinitions(configFile).environments.map((env) => env.name);
    });
    let tiers = new Map([...base.tiers, ...head.tiers]);
    if (tiers.size === 0 && options.config !== undefined) tiers = tiersOf(loadDefinitions(resolve(cwd, options.config)));
    return compareOutputs(base.output, head.output, {
      baseLabel: base.label,
      headLabel: head.label,
      environments: options.environments,
      tiers,
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Refuses an `--env` name that neither side has (in its output or, when synthesized, its definitions)
 * and the definitions do not define either, as `synth --env` does; the definitions are loaded only then.
 * @throws ValidationError at `--env`
 */
function refuseUnknownEnvironments(names: readonly string[], sides: readonly ResolvedSide[], definedNames: () => readonly string[]): void {
  const onSides = sides.flatMap((side) => [...side.output.environments.keys(), ...side.tiers.keys()]);
  if (!unknownEnvironmentsError(names, onSides)) return;
  const error = unknownEnvironmentsError(names, [...new Set([...definedNames(), ...onSides])]);
  if (error) throw error;
}

function tiersOf(defs: Definitions): Map<string, string> {
  return new Map(defs.environments.map((env) => [env.name, env.tier]));
}

function resolveSide(side: 'base' | 'head', spec: string | undefined, options: DiffOptions, cwd: string, outDir: string): ResolvedSide {
  if (spec === undefined) {
    const configFile = options.config === undefined ? undefined : resolve(cwd, options.config);
    const defs = loadDefinitions(configFile);
    // Loaded only when a side is synthesized: reading two directories needs neither cdktf nor cdk8s.
    const { synthesize } = require('../../synth/synthesize') as typeof import('../../synth/synthesize');
    const { loadExtensions } = require('../../synth/extensions') as typeof import('../../synth/extensions');
    synthesize(defs, { ...loadExtensions(configFile), outDir, environments: options.environments, imageTag: options.imageTag });
    return { output: readSynthOutput(outDir, `--${side}`), label: 'working tree', tiers: tiersOf(defs) };
  }
  const dir = resolve(cwd, spec);
  if (existsSync(dir) && statSync(dir).isDirectory()) {
    if (!isSynthOutput(dir)) {
      throw new DiffError(`--${side} ${spec}: the directory holds no manifest.json; pass a deploykit synth output directory (deploykit synth --out <dir>) or a git ref`);
    }
    return { output: readSynthOutput(dir, `--${side} ${spec}`), label: spec, tiers: new Map() };
  }
  const result = synthesizeRevision({
    ref: spec,
    label: `--${side} ${spec}`,
    outDir,
    environments: options.environments,
    imageTag: options.imageTag,
    config: options.config,
    cwd,
    onWarning: options.onWarning,
  });
  return { output: readSynthOutput(outDir, `--${side} ${spec}`), label: `${spec} (${result.commit.slice(0, 12)})`, tiers: result.tiers };
}
