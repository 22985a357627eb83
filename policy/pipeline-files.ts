/**
 * The generated CI pipeline files (`.gitlab-ci.yml`, `.github/workflows/deploy.yml`), parsed once
 * into jobs with what the CI rules read: the environment a job deploys, its gate, its scripts and
 * what runs when it fails. GitLab `extends` and YAML merge keys are resolved.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/** Paths of the pipeline files, relative to the project root. */
export const PIPELINE_FILES = { gitlab: '.gitlab-ci.yml', github: '.github/workflows/deploy.yml' } as const;

/** One CI job, normalized across GitLab CI and GitHub Actions. */
export interface PipelineJob {
  /** File the job is defined in (relative to the project root). */
  readonly file: string;
  readonly system: 'gitlab' | 'github';
  /** Job name (GitLab job key, GitHub job id). */
  readonly name: string;
  /** The deployment environment the job declares (`environment:`), if any. */
  readonly environment: string | undefined;
  /** True when a person must start the job: GitLab `when: manual`; GitHub an `environment:` (protection rules). */
  readonly manual: boolean;
  /** True when a failure of the job does not fail the pipeline (`allow_failure`, `continue-on-error`). */
  readonly allowFailure: boolean;
  /** Shell lines the job runs on success paths, in order, followed by the lines of the project scripts they call. */
  readonly script: readonly string[];
  /** The job's own shell lines, as written in the pipeline file. */
  readonly ownScript: readonly string[];
  /** Shell lines run after failure: GitLab `after_script`; GitHub steps with `if: failure()`. */
  readonly onFailure: readonly string[];
  /** GitLab `when: on_failure` jobs / GitHub `if: failure()` jobs are marked here. */
  readonly runsOnFailure: boolean;
  /** Jobs this one waits for (GitLab `needs`, GitHub `needs`). */
  readonly needs: readonly string[];
  /**
   * The runner labels the job selects: GitLab `tags` (the job's, else `default:`'s); GitHub `runs-on`
   * labels (a string, a list, or `{ group, labels }` as `group:<name>` plus the labels). Empty when
   * the job selects none (GitLab's shared runners).
   */
  readonly runnerLabels: readonly string[];
}

/** One pipeline file: its text (for text rules) and its jobs. */
export interface PipelineFile {
  readonly file: string;
  readonly system: 'gitlab' | 'github';
  readonly text: string;
  readonly jobs: readonly PipelineJob[];
  /** Variables defined anywhere in the file (GitLab `variables`, GitHub `env`), by name. */
  readonly variables: Readonly<Record<string, string>>;
}

const GITLAB_RESERVED = new Set(['stages', 'variables', 'default', 'include', 'workflow', 'image', 'services', 'before_script', 'after_script', 'cache', 'spec']);

type Yaml = Record<string, unknown>;

/** A pipeline file as the generator renders it: its text and the data that text holds. */
export interface GeneratedPipelineFile {
  readonly path: string;
  readonly content: string;
  readonly value: object;
}

/**
 * Reads the pipeline files present under `root`; absent files are simply not returned. A file whose
 * text equals the generator's (`generated`) is not parsed: its data is the generator's.
 */
export function readPipelineFiles(root: string, generated: readonly GeneratedPipelineFile[] = []): PipelineFile[] {
  const files: PipelineFile[] = [];
  for (const [system, file] of Object.entries(PIPELINE_FILES) as ['gitlab' | 'github', string][]) {
    const path = join(root, file);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    const known = generated.find((g) => g.path === file && g.content === text);
    files.push(parsePipelineFile(system, file, text, root, known?.value as Yaml | undefined));
  }
  return files;
}

/**
 * Parses one pipeline file's text. With `root`, shell scripts the jobs run (`pipelines/scripts/x.sh`)
 * are read from the project and their lines count as the job's, recursively (scripts calling scripts).
 */
