/** Helpers for the diff tests: synthesize pairs of definitions and compare them. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { defineEnvironments } from '../../config';
import { synthesize } from '../../synth/synthesize';
import { compareOutputs } from '../../cli/diff/compare-outputs';
import type { DiffReport, EnvironmentDiff, ItemChange } from '../../cli/diff/report';
import { itemLines } from '../../cli/diff/report-lines';
import { readSynthOutput } from '../../cli/diff/synth-output';
import { exampleInput, tempDir } from '../support/synth';

/** Synthesizes the example and a mutated copy; returns both output directories. */
export function synthPair(
  mutate: (input: any) => void,
  options: { baseImageTag?: string; headImageTag?: string; environments?: string[] } = {},
): { base: string; head: string } {
  const root = tempDir('deploykit-diff-test-');
  const base = join(root, 'base');
  const head = join(root, 'head');
  synthesize(defineEnvironments(exampleInput()), { outDir: base, imageTag: options.baseImageTag, environments: options.environments });
  const input = exampleInput();
  mutate(input);
  synthesize(defineEnvironments(input), { outDir: head, imageTag: options.headImageTag, environments: options.environments });
  return { base, head };
}

/** Compares two output directories with the example's tiers. */
export function diffDirs(base: string, head: string): DiffReport {
  const tiers = new Map(defineEnvironments(exampleInput()).environments.map((e) => [e.name, e.tier]));
  return compareOutputs(readSynthOutput(base, 'base'), readSynthOutput(head, 'head'), { baseLabel: 'base', headLabel: 'head', tiers });
}

/** The named environment of a report. */
export function envOf(report: DiffReport, name: string): EnvironmentDiff {
  const env = report.environments.find((e) => e.name === name);
  if (!env) throw new Error(`no environment ${name} in the report`);
  return env;
}

/** The one item at `address` (Kubernetes) or of Terraform type `address` when it has no dot. */
export function itemAt(env: EnvironmentDiff, address: string): ItemChange {
  const items = [...env.terraform, ...env.kubernetes].filter((i) => i.address === address || (!address.includes('.') && !address.includes('/') && i.type === address));
  if (items.length !== 1) throw new Error(`${items.length} items match ${address}: ${[...env.terraform, ...env.kubernetes].map((i) => i.address).join(', ')}`);
  return items[0];
}

/** The lines an item renders as. */
export function linesOf(item: ItemChange): string[] {
  return itemLines(item);
}

/** Rule ids flagged on an item. */
export function rulesOf(item: ItemChange): string[] {
  return item.risks.map((r) => r.rule);
}

/** Writes a hand-made synth output: per environment, Terraform JSON and Kubernetes objects. */
export function writeOutput(envs: Record<string, { terraform?: Record<string, unknown>; kubernetes?: Record<string, unknown>[] }>): string {
  const dir = tempDir('deploykit-diff-fixture-');
  const manifest: { generator: string; environments: Record<string, { terraform: string[]; kubernetes: string[] }> } = { generator: 'deploykit', environments: {} };
  for (const [name, env] of Object.entries(envs)) {
    mkdirSync(join(dir, name, 'terraform'), { recursive: true });
    mkdirSync(join(dir, name, 'kubernetes'), { recursive: true });
    const tf = `${name}/terraform/cdk.tf.json`;
    const k8s = `${name}/kubernetes/objects.k8s.yaml`;
    writeFileSync(join(dir, tf), JSON.stringify(env.terraform ?? {}, null, 2));
    writeFileSync(join(dir, k8s), (env.kubernetes ?? []).map((o) => stringify(o)).join('---\n'));
    manifest.environments[name] = { terraform: [tf], kubernetes: [k8s] };
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}
