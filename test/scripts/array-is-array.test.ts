/** The bundle's util.isArray patch of cdktf's TerraformOutput still matches the installed vendor file. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const { VENDOR_FILE, UTIL_IS_ARRAY_CALL, arrayIsArraySource } = require('../../scripts/array-is-array.cjs');

const vendorFile = join(dirname(require.resolve('cdktf/package.json')), VENDOR_FILE);

describe('array-is-array (docs/adr/0009-vendor-internals.md)', () => {
  test('the installed cdktf still calls util.isArray where the patch replaces it', () => {
    expect(readFileSync(vendorFile, 'utf8').match(UTIL_IS_ARRAY_CALL)?.length ?? 0).toBeGreaterThan(0);
  });

  test('the patched source calls Array.isArray and no util.isArray', () => {
    const patched: string = arrayIsArraySource(vendorFile, readFileSync(vendorFile, 'utf8'));
    expect(patched).not.toMatch(/\.isArray\)\(/);
    expect(patched).toContain('Array.isArray(');
  });

  test('a vendor file without the call fails the build with a message naming the file and the ADR', () => {
    expect(() => arrayIsArraySource('terraform-output.js', 'exports.x = Array.isArray;')).toThrow(
      "array-is-array: terraform-output.js no longer calls util.isArray the way the patch expects; the vendor changed TerraformOutput. Adapt scripts/array-is-array.cjs or remove the plugin (docs/adr/0009-vendor-internals.md)",
    );
  });
});
