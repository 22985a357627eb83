#!/usr/bin/env node
// Regenerates the README (and docs/check.md) sections between `<!-- generated:<name>:start … -->` and
// `<!-- generated:<name>:end -->` from the CLI: the architecture diagram of prod (`deploykit graph`)
// and the rule table (`deploykit check --list-rules`). `--check` exits 1 when the README is stale
// instead of writing it. The benchmark section is written by `npm run bench`.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Files with generated sections, and which sections each holds. */
const TARGETS = [
  { file: join(root, 'README.md'), sections: ['graph', 'rules'] },
  { file: join(root, 'docs', 'check.md'), sections: ['rules'] },
];

function cli(...args) {
  const result = spawnSync(process.execPath, [join(root, 'bin', 'deploykit.js'), ...args], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`deploykit ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

/** Replaces the body of one generated section; throws when its markers are missing. */
export function replaceSection(text, name, body) {
  const pattern = new RegExp(`(<!-- generated:${name}:start[^>]*-->\\n)[\\s\\S]*?(<!-- generated:${name}:end -->)`);
  if (!pattern.test(text)) throw new Error(`README.md has no generated:${name} markers`);
  return text.replace(pattern, (_m, start, end) => `${start}${body.trimEnd()}\n${end}`);
}

export function generatedSections() {
  return {
    graph: `\`\`\`mermaid\n${cli('graph', '--env', 'prod', '--format', 'mermaid').trimEnd()}\n\`\`\``,
    rules: cli('check', '--list-rules', '--format', 'markdown'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sections = generatedSections();
  for (const { file, sections: names } of TARGETS) {
    const before = readFileSync(file, 'utf8');
    const after = names.reduce((text, name) => replaceSection(text, name, sections[name]), before);
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
