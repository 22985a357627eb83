#!/usr/bin/env node
// Fails when a construct's props are not documented: every property of an exported `*Props` or
// `*Options` interface needs a doc comment, and every optional one a `@default` tag (a literal value
// or a `- behaviour` sentence). Typedoc checks that every exported symbol is documented; this checks
// the part platform teams read most.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['config', 'infra', 'k8s', 'pipelines', 'cli', 'policy', 'synth', 'testing'];

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'imports' || e.name === 'node_modules' ? [] : files(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const problems = [];
let checked = 0;
for (const file of dirs.flatMap((d) => files(join(root, d)))) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  for (const node of source.statements) {
    if (!ts.isInterfaceDeclaration(node) || !/(Props|Options)$/.test(node.name.text)) continue;
    if (!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member)) continue;
      checked++;
      const where = `${relative(root, file)}:${source.getLineAndCharacterOfPosition(member.getStart()).line + 1}`;
      const name = `${node.name.text}.${member.name.getText(source)}`;
      const docs = ts.getJSDocCommentsAndTags(member);
      if (docs.length === 0) {
        problems.push(`${where} ${name} has no doc comment; describe it (and its unit)`);
      } else if (member.questionToken && !ts.getJSDocTags(member).some((t) => t.tagName.text === 'default')) {
        problems.push(`${where} ${name} is optional but has no @default; add "@default <value>" or "@default - <behaviour>"`);
      }
    }
  }
}
if (problems.length) {
  process.stderr.write(`check-docs: ${problems.length} undocumented prop(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`check-docs: ${checked} props documented, every optional one with @default\n`);
