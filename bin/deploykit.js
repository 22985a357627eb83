#!/usr/bin/env node
'use strict';
// Runs the compiled CLI from build/ (`npm run build`); start-up stays free of any TypeScript compiler.
let main;
try {
  ({ main } = require('../build/cli/main.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('build/cli/main.js')) {
    process.stderr.write('deploykit: build/ is missing; run `npm run build` first (npm run synth does it for you)\n');
    process.exit(2);
  }
  throw err;
}
main(process.argv.slice(2)).then((code) => process.exit(code));
