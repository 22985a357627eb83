import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectDeploykitSource } from '../../pipelines/deploykit-source';
import { generatePipelines, GITLAB_CI_FILE } from '../../pipelines/pipeline-files';
import { resolvePipelineOptions } from '../../pipelines/pipeline-options';
import { renderPipelines } from '../../pipelines/regenerate';
import { exampleDefs, tempDir } from '../support/synth';

const root = join(__dirname, '..', '..');

/** A project directory with a package.json named `name` (none when undefined). */
function project(name: string | undefined): string {
  const dir = tempDir('deploykit-project-');
  if (name !== undefined) writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0' }));
  return dir;
}

describe('detectDeploykitSource', () => {
  test('deploykit’s own checkout is a repository', () => {
    expect(detectDeploykitSource(root, root)).toBe('repository');
  });

  test('a deploykit that runs from a node_modules directory is a package, whatever the project', () => {
    const installed = join(project('storefront-platform'), 'node_modules', 'deploykit');
    mkdirSync(installed, { recursive: true });
    expect(detectDeploykitSource(join(installed, '..', '..'), installed)).toBe('package');
    expect(detectDeploykitSource(root, installed)).toBe('package');
  });

  test('a project whose package.json names another package is a package, even with deploykit linked from a checkout', () => {
    expect(detectDeploykitSource(project('storefront-platform'), root)).toBe('package');
  });

  test('a directory without package.json follows where deploykit runs from', () => {
    expect(detectDeploykitSource(project(undefined), root)).toBe('repository');
  });

  test('an unreadable package.json fails with its path and the way out', () => {
    const dir = project(undefined);
    writeFileSync(join(dir, 'package.json'), '{ "name": ');
    expect(() => detectDeploykitSource(dir, root)).toThrow(
      new RegExp(`^${join(dir, 'package.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON \\(.+\\); fix the file, or set the pipeline option deploykit$`),
    );
  });

  test('this test runs from deploykit’s checkout, so the module finds its own root outside node_modules', () => {
    expect(detectDeploykitSource(root)).toBe('repository');
    expect(resolvePipelineOptions().deploykit).toBe('repository');
    expect(resolvePipelineOptions().scriptsDir).toBe('pipelines/scripts');
  });
});

describe('the deploykit pipeline option', () => {
  test('package mode takes the installed scripts directory unless scriptsDir is given', () => {
    expect(resolvePipelineOptions({ deploykit: 'package' }).scriptsDir).toBe('node_modules/deploykit/pipelines/scripts');
    expect(resolvePipelineOptions({ deploykit: 'package', scriptsDir: 'ci/scripts' }).scriptsDir).toBe('ci/scripts');
  });

  test('fails on an unknown source with the value and the choices', () => {
    expect(() => resolvePipelineOptions({ deploykit: 'npm' as never })).toThrow(
      'deploykit ("npm") is not a deploykit source; use "repository" (deploykit\'s own checkout) or "package" (an npm dependency)',
    );
  });

  test('regeneration detects the source from the repository it writes to, and an explicit option wins', () => {
    const defs = exampleDefs();
    const gitlab = (files: { path: string; content: string }[]) => files.find((f) => f.path === GITLAB_CI_FILE)!.content;
    const team = project('storefront-platform');
    expect(gitlab(renderPipelines(defs, { rootDir: team }))).toBe(gitlab(generatePipelines(defs, { deploykit: 'package' })));
    expect(gitlab(renderPipelines(defs, { rootDir: team, deploykit: 'repository' }))).toBe(gitlab(generatePipelines(defs, { deploykit: 'repository' })));
    expect(gitlab(renderPipelines(defs, { rootDir: project('deploykit') }))).toBe(gitlab(generatePipelines(defs, { deploykit: 'repository' })));
  });
});
