import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './support/cli';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

function section(name: string): string {
  const match = new RegExp(`<!-- generated:${name}:start[^>]*-->\\n([\\s\\S]*?)<!-- generated:${name}:end -->`).exec(readme);
  if (!match) throw new Error(`README.md has no generated:${name} section`);
  return match[1];
}

describe('README', () => {
  test('shows the two commands for a fresh machine', () => {
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm ci && npm test');
  });

  test('embeds the current architecture diagram of prod (npm run readme regenerates it)', async () => {
    const graph = await runCli('graph', '--env', 'prod', '--format', 'mermaid');
    expect(section('graph')).toBe(`\`\`\`mermaid\n${graph.stdout.trimEnd()}\n\`\`\`\n`);
  });

  test('embeds the rule table generated from the rule definitions (npm run readme regenerates it)', async () => {
    const rules = await runCli('check', '--list-rules', '--format', 'markdown');
    expect(section('rules')).toBe(`${rules.stdout.trimEnd()}\n`);
  });

  test('docs/check.md embeds the same generated rule table', async () => {
    const rules = await runCli('check', '--list-rules', '--format', 'markdown');
    const doc = readFileSync(join(__dirname, '..', 'docs', 'check.md'), 'utf8');
    expect(doc).toContain(`<!-- generated:rules:start (npm run readme) -->\n${rules.stdout.trimEnd()}\n<!-- generated:rules:end -->`);
  });

  test('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#\s]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(5);
    const missing = links.filter((link) => !existsSync(join(__dirname, '..', link)));
    expect(missing).toEqual([]);
  });
});
