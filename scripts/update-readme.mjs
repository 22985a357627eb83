#!/usr/bin/env node
// Regenerates the README sections between `<!-- generated:<name>:start … -->` and
// `<!-- generated:<name>:end -->` from the CLI: the architecture diagram of prod (`deploykit graph`)
// and the rule table (`deploykit check --list-rules`). `--check` exits 1 when the README is stale
// instead of writing it. The benchmark section is written by `npm run bench`.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readmeFile = join(root, 'README.md');

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
  const before = readFileSync(readmeFile, 'utf8');
  let after = before;
  for (const [name, body] of Object.entries(generatedSections())) after = replaceSection(after, name, body);
  if (process.argv.includes('--check')) {
    if (after !== before) {
      process.stderr.write('README.md is out of date; run `npm run readme`\n');
      process.exit(1);
    }
  } else if (after !== before) {
    writeFileSync(readmeFile, after);
    process.stdout.write('README.md updated\n');
  }
}
