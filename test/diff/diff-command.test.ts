/** `deploykit diff` through the CLI: formats, exit codes, git revisions and Markdown size limits. */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildDiffReport } from '../../cli/diff/build-report';
import { compareOutputs } from '../../cli/diff/compare-outputs';
import { renderMarkdown } from '../../cli/diff/render-markdown';
import { readSynthOutput } from '../../cli/diff/synth-output';
import { runCli } from '../support/cli';
import { exampleDefs, tempDir } from '../support/synth';
import { synthPair, writeOutput } from './support';

const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('deploykit diff command', () => {
  // One risky change (a deleted namespace) and one routine change (a label), in prod.
  const base = writeOutput({ prod: { kubernetes: [namespace('old'), { ...namespace('web'), metadata: { name: 'web', labels: { team: 'a' } } }] } });
  const routine = writeOutput({ prod: { kubernetes: [namespace('old'), { ...namespace('web'), metadata: { name: 'web', labels: { team: 'b' } } }] } });
  const risky = writeOutput({ prod: { kubernetes: [{ ...namespace('web'), metadata: { name: 'web', labels: { team: 'a' } } }] } });

  test('prints the text report and exits 0 without --fail-on', async () => {
    const result = await runCli('diff', '--base', base, '--head', risky, '--format', 'text');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        'prod: 0 changed, 0 added, 1 removed · 1 risky',
        'total: 0 changed, 0 added, 1 removed · 1 risky',
        'Risky changes (1):',
        '  prod: - Namespace/old',
        '      ! deletes-namespace: namespace deleted: Kubernetes deletes every object in it',
      ]),
    );
  });

  test('--fail-on risky exits 1 on a risky change and 0 on a routine one', async () => {
    expect((await runCli('diff', '--base', base, '--head', risky, '--fail-on', 'risky')).code).toBe(1);
    expect((await runCli('diff', '--base', base, '--head', routine, '--fail-on', 'risky')).code).toBe(0);
  });

  test('--fail-on any exits 1 on any change and 0 when nothing changed', async () => {
    expect((await runCli('diff', '--base', base, '--head', routine, '--fail-on', 'any')).code).toBe(1);
    const same = await runCli('diff', '--base', base, '--head', base, '--fail-on', 'any');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('- **No changes.**');
  });

  test('--format json prints the documented schema', async () => {
    const result = await runCli('diff', '--base', base, '--head', routine, '--format', 'json');
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ schemaVersion: 1, base, head: routine, totals: { added: 0, removed: 0, changed: 1, moved: 0, risky: 0 } });
    expect(report.environments[0]).toMatchObject({ name: 'prod', production: true, status: 'compared', terraform: [] });
    expect(report.environments[0].kubernetes).toEqual([
      {
        layer: 'kubernetes',
        address: 'Namespace/web',
        type: 'Namespace',
        action: 'changed',
        fields: [{ path: 'metadata.labels.team', action: 'changed', before: 'a', after: 'b' }],
        risks: [],
      },
    ]);
  });

  test('--env limits the report to the named environments', async () => {
    const two = writeOutput({ dev: { kubernetes: [namespace('a')] }, prod: { kubernetes: [namespace('a')] } });
    const result = await runCli('diff', '--base', base, '--head', two, '--env', 'dev', '--format', 'text');
    expect(result.stdout).toContain('dev (new environment): 0 changed, 1 added, 0 removed · 0 risky');
    expect(result.stdout).not.toContain('prod');
  });

  test('--env naming an environment neither side nor the definitions have is refused as synth refuses it (exit 1)', async () => {
    const defined = exampleDefs().environments.map((e) => e.name);
    const both = writeOutput({ [defined[0]]: { kubernetes: [namespace('a')] } });
    const synth = await runCli('synth', '--out', join(tempDir(), 'dist'), '--env', 'qa');
    const diff = await runCli('diff', '--base', both, '--head', both, '--env', 'qa');
    expect(synth.code).toBe(1);
    expect(diff.code).toBe(synth.code);
    expect(diff.stdout).toBe('');
    expect(diff.stderr).toBe(synth.stderr.replace(/^deploykit synth:/, 'deploykit diff:'));
    expect(diff.stderr).toBe(
      `deploykit diff: invalid environment definitions (1 problem):\n  - --env: ("qa") is not a defined environment; use one of ${defined.join(', ')}\nNothing was written.\n`,
    );

    // The choices include what only the outputs have; a name either side or the definitions have is compared.
    const legacy = writeOutput({ legacy: { kubernetes: [namespace('a')] } });
    const withLegacy = await runCli('diff', '--base', legacy, '--head', both, '--env', 'qa', '--env', 'legacy');
    expect(withLegacy.code).toBe(1);
    expect(withLegacy.stderr).toContain(`--env: ("qa") is not a defined environment; use one of ${[...defined, 'legacy'].join(', ')}\n`);
    expect(withLegacy.stderr).not.toContain('("legacy")');
    const onlyDefined = defined[defined.length - 1];
    const definedOnly = await runCli('diff', '--base', legacy, '--head', legacy, '--env', onlyDefined, '--format', 'text');
    expect(definedOnly.code).toBe(0);
    expect(definedOnly.stderr).toBe('');
  });

  test('errors exit 2 and name the problem', async () => {
    const missing = await runCli('diff');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--base is required: a synth output directory or a git ref such as origin/main');
    const empty = tempDir();
    mkdirSync(join(empty, 'x'));
    const notOutput = await runCli('diff', '--base', empty, '--head', base);
    expect(notOutput.code).toBe(2);
    expect(notOutput.stderr).toContain(`deploykit diff: --base ${empty}: the directory holds no manifest.json`);
    const badFormat = await runCli('diff', '--base', base, '--head', base, '--format', 'html');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--format must be markdown, json or text, not "html"');
  });

  test('a git revision compared with itself reports no changes and leaves no worktree behind', () => {
    const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
    const clone = join(tempDir('deploykit-diff-clone-'), 'repo');
    execFileSync('git', ['clone', '--quiet', repo, clone]);
    const report = buildDiffReport({ base: 'HEAD', head: 'HEAD', environments: ['dev'], cwd: clone });
    expect(report.environments.map((e) => [e.name, e.terraform.length + e.kubernetes.length])).toEqual([['dev', 0]]);
    expect(report.base).toMatch(/^HEAD \([0-9a-f]{12}\)$/);
    expect(execFileSync('git', ['worktree', 'list'], { cwd: clone, encoding: 'utf8' }).trim().split('\n')).toHaveLength(1);
  }, 120_000);

  test('an unknown git ref is an error that says what to pass', () => {
    const repo = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
    expect(() => buildDiffReport({ base: 'no-such-ref-anywhere', head: writeOutput({}), cwd: repo })).toThrow(
      '--base no-such-ref-anywhere: neither a synth output directory nor a git revision; pass a directory holding manifest.json or a ref such as HEAD or origin/main',
    );
  });
});

