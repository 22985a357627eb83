'use strict';
// What build/ is made from, in one place: scripts/build.mjs hashes these files to skip a build whose
// inputs are unchanged, and bin/deploykit.js compares their modification times with the bundle's to
// rebuild before running when one of them changed.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** Directories whose every file goes into the bundle (sources, pipeline scripts, templates). */
const SOURCE_DIRS = ['config', 'infra', 'k8s', 'pipelines', 'cli', 'policy', 'synth'];
/** Single files that change the build: the dependency versions and the build itself. */
const BUILD_FILES = ['package-lock.json', 'scripts/build.mjs', 'scripts/build-inputs.cjs', 'scripts/lazy-stack-traces.cjs', 'scripts/array-is-array.cjs'];

/** Every input file, relative to `root` with `/` separators, sorted; missing single files are skipped. */
function buildInputs(root) {
  const files = [];
  const walk = (rel) => {
    let entries;
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else files.push(child);
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  for (const file of BUILD_FILES) if (fs.existsSync(path.join(root, file))) files.push(file);
  return files.sort();
}

/** SHA-1 over every input's path and content: the identity of a build. */
function buildInputsHash(root) {
  const hash = crypto.createHash('sha1');
  for (const file of buildInputs(root)) hash.update(file).update('\0').update(fs.readFileSync(path.join(root, file))).update('\0');
  return hash.digest('hex');
}

/** The newest modification time (ms) of any input, or 0 when there are none (an install without sources). */
function newestBuildInput(root) {
  return buildInputs(root).reduce((newest, file) => Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs), 0);
}

module.exports = { SOURCE_DIRS, BUILD_FILES, buildInputs, buildInputsHash, newestBuildInput };
