/**
 * Guards of the bundle's patch of cdktf's and constructs' private stack-trace modules
 * (scripts/lazy-stack-traces.cjs, docs/adr/0009-vendor-internals.md): when a vendor upgrade moves or
 * rewrites what the patch relies on, these fail with what changed and where to look. The synthesized
 * output with and without the patch is compared in test/scripts/build.test.ts, on the real bundle.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(__dirname, '..', '..');
const { EXPORT_ASSIGNMENT, STACK_TRACE_FILTER, VENDOR_STACK_TRACE_FILES, lazyStackTraceSource } = require(join(root, 'scripts', 'lazy-stack-traces.cjs'));
const files = VENDOR_STACK_TRACE_FILES as Record<string, string>;

const packageDir = (pkg: string) => dirname(require.resolve(`${pkg}/package.json`, { paths: [root] }));
const vendorFile = (pkg: string) => join(packageDir(pkg), files[pkg]);

function readVendorFile(pkg: string): string {
  try {
    return readFileSync(vendorFile(pkg), 'utf8');
  } catch {
    throw new Error(`${pkg}'s private stack-trace module ${files[pkg]} is gone; the lazy-stack-traces patch (scripts/lazy-stack-traces.cjs) no longer applies — see docs/adr/0009-vendor-internals.md`);
  }
}

/** Every .js file under dir. */
function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
}

describe.each(Object.keys(files))('%s stack-trace module', (pkg) => {
  test('exists where the plugin looks for it and assigns the export the patch replaces', () => {
    const source = readVendorFile(pkg);
    expect(STACK_TRACE_FILTER.test(vendorFile(pkg))).toBe(true);
    if (!source.includes(EXPORT_ASSIGNMENT)) {
      throw new Error(`${vendorFile(pkg)} no longer contains '${EXPORT_ASSIGNMENT}'; adapt scripts/lazy-stack-traces.cjs or remove the patch (docs/adr/0009-vendor-internals.md)`);
    }
  });

  test('is called through its module object, so a replaced export takes effect', () => {
    const callers = jsFiles(join(packageDir(pkg), 'lib')).filter((f) => /require\("[^"]*stack-trace"\)/.test(readFileSync(f, 'utf8')));
    expect(callers.length).toBeGreaterThan(0);
    const direct = callers.filter((f) => {
      const text = readFileSync(f, 'utf8');
      const binding = /(?:const|var|let) (\w+) = require\("[^"]*stack-trace"\)/.exec(text)?.[1];
      // Destructured (`const { captureStackTrace } = require(...)`) or aliased copies bypass the patch.
      return binding === undefined || !text.includes(`${binding}.captureStackTrace)(`);
    });
    if (direct.length > 0) {
      throw new Error(`these ${pkg} modules no longer call captureStackTrace through the module object, so the lazy-stack-traces patch misses them: ${direct.join(', ')} (docs/adr/0009-vendor-internals.md)`);
    }
  });
});

describe('lazyStackTraceSource', () => {
  test('captures nothing unless DEPLOYKIT_STACK_TRACES is set, and the full trace when it is', () => {
    const patched = lazyStackTraceSource('constructs stack-trace.js', readVendorFile('constructs'));
    const mod = { exports: {} as { captureStackTrace: () => string[] } };
    new Function('exports', 'module', 'process', patched)(mod.exports, mod, { env: {} });
    expect(mod.exports.captureStackTrace()).toEqual([]);
    const traced = { exports: {} as { captureStackTrace: () => string[] } };
    new Function('exports', 'module', 'process', patched)(traced.exports, traced, { env: { DEPLOYKIT_STACK_TRACES: '1' } });
    expect(traced.exports.captureStackTrace().length).toBeGreaterThan(0);
  });

  test('refuses a module without the export it replaces, naming the file and the fix', () => {
    expect(() => lazyStackTraceSource('/x/stack-trace.js', 'module.exports = { captureStackTrace };')).toThrow(
      `lazy-stack-traces: /x/stack-trace.js no longer contains '${EXPORT_ASSIGNMENT}'; the vendor changed its private stack-trace module. Adapt scripts/lazy-stack-traces.cjs or remove the plugin (docs/adr/0009-vendor-internals.md, "How to remove")`,
    );
  });
});
