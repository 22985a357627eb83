#!/usr/bin/env node
// Builds deploykit into build/: one esbuild bundle per entry point (the CLI, and the cdktf / cdk8s apps
// for users of the stock CLIs), then warms the CLI's V8 code cache by synthesizing the example once.
// Bundling removes thousands of module look-ups at start-up; the code cache removes most parsing and
// compiling. Type-checking is `npm run typecheck` (tsc --noEmit), not part of the build.
//
// The build is skipped when its inputs (scripts/build-inputs.cjs: every file of the source directories,
// the lockfile and the build scripts) hash to the id recorded by the last complete build in
// build/build-id; `--force` builds anyway. A skipped build touches the bundle, so bin/deploykit.js's
// modification-time check sees it current.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import buildInputsModule from './build-inputs.cjs';
import arrayIsArrayModule from './array-is-array.cjs';
import lazyStackTracesModule from './lazy-stack-traces.cjs';

const { buildInputsHash } = buildInputsModule;
// Stack traces of tokens captured only on demand: a patch of vendor internals (docs/adr/0009-vendor-internals.md).
const { lazyStackTraces } = lazyStackTracesModule;
const { arrayIsArray } = arrayIsArrayModule;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'build', 'cli.js');
const idFile = join(root, 'build', 'build-id');
const buildId = buildInputsHash(root);

if (!process.argv.includes('--force') && existsSync(bundle) && existsSync(idFile) && readFileSync(idFile, 'utf8').trim() === buildId) {
  const now = new Date();
  utimesSync(bundle, now, now);
  if (process.argv.includes('--verbose')) process.stderr.write('build: inputs unchanged since the last build; skipped\n');
  process.exit(0);
}
const { build } = await import('esbuild');

/**
 * The vendor seam (infra/vendor/terraform.ts) re-exports every provider resource the project uses, the
 * examples' and tests' included. The generated provider submodules only define classes, so they are marked
 * free of side effects: a bundle keeps only the resources its code references, as direct submodule imports did.
 */
const sideEffectFreeProviderBindings = {
  name: 'side-effect-free-provider-bindings',
  setup(b) {
    b.onResolve({ filter: /^@(cdktf|cdktn)\/provider-aws\/lib\/[a-z0-9-]+$/ }, async (args) => {
      if (args.pluginData?.resolvingBinding) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolvingBinding: true } });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, namespace: resolved.namespace, external: resolved.external, sideEffects: false };
      });
    },
  };

rmSync(join(root, 'build'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'cli/main.ts', 'infra-app': 'infra/main.ts', 'k8s-app': 'k8s/main.ts' },
  outdir: 'build',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  // Loaded on demand only: the TypeScript loader for `--config *.ts` and its compiler.
  external: ['tsx', 'tsx/*', 'esbuild'],
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [lazyStackTraces, sideEffectFreeProviderBindings, arrayIsArray],
  define: { __DEPLOYKIT_BUILD_ID__: JSON.stringify(buildId) },
});

// Warm the code cache (bin/deploykit.js writes build/cli.js.cache on its first run). The warm-up
// synthesizes the built-in example; when that fails (e.g. while the example is being edited), the
// command the user runs next reports the same problem under its own name, so it is not printed here.
const out = mkdtempSync(join(tmpdir(), 'deploykit-build-'));
const warm = spawnSync(process.execPath, [join(root, 'bin', 'deploykit.js'), 'synth', '--out', join(out, 'dist'), '--quiet'], {
  cwd: out,
  encoding: 'utf8',
  env: { ...process.env, DEPLOYKIT_CODE_CACHE: 'write' },
});
rmSync(out, { recursive: true, force: true });
if (warm.status !== 0 && process.env.DEPLOYKIT_DEBUG) {
  process.stderr.write(`build: warming the code cache failed (the build itself is fine):\n${warm.stderr}`);
}
// Recorded last: an interrupted build never passes for a complete one.
writeFileSync(idFile, `${buildId}\n`);
