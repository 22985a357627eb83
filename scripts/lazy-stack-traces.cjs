'use strict';
// The bundle's patch of cdktf's and constructs' private stack-trace modules (docs/adr/0009-vendor-internals.md).
// cdktf and constructs capture a full stack trace for every token they create, used only in
// token-resolution error messages. The bundle captures them only when DEPLOYKIT_STACK_TRACES is set
// (set it when debugging such an error; the benchmark sets it for its A/B of this patch).
//
// The patch relies on three things of the vendors' private code; the build fails when one changes, and
// test/scripts/lazy-stack-traces.test.ts checks them against the installed packages:
// - the modules are at VENDOR_STACK_TRACE_FILES (one per package, both end up in the bundle);
// - each assigns its function with EXPORT_ASSIGNMENT, so replacing the export replaces it;
// - callers look it up on the module object at each call (`(0, stack_trace_1.captureStackTrace)()`).
const fs = require('node:fs');
const path = require('node:path');

/** Each patched module, relative to its package directory. */
const VENDOR_STACK_TRACE_FILES = Object.freeze({ cdktf: 'lib/tokens/private/stack-trace.js', constructs: 'lib/private/stack-trace.js' });
/** The statement of each module the patch depends on. */
const EXPORT_ASSIGNMENT = 'exports.captureStackTrace = captureStackTrace;';
/** What esbuild's onLoad filter matches: both modules, from either package. */
const STACK_TRACE_FILTER = /[\\/](cdktf|constructs)[\\/]lib[\\/].*stack-trace\.js$/;

/** The module's source with `captureStackTrace` made lazy. @throws Error naming the file when the vendor changed it */
function lazyStackTraceSource(file, original) {
  if (!original.includes(EXPORT_ASSIGNMENT)) {
    throw new Error(
      `lazy-stack-traces: ${file} no longer contains '${EXPORT_ASSIGNMENT}'; the vendor changed its private stack-trace module. ` +
        'Adapt scripts/lazy-stack-traces.cjs or remove the plugin (docs/adr/0009-vendor-internals.md, "How to remove")',
    );
  }
  return `${original}\nconst __captureStackTrace = exports.captureStackTrace;\nexports.captureStackTrace = function (below) { return process.env.DEPLOYKIT_STACK_TRACES ? __captureStackTrace(below || exports.captureStackTrace) : []; };\n`;
}

/** The esbuild plugin; fails the build when a vendor module is missing from the bundle or changed. */
const lazyStackTraces = {
  name: 'lazy-stack-traces',
  setup(b) {
    const patched = new Set();
    b.onStart(() => patched.clear());
    b.onLoad({ filter: STACK_TRACE_FILTER }, async (args) => {
      const original = await fs.promises.readFile(args.path, 'utf8');
      try {
        const contents = lazyStackTraceSource(args.path, original);
        patched.add(Object.keys(VENDOR_STACK_TRACE_FILES).find((pkg) => args.path.split(path.sep).join('/').endsWith(`${pkg}/${VENDOR_STACK_TRACE_FILES[pkg]}`)) ?? args.path);
        return { loader: 'js', contents };
      } catch (err) {
        return { errors: [{ text: err.message }] };
      }
    });
    b.onEnd((result) => {
      if (result.errors.length > 0) return undefined;
      const missing = Object.keys(VENDOR_STACK_TRACE_FILES).filter((pkg) => !patched.has(pkg));
      if (missing.length === 0) return undefined;
      return {
        errors: missing.map((pkg) => ({
          text: `lazy-stack-traces: ${pkg}/${VENDOR_STACK_TRACE_FILES[pkg]} was not bundled; the vendor moved its private stack-trace module. Adapt scripts/lazy-stack-traces.cjs or remove the plugin (docs/adr/0009-vendor-internals.md)`,
        })),
      };
    });
  },
};

module.exports = { EXPORT_ASSIGNMENT, STACK_TRACE_FILTER, VENDOR_STACK_TRACE_FILES, lazyStackTraceSource, lazyStackTraces };
