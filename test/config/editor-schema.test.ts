/**
 * Editor support for definitions files: the checked-in deploykit.schema.json is what `deploykit schema`
 * prints, the example JSON/YAML files point at it and pass it, and VS Code maps definitions files to it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { definitionsJsonSchema, loadDefinitions } from '../../config';
import { runCli } from '../support/cli';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const EXAMPLES = ['examples/definitions/shop.yaml', 'examples/definitions/shop.json'];

describe('deploykit.schema.json', () => {
  test('is the schema `deploykit schema` prints (npm run readme regenerates it)', async () => {
    const printed = await runCli('schema');
    expect(printed.code).toBe(0);
    expect(read('deploykit.schema.json')).toBe(printed.stdout);
    expect(JSON.parse(read('deploykit.schema.json'))).toEqual(definitionsJsonSchema());
  });

  test.each(EXAMPLES)('%s names the schema for editors, passes it and loads to the same definitions as its twin', (file) => {
    const text = read(file);
    const document = file.endsWith('.yaml') ? parse(text) : JSON.parse(text);
    if (file.endsWith('.yaml')) expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../deploykit.schema.json');
    else expect(document.$schema).toBe('../../deploykit.schema.json');
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(read('deploykit.schema.json')));
    expect(validate(document) ? [] : validate.errors).toEqual([]);
    expect(loadDefinitions(join(root, file))).toEqual(loadDefinitions(join(root, EXAMPLES[0])));
  });

  test('the schema an editor uses rejects a typo in an example file', () => {
    const document = parse(read(EXAMPLES[0]));
    document.services['shop-web'].replica = 2;
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(read('deploykit.schema.json')));
    expect(validate(document)).toBe(false);
    expect(validate.errors!.map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`)).toContain(
      '/services/shop-web additionalProperties {"additionalProperty":"replica"}',
    );
  });

  test('VS Code maps the example files to the schema (JSON and YAML)', () => {
    const settings = JSON.parse(read('.vscode/settings.json'));
    const json = settings['json.schemas'].find((s: any) => s.url === './deploykit.schema.json');
    expect(json.fileMatch).toContain('examples/definitions/*.json');
    expect(settings['yaml.schemas']['./deploykit.schema.json']).toContain('examples/definitions/*.yaml');
    expect(JSON.parse(read('.vscode/extensions.json')).recommendations).toContain('redhat.vscode-yaml');
  });
});
