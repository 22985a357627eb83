/**
 * deploykit installed the way a team installs it: `npm pack` (which runs `prepack`, the build) into a
 * directory outside this repository, a scratch project there depending on the tarball, `npm install
 * --offline`, then the team's own code (team-project/) type-checked against the emitted declarations of
 * every entry point: its definitions module and check rule run through the installed `deploykit` bin, its
 * script on the library entry points (`deploykit/synth`, `deploykit/policy`, `deploykit/testing`) run with
 * tsx, and its jest test run with the matchers of `deploykit/testing/jest`.
 *
 * Slow by nature (build, pack, install of ≈ 420 MB of dependencies from the npm cache): about a minute.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseDocuments } from '../../synth/kubernetes-yaml';
import type { KubernetesValidationProblem } from '../../testing';

const root = join(__dirname, '..', '..');
const teamSources = join(__dirname, 'team-project');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** This repository's TypeScript compiler, by absolute path: the scratch project installs no dev tools. */
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
/** This repository's jest, by absolute path, for the team's own test. */
const jestBin = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
/** The optional peer dependencies deploykit/testing's Kubernetes validation needs, at this repository's versions. */
const TESTING_PEERS = ['kubernetes-models', 'ajv'];
/**
 * The npm cache this repository was installed from: `npm_config_cache` when set, else a project-local
 * `.npm` (the GitLab test job installs with `--cache .npm`), else npm's default.
 */
const npmCache = process.env.npm_config_cache ?? (existsSync(join(root, '.npm', '_cacache')) ? join(root, '.npm') : undefined);

jest.setTimeout(120_000);

let work: string;
let project: string;
let tarball: string;

function run(command: string, args: readonly string[], cwd: string, timeout = 120_000, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  const env = { ...process.env, DEPLOYKIT_DEBUG: undefined, ...(npmCache ? { npm_config_cache: npmCache } : {}), ...extraEnv };
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
}