export function parsePipelineFile(system: 'gitlab' | 'github', file: string, text: string, root?: string, parsed?: Yaml): PipelineFile {
  const doc =
    parsed ?? (((require('yaml') as typeof import('yaml')).parse(text, { merge: true, prettyErrors: false, uniqueKeys: false }) ?? {}) as Yaml);
  const raw = system === 'gitlab' ? gitlabJobs(file, doc) : githubJobs(file, doc);
  const variables = collectVariables(doc);
  if (root === undefined) return { file, system, text, jobs: raw, variables };
  const scripts = new ScriptReader(root);
  const jobs = raw.map((j) => ({ ...j, script: scripts.expand(j.script), onFailure: scripts.expand(j.onFailure) }));
  return { file, system, text, jobs, variables };
}

/** Every `variables:` / `env:` entry with a string value, at any depth. */
function collectVariables(node: unknown, out: Record<string, string> = {}): Record<string, string> {
  if (Array.isArray(node)) node.forEach((n) => collectVariables(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as Yaml)) {
      if ((key === 'variables' || key === 'env') && value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [name, v] of Object.entries(value as Yaml)) {
          const text = typeof v === 'string' ? v : typeof (v as Yaml | null)?.value === 'string' ? String((v as Yaml).value) : undefined;
          if (text !== undefined && out[name] === undefined) out[name] = text;
        }
      }
      collectVariables(value, out);
    }
  }
  return out;
}

/** Replaces `$NAME` / `${NAME}` / `${{ env.NAME }}` with the file's variables, a few levels deep. */
export function expandVariables(text: string, variables: Readonly<Record<string, string>>): string {
  let out = text;
  for (let i = 0; i < 4; i++) {
    out = out.replace(/\$\{\{\s*env\.(\w+)\s*\}\}|\$\{(\w+)\}|\$(\w+)/g, (m, a, b, c) => variables[a ?? b ?? c] ?? m);
  }
  return out;
}

const SCRIPT_TOKEN = /[\w./$-]*?([\w.-]+(?:\/[\w.-]+)*\.sh)\b/g;

/** Reads the shell scripts jobs call, once each, and inlines them. */
class ScriptReader {
  private readonly cache = new Map<string, string[]>();
  constructor(private readonly root: string) {}

  /** `lines` followed by the lines of every script they call (depth-first, each script once). */
  expand(lines: readonly string[], baseDir = '', seen = new Set<string>()): string[] {
    const out: string[] = [];
    for (const line of lines) {
      out.push(line);
      for (const match of line.matchAll(SCRIPT_TOKEN)) {
        const path = this.locate(match[1], baseDir);
        if (!path || seen.has(path)) continue;
        seen.add(path);
        out.push(...this.expand(this.read(path), dirname(path), seen));
      }
    }
    return out;
  }

  private locate(token: string, baseDir: string): string | undefined {
    const candidates = [normalize(token), join(baseDir, token), join(baseDir, token.split('/').pop() ?? token)];
    return candidates.find((c) => !c.startsWith('..') && existsSync(join(this.root, c)) && statSync(join(this.root, c)).isFile());
  }

  private read(path: string): string[] {
    let lines = this.cache.get(path);
    if (!lines) {
      lines = readFileSync(join(this.root, path), 'utf8').split('\n');
      this.cache.set(path, lines);
    }
    return lines;
  }
}

function needsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return typeof value === 'string' ? [value] : [];
  return value.map((n) => (typeof n === 'string' ? n : String((n as Yaml)?.job ?? ''))).filter(Boolean);
}

function lines(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value.flat(Infinity) : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

function environmentName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as Yaml).name === 'string') return (value as Yaml).name as string;
  return undefined;
}

function mergeDeep(base: Yaml, over: Yaml): Yaml {
  const out: Yaml = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] =
      prev && value && typeof prev === 'object' && typeof value === 'object' && !Array.isArray(prev) && !Array.isArray(value)
        ? mergeDeep(prev as Yaml, value as Yaml)
        : value;
  }
  return out;
}

