#!/usr/bin/env node
'use strict';
// Runs the deploykit CLI from its TypeScript sources (tsx), optionally with the Terraform CDK vendor
// swapped: `node scripts/run-with-vendor.cjs <vendor-dir|-> <deploykit arguments…>`.
//
// With `-` the CLI runs as it is (cdktf from this repository's node_modules). With a vendor directory
// (made by scripts/canary-cdktn.mjs: `node_modules/` with cdktn, @cdktn/provider-aws and the
// `constructs` they need, and `vendor/terraform.ts`, the seam with its module names replaced), module
// resolution is redirected in two places only:
//   - infra/vendor/terraform.ts, the one module that imports the vendor, resolves to the variant;
//   - `constructs` resolves to the vendor directory's copy, for everything (cdktn needs ≥ 10.6 and
//     a construct tree must come from one copy of the library).
// Every other module is this repository's own. After the command, the loaded modules are checked: a
// swapped run that loaded anything of cdktf, or this repository's seam or `constructs`, exits 70 —
// the swap would not be what was measured.
const Module = require('node:module');
const path = require('node:path');

const root = path.join(__dirname, '..');
const [vendorArg, ...args] = process.argv.slice(2);
if (!vendorArg) {
  process.stderr.write('usage: node scripts/run-with-vendor.cjs <vendor-dir|-> <deploykit arguments…>\n');
  process.exit(64);
}

require('tsx/cjs/api').register();

const seam = path.join(root, 'infra', 'vendor', 'terraform.ts');
const vendorDir = vendorArg === '-' ? undefined : path.resolve(vendorArg);

if (vendorDir) {
  const variant = path.join(vendorDir, 'vendor', 'terraform.ts');
  // A module that lives in the vendor directory: `constructs` requests resolve as if made from there.
  const anchor = { id: variant, filename: variant, paths: Module._nodeModulePaths(path.dirname(variant)) };
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function redirect(request, parent, isMain, options) {
    if (request === 'constructs' || request.startsWith('constructs/')) return resolveFilename.call(this, request, anchor, isMain, options);
    const resolved = resolveFilename.call(this, request, parent, isMain, options);
    return resolved === seam ? variant : resolved;
  };
}

/** Modules loaded from `dir` (a directory), as paths relative to `root`. */
const loadedFrom = (dir) =>
  Object.keys(require.cache)
    .filter((file) => file.startsWith(`${dir}${path.sep}`) || file === dir)
    .map((file) => path.relative(root, file));

require(path.join(root, 'cli', 'main.ts'))
  .main(args)
  .then((code) => {
    if (vendorDir) {
      const modules = path.join(root, 'node_modules');
      const leaked = [
        ...loadedFrom(path.join(modules, 'cdktf')),
        ...loadedFrom(path.join(modules, '@cdktf')),
        ...loadedFrom(path.join(modules, 'constructs')),
        ...(require.cache[seam] ? [path.relative(root, seam)] : []),
      ];
      if (leaked.length > 0) {
        process.stderr.write(`run-with-vendor: the swapped run loaded ${leaked.length} module(s) it must not: ${leaked.slice(0, 5).join(', ')}\n`);
        process.exit(70);
      }
      if (!require.cache[path.join(vendorDir, 'vendor', 'terraform.ts')]) {
        process.stderr.write('run-with-vendor: the vendor variant of infra/vendor/terraform.ts was never loaded\n');
        process.exit(70);
      }
    }
    process.exitCode = code;
  })
  .catch((err) => {
    process.stderr.write(`run-with-vendor: ${err && err.stack ? err.stack : err}\n`);
    process.exit(70);
  });