function expectSuccess(result: SpawnSyncReturns<string>, what: string): void {
  if (result.status !== 0) throw new Error(`${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
}

/** The installed bin, as `npx deploykit` runs it. */
function deploykit(...args: string[]): SpawnSyncReturns<string> {
  return run(join(project, 'node_modules', '.bin', 'deploykit'), args, project);
}

/** An entry of package-lock.json's `packages`. */
interface LockEntry {
  readonly dev?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

/**
 * The lockfile paths of `names` and of everything they depend on, resolved as Node resolves them: a nested
 * `node_modules` first, then each parent's.
 */
function dependencyClosure(packages: Record<string, LockEntry>, names: readonly string[]): Set<string> {
  const found = new Set<string>();
  const visit = (from: string, name: string) => {
    for (let base = from; ; base = base.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '')) {
      const path = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (packages[path]) {
        if (found.has(path)) return;
        found.add(path);
        const entry = packages[path];
        for (const dependency of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) visit(path, dependency);
        return;
      }
      if (base === '') return;
    }
  };
  for (const name of names) visit('', name);
  return found;
}

/**
 * The scratch project's lockfile: deploykit from the tarball, and its dependency tree as this
 * repository's lockfile pins it (the same versions a team's `npm install` resolves, since deploykit pins
 * exact versions), plus deploykit/testing's peer dependencies and theirs (development dependencies here).
 * Offline, npm installs from a lockfile with the cached tarballs alone; without one it would need the
 * registry's metadata documents, which an `npm ci` does not cache.
 */
function lockfileFor(dependencies: Record<string, string>, tarballSpec: string, integrity: string): object {
  const repoLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const peers = dependencyClosure(repoLock.packages, TESTING_PEERS);
  const packages: Record<string, object> = {
    '': { name: 'storefront-platform', version: '1.0.0', dependencies },
    'node_modules/deploykit': {
      version: packageJson.version,
      resolved: tarballSpec,
      integrity,
      license: packageJson.license,
      dependencies: packageJson.dependencies,
      peerDependencies: packageJson.peerDependencies,
      peerDependenciesMeta: packageJson.peerDependenciesMeta,
      bin: packageJson.bin,
      engines: packageJson.engines,
    },
  };
  for (const [path, entry] of Object.entries(repoLock.packages)) {
    if (path === '') continue;
    if (!entry.dev) packages[path] = entry;
    else if (peers.has(path)) packages[path] = { ...entry, dev: undefined };
  }
  return { name: 'storefront-platform', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'deploykit-installed-'));
  expect(relative(root, work).startsWith('..')).toBe(true);
  expectSuccess(run('npm', ['pack', '--pack-destination', work, '--silent'], root, 240_000), 'npm pack');
  const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz'));
  expect(tarballs).toEqual([`deploykit-${packageJson.version}.tgz`]);
  tarball = join(work, tarballs[0]);

  project = join(work, 'storefront-platform');
  mkdirSync(project);
  for (const file of readdirSync(teamSources)) cpSync(join(teamSources, file), join(project, file));
  // The team imports cdk8s and constructs itself, at the versions deploykit uses, and installs the peer
  // dependencies of deploykit/testing.
  const dependencies = {
    deploykit: `file:../${tarballs[0]}`,
    cdk8s: packageJson.dependencies.cdk8s,
    constructs: packageJson.dependencies.constructs,
    ...Object.fromEntries(TESTING_PEERS.map((name) => [name, packageJson.devDependencies[name]])),
  };
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'storefront-platform', version: '1.0.0', private: true, dependencies }, null, 2)}\n`);
  const integrity = `sha512-${require('node:crypto').createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lockfileFor(dependencies, dependencies.deploykit, integrity), null, 2));
  const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund'], project, 240_000);
  const notCached = /request to (\S+) failed: cache mode is 'only-if-cached'/.exec(install.stderr);
  if (notCached) throw new Error(`npm install --offline: the npm cache lacks ${notCached[1]}; install this repository with the same cache (npm_config_cache) first`);
  expectSuccess(install, 'npm install --offline');
}, 420_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('deploykit installed from its npm tarball (slow: builds, packs and installs)', () => {
  test('the tarball holds the entry points with declarations, the bin and its bundle, and no sources or tests', () => {
    const listing = run('tar', ['-tzf', tarball], work);
    expectSuccess(listing, 'tar');
    const files = listing.stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    const entryFiles = Object.values<any>(packageJson.exports)
      .filter((target) => typeof target === 'object')
      .flatMap((target) => [target.types, target.default].map((f: string) => f.replace(/^\.\//, '')));
    expect(entryFiles.length).toBeGreaterThanOrEqual(16);
    expect(files).toEqual(expect.arrayContaining([...entryFiles, packageJson.bin.deploykit, 'build/cli.js', 'pipelines/scripts/deploy.sh', 'deploykit.schema.json', 'README.md']));
    expect(files.filter((f) => /^(test|examples|scripts|lib\/(test|examples))\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.cache'))).toEqual([]);
  });

  test('each entry point loads as CommonJS in the installed project, and the root re-exports the layers and engines', () => {
    const probe = [
      "const root = require('deploykit');",
      "const layers = { config: require('deploykit/config'), infra: require('deploykit/infra'), k8s: require('deploykit/k8s') };",
      "const engines = { policy: require('deploykit/policy'), synth: require('deploykit/synth') };",
      "const testing = require('deploykit/testing');",
      'const missing = [',
      '  ...Object.entries(layers).flatMap(([n, m]) => Object.keys(m).filter((k) => root[k] !== m[k]).map((k) => `${n}.${k}`)),',
      '  ...Object.entries(engines).flatMap(([n, m]) => Object.keys(m).filter((k) => root[n]?.[k] !== m[k]).map((k) => `${n}.${k}`)),',
      '];',
      'const types = [layers.config.defineEnvironments, layers.infra.EcrRepository, layers.k8s.WebService, engines.policy.runCheck, engines.synth.synthesize, engines.synth.StagedOutput, testing.validateKubernetesObject, testing.setupMatchers];',
      'console.log(JSON.stringify({ missing, types: types.map((t) => typeof t) }));',
    ].join('\n');
    const result = run(process.execPath, ['-e', probe], project);
    expectSuccess(result, 'node -e');
    expect(JSON.parse(result.stdout)).toEqual({ missing: [], types: Array(8).fill('function') });
  });

  test('the team construct type-checks against the emitted declarations with node16 and node10 resolution', () => {
    expectSuccess(run(process.execPath, [tsc, '-p', 'tsconfig.json'], project), 'tsc (node16)');
    expectSuccess(run(process.execPath, [tsc, '-p', 'tsconfig.json', '--module', 'commonjs', '--moduleResolution', 'node10'], project), 'tsc (node10)');

    // The declarations carry the props' types: a wrong one is a compile error, not `any`.
    writeFileSync(
      join(project, 'broken.ts'),
      "import { App, TerraformStack } from 'cdktf';\nimport { EcrRepository } from 'deploykit/infra';\n" +
        "new EcrRepository(new TerraformStack(new App(), 's'), 'R', { repositoryName: 'r', account: '1', region: 'eu-west-1', keepTaggedImages: 'all' });\n",
    );
    writeFileSync(join(project, 'tsconfig.broken.json'), JSON.stringify({ extends: './tsconfig.json', files: ['broken.ts'] }));
    const broken = run(process.execPath, [tsc, '-p', 'tsconfig.broken.json'], project);
    expect(broken.status).toBe(2);
    expect(broken.stdout).toMatch(/^broken\.ts\(3,\d+\): error TS2322: Type 'string' is not assignable to type 'number'\./m);
    rmSync(join(project, 'broken.ts'));
  });

  test('the installed bin synthesizes, checks and diffs the team definitions module', () => {
    const config = 'deploykit.config.ts';
    const definitions = readFileSync(join(project, config), 'utf8');
    const owned = /catalogue: TeamCatalogue = \{ '([\w-]+)': \{ owner: '([\w-]+)' \} \}/.exec(definitions);
    expect(owned).not.toBeNull();
    const [, ownedService, owner] = owned!;

    const synth = deploykit('synth', '--config', config, '--out', 'dist-base');
    expectSuccess(synth, 'deploykit synth');
    const manifest = JSON.parse(readFileSync(join(project, 'dist-base', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.environments)).toEqual(['dev']);
    // The pipelines land in the project, as in this repository.
    expect(existsSync(join(project, '.gitlab-ci.yml'))).toBe(true);
    expect(existsSync(join(project, '.github', 'workflows', 'deploy.yml'))).toBe(true);

    // The team's Terraform: its build-cache repository beside deploykit's per-service repositories.
    const tf = JSON.parse(readFileSync(join(project, 'dist-base', 'dev', 'terraform', 'cdk.tf.json'), 'utf8'));
    const repositories = Object.values<any>(tf.resource.aws_ecr_repository).map((r) => r.name);
    expect(repositories).toEqual(expect.arrayContaining(['storefront-dev-build-cache', ownedService, 'storefront-web']));
    const cache = Object.values<any>(tf.resource.aws_ecr_repository).find((r) => r.name === 'storefront-dev-build-cache');
    expect(cache.tags).toMatchObject({ team: 'storefront' });
    expect(cache.image_tag_mutability).toBe('IMMUTABLE');

    // The team's Kubernetes: every object of its own service carries the owner label; deploykit's don't.
    const read = (namespace: string) =>
      parseDocuments(readFileSync(join(project, 'dist-base', 'dev', 'kubernetes', 'namespaces', `${namespace}.k8s.yaml`), 'utf8')) as any[];
    const ownedObjects = read(ownedService);
    expect(ownedObjects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'ServiceAccount', 'NetworkPolicy']));
    expect(ownedObjects.filter((o) => o.metadata.labels?.['example.com/owner'] !== owner)).toEqual([]);
    expect(read('storefront-web').filter((o) => o.metadata.labels?.['example.com/owner'] !== undefined)).toEqual([]);

    // The pipelines reach the installed package: its bin through npx, its scripts in node_modules, no build.
    const gitlab = readFileSync(join(project, '.gitlab-ci.yml'), 'utf8');
    expect(gitlab).toContain('npx --no-install deploykit check --dir dist');
    expect(gitlab).toMatch(/^ {4}- node_modules\/deploykit\/pipelines\/scripts\/deploy\.sh --env dev /m);
    expect(gitlab).not.toContain('bin/deploykit.js');
    expect(gitlab).not.toContain('npm run build');

    // check reads the step scripts the jobs run from the installed package.
    const check = deploykit('check', '--config', config, '--dir', 'dist-base', '--format', 'json');
    expect(check.stderr).toBe('');
    expect(JSON.parse(check.stdout).summary).toEqual({ errors: 0, warnings: 0, suppressed: 0 });
    expect(check.status).toBe(0);

    // diff: the team edits its definitions module; the working tree is synthesized against the first output.
    const edited = definitions.replace('keepCacheImages: 20', 'keepCacheImages: 10');
    expect(edited).not.toBe(definitions);
    writeFileSync(join(project, config), edited);
    const diff = deploykit('diff', '--base', 'dist-base', '--config', config, '--format', 'json');
    expectSuccess(diff, 'deploykit diff');
    const report = JSON.parse(diff.stdout);
    expect(report.totals).toMatchObject({ changed: 1, added: 0, removed: 0 });
    const [change] = report.environments[0].terraform;
    expect(change.type).toBe('aws_ecr_lifecycle_policy');
    expect(change.address).toMatch(/^aws_ecr_lifecycle_policy\.BuildCache_/);
    expect(change.fields).toEqual(expect.arrayContaining([{ path: 'policy.rules[1].selection.countNumber', action: 'changed', before: 20, after: 10 }]));
  });

  test("the installed bin's check runs the team's rule (deploykit/policy): its findings in the table and in SARIF", () => {
    const catalogued = /catalogue: TeamCatalogue = \{ '([\w-]+)': \{ owner: '([\w-]+)' \} \}/.exec(readFileSync(join(project, 'deploykit.config.ts'), 'utf8'));
    const [, ownedService, owner] = catalogued!;
    // What the team's chart labels: the namespaced objects of its own service, as the team's synth wrote them.
    const owned = (parseDocuments(readFileSync(join(project, 'dist-base', 'dev', 'kubernetes', 'namespaces', `${ownedService}.k8s.yaml`), 'utf8')) as any[]).map(
      (o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`,
    );
    expect(owned.length).toBeGreaterThan(0);

    // The team's own definitions module: its rule runs, and its chart satisfies it.
    const listed = deploykit('check', '--list-rules', '--config', 'deploykit.config.ts', '--format', 'json');
    expectSuccess(listed, 'deploykit check --list-rules');
    expect(JSON.parse(listed.stdout).filter((r: any) => !r.id.startsWith('DK-')).map((r: any) => r.id)).toEqual(['STOREFRONT-K8S-001']);

    // Without the team's chart (deploykit renders the service), every object of the service is reported.
    const config = 'deploykit.unlabelled.config.ts';
    const table = deploykit('check', '--config', config, '--env', 'dev');
    expect(table.status).toBe(1);
    for (const target of owned) expect(table.stdout).toContain(target);
    expect(table.stdout).toContain('STOREFRONT-K8S-001');
    expect(table.stdout).toContain(`metadata.labels['example.com/owner'] must be "${owner}"`);

    const sarif = deploykit('check', '--config', config, '--env', 'dev', '--format', 'sarif');
    expect(sarif.status).toBe(1);
    const [sarifRun] = JSON.parse(sarif.stdout).runs;
    const rule = sarifRun.tool.driver.rules.find((r: any) => r.id === 'STOREFRONT-K8S-001');
    expect(rule).toMatchObject({ name: 'CatalogueObjectsCarryOwner', helpUri: 'https://wiki.example.com/storefront/rules/STOREFRONT-K8S-001' });
    const results = sarifRun.results.filter((r: any) => r.ruleId === 'STOREFRONT-K8S-001');
    expect(results.map((r: any) => r.locations[0].logicalLocations[0].fullyQualifiedName).sort()).toEqual(owned.map((t) => `dev/${t}`).sort());
    expect(results.every((r: any) => r.level === 'error' && r.locations[0].physicalLocation.artifactLocation.uri.endsWith(`dev/kubernetes/namespaces/${ownedService}.k8s.yaml`))).toBe(true);
  });

  test("the team's script on deploykit/synth, deploykit/policy and deploykit/testing writes what the bin writes and judges as it does", () => {
    const script = run(process.execPath, ['--require', 'tsx/cjs', 'library-entry-points.ts', 'dist-library'], project);
    expectSuccess(script, 'library-entry-points.ts');
    const seen = JSON.parse(script.stdout);

    // deploykit/synth: the same files, byte for byte, as the installed bin's synth of the same definitions module.
    expectSuccess(deploykit('synth', '--config', 'deploykit.config.ts', '--out', 'dist-bin', '--no-pipelines', '--quiet'), 'deploykit synth');
    const binManifest = JSON.parse(readFileSync(join(project, 'dist-bin', 'manifest.json'), 'utf8'));
    expect(seen.synth.manifest).toEqual(binManifest);
    expect(seen.synth.written).toEqual(Object.keys(binManifest.environments));
    const files: string[] = seen.synth.summaries.flatMap((s: { files: string[] }) => s.files);
    expect(files.sort()).toEqual(Object.values<any>(binManifest.environments).flatMap((e) => [...e.terraform, ...e.kubernetes]).sort());
    for (const file of files) expect(readFileSync(join(project, 'dist-library', file), 'utf8')).toBe(readFileSync(join(project, 'dist-bin', file), 'utf8'));

    // deploykit/policy: the team's rule ran with the built-in ones; it passes on the team's chart and reports
    // every object of the catalogue service on deploykit's own chart, in the report and in SARIF.
    const owned = (parseDocuments(readFileSync(join(project, 'dist-bin', 'dev', 'kubernetes', 'namespaces', 'status-page.k8s.yaml'), 'utf8')) as any[]).map(
      (o) => `dev/${o.kind}/${o.metadata.namespace}/${o.metadata.name}`,
    );
    expect(seen.policy).toMatchObject({ teamRuleRan: true, teamFindings: [], teamErrors: [] });
    expect([...seen.policy.withoutTeamChartFindings].sort()).toEqual(owned.sort());
    expect(seen.policy.sarifRuleIds).toContain('STOREFRONT-K8S-001');

    // deploykit/testing: every object of the team's chart validated strictly; the misspelled field is named.
    expect(seen.testing.validated).toBeGreaterThanOrEqual(owned.length);
    const problems: KubernetesValidationProblem[] = seen.testing.problems;
    expect(problems.map((p) => [p.object, p.path])).toEqual([[`Deployment/${seen.testing.deployment}`, 'spec.replica']]);
    expect(seen.testing.rejection).toEqual({ name: 'KubernetesValidationError', message: `Deployment/${seen.testing.deployment}: spec.replica: ${problems[0].message}` });
  });

  test("the team's jest test uses deploykit/testing/jest's matchers", () => {
    expectSuccess(deploykit('synth', '--config', 'deploykit.config.ts', '--out', 'dist-jest', '--no-pipelines', '--quiet'), 'deploykit synth');
    const result = run(
      process.execPath,
      [jestBin, '--config', 'jest.config.json', '--rootDir', project, '--ci', '--no-watchman', '--cacheDirectory', join(work, 'jest-cache'), '--json', '--outputFile', join(work, 'jest.json')],
      project,
      120_000,
      { TEAM_OUTPUT: 'dist-jest' },
    );
    expectSuccess(result, 'jest (team project)');
    const report = JSON.parse(readFileSync(join(work, 'jest.json'), 'utf8'));
    expect(report.testResults.flatMap((f: any) => f.assertionResults.map((a: any) => [a.title, a.status]))).toEqual([
      ['holds the status page Deployment, and every object validates strictly', 'passed'],
      ['a misspelled field fails the strict validation, naming the field', 'passed'],
      ['the build-cache repository is immutable and tagged with the team', 'passed'],
    ]);
  });
});