describe('deploykit diff Markdown', () => {
  test('puts the heading, the summary and risky changes before the collapsible environments', () => {
    const { base, head } = synthPair((input) => {
      input.environments[2].services['company-web'].autoscaling.minReplicas = 2;
    });
    const markdown = renderMarkdown(compareOutputs(readSynthOutput(base, 'b'), readSynthOutput(head, 'h'), { baseLabel: 'main', headLabel: 'working tree' }));
    expect(markdown.split('\n').slice(0, 10)).toEqual([
      '## deploykit diff',
      '',
      '`main` → `working tree`',
      '',
      '- **dev**: No changes.',
      '- **staging**: No changes.',
      '- **prod**: 1 changed, 0 added, 0 removed · 1 risky',
      '- **total: 1 changed, 0 added, 0 removed · 1 risky**',
      '',
      '### ⚠️ Risky changes (1)',
    ]);
    expect(markdown).toContain('<details open><summary><b>prod</b>: 1 changed, 0 added, 0 removed · 1 risky</summary>');
    expect(markdown.indexOf('Risky changes')).toBeLessThan(markdown.indexOf('<details'));
  });

  test('a huge report is cut under 65,000 characters with a notice and balanced tags', () => {
    const many = Array.from({ length: 4000 }, (_, i) => ({ ...namespace(`ns-${i}`), metadata: { name: `ns-${i}`, labels: { team: 'platform-team-with-a-long-name' } } }));
    const report = compareOutputs(readSynthOutput(writeOutput({ prod: { kubernetes: many } }), 'b'), readSynthOutput(writeOutput({ prod: {} }), 'h'), {
      baseLabel: 'main',
      headLabel: 'working tree',
    });
    const markdown = renderMarkdown(report);
    expect(markdown.length).toBeLessThanOrEqual(65_000);
    expect(markdown).toMatch(/> \*\*Report truncated\*\* at 65,000 characters: \d+ of 4000 changes shown in detail\./);
    expect(markdown.split('<details').length).toBe(markdown.split('</details>').length);
    expect((markdown.match(/```/g) ?? []).length % 2).toBe(0);
  });

  test('a small report is not truncated', () => {
    const report = compareOutputs(readSynthOutput(writeOutput({ dev: { kubernetes: [namespace('a')] } }), 'b'), readSynthOutput(writeOutput({ dev: {} }), 'h'), {
      baseLabel: 'b',
      headLabel: 'h',
    });
    expect(renderMarkdown(report)).not.toContain('truncated');
  });
});

describe('deploykit diff of a release (two synths differing only in --image-tag)', () => {
  const root = tempDir();
  const base = join(root, 'base');
  const head = join(root, 'head');
  const defs = exampleDefs();

  beforeAll(async () => {
    expect((await runCli('synth', '--out', base, '--no-pipelines', '--quiet', '--image-tag', 'a'.repeat(40))).code).toBe(0);
    expect((await runCli('synth', '--out', head, '--no-pipelines', '--quiet', '--image-tag', 'b'.repeat(40))).code).toBe(0);
  });

  test('shows only the Deployments as changed, in every environment, and nothing in Terraform', async () => {
    const result = await runCli('diff', '--base', base, '--head', head, '--format', 'json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    for (const env of defs.environments) {
      const diff = report.environments.find((e: any) => e.name === env.name);
      expect(diff.terraform).toEqual([]);
      expect(diff.counts).toMatchObject({ added: 0, removed: 0, risky: 0, changed: env.services.length });
      expect(diff.kubernetes.map((c: any) => c.address).sort()).toEqual(env.services.map((s) => `Deployment/${s.name}/${s.name}`).sort());
    }
  });

  test('a Deployment changes only its image and its version labels', async () => {
    const report = JSON.parse((await runCli('diff', '--base', base, '--head', head, '--format', 'json')).stdout);
    const paths = new Set(report.environments.flatMap((e: any) => e.kubernetes.flatMap((c: any) => c.fields.map((f: any) => f.path))));
    expect([...paths].sort()).toEqual([
      'metadata.labels["app.kubernetes.io/version"]',
      'spec.template.metadata.labels["app.kubernetes.io/version"]',
      'spec.template.spec.containers[http].image',
    ]);
  });
});
