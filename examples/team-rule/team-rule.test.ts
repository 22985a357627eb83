/**
 * The team rule through the real CLI (`bin/deploykit.js`): `deploykit check --config` runs the
 * definitions module's `checkRules` with the built-in rules, in every format, honouring suppressions,
 * and refuses unusable rules. Expectations come from the synthesized Deployments, not the example's
 * service list.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocuments } from '../../synth/kubernetes-yaml';
import { exampleDefinitions } from '../../config';
import { kubernetesFiles, tempDir } from '../../test/support/synth';
import { TEAM_LABEL } from './team-label-rule';

jest.setTimeout(180_000);

const bin = join(__dirname, '..', '..', 'bin', 'deploykit.js');
const config = join(__dirname, 'deploykit.config.ts');
const RULE = 'ACME-K8S-001';

function deploykit(args: readonly string[], env: Record<string, string | undefined> = {}) {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, DEPLOYKIT_DEBUG: undefined, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A definitions module next to the example's, importing it by absolute path; `body` changes what it exports. */
function teamModule(name: string, body: string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, `import * as team from ${JSON.stringify(join(__dirname, 'deploykit.config'))};\n${body}\n`);
  return file;
}

let dist: string;
let projectDir: string;
/** `<env> Deployment/<namespace>/<name>` of every synthesized Deployment, split by whether it carries the team label. */
let unlabelled: string[];
let labelled: string[];
/** The file (relative to the synth output) each Deployment is in, by the key above. */
const fileOf = new Map<string, string>();

