/**
 * `deploykit check` as a function: synthesize into a throwaway directory (or read an existing
 * synth output), load each file once, run the rules and return the report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Definitions } from '../config';
import type { ResourceTypeActions } from '../infra/bootstrap/apply-permissions';
import type { SynthesizedEnvironment } from '../synth/synthesize';
import { loadApplyPermissions, loadExtensions } from '../synth/extensions';
import { loadProject } from './context';
import { runRules } from './engine';
import { PIPELINE_FILES } from './pipeline-files';
import { builtInRules } from './registry';
import { loadTeamRules } from './team-rules';
import type { CheckReport, Rule } from './types';

/** Options of {@link runCheck}. */
export interface CheckOptions {
  /** Environments to check. @default - all */
  readonly environments?: readonly string[];
  /** Synth output to read. @default - synthesize into a temporary directory first */
  readonly dir?: string;
  /** Project root holding the pipeline files. @default - CI rules are skipped with a note */
  readonly projectRoot?: string;
  /** Image tag to synthesize with when `dir` is not given. @default - each service's image.tag */
  readonly imageTag?: string;
  /** "Now" for date-dependent rules. @default - the current time */
  readonly now?: Date;
  /**
   * Rules to run.
   * @default - every built-in rule, plus the `checkRules` export of `configFile`
   */
  readonly rules?: readonly Rule[];
  /** Definitions file the pipelines were generated with (as `synth --config`). @default - the built-in definitions */
  readonly configFile?: string;
  /**
   * Terraform resource types a team's stacks add beyond `RESOURCE_TYPE_ACTIONS`, with the IAM actions
   * each needs; rule DK-TF-030 counts them as covered.
   * @default - the `applyPermissions` export of `configFile`, else {}
   */
  readonly applyPermissions?: ResourceTypeActions;
}

/**
 * Checks the definitions' synth output.
 * @throws ValidationError for unknown environments, CheckInputError for missing output, DefinitionsFileError
 *   for unusable `checkRules`, RuleCheckError when a rule's check throws
 */
export function runCheck(definitions: Definitions, options: CheckOptions = {}): CheckReport {
  const rules = options.rules ?? [...builtInRules(), ...loadTeamRules(options.configFile)];
  const { selectEnvironments, synthesize } = require('../synth/synthesize') as typeof import('../synth/synthesize');
  const environments = selectEnvironments(definitions, options.environments);
  let dir = options.dir;
  let temp: string | undefined;
  const preloaded = new Map<string, SynthesizedEnvironment>();
  if (dir === undefined) {
    temp = mkdtempSync(join(tmpdir(), 'deploykit-check-'));
    dir = join(temp, 'dist');
    synthesize(definitions, {
      ...loadExtensions(options.configFile),
      outDir: dir,
      environments: environments.map((e) => e.name),
      imageTag: options.imageTag,
      onEnvironment: (output) => preloaded.set(output.name, output),
    });
  }
  try {
    // Pipeline files identical to what synth would write need no YAML parsing: reuse the generator's data.
    const generatedPipelines =
      options.projectRoot === undefined
        ? []
        : (require('../pipelines/regenerate') as typeof import('../pipelines/regenerate')).renderPipelines(definitions, {
            rootDir: options.projectRoot,
            configFile: options.configFile,
          });
    const project = loadProject(definitions, { dir, projectRoot: options.projectRoot, environments, now: options.now, preloaded, generatedPipelines, applyPermissions: options.applyPermissions ?? loadApplyPermissions(options.configFile) });
    const notes: string[] = [];
    if (project.pipelines.length === 0) {
      notes.push(
        options.projectRoot === undefined
          ? 'CI rules skipped: no project root given for the pipeline files'
          : `CI rules skipped: neither ${PIPELINE_FILES.gitlab} nor ${PIPELINE_FILES.github} exists in ${options.projectRoot}`,
      );
    }
    return runRules(project, rules, notes);
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}
