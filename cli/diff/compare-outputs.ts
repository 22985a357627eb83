/**
 * The comparison of two synth outputs: per environment, the Terraform and Kubernetes changes with
 * masked values and risk flags. Pure and in memory: reading and synthesizing happen elsewhere.
 */
import { isProduction } from './environment-tier';
import { diffKubernetes } from './kubernetes-diff';
import type { RawChange } from './raw-change';
import { addCounts, countItems, type DiffReport, type EnvironmentDiff, type ItemChange } from './report';
import { evaluateRisks } from './risk-rules';
import { maskedFields } from './sensitive-values';
import { changedKubernetesObjects, type EnvironmentOutput, type SynthOutput } from './synth-output';
import { diffTerraform } from './terraform-diff';
import { terraformItems } from './terraform-items';

/** Options of {@link compareOutputs}. */
export interface CompareOptions {
  /** How the base is named in the report (a directory or a git ref). */
  readonly baseLabel: string;
  /** How the head is named in the report. */
  readonly headLabel: string;
  /** Environments to compare. @default - every environment of either output */
  readonly environments?: readonly string[];
  /** Tier per environment name from the definitions. @default - production is recognised by name */
  readonly tiers?: ReadonlyMap<string, string>;
}

const EMPTY: Omit<EnvironmentOutput, 'name'> = { terraform: [], kubernetes: [] };

/** Compares `base` with `head`. */
export function compareOutputs(base: SynthOutput, head: SynthOutput, options: CompareOptions): DiffReport {
  const names = [...new Set([...head.environments.keys(), ...base.environments.keys()])].filter(
    (name) => !options.environments || options.environments.length === 0 || options.environments.includes(name),
  );
  const environments = names.map((name) => compareEnvironment(name, base.environments.get(name), head.environments.get(name), options.tiers ?? new Map()));
  return {
    schemaVersion: 1,
    base: options.baseLabel,
    head: options.headLabel,
    environments,
    totals: addCounts(environments.map((e) => e.counts)),
  };
}

function compareEnvironment(
  name: string,
  base: EnvironmentOutput | undefined,
  head: EnvironmentOutput | undefined,
  tiers: ReadonlyMap<string, string>,
): EnvironmentDiff {
  const production = isProduction(name, tiers);
  if (base && head && base.fingerprint !== undefined && base.fingerprint === head.fingerprint) {
    return { name, production, status: 'compared', counts: countItems([]), terraform: [], kubernetes: [] };
  }
  const before = base ?? EMPTY;
  const after = head ?? EMPTY;
  const finish = (raw: RawChange): ItemChange => ({
    layer: raw.layer,
    address: raw.address,
    type: raw.type,
    action: raw.action,
    ...(raw.movedFrom !== undefined ? { movedFrom: raw.movedFrom } : {}),
    fields: maskedFields(raw),
    risks: evaluateRisks(raw, production),
  });
  const terraform = diffTerraform(terraformItems(before.terraform), terraformItems(after.terraform)).map(finish);
  const [beforeObjects, afterObjects] = base && head ? changedKubernetesObjects(base, head) : [before.kubernetes, after.kubernetes];
  const kubernetes = diffKubernetes(beforeObjects, afterObjects).map(finish);
  return {
    name,
    production,
    status: !base ? 'added' : !head ? 'removed' : 'compared',
    counts: countItems([...terraform, ...kubernetes]),
    terraform,
    kubernetes,
  };
}
