#!/usr/bin/env node
// Builds deploykit into build/: one esbuild bundle per entry point (the CLI, and the cdktf / cdk8s apps
// for users of the stock CLIs), then warms the CLI's V8 code cache by synthesizing the example once.
// Bundling removes thousands of module look-ups at start-up; the code cache removes most parsing and
// compiling. Type-checking is `npm run typecheck` (tsc --noEmit), not part of the build.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * cdktf and constructs capture a full stack trace for every token they create, used only in
 * token-resolution error messages; formatting those traces is a tenth of synth time. The bundle
 * captures them only when DEPLOYKIT_STACK_TRACES is set (set it when debugging such an error).
 */
const lazyStackTraces = {
  name: 'lazy-stack-traces',
  setup(b) {
    b.onLoad({ filter: /[\\/](cdktf|constructs)[\\/]lib[\\/].*stack-trace\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const original = await readFile(args.path, 'utf8');
      return {
        loader: 'js',
        contents: `${original}\nconst __captureStackTrace = exports.captureStackTrace;\nexports.captureStackTrace = function (below) { return process.env.DEPLOYKIT_STACK_TRACES ? __captureStackTrace(below || exports.captureStackTrace) : []; };\n`,
      };
    });
  },
};
/** Hash of every source file and the lockfile: the identity of this build (caches key on it). */
function sourceHash() {
  const hash = createHash('sha1');
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else hash.update(rel).update(readFileSync(join(root, rel)));
    }
  };
  for (const dir of ['config', 'infra', 'k8s', 'pipelines', 'cli']) walk(dir);
  hash.update(readFileSync(join(root, 'package-lock.json')));
  return hash.digest('hex');
}

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
  plugins: [lazyStackTraces],
  define: { __DEPLOYKIT_BUILD_ID__: JSON.stringify(sourceHash()) },
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