function gitlabJobs(file: string, doc: Yaml): PipelineJob[] {
  const resolved = new Map<string, Yaml>();
  const resolve = (name: string, seen: string[]): Yaml => {
    const cached = resolved.get(name);
    if (cached) return cached;
    const own = (doc[name] ?? {}) as Yaml;
    let merged: Yaml = {};
    for (const parent of lines(own.extends)) {
      if (!seen.includes(parent) && doc[parent]) merged = mergeDeep(merged, resolve(parent, [...seen, parent]));
    }
    merged = mergeDeep(merged, own);
    resolved.set(name, merged);
    return merged;
  };
  const defaults = (doc.default ?? {}) as Yaml;
  const jobs: PipelineJob[] = [];
  for (const name of Object.keys(doc)) {
    if (GITLAB_RESERVED.has(name) || name.startsWith('.')) continue;
    const job = resolve(name, [name]);
    if (typeof job !== 'object' || job === null || (!job.script && !job.trigger)) continue;
    const rules = Array.isArray(job.rules) ? (job.rules as Yaml[]) : [];
    const ruleWhens = rules.map((r) => (typeof r.when === 'string' ? r.when : 'on_success')).filter((w) => w !== 'never');
    const manual = job.when === 'manual' || (ruleWhens.length > 0 && ruleWhens.every((w) => w === 'manual'));
    const allowFailure = job.allow_failure === true || (typeof job.allow_failure === 'object' && job.allow_failure !== null);
    jobs.push({
      file,
      system: 'gitlab',
      name,
      environment: environmentName(job.environment),
      manual,
      allowFailure: manual ? job.allow_failure === true : allowFailure,
      script: [...lines(job.before_script ?? defaults.before_script ?? doc.before_script), ...lines(job.script)],
      ownScript: [...lines(job.before_script ?? defaults.before_script ?? doc.before_script), ...lines(job.script)],
      onFailure: lines(job.after_script ?? defaults.after_script ?? doc.after_script),
      runsOnFailure: job.when === 'on_failure' || rules.some((r) => r.when === 'on_failure'),
      needs: needsOf(job.needs),
      runnerLabels: lines(job.tags ?? defaults.tags),
    });
  }
  return jobs;
}

function isFailureCondition(value: unknown): boolean {
  return typeof value === 'string' && /\bfailure\(\)/.test(value);
}

/** The labels of a GitHub `runs-on`: a label, a list of labels, or `{ group, labels }`. */
function runsOnLabels(value: unknown): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const { group, labels } = value as Yaml;
    return [...(typeof group === 'string' ? [`group:${group}`] : []), ...lines(labels)];
  }
  return lines(value);
}

function githubJobs(file: string, doc: Yaml): PipelineJob[] {
  const jobs: PipelineJob[] = [];
  for (const [name, raw] of Object.entries((doc.jobs ?? {}) as Record<string, Yaml>)) {
    if (!raw || typeof raw !== 'object') continue;
    const steps = Array.isArray(raw.steps) ? (raw.steps as Yaml[]) : [];
    const environment = environmentName(raw.environment);
    jobs.push({
      file,
      system: 'github',
      name,
      environment,
      manual: environment !== undefined,
      allowFailure: raw['continue-on-error'] === true || steps.some((s) => s['continue-on-error'] === true && /rollout status|kubectl wait/.test(String(s.run ?? ''))),
      script: steps.filter((s) => !isFailureCondition(s.if)).flatMap((s) => lines(s.run).flatMap((l) => l.split('\n'))),
      ownScript: steps.filter((s) => !isFailureCondition(s.if)).flatMap((s) => lines(s.run).flatMap((l) => l.split('\n'))),
      onFailure: steps.filter((s) => isFailureCondition(s.if)).flatMap((s) => lines(s.run).flatMap((l) => l.split('\n'))),
      runsOnFailure: isFailureCondition(raw.if),
      needs: needsOf(raw.needs),
      runnerLabels: runsOnLabels(raw['runs-on']),
    });
  }
  return jobs;
}
