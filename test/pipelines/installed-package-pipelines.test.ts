/**
 * The pipelines of a team repository that installs deploykit from npm (`deploykit: 'package'`): no file
 * of deploykit's own repository, the CLI through `npx --no-install deploykit`, the step scripts from
 * node_modules/deploykit, every one of them shipped in the npm tarball — and the real validators.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePipelines, GITHUB_WORKFLOW_FILE, GITLAB_CI_FILE, type PipelineFile } from '../../pipelines/pipeline-files';
import type { GithubWorkflow } from '../../pipelines/github-workflow-types';
import { exampleDefs, tempDir } from '../support/synth';
import { gitlabJobsFor, gitlabRepository, validateGithubWorkflow } from './pipeline-validators';

const root = join(__dirname, '..', '..');
const INSTALLED_SCRIPTS = 'node_modules/deploykit/pipelines/scripts';
/** A step script path as the jobs write it (relative to the repository root). */
const SCRIPT_PATH = /(?:^|[\s"'])((?:[\w.-]+\/)*[\w.-]+\.sh)\b/g;
/** A deploykit CLI command in a job line, however it is invoked. */
const CLI_COMMAND = /\bdeploykit(?:\.js)? (synth|check|diff)\b/;

interface JobLines {
  /** Lines in order: GitLab before_script + script, GitHub every `run:` of the steps. */
  readonly lines: string[];
  /** GitLab after_script (runs in the same working directory). */
  readonly after: string[];
}

const defs = exampleDefs();
const packaged = generatePipelines(defs, { deploykit: 'package' });
const checkout = generatePipelines(defs, { deploykit: 'repository' });
const fileOf = (files: PipelineFile[], path: string) => files.find((f) => f.path === path)!;

function gitlabJobs(file: PipelineFile): Map<string, JobLines> {
  const jobs = new Map<string, JobLines>();
  for (const [name, job] of Object.entries(file.value as Record<string, any>)) {
    if (!Array.isArray(job?.script)) continue;
    jobs.set(name, { lines: [...(job.before_script ?? []), ...job.script], after: job.after_script ?? [] });
  }
  return jobs;
}

function githubJobs(file: PipelineFile): Map<string, JobLines> {
  const workflow = file.value as GithubWorkflow;
  return new Map(
    Object.entries(workflow.jobs).map(([id, job]) => [id, { lines: job.steps.flatMap((s) => (s.run ? s.run.split('\n') : [])), after: [] }]),
  );
}

function allLines(files: PipelineFile[]): string[] {
  return files.flatMap((f) => [...(f.path === GITLAB_CI_FILE ? gitlabJobs(f) : githubJobs(f)).values()].flatMap((j) => [...j.lines, ...j.after]));
}

function scriptPaths(lines: readonly string[]): string[] {
  return [...new Set(lines.flatMap((line) => [...line.matchAll(SCRIPT_PATH)].map((m) => m[1])))].sort();
}

const basename = (path: string) => path.split('/').pop()!;

describe('pipelines of a repository that installs deploykit as a package', () => {
  test.each([GITLAB_CI_FILE, GITHUB_WORKFLOW_FILE])('%s runs no file of deploykit’s own repository and never builds deploykit', (path) => {
    const content = fileOf(packaged, path).content;
    expect(content).not.toContain('bin/deploykit.js');
    expect(content).not.toContain('npm run build');
    // The same pipeline of deploykit's own repository does both: the assertions above have teeth.
    expect(fileOf(checkout, path).content).toContain('node bin/deploykit.js');
    expect(fileOf(checkout, path).content).toContain('npm run build');
  });

  test('every deploykit command is the installed bin through npx --no-install, with the same arguments as in the checkout', () => {
    const commands = allLines(packaged).filter((line) => CLI_COMMAND.test(line));
    expect(new Set(commands.map((line) => CLI_COMMAND.exec(line)![1]))).toEqual(new Set(['synth', 'check']));
    for (const line of commands) expect(line).toMatch(/^npx --no-install deploykit (synth|check) /);
    const inCheckout = allLines(checkout).filter((line) => CLI_COMMAND.test(line));
    expect(commands).toEqual(inCheckout.map((line) => line.replace('node bin/deploykit.js ', 'npx --no-install deploykit ')));
  });

  test('every step script runs from node_modules/deploykit/pipelines/scripts, the same scripts as in the checkout', () => {
    const paths = scriptPaths(allLines(packaged));
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path).toMatch(new RegExp(`^${INSTALLED_SCRIPTS}/[\\w.-]+\\.sh$`));
    expect(paths.map(basename)).toEqual(scriptPaths(allLines(checkout)).map(basename));
  });

  test('every GitLab job that runs a step script installs the repository’s dependencies first, with Node.js on Alpine images', () => {
    let checked = 0;
    for (const [name, job] of gitlabJobs(fileOf(packaged, GITLAB_CI_FILE))) {
      const firstUse = job.lines.findIndex((line) => line.includes(`${INSTALLED_SCRIPTS}/`) || CLI_COMMAND.test(line));
      const usesScripts = firstUse >= 0 || job.after.some((line) => line.includes(`${INSTALLED_SCRIPTS}/`));
      if (!usesScripts) continue;
      checked++;
      const install = job.lines.findIndex((line) => line.startsWith('npm ci '));
      expect([name, install >= 0 && (firstUse < 0 || install < firstUse)]).toEqual([name, true]);
      const apk = job.lines.find((line) => line.startsWith('apk add '));
      if (apk) expect([name, apk.split(' ')]).toEqual([name, expect.arrayContaining(['bash', 'nodejs', 'npm'])]);
    }
    expect(checked).toBeGreaterThan(0);
  });

  test('every GitHub job that runs a step script sets up Node.js and installs the repository’s dependencies first', () => {
    const workflow = fileOf(packaged, GITHUB_WORKFLOW_FILE).value as GithubWorkflow;
    let checked = 0;
    for (const [id, job] of Object.entries(workflow.jobs)) {
      const firstUse = job.steps.findIndex((s) => s.run !== undefined && (s.run.includes(`${INSTALLED_SCRIPTS}/`) || CLI_COMMAND.test(s.run)));
      if (firstUse < 0) continue;
      checked++;
      const install = job.steps.findIndex((s) => s.run?.split('\n').some((line) => line.startsWith('npm ci ')));
      const node = job.steps.findIndex((s) => s.uses?.startsWith('actions/setup-node@'));
      expect([id, node >= 0 && node < install && install < firstUse]).toEqual([id, true]);
    }
    expect(checked).toBeGreaterThan(0);
  });

  test('the test jobs run the repository’s own npm test after npm ci', () => {
    const gitlabTest = gitlabJobs(fileOf(packaged, GITLAB_CI_FILE)).get('test')!.lines;
    expect(gitlabTest.indexOf('npm test')).toBeGreaterThan(gitlabTest.findIndex((line) => line.startsWith('npm ci ')));
    const githubTest = githubJobs(fileOf(packaged, GITHUB_WORKFLOW_FILE)).get('test')!.lines;
    expect(githubTest.indexOf('npm test')).toBeGreaterThan(githubTest.findIndex((line) => line.startsWith('npm ci ')));
  });

  test('gitlab-ci-local accepts the GitLab pipeline and lists the same jobs as the checkout’s in each context', () => {
    const packagedRepo = gitlabRepository(fileOf(packaged, GITLAB_CI_FILE).content);
    const checkoutRepo = gitlabRepository(fileOf(checkout, GITLAB_CI_FILE).content);
    const contexts: [Record<string, string>, string[]][] = [
      [{ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: defs.ci.defaultBranch }, []],
      [{ CI_PIPELINE_SOURCE: 'merge_request_event', CI_COMMIT_BRANCH: 'feature' }, []],
      [{ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_TAG: 'v1.2.3' }, ['CI_COMMIT_BRANCH']],
    ];
    for (const [variables, unset] of contexts) {
      const listed = gitlabJobsFor(packagedRepo, variables, unset);
      expect(listed.size).toBeGreaterThan(0);
      expect([...listed.keys()]).toEqual([...gitlabJobsFor(checkoutRepo, variables, unset).keys()]);
    }
  });

  test('action-validator accepts the GitHub workflow', () => {
    expect(validateGithubWorkflow(fileOf(packaged, GITHUB_WORKFLOW_FILE).content)).toEqual({ status: 0, output: '' });
  });
});

describe('the npm tarball holds what the package-mode pipelines run', () => {
  /** `npm pack --dry-run`: the tarball's file list from package.json `files`, offline, without building. */
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  const tarball = new Map<string, number>(
    (JSON.parse(packed.stdout) as { files: { path: string; mode: number }[] }[])[0].files.map((f) => [f.path, f.mode]),
  );

  /** A script path inside the package, with the scripts and libraries it runs or sources, transitively. */
  function withDependencies(paths: readonly string[]): string[] {
    const found = new Set<string>();
    const visit = (path: string) => {
      if (found.has(path)) return;
      found.add(path);
      const dir = path.slice(0, path.lastIndexOf('/'));
      for (const match of readFileSync(join(root, path), 'utf8').matchAll(/[\w/.-]*?((?:lib\/)?[\w-]+\.sh)\b/g)) {
        const called = `${dir}/${match[1]}`;
        if (existsSync(join(root, called))) visit(called);
      }
    };
    paths.forEach(visit);
    return [...found].sort();
  }

  test('every step script the pipelines run is in the tarball, executable, and so is every script it calls or sources', () => {
    expect(packed.status).toBe(0);
    const run = scriptPaths(allLines(packaged)).map((path) => path.replace(/^node_modules\/deploykit\//, ''));
    for (const path of run) {
      expect([path, tarball.has(path)]).toEqual([path, true]);
      expect([path, (tarball.get(path)! & 0o111) !== 0]).toEqual([path, true]);
    }
    const all = withDependencies(run);
    expect(all).toEqual(expect.arrayContaining(['pipelines/scripts/lib/common.sh', 'pipelines/scripts/rollback.sh', 'pipelines/scripts/smoke-test.sh']));
    for (const path of all) expect([path, tarball.has(path)]).toEqual([path, true]);
  });

  test('the bin the step scripts run (bin/deploykit.js beside pipelines/scripts) and its bundle are in the tarball', () => {
    const bin = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin.deploykit as string;
    expect(bin).toBe('bin/deploykit.js');
    expect(readFileSync(join(root, 'pipelines/scripts/lib/common.sh'), 'utf8')).toContain('/../../..');
    expect(tarball.has(bin)).toBe(true);
    expect(tarball.has('build/cli.js')).toBe(true);
  });
});

describe('step scripts in the installed layout', () => {
  /**
   * A team repository with deploykit's tarball files at node_modules/deploykit (copied from this
   * checkout, whose bundle jest's global setup built); deploykit's dependencies are this checkout's
   * node_modules, linked. The scripts run from there, in the team's root, as the jobs run them.
   */
  function teamRepository(): string {
    const team = tempDir('deploykit-team-');
    writeFileSync(join(team, 'package.json'), JSON.stringify({ name: 'storefront-platform', private: true }));
    const installed = join(team, 'node_modules', 'deploykit');
    for (const path of ['package.json', 'bin/deploykit.js', 'build/cli.js']) {
      mkdirSync(join(installed, path, '..'), { recursive: true });
      copyFileSync(join(root, path), join(installed, path));
    }
    cpSync(join(root, 'pipelines', 'scripts'), join(installed, 'pipelines', 'scripts'), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(installed, 'node_modules'), 'dir');
    return team;
  }

  const env = { ...process.env, DEPLOYKIT_CLI: undefined, DEPLOYKIT_ID_TOKEN: undefined, AWS_ACCESS_KEY_ID: undefined, DEPLOYKIT_DEBUG: undefined };

  test('terraform-drift.sh synthesizes with the installed deploykit bin beside the scripts, from the team’s root', () => {
    const team = teamRepository();
    const target = defs.environments[0];
    const script = join(INSTALLED_SCRIPTS, 'terraform-drift.sh');
    const result = spawnSync(script, ['--env', target.name, '--region', target.region, '--role-arn', 'arn:aws:iam::111111111111:role/r'], {
      cwd: team,
      env,
      encoding: 'utf8',
    });
    // The synth ran (its Terraform is in the team's dist/); the role cannot be assumed without credentials.
    expect(result.stderr).toContain('terraform-drift: no AWS credentials');
    expect(result.status).toBe(1);
    expect(existsSync(join(team, 'dist', target.name, 'terraform', 'cdk.tf.json'))).toBe(true);
    expect(readdirSync(join(team, 'dist')).sort()).toEqual(expect.arrayContaining(['manifest.json', target.name]));
  });

  test('scripts copied elsewhere run the project’s installed deploykit through npx --no-install', () => {
    const team = tempDir('deploykit-team-');
    writeFileSync(join(team, 'package.json'), JSON.stringify({ name: 'storefront-platform', private: true }));
    cpSync(join(root, 'pipelines', 'scripts'), join(team, 'ci'), { recursive: true });
    // A recording stand-in for the installed bin (the real one runs in the test above): this checks which
    // command the scripts choose when no bin lies beside them.
    const bin = join(team, 'node_modules', '.bin', 'deploykit');
    mkdirSync(join(bin, '..'), { recursive: true });
    writeFileSync(bin, '#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> calls.txt\n');
    chmodSync(bin, 0o755);
    const result = spawnSync('ci/terraform-drift.sh', ['--env', 'dev', '--region', 'eu-west-1', '--role-arn', 'arn:aws:iam::111111111111:role/r'], {
      cwd: team,
      env: { ...env, npm_config_offline: 'true' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(readFileSync(join(team, 'calls.txt'), 'utf8')).toBe('synth --env dev --out dist --no-pipelines --quiet\n');
  });
});
