#!/usr/bin/env node
// Canary for the move to CDK Terrain (`npm run canary:cdktn`; needs the npm registry, so not part of
// `npm test`). In a scratch directory outside the repository it installs `cdktn` and
// `@cdktn/provider-aws` from the registry (the newest releases, or the versions given), derives the
// cdktn variant of the vendor seam (infra/vendor/terraform.ts with its module names replaced) and runs
// the same deploykit commands twice through scripts/run-with-vendor.cjs: as the repository is (cdktf),
// and with module resolution redirected to the variant (cdktn). Then it compares the outputs:
//   - Terraform JSON structurally; only provider metadata may differ: the `//` metadata blocks,
//     `terraform.required_providers.<name>.version`, and `.source` when both name the same provider
//     (`aws` is `hashicorp/aws`);
//   - every other file byte for byte.
// Prints a short report; exits 1 on any other difference, 2 when the canary itself cannot run.
//
// Usage: node scripts/canary-cdktn.mjs [--cdktn <version>] [--provider-aws <version>] [--keep]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: options } = parseArgs({
  options: { cdktn: { type: 'string' }, 'provider-aws': { type: 'string' }, keep: { type: 'boolean', default: false } },
});

/** The commands whose output is compared: the built-in example, a team's own stack (extra resources), the account bootstrap. */
const RUNS = [
  { name: 'example', args: (out) => ['synth', '--no-pipelines', '--quiet', '--out', out] },
  { name: 'worker-service', args: (out) => ['synth', '--no-pipelines', '--quiet', '--config', 'examples/worker-service/deploykit.config.ts', '--out', out] },
  { name: 'bootstrap', args: (out) => ['bootstrap', '--quiet', '--out', out] },
];
const SEAM = join(root, 'infra', 'vendor', 'terraform.ts');
/** Module names of the vendor seam → their CDK Terrain counterparts. */
const MODULE_RENAMES = [
  [/from 'cdktf';/g, "from 'cdktn';"],
  [/from '@cdktf\/provider-aws\/lib\/([a-z0-9-]+)';/g, "from '@cdktn/provider-aws/lib/$1';"],
];

function fail(message) {
  process.stderr.write(`canary:cdktn: ${message}\n`);
  process.exit(2);
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, DEPLOYKIT_DEBUG: '1' } });
  if (result.error) fail(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return result.stdout.trim();
}

const registryVersion = (name, requested) => run('npm', ['view', `${name}@${requested ?? 'latest'}`, 'version'], root).split('\n').pop().replace(/^.*'(.+)'$/, '$1');

// ---- Set up the scratch project --------------------------------------------------------------
const started = performance.now();
const cdktnVersion = registryVersion('cdktn', options.cdktn);
const providerVersion = registryVersion('@cdktn/provider-aws', options['provider-aws']);
const scratch = mkdtempSync(join(tmpdir(), 'deploykit-canary-cdktn-'));
if (!relative(root, scratch).startsWith('..')) fail(`the scratch directory ${scratch} is inside the repository`);
process.on('exit', () => (options.keep ? process.stdout.write(`scratch directory kept: ${scratch}\n`) : rmSync(scratch, { recursive: true, force: true })));

writeFileSync(join(scratch, 'package.json'), `${JSON.stringify({ name: 'deploykit-canary-cdktn', private: true }, null, 2)}\n`);
// The repository's own `constructs` (package.json pins it): npm refuses the install when it is outside the
// peer range cdktn asks for, so the canary fails loudly when a move to CDK Terrain needs a constructs bump.
const lockedConstructs = JSON.parse(readFileSync(join(root, 'node_modules', 'constructs', 'package.json'), 'utf8')).version;
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `cdktn@${cdktnVersion}`, `@cdktn/provider-aws@${providerVersion}`, `constructs@${lockedConstructs}`], scratch);
const constructsVersion = JSON.parse(readFileSync(join(scratch, 'node_modules', 'constructs', 'package.json'), 'utf8')).version;