beforeAll(() => {
  const root = tempDir();
  dist = join(root, 'dist');
  projectDir = tempDir();
  const synth = deploykit(['synth', '--config', config, '--out', dist, '--no-pipelines', '--quiet']);
  expect(synth.stderr).toBe('');
  expect(synth.code).toBe(0);
  unlabelled = [];
  labelled = [];
  const environments = Object.keys(JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')).environments);
  for (const env of environments) {
    for (const file of kubernetesFiles(dist, env)) {
      for (const obj of parseDocuments(readFileSync(join(dist, file), 'utf8')) as any[]) {
        if (obj?.kind !== 'Deployment') continue;
        const key = `${env} Deployment/${obj.metadata.namespace}/${obj.metadata.name}`;
        (obj.metadata.labels?.[TEAM_LABEL] ? labelled : unlabelled).push(key);
        fileOf.set(key, file);
      }
    }
  }
  // The example labels some services' Deployments and leaves others without an owner.
  expect(labelled.length).toBeGreaterThan(0);
  expect(unlabelled.length).toBeGreaterThan(0);
});

const check = (...args: string[]) => deploykit(['check', '--config', config, '--dir', dist, '--project-dir', projectDir, ...args]);

describe('deploykit check --config with a checkRules export', () => {
  test('reports each Deployment without the team label in the table, and fails the gate', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    for (const key of unlabelled) {
      expect(result.stdout).toContain(`  ERROR   ${RULE} ${key}\n      metadata.labels['${TEAM_LABEL}'] is missing or empty: missing\n`);
    }
    for (const key of labelled) expect(result.stdout).not.toContain(`${RULE} ${key}\n`);
  });

  test('lists exactly the unlabelled Deployments as findings in JSON', () => {
    const report = JSON.parse(check('--format', 'json').stdout);
    const found = report.findings.filter((f: any) => f.ruleId === RULE);
    expect(found.map((f: any) => `${f.environment} ${f.target}`).sort()).toEqual([...unlabelled].sort());
    for (const f of found) {
      expect(f).toMatchObject({ severity: 'error', value: 'missing', upstream: [] });
      expect(f.file).toBe(fileOf.get(`${f.environment} ${f.target}`));
    }
  });

  test('declares the rule in SARIF tool.driver.rules and reports its results against it', () => {
    const run = JSON.parse(check('--format', 'sarif').stdout).runs[0];
    const index = run.tool.driver.rules.findIndex((r: any) => r.id === RULE);
    expect(index).toBeGreaterThanOrEqual(0);
    expect(run.tool.driver.rules[index]).toMatchObject({
      name: 'DeploymentHasTeamLabel',
      helpUri: 'https://wiki.acme.example/platform/rules/ACME-K8S-001',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['kubernetes'], upstream: [] },
    });
    const results = run.results.filter((r: any) => r.ruleId === RULE);
    expect(results.map((r: any) => r.locations[0].logicalLocations[0].fullyQualifiedName.replace('/', ' ')).sort()).toEqual([...unlabelled].sort());
    for (const r of results) {
      expect(r.ruleIndex).toBe(index);
      // The file, under the synth output as given to --dir (relative to the working directory).
      const key = r.locations[0].logicalLocations[0].fullyQualifiedName.replace('/', ' ');
      expect(r.locations[0].physicalLocation.artifactLocation.uri.endsWith(`/dist/${fileOf.get(key)}`)).toBe(true);
    }
  });

  test('reports the findings as GitLab Code Quality issues', () => {
    const issues = JSON.parse(check('--format', 'codequality').stdout).filter((i: any) => i.check_name === RULE);
    expect(issues).toHaveLength(unlabelled.length);
    for (const issue of issues) expect(issue.severity).toBe('critical');
  });

  test('--list-rules lists the team rule after the built-in ones', () => {
    const result = deploykit(['check', '--list-rules', '--config', config, '--format', 'json']);
    expect(result.code).toBe(0);
    const ids = JSON.parse(result.stdout).map((r: any) => r.id);
    expect(ids[ids.length - 1]).toBe(RULE);
    expect(ids.filter((id: string) => id.startsWith('DK-')).length).toBe(ids.length - 1);
    expect(deploykit(['check', '--list-rules', '--config', config]).stdout).toContain(`${RULE} error    Every Deployment carries the '${TEAM_LABEL}' label naming its owning team\n`);
  });

  test('a suppression in the definitions silences one finding, with its reason', () => {
    const [env, target] = unlabelled[0].split(' ');
    const reason = 'owned by the API guild until the team table lists it';
    const file = teamModule(
      'suppressed.config.ts',
      [
        'const definitions: any = structuredClone(team.default);',
        `definitions.environments.find((e: any) => e.name === ${JSON.stringify(env)}).suppressions = [{ rule: ${JSON.stringify(RULE)}, target: ${JSON.stringify(target)}, reason: ${JSON.stringify(reason)} }];`,
        'export default definitions;',
        'export const chart = team.chart;',
        'export const checkRules = team.checkRules;',
      ].join('\n'),
    );
    const result = deploykit(['check', '--config', file, '--dir', dist, '--project-dir', projectDir, '--format', 'json']);
    const report = JSON.parse(result.stdout);
    const keys = (list: any[]) => list.filter((f) => f.ruleId === RULE).map((f) => `${f.environment} ${f.target}`).sort();
    expect(keys(report.findings)).toEqual(unlabelled.slice(1).sort());
    expect(report.suppressed.filter((f: any) => f.ruleId === RULE)).toEqual([expect.objectContaining({ environment: env, target, reason })]);
    expect(report.findings.filter((f: any) => f.ruleId === 'DK-CHK-001')).toEqual([]);
    const sarif = JSON.parse(deploykit(['check', '--config', file, '--dir', dist, '--project-dir', projectDir, '--format', 'sarif']).stdout);
    const silenced = sarif.runs[0].results.filter((r: any) => r.ruleId === RULE && r.suppressions);
    expect(silenced.map((r: any) => r.suppressions[0].justification)).toEqual([reason]);
  });

  test('refuses a rule whose id uses the built-in DK- prefix, before checking anything', () => {
    const file = teamModule(
      'dk-id.config.ts',
      ['export default team.default;', 'export const checkRules = [{ ...team.checkRules[0], id: "DK-K8S-999" }];'].join('\n'),
    );
    const result = deploykit(['check', '--config', file, '--dir', dist, '--project-dir', projectDir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `deploykit check: cannot load definitions from ${file}: checkRules[0].id ("DK-K8S-999") must not start with "DK-", which is reserved for deploykit's built-in rules; use your organisation's prefix, e.g. "ACME-K8S-001"\n`,
    );
  });

  test('lists every problem of unusable rules at once: bad id, duplicate id, severity, missing check', () => {
    const file = teamModule(
      'broken.config.ts',
      [
        'export default team.default;',
        'const { check: _check, ...withoutCheck } = team.checkRules[0];',
        'export const checkRules = [',
        '  { ...team.checkRules[0], id: "acme-1" },',
        '  team.checkRules[0],',
        '  { ...team.checkRules[0], severity: "critical" },',
        '  { ...withoutCheck, id: "ACME-K8S-002" },',
        '];',
      ].join('\n'),
    );
    const result = deploykit(['check', '--list-rules', '--config', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        `deploykit check: cannot load definitions from ${file}: 4 problems in 'checkRules':`,
        `  - checkRules[0].id ("acme-1") must be upper-case letters and digits in parts joined by "-" (^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$); use your organisation's prefix, e.g. "ACME-K8S-001"`,
        `  - checkRules[2].id ("ACME-K8S-001") is already the id of checkRules[1]; give each rule its own id`,
        `  - checkRules[2].severity ("critical") must be one of "error", "warning"`,
        `  - checkRules[3].check (undefined) must be a function returning the findings, e.g. *check(ctx) { yield { target, value } }`,
        '',
      ].join('\n'),
    );
  });

  test('a rule that throws is an internal error naming the rule, without a stack trace unless DEPLOYKIT_DEBUG is set', () => {
    const file = teamModule(
      'throwing.config.ts',
      [
        'export default team.default;',
        'export const checkRules = [{ ...team.checkRules[0], id: "ACME-X-001", *check() { throw new Error("labels are not loaded"); } }];',
      ].join('\n'),
    );
    // Rules run over the environments in definition order: the first one is where it throws.
    const env = exampleDefinitions.environments[0].name;
    const result = deploykit(['check', '--config', file, '--dir', dist, '--project-dir', projectDir]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `deploykit check: internal error: rule ACME-X-001 threw while checking environment '${env}': labels are not loaded; fix the rule's check function\n` +
        'This is a bug in that rule; rerun with DEPLOYKIT_DEBUG=1 to see the stack trace.\n',
    );
    const debug = deploykit(['check', '--config', file, '--dir', dist, '--project-dir', projectDir], { DEPLOYKIT_DEBUG: '1' });
    expect(debug.code).toBe(3);
    expect(debug.stderr).toContain('Caused by: Error: labels are not loaded\n    at ');
  });
});
