/**
 * Jest global setup: builds the CLI bundle once before any test runs when a source is newer than it,
 * as `bin/deploykit.js` would on its first run. Tests that spawn the bin then see only their own
 * output, whichever of them happens to run first.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

module.exports = function buildOnce() {
  const root = path.join(__dirname, '..', '..');
  const bundle = path.join(root, 'build', 'cli.js');
  let built = 0;
  try {
    built = fs.statSync(bundle).mtimeMs;
  } catch {
    built = 0;
  }
  const { newestBuildInput } = require(path.join(root, 'scripts', 'build-inputs.cjs'));
  if (built > 0 && built >= newestBuildInput(root)) return;
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('the CLI build failed (see above); fix the sources or run `npm run build`');
};