const seamSource = readFileSync(SEAM, 'utf8');
let variant = seamSource;
for (const [pattern, replacement] of MODULE_RENAMES) variant = variant.replace(pattern, replacement);
const leftover = /from '(cdktf|@cdktf\/[^']*)'/.exec(variant);
if (leftover) fail(`infra/vendor/terraform.ts imports '${leftover[1]}', which the canary cannot map to CDK Terrain; add its rename to MODULE_RENAMES`);
const reexports = (seamSource.match(/^export (type )?\{[^}]*\} from '/gm) ?? []).length;
mkdirSync(join(scratch, 'vendor'));
writeFileSync(join(scratch, 'vendor', 'terraform.ts'), variant);
const installed = performance.now();

// ---- Synthesize with each vendor -------------------------------------------------------------
const runner = join(root, 'scripts', 'run-with-vendor.cjs');
const timings = {};
for (const [vendor, dir] of [['cdktf', '-'], ['cdktn', scratch]]) {
  for (const { name, args } of RUNS) {
    const t0 = performance.now();
    run(process.execPath, [runner, dir, ...args(join(scratch, 'out', vendor, name))], root);
    timings[`${vendor} ${name}`] = Math.round(performance.now() - t0);
  }
}

// ---- Compare ---------------------------------------------------------------------------------
const isRecord = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** `aws`, `hashicorp/aws` and `registry.terraform.io/hashicorp/aws` name one provider. */
const providerAddress = (source) => {
  const parts = String(source).toLowerCase().split('/');
  return [...(parts.length === 3 ? [] : ['registry.terraform.io']), ...(parts.length === 1 ? ['hashicorp'] : []), ...parts].join('/');
};

/** Differences between two JSON values: { path, before, after, allowed }. */
function jsonDifferences(before, after, path = []) {
  const here = path.join('.');
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => jsonDifferences(before[key], after[key], [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => jsonDifferences(item, after[i], [...path, `[${i}]`]));
  }
  if (stringify(before) === stringify(after)) return [];
  if (path.includes('//')) return [{ path: here, before, after, allowed: true }];
  const requiredProvider = path.length === 4 && path[0] === 'terraform' && path[1] === 'required_providers';
  const allowed =
    (requiredProvider && path[3] === 'version') ||
    (requiredProvider && path[3] === 'source' && providerAddress(before) === providerAddress(after));
  return [{ path: here, before, after, allowed }];
}
const stringify = (v) => (v === undefined ? 'undefined' : JSON.stringify(v));

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

const cdktfOut = join(scratch, 'out', 'cdktf');
const cdktnOut = join(scratch, 'out', 'cdktn');
const files = [...new Set([...filesUnder(cdktfOut), ...filesUnder(cdktnOut)])].sort();
const allowed = new Map();
const problems = [];
let terraformFiles = 0;
for (const file of files) {
  const a = join(cdktfOut, file);
  const b = join(cdktnOut, file);
  if (!existsSync(a) || !existsSync(b)) {
    problems.push(`${file}: only in the ${existsSync(a) ? 'cdktf' : 'cdktn'} output`);
    continue;
  }
  if (file.endsWith('.tf.json')) {
    terraformFiles += 1;
    for (const d of jsonDifferences(JSON.parse(readFileSync(a, 'utf8')), JSON.parse(readFileSync(b, 'utf8')))) {
      if (d.allowed) {
        const key = d.path.replace(/^.+?\.\/\/\./, '<item>.//.');
        const seen = allowed.get(key) ?? { count: 0, example: `${stringify(d.before)} → ${stringify(d.after)}` };
        allowed.set(key, { ...seen, count: seen.count + 1 });
      } else {
        problems.push(`${file}: ${d.path}: ${stringify(d.before)} → ${stringify(d.after)}`);
      }
    }
  } else if (!readFileSync(a).equals(readFileSync(b))) {
    problems.push(`${file}: content differs`);
  }
}

// ---- Report ----------------------------------------------------------------------------------
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const lines = [
  `canary:cdktn — cdktn ${cdktnVersion}, @cdktn/provider-aws ${providerVersion}, constructs ${constructsVersion} (repository: cdktf, @cdktf/provider-aws, constructs as locked)`,
  `  seam: ${reexports} re-export statements of infra/vendor/terraform.ts redirected`,
  `  compared ${files.length} files (${terraformFiles} Terraform JSON) from ${RUNS.map((r) => r.name).join(', ')}`,
  `  time: install ${seconds(installed - started)}; ${Object.entries(timings).map(([k, v]) => `${k} ${seconds(v)}`).join(', ')}`,
  `  allowed differences (provider metadata):`,
  ...(allowed.size === 0 ? ['    none'] : [...allowed].map(([path, { count, example }]) => `    ${path} ×${count}  e.g. ${example}`)),
];
if (problems.length === 0) {
  lines.push('  result: PASS — CDK Terrain synthesizes the same Terraform configuration');
} else {
  lines.push(`  result: FAIL — ${problems.length} difference(s) beyond provider metadata:`);
  lines.push(...problems.slice(0, 40).map((p) => `    ${p}`));
  if (problems.length > 40) lines.push(`    … and ${problems.length - 40} more (rerun with --keep and diff the outputs)`);
}
process.stdout.write(`${lines.join('\n')}\n`);
process.exitCode = problems.length === 0 ? 0 : 1;
