/**
 * The real CI-file validators the pipeline tests run: gitlab-ci-local 4.73.0 (GitLab CI schema, rules
 * evaluated per context) and @action-validator/cli (GitHub workflow schema).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GITLAB_CI_FILE } from '../../pipelines/pipeline-files';
import { tempDir } from '../support/synth';

const GITLAB_CI_LOCAL = join(__dirname, '../../node_modules/.bin/gitlab-ci-local');
const ACTION_VALIDATOR = join(__dirname, '../../node_modules/.bin/action-validator');

/** A job as `gitlab-ci-local --list-json` lists it. */
export interface ListedJob {
  name: string;
  stage: string;
  when: string;
  needs?: { job: string }[];
}

/** A temporary git repository holding `content` as `.gitlab-ci.yml` (gitlab-ci-local needs one). */
export function gitlabRepository(content: string): string {
  const dir = tempDir('deploykit-gitlab-');
  writeFileSync(join(dir, GITLAB_CI_FILE), content);
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd: dir });
  git('init', '-q', '-b', 'main');
  git('add', GITLAB_CI_FILE);
  git('commit', '-q', '-m', 'pipeline');
  return dir;
}

/**
 * Jobs gitlab-ci-local lists for a context (the file is schema-validated first), without those whose
 * rules say never. Fails the test when gitlab-ci-local rejects the file.
 */
export function gitlabJobsFor(repo: string, variables: Record<string, string>, unset: string[] = []): Map<string, ListedJob> {
  const args = [
    '--list-json',
    ...Object.entries(variables).flatMap(([k, v]) => ['--variable', `${k}=${v}`]),
    ...unset.flatMap((name) => ['--unset-variable', name]),
  ];
  const result = spawnSync(GITLAB_CI_LOCAL, args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, GCL_IGNORE_PREDEFINED_VARS: 'CI_COMMIT_BRANCH,CI_COMMIT_TAG,CI_PIPELINE_SOURCE,CI_MERGE_REQUEST_IID' },
  });
  expect(result.status).toBe(0);
  const listed = JSON.parse(result.stdout) as ListedJob[];
  return new Map(listed.filter((j) => j.when !== 'never').map((j) => [j.name, j]));
}

/** Runs action-validator on a workflow text: its exit status and everything it printed. */
export function validateGithubWorkflow(content: string): { status: number | null; output: string } {
  const path = join(tempDir(), 'deploy.yml');
  writeFileSync(path, content);
  const result = spawnSync(ACTION_VALIDATOR, [path], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}
