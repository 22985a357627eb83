#!/usr/bin/env node
// Regenerates the generated parts of the docs from the CLI: the sections between
// `<!-- generated:<name>:start … -->` and `<!-- generated:<name>:end -->` — the architecture diagram of
// the fixed example examples/definitions/shop.yaml (`deploykit graph`) in docs/definitions.md and the
// rule table (`deploykit check --list-rules`) in docs/check.md — and deploykit.schema.json (`deploykit
// schema`, for editors). None of them depends on the built-in example, so editing config/environments.ts
// never makes them stale. `--check` exits 1 when one is stale instead of writing it. The benchmark
// report (docs/benchmarks.md) is written by `npm run bench`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Files with generated sections, and which sections each holds. */
const TARGETS = [
  { file: join(root, 'docs', 'definitions.md'), sections: ['graph'] },
  { file: join(root, 'docs', 'check.md'), sections: ['rules'] },
];
/** The definitions file the docs' diagram is drawn from. */
export const DIAGRAM_DEFINITIONS = 'examples/definitions/shop.yaml';
/** Whole generated files. */
const FILES = [{ file: join(root, 'deploykit.schema.json'), generate: () => cli('schema') }];

function cli(...args) {
  const result = spawnSync(process.execPath, [join(root, 'bin', 'deploykit.js'), ...args], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`deploykit ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

/** Replaces the body of one generated section; throws when its markers are missing. */
export function replaceSection(text, name, body) {
  const pattern = new RegExp(`(<!-- generated:${name}:start[^>]*-->\\n)[\\s\\S]*?(<!-- generated:${name}:end -->)`);
  if (!pattern.test(text)) throw new Error(`no generated:${name} markers`);
  return text.replace(pattern, (_m, start, end) => `${start}${body.trimEnd()}\n${end}`);
}

export function generatedSections() {
  return {
    graph: `\`\`\`mermaid\n${cli('graph', '--config', DIAGRAM_DEFINITIONS, '--env', 'prod', '--format', 'mermaid').trimEnd()}\n\`\`\``,
    rules: cli('check', '--list-rules', '--format', 'markdown'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sections = generatedSections();
  const outputs = [
    ...TARGETS.map(({ file, sections: names }) => ({ file, render: (before) => names.reduce((text, name) => replaceSection(text, name, sections[name]), before) })),
    ...FILES.map(({ file, generate }) => ({ file, render: () => generate() })),
  ];
  for (const { file, render } of outputs) {
    const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const after = render(before);
    if (after === before) continue;
    if (process.argv.includes('--check')) {
      process.stderr.write(`${file} is out of date; run \`npm run readme\`\n`);
      process.exitCode = 1;
    } else {
      writeFileSync(file, after);
      process.stdout.write(`${file} updated\n`);
    }
  }
}
