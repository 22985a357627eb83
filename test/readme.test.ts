import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli } from './support/cli';

const root = join(__dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const readme = read('README.md');
const scripts: Record<string, string> = JSON.parse(read('package.json')).scripts;
/** What a newcomer sees without scrolling much: the README's first screenfuls. */
const firstScreen = readme.split('\n').slice(0, 60).join('\n');

function section(text: string, name: string): string {
  const match = new RegExp(`<!-- generated:${name}:start[^>]*-->\\n([\\s\\S]*?)<!-- generated:${name}:end -->`).exec(text);
  if (!match) throw new Error(`no generated:${name} section`);
  return match[1];
}

/** Relative link targets of a Markdown file, resolved against its folder. */
function linksOf(file: string): string[] {
  return [...read(file).matchAll(/\]\(((?!https?:|mailto:|#)[^)#\s]+)[^)]*\)/g)].map((m) => join(dirname(file), m[1]));
}

describe('README', () => {
  test('shows on its first screen the two commands for a fresh machine, and CI runs the test one', () => {
    expect(firstScreen).toContain('npm ci && npm run synth');
    const testCommand = 'bash scripts/install-test-tools.sh && npm ci && npm test';
    expect(firstScreen).toContain(testCommand);
    expect(read('.ci/run')).toContain(testCommand);
  });

  test('walks a newcomer through synth, edit, check and diff on its first screen, with npm scripts that exist', () => {
    const tour = ['npm run synth', 'npm run check', 'npm run diff -- --base HEAD'];
    for (const command of tour) expect(firstScreen).toContain(`\`${command}`);
    expect(firstScreen.indexOf(tour[0])).toBeLessThan(firstScreen.indexOf(tour[1]));
    expect(firstScreen.indexOf(tour[1])).toBeLessThan(firstScreen.indexOf(tour[2]));
    expect(firstScreen).toContain('[`config/environments.ts`](config/environments.ts)');
    for (const name of ['synth', 'check', 'diff', 'test']) expect(scripts[name]).toBeDefined();
    expect(scripts.synth).toBe('node bin/deploykit.js synth');
    expect(scripts.check).toBe('node bin/deploykit.js check');
    expect(scripts.diff).toBe('node bin/deploykit.js diff');
  });

  test('links the first-day guide from its first screen', () => {
    expect(firstScreen).toContain('Deploying for real: [docs/first-day.md](docs/first-day.md)');
  });

  test('stays short: details live in docs/', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(100);
  });

  test('README and docs link only to files that exist', () => {
    const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const links = files.flatMap((file) => linksOf(file).map((target) => ({ file, target })));
    expect(links.filter((l) => l.file === 'README.md').length).toBeGreaterThan(10);
    const missing = links.filter((l) => !existsSync(join(root, l.target)));
    expect(missing).toEqual([]);
  });
});

describe('generated docs (npm run readme regenerates them; none depends on the built-in example)', () => {
  test('docs/definitions.md embeds the architecture diagram of the fixed example examples/definitions/shop.yaml', async () => {
    const graph = await runCli('graph', '--config', join(root, 'examples/definitions/shop.yaml'), '--env', 'prod', '--format', 'mermaid');
    expect(graph.code).toBe(0);
    expect(section(read('docs/definitions.md'), 'graph')).toBe(`\`\`\`mermaid\n${graph.stdout.trimEnd()}\n\`\`\`\n`);
  });

  test('docs/check.md embeds the rule table generated from the rule definitions', async () => {
    const rules = await runCli('check', '--list-rules', '--format', 'markdown');
    expect(section(read('docs/check.md'), 'rules')).toBe(`${rules.stdout.trimEnd()}\n`);
  });
});
