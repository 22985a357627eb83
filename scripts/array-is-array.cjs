'use strict';
// The bundle's patch of cdktf's TerraformOutput (docs/adr/0009-vendor-internals.md, "util.isArray").
// cdktf calls `util.isArray`, which Node.js 22 and later deprecate at run time (DEP0044): every synth
// with a Terraform output would print a DeprecationWarning. cdktf is archived upstream, so the bundle
// calls `Array.isArray` (the same function) instead. The build fails when the call is no longer there,
// so a changed vendor file is never bundled half-patched; test/scripts/array-is-array.test.ts checks it
// against the installed package.
const fs = require('node:fs');

/** The patched module, relative to the cdktf package directory. */
const VENDOR_FILE = 'lib/terraform-output.js';
/** The compiled call the patch replaces, e.g. `(0, util_2.isArray)(`. */
const UTIL_IS_ARRAY_CALL = /\(0, util_\d+\.isArray\)\(/g;
/** What esbuild's onLoad filter matches. */
const FILTER = /[\\/]cdktf[\\/]lib[\\/]terraform-output\.js$/;

/** The module's source calling `Array.isArray`. @throws Error naming the file when the call is gone */
function arrayIsArraySource(file, original) {
  const patched = original.replace(UTIL_IS_ARRAY_CALL, 'Array.isArray(');
  if (patched === original) {
    throw new Error(
      `array-is-array: ${file} no longer calls util.isArray the way the patch expects; the vendor changed TerraformOutput. ` +
        'Adapt scripts/array-is-array.cjs or remove the plugin (docs/adr/0009-vendor-internals.md)',
    );
  }
  return patched;
}

/** The esbuild plugin. */
const arrayIsArray = {
  name: 'array-is-array',
  setup(b) {
    b.onLoad({ filter: FILTER }, async (args) => {
      try {
        return { loader: 'js', contents: arrayIsArraySource(args.path, await fs.promises.readFile(args.path, 'utf8')) };
      } catch (err) {
        return { errors: [{ text: err.message }] };
      }
    });
  },
};

module.exports = { VENDOR_FILE, UTIL_IS_ARRAY_CALL, arrayIsArraySource, arrayIsArray };
