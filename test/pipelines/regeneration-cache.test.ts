import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GITLAB_CI_FILE } from '../../pipelines/pipeline-files';
import { regeneratePipelines } from '../../pipelines/regenerate';
import { buildId } from '../../pipelines/regeneration-cache';
import { exampleDefs, tempDir } from '../support/synth';

function repo(): string {
  const root = tempDir();
  mkdirSync(join(root, 'node_modules'));
  return root;
}

describe('pipeline regeneration cache', () => {
  const defs = exampleDefs();

  test('is off when running from sources (no build id)', () => {
    expect(buildId()).toBeUndefined();
  });

  test('skips rendering when build, definitions and files are unchanged', () => {
    const root = repo();
    expect(regeneratePipelines(defs, { rootDir: root, cacheSalt: 'build-1' }).written).toHaveLength(2);
    const before = statSync(join(root, GITLAB_CI_FILE)).mtimeMs;
    const again = regeneratePipelines(defs, { rootDir: root, cacheSalt: 'build-1' });
    expect(again).toEqual({ written: [], unchanged: ['.gitlab-ci.yml', '.github/workflows/deploy.yml'] });
    expect(statSync(join(root, GITLAB_CI_FILE)).mtimeMs).toBe(before);
  });

  test('renders again when a file was edited by hand, and restores it', () => {
    const root = repo();
    regeneratePipelines(defs, { rootDir: root, cacheSalt: 'build-1' });
    const original = readFileSync(join(root, GITLAB_CI_FILE), 'utf8');
    writeFileSync(join(root, GITLAB_CI_FILE), `${original}# hand edit\n`);
    expect(regeneratePipelines(defs, { rootDir: root, cacheSalt: 'build-1' }).written).toEqual(['.gitlab-ci.yml']);
    expect(readFileSync(join(root, GITLAB_CI_FILE), 'utf8')).toBe(original);
  });

  test('renders again for another build or other definitions', () => {
    const root = repo();
    regeneratePipelines(defs, { rootDir: root, cacheSalt: 'build-1' });
    writeFileSync(join(root, GITLAB_CI_FILE), 'stale: true\n');
    // A different build must not trust the record of the previous one.
    expect(regeneratePipelines(defs, { rootDir: root, cacheSalt: 'build-2' }).written).toEqual(['.gitlab-ci.yml']);
    const changed = exampleDefs();
    (changed.environments[0] as { name: string }).name = 'qa';
    expect(regeneratePipelines(changed, { rootDir: root, cacheSalt: 'build-2' }).written.length).toBeGreaterThan(0);
  });
});
