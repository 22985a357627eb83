/**
 * deploykit installed the way a team installs it: `npm pack` (which runs `prepack`, the build) into a
 * directory outside this repository, a scratch project there depending on the tarball, `npm install
 * --offline`, then the team's own constructs (team-project/) type-checked against the emitted
 * declarations and its definitions module run through the installed `deploykit` bin.
 *
 * Slow by nature (build, pack, install of ≈ 420 MB of dependencies from the npm cache): about a minute.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseDocuments } from '../../synth/kubernetes-yaml';

const root = join(__dirname, '..', '..');
const teamSources = join(__dirname, 'team-project');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/** This repository's TypeScript compiler, by absolute path: the scratch project installs no dev tools. */
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
/**
 * The npm cache this repository was installed from: `npm_config_cache` when set, else a project-local
 * `.npm` (the GitLab test job installs with `--cache .npm`), else npm's default.
 */
const npmCache = process.env.npm_config_cache ?? (existsSync(join(root, '.npm', '_cacache')) ? join(root, '.npm') : undefined);

jest.setTimeout(120_000);

let work: string;
let project: string;
let tarball: string;

function run(command: string, args: readonly string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> {
  const env = { ...process.env, DEPLOYKIT_DEBUG: undefined, ...(npmCache ? { npm_config_cache: npmCache } : {}) };
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });
}

function expectSuccess(result: SpawnSyncReturns<string>, what: string): void {
  if (result.status !== 0) throw new Error(`${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
}

/** The installed bin, as `npx deploykit` runs it. */
function deploykit(...args: string[]): SpawnSyncReturns<string> {
  return run(join(project, 'node_modules', '.bin', 'deploykit'), args, project);
}

/**
 * The scratch project's lockfile: deploykit from the tarball, and its dependency tree as this
 * repository's lockfile pins it (the same versions a team's `npm install` resolves, since deploykit pins
 * exact versions). Offline, npm installs from a lockfile with the cached tarballs alone; without one it
 * would need the registry's metadata documents, which an `npm ci` does not cache.
 */
function lockfileFor(dependencies: Record<string, string>, tarballSpec: string, integrity: string): object {
  const repoLock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const packages: Record<string, object> = {
    '': { name: 'storefront-platform', version: '1.0.0', dependencies },
    'node_modules/deploykit': {
      version: packageJson.version,
      resolved: tarballSpec,
      integrity,
      license: packageJson.license,
      dependencies: packageJson.dependencies,
      bin: packageJson.bin,
      engines: packageJson.engines,
    },
  };
  for (const [path, entry] of Object.entries(repoLock.packages)) {
    if (path !== '' && !entry.dev) packages[path] = entry;
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
  // The team imports cdk8s and constructs itself, at the versions deploykit uses.
  const dependencies = {
    deploykit: `file:../${tarballs[0]}`,
    cdk8s: packageJson.dependencies.cdk8s,
    constructs: packageJson.dependencies.constructs,
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
    expect(entryFiles.length).toBeGreaterThanOrEqual(8);
    expect(files).toEqual(expect.arrayContaining([...entryFiles, packageJson.bin.deploykit, 'build/cli.js', 'pipelines/scripts/deploy.sh', 'deploykit.schema.json', 'README.md']));
    expect(files.filter((f) => /^(test|examples|scripts|lib\/(test|examples))\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.cache'))).toEqual([]);
  });

  test('each entry point loads as CommonJS in the installed project, and the root re-exports the layers', () => {
    const probe = [
      "const root = require('deploykit');",
      "const layers = { config: require('deploykit/config'), infra: require('deploykit/infra'), k8s: require('deploykit/k8s') };",
      'const missing = Object.entries(layers).flatMap(([n, m]) => Object.keys(m).filter((k) => root[k] !== m[k]).map((k) => `${n}.${k}`));',
      'console.log(JSON.stringify({ missing, types: [typeof layers.config.defineEnvironments, typeof layers.infra.EcrRepository, typeof layers.k8s.WebService] }));',
    ].join('\n');
    const result = run(process.execPath, ['-e', probe], project);
    expectSuccess(result, 'node -e');
    expect(JSON.parse(result.stdout)).toEqual({ missing: [], types: ['function', 'function', 'function'] });
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

    // check: the generated jobs run the step scripts from pipelines/scripts; the team copies them from the package.
    cpSync(join(project, 'node_modules', 'deploykit', 'pipelines', 'scripts'), join(project, 'pipelines', 'scripts'), { recursive: true });
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
});
