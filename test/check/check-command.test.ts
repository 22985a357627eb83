import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { defineEnvironments, eksVersionInfo, registryHost, repositoryName } from '../../config';
import { formatSarif } from '../../policy/format/sarif';
import { runCheck } from '../../policy/run-check';
import { synthesize } from '../../synth/synthesize';
import { runCli } from '../support/cli';
import { exampleDefs, exampleInput, kubernetesText, nodeGroupCpu, tempDir } from '../support/synth';
import { demandAtMaxScale, exampleWithCompute } from '../support/compute-fixtures';

const NOW = new Date('2026-01-15T00:00:00Z');
/** `--date` for CLI runs: the EKS support windows are judged on NOW, not on the day the tests run. */
const DATE = NOW.toISOString().slice(0, 10);
const root = tempDir();
const dist = join(root, 'dist');
beforeAll(() => {
  synthesize(exampleDefs(), { outDir: dist });
});

/** Synth output of prod whose cluster endpoint was edited to be public to 0.0.0.0/0 (what an unchecked layer would write). */
function openEndpointOutput(): string {
  const dir = join(tempDir(), 'dist');
  synthesize(exampleDefs(), { outDir: dir, environments: ['prod'] });
  const file = join(dir, 'prod/terraform/cdk.tf.json');
  const tf = JSON.parse(readFileSync(file, 'utf8'));
  for (const cluster of Object.values<any>(tf.resource.aws_eks_cluster)) {
    const vpc = Array.isArray(cluster.vpc_config) ? cluster.vpc_config[0] : cluster.vpc_config;
    Object.assign(vpc, { endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'] });
  }
  writeFileSync(file, JSON.stringify(tf));
  return dir;
}

const idsOf = (findings: readonly { ruleId: string; severity: string }[], severity = 'error') =>
  [...new Set(findings.filter((f) => f.severity === severity).map((f) => f.ruleId))].sort();

describe('deploykit check', () => {
  test('the shipped example passes with zero errors, pipeline files included', () => {
    const report = runCheck(exampleDefs(), { dir: dist, projectRoot: '.', now: NOW });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.environments).toEqual(['dev', 'staging', 'prod']);
  });

  test('an output pinned by digest (synth --image-digests) passes with zero errors', async () => {
    const defs = exampleDefs();
    const digest = (i: number) => `sha256:${i.toString(16).padStart(2, '0').repeat(32)}`;
    const out = join(tempDir(), 'dist');
    for (const env of defs.environments) {
      const digests = Object.fromEntries(env.services.map((s, i) => [s.name, digest(i + 1)]));
      synthesize(defs, { outDir: out, environments: [env.name], imageTag: '3f2c1ab', imageDigests: digests });
      // Every service's Deployment really runs <repo>:<tag>@<digest>.
      const images = parseAllDocuments(kubernetesText(out, env.name))
        .map((d) => d.toJS())
        .filter((o) => o?.kind === 'Deployment')
        .flatMap((d) => d.spec.template.spec.containers.map((c: { image: string }) => c.image));
      for (const service of env.services) {
        expect(images).toContain(`${registryHost(env)}/${repositoryName(service)}:3f2c1ab@${digests[service.name]}`);
      }
    }
    const report = runCheck(defs, { dir: out, projectRoot: '.', now: NOW });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.environments).toEqual(defs.environments.map((e) => e.name));
    const cli = await runCli('check', '--dir', out, '--date', DATE);
    expect(cli.stdout).toMatch(/^0 error\(s\), \d+ warning\(s\), 0 suppressed$/m);
    expect(cli.code).toBe(0);
  });

  test('exits 0 on the example, synthesizing into a temporary directory first', async () => {
    const result = await runCli('check', '--date', DATE);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^0 error\(s\), \d+ warning\(s\), 0 suppressed$/m);
    expect(result.code).toBe(0);
  });

  test('a production environment with a public endpoint fails with DK-TF-004 and exits 1', async () => {
    const input = exampleInput();
    Object.assign(input.environments[2].cluster, { endpointAccess: 'public-and-private', publicAccessCidrs: ['203.0.113.0/24'] });
    const file = join(root, 'public-prod.json');
    writeFileSync(file, JSON.stringify(input));
    const result = await runCli('check', '--config', file, '--env', 'prod', '--format', 'json', '--date', DATE);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.findings.map((f: any) => [f.ruleId, f.environment, f.value])).toEqual([['DK-TF-004', 'prod', 'endpoint_public_access = true']]);
    expect(report.findings[0].target).toMatch(/^aws_eks_cluster\./);
    expect(report.findings[0].upstream).toContainEqual({ tool: 'Checkov', id: 'CKV_AWS_39' });
  });

  test('publicAccessCidrs ["0.0.0.0/0"] in production is refused when the definitions load (exit 1), and such output fails with DK-TF-003 and DK-TF-004', async () => {
    const input = exampleInput();
    Object.assign(input.environments[2].cluster, { endpointAccess: 'public-and-private', publicAccessCidrs: ['0.0.0.0/0'] });
    const file = join(root, 'open-prod.json');
    writeFileSync(file, JSON.stringify(input));
    const refused = await runCli('check', '--config', file, '--env', 'prod');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`prod.cluster: 'publicAccessCidrs[0]' ("0.0.0.0/0") opens the Kubernetes API to the whole internet`);

    const dir = openEndpointOutput();
    const report = runCheck(exampleDefs(), { dir, environments: ['prod'], now: NOW });
    expect(report.findings.map((f) => [f.ruleId, f.value])).toEqual([
      ['DK-TF-003', '["0.0.0.0/0"]'],
      ['DK-TF-004', 'endpoint_public_access = true'],
    ]);
  });

  test('node groups that drifted below what the HPAs need at max replicas fail with DK-X-006', () => {
    const defs = exampleWithCompute('prod', 'node-groups');
    const dir = join(tempDir(), 'dist');
    synthesize(defs, { outDir: dir, environments: ['prod'] });
    const prod = defs.environments.find((e) => e.name === 'prod')!;
    // Every group drifted to one node short of the CPU the workloads and the Cluster Autoscaler request at max replicas.
    const demand = demandAtMaxScale(prod);
    const perNode = prod.cluster.nodeGroups.reduce((sum, g) => sum + nodeGroupCpu(prod, g.name, 1), 0);
    // At least 2 nodes, or DK-TF-009 (min_size >= 2 in production) would fail too.
    const size = Math.max(2, Math.ceil(demand.cpu / perNode) - 1);
    expect(demand.cpu).toBeGreaterThan(size * perNode);
    const file = join(dir, 'prod/terraform/cdk.tf.json');
    const tf = JSON.parse(readFileSync(file, 'utf8'));
    for (const group of Object.values<any>(tf.resource.aws_eks_node_group)) Object.assign(Array.isArray(group.scaling_config) ? group.scaling_config[0] : group.scaling_config, { min_size: 2, desired_size: 2, max_size: size });
    writeFileSync(file, JSON.stringify(tf));
    const report = runCheck(defs, { dir, environments: ['prod'], now: NOW });
    expect(idsOf(report.findings)).toEqual(['DK-X-006']);
    expect(report.findings.find((f) => f.ruleId === 'DK-X-006')?.value).toBe(`cpu ${demand.cpu}m > ${size * perNode}m`);
  });

  test('suppressions silence findings, are listed with their reasons, and one that matches nothing is a warning', async () => {
    const dir = openEndpointOutput();
    const cluster = Object.keys(JSON.parse(readFileSync(join(dir, 'prod/terraform/cdk.tf.json'), 'utf8')).resource.aws_eks_cluster)[0];
    const input = exampleInput();
    input.environments[2].suppressions = [
      { rule: 'DK-TF-003', target: `aws_eks_cluster.${cluster}`, reason: 'temporary: partner VPN migration, ticket OPS-1234' },
      { rule: 'DK-TF-004', target: `aws_eks_cluster.${cluster}`, reason: 'temporary: partner VPN migration, ticket OPS-1234' },
      { rule: 'DK-K8S-001', target: 'Deployment/default/nothing', reason: 'left over from an old exception' },
    ];
    const file = join(root, 'suppressed.json');
    writeFileSync(file, JSON.stringify(input));
    const result = await runCli('check', '--config', file, '--env', 'prod', '--dir', dir, '--date', DATE);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Suppressed:\n  DK-TF-003  prod aws_eks_cluster.${cluster}: ["0.0.0.0/0"]\n      reason: temporary: partner VPN migration, ticket OPS-1234`);
    expect(result.stdout).toContain('WARNING DK-CHK-001 prod prod.suppressions[2]');
    expect(result.stdout).toContain("suppression of DK-K8S-001 on 'Deployment/default/nothing' matches no finding");
    expect(result.stdout).toMatch(/^0 error\(s\), 1 warning\(s\), 2 suppressed$/m);
    expect((await runCli('check', '--config', file, '--env', 'prod', '--dir', dir, '--severity', 'warning', '--date', DATE)).code).toBe(1);
  });

  test('--format sarif is valid SARIF 2.1.0 with rules and results that name the rule, file and target', async () => {
    const report = runCheck(exampleDefs(), { dir: openEndpointOutput(), environments: ['prod'], now: NOW });
    const sarif = JSON.parse(formatSarif(report, { outputPrefix: 'dist', version: '0.1.0' }));
    const schema = JSON.parse(readFileSync(join(__dirname, 'sarif-2.1.0.subset.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
    ajv.addFormat('uri-reference', /^[^\s]*$/);
    const validate = ajv.compile(schema);
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: any) => r.id)).toContain('DK-TF-003');
    expect(run.results.map((r: any) => [r.ruleId, r.level, r.locations[0].physicalLocation.artifactLocation.uri])).toEqual([
      ['DK-TF-003', 'error', 'dist/prod/terraform/cdk.tf.json'],
      ['DK-TF-004', 'error', 'dist/prod/terraform/cdk.tf.json'],
    ]);
    expect(run.results[0].locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/^prod\/aws_eks_cluster\./);
  });

  test('exit codes: 2 for a bad option or a missing synth output, 1 for an unknown environment (invalid definitions)', async () => {
    expect((await runCli('check', '--format', 'xml')).code).toBe(2);
    const unknown = await runCli('check', '--env', 'qa');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--env: ("qa") is not a defined environment');
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    const missing = await runCli('check', '--dir', empty);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("environment 'dev' has no synth output there");
    const badDate = await runCli('check', '--date', '2026-02-30');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--date ("2026-02-30") must be a calendar day as YYYY-MM-DD, e.g. 2026-12-02');
  });

  test('--date sets the day the EKS support windows are judged on', async () => {
    const dir = dist;
    const prod = exampleDefs().environments.find((e) => e.name === 'prod')!;
    const info = eksVersionInfo(prod.cluster.kubernetesVersion)!;
    const start = new Date(`${info.endOfStandardSupport}T00:00:00Z`);
    const daysBefore = (days: number) => new Date(start.getTime() - days * 86_400_000).toISOString().slice(0, 10);
    const warned = await runCli('check', '--dir', dir, '--env', 'prod', '--format', 'json', '--date', daysBefore(10));
    const findings = (JSON.parse(warned.stdout).findings as { ruleId: string; message: string }[]).filter((f) => f.ruleId === 'DK-TF-005');
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining(`leaves standard support on ${info.endOfStandardSupport}`)]);
    expect(findings[0].message).toContain('in 10 day(s)');
    const early = await runCli('check', '--dir', dir, '--env', 'prod', '--format', 'json', '--date', daysBefore(61));
    expect((JSON.parse(early.stdout).findings as { ruleId: string }[]).filter((f) => f.ruleId === 'DK-TF-005')).toEqual([]);
  });

  test('--list-rules --format markdown prints one row per rule with its upstream equivalents', async () => {
    const result = await runCli('check', '--list-rules', '--format', 'markdown');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('| `DK-TF-001` | error | EKS encrypts Kubernetes Secrets with a KMS key | Checkov CKV_AWS_58, Trivy AVD-AWS-0039, CIS EKS 5.3.1 |');
    const ids = result.stdout.match(/`DK-[A-Z0-9]+-\d{3}`/g) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(60);
  });

  test('findings are sorted by environment, rule, target and value', () => {
    const input = exampleInput();
    input.environments[2].cluster = { ...input.environments[2].cluster, endpointAccess: 'public-and-private', publicAccessCidrs: ['203.0.113.0/24'] };
    input.environments[0].suppressions = [{ rule: 'DK-TF-001', target: 'aws_eks_cluster.Nothing', reason: 'matches nothing on purpose' }];
    const report = runCheck(defineEnvironments(input), { now: NOW });
    const keys = report.findings.map((f) => `${['dev', 'staging', 'prod'].indexOf(f.environment ?? '')}|${f.ruleId}|${f.target}|${f.value}`);
    expect(keys).toEqual([...keys].sort());
    expect(report.findings.map((f) => [f.environment, f.ruleId])).toEqual([
      ['dev', 'DK-CHK-001'],
      ['prod', 'DK-TF-004'],
    ]);
  });
});
