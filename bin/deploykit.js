#!/usr/bin/env node
'use strict';
// Starts the bundled CLI (build/cli.js, made by `npm run build`) through a V8 code cache
// (build/cli.js.cache): most of start-up is parsing and compiling JavaScript, which the cache skips.
// The cache is checked by V8 against the bundle's source and V8 version and rebuilt when stale.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'build', 'cli.js');
const cacheFile = `${bundle}.cache`;

/**
 * Rebuilds build/ when an input of the build (scripts/build-inputs.cjs: sources, lockfile, build
 * scripts) was modified after the bundle, so edits are never silently ignored. The build itself
 * skips when the inputs' content is unchanged (and then touches the bundle).
 */
function rebuildIfStale() {
  const builder = path.join(root, 'scripts', 'build.mjs');
  const inputs = path.join(root, 'scripts', 'build-inputs.cjs');
  if (process.env.DEPLOYKIT_NO_REBUILD || !fs.existsSync(builder) || !fs.existsSync(inputs)) return;
  let built = 0;
  try {
    built = fs.statSync(bundle).mtimeMs;
  } catch {
    built = 0;
  }
  if (built > 0 && built >= require(inputs).newestBuildInput(root)) return;
  process.stderr.write(built ? 'deploykit: sources changed since the last build; rebuilding\n' : 'deploykit: building\n');
  const result = require('node:child_process').spawnSync(process.execPath, [builder], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) {
    process.stderr.write('deploykit: the build failed (see above); fix the sources or run `npm run build`\n');
    process.exit(3);
  }
}

function load() {
  let source;
  try {
    source = fs.readFileSync(bundle, 'utf8');
  } catch {
    process.stderr.write('deploykit: build/ is missing; run `npm run build` first (npm run synth does it for you)\n');
    process.exit(3);
  }
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(path.dirname(bundle));
  const require = (id) => mod.require(id);
  require.resolve = (id, options) => Module._resolveFilename(id, mod, false, options);
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, bundle, path.dirname(bundle));
  const stale = cachedData === undefined || script.cachedDataRejected === true;
  return { main: mod.exports.main, saveCache: stale ? () => writeCache(script) : () => undefined };
}

function writeCache(script) {
  try {
    const tmp = `${cacheFile}.${process.pid}`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, cacheFile);
  } catch {
    // A read-only install runs without a cache; nothing else changes.
  }
}

// A reader that stops early (`deploykit check | head -1`) closes the pipe: stop writing, quietly.
// The exit code stays the command's own.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
    stream.destroy();
  });
}

rebuildIfStale();
const { main, saveCache } = load();
/**
 * Exits once everything written to stdout and stderr has been handed to the operating system: output
 * to a pipe is written asynchronously and an immediate process.exit() would cut it off, while waiting
 * for the event loop to drain would hang on a handle a definitions module left open (a timer, a socket).
 */
function exitWhenFlushed(code) {
  process.exitCode = code;
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(
  (code) => {
    saveCache();
    exitWhenFlushed(code);
  },
  (err) => {
    const trace = process.env.DEPLOYKIT_DEBUG ? `\n${err && err.stack}` : '; rerun with DEPLOYKIT_DEBUG=1 to see the stack trace';
    process.stderr.write(`deploykit: internal error: ${err && err.message}${trace}\n`);
    exitWhenFlushed(3);
  },
);
