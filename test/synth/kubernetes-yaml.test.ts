import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as YAML from 'yaml';
import {
  parseDocuments,
  parseDocumentsFast,
  splitDocuments,
  stringifyDocuments,
  unreadableCharacter,
  YamlReadError,
  YamlWriteError,
} from '../../synth/kubernetes-yaml';
import { synthesize } from '../../synth/synthesize';
import { defineEnvironments } from '../../config';
import { exampleDefs, exampleInput, kubernetesFiles, kubernetesText, tempDir } from '../support/synth';
import { readYaml11 } from '../support/yaml11';

const tricky = {
  reserved: ['yes', 'No', 'true', 'null', '~', 'on', 'y'],
  numbers: ['1.35', '0x10', '1e3', '-1', '.5', '8080'],
  text: ['', ' lead', 'trail ', 'a: b', 'a #b', '#c', '@x', '*y', '&z', '!t', '%p', '`q', 'multi\nline', 'tab\there', 'quote"d', "single'q", 'ünïcode', '- dash', '[x]', '{y}'],
  values: [0, -3, 1.5, true, false, null],
  empty: { list: [], map: {} },
  nested: [[1, [2, 3]], [{ a: [{ b: { c: [] } }] }]],
  'key: with colon': 1,
  'app.kubernetes.io/name': 'web',
  '"quoted"': 'x',
};

describe('Kubernetes YAML writer and reader', () => {
  test('the yaml package reads what the writer writes, for awkward values too', () => {
    const text = stringifyDocuments([tricky, { kind: 'Second' }]);
    expect(YAML.parseAllDocuments(text).map((d) => d.toJS())).toEqual([tricky, { kind: 'Second' }]);
  });

  test('the fast reader reads what the writer writes', () => {
    expect(parseDocumentsFast(stringifyDocuments([tricky, { kind: 'Second' }]))).toEqual([tricky, { kind: 'Second' }]);
  });

  test('synthesized manifests read back identically with both readers', () => {
    const out = tempDir();
    synthesize(exampleDefs(), { outDir: out, environments: ['prod'] });
    const text = kubernetesText(out, 'prod');
    const viaYaml = YAML.parseAllDocuments(text).map((d) => d.toJS());
    expect(viaYaml.length).toBeGreaterThan(10);
    expect(parseDocumentsFast(text)).toEqual(viaYaml);
  });

  test('the fast reader declines YAML outside its subset and parseDocuments falls back', () => {
    const handWritten = 'kind: ConfigMap\ndata:\n  script: |\n    echo hi\n  flow: {a: 1}\n';
    expect(parseDocumentsFast(handWritten)).toBeUndefined();
    expect(parseDocuments(handWritten)).toEqual([{ kind: 'ConfigMap', data: { script: 'echo hi\n', flow: { a: 1 } } }]);
  });

  test('writes block style with plain keys and quoted non-plain strings', () => {
    expect(stringifyDocuments([{ metadata: { name: 'web', labels: { version: '1.4.2' } }, spec: { ports: [{ port: 80 }] } }])).toBe(
      'metadata:\n  name: web\n  labels:\n    version: "1.4.2"\nspec:\n  ports:\n    - port: 80\n',
    );
  });
});

/** One string per character class YAML 1.1 readers (kubectl, PyYAML) refuse raw or read as a line break. */
const yaml11Hazards: Record<string, string> = {
  nel: 'a\u0085b',
  nelAroundSeparator: 'x\u0085---\u0085y',
  lineSeparatorAroundSeparator: 'x\u2028---\u2028y',
  paragraphSeparator: 'p\u2029q',
  del: 'd\u007fe',
  c1First: '\u0080',
  c1Last: '\u009f',
  c0: 'nul\u0000 esc\u001b bell\u0007',
  nonCharacters: '\ufffe\uffff',
  byteOrderMark: '\ufeffbom',
  astral: 'emoji \u{1f600}',
};

describe('YAML 1.1 safety', () => {
  const hazardous = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'hazards', annotations: { 'note\u0085key': 'v', 'sep\u2028key': 'w' } },
    data: yaml11Hazards,
    list: Object.values(yaml11Hazards),
  };

  test('a YAML 1.1 reader (PyYAML) reads what the writer writes identically, for every hazardous character class', () => {
    const dir = tempDir();
    const file = join(dir, 'hazards.k8s.yaml');
    const text = stringifyDocuments([hazardous, { kind: 'Second' }]);
    writeFileSync(file, text);
    expect(unreadableCharacter(text)).toBeUndefined();
    expect(readYaml11([file])[file]).toEqual([hazardous, { kind: 'Second' }]);
    expect(parseDocumentsFast(text)).toEqual([hazardous, { kind: 'Second' }]);
    expect(parseDocuments(text)).toEqual([hazardous, { kind: 'Second' }]);
    expect(YAML.parseAllDocuments(text).map((d) => d.toJS())).toEqual([hazardous, { kind: 'Second' }]);
  });

  test('refuses a lone surrogate, naming where it is', () => {
    expect(() => stringifyDocuments([{ data: { key: 'a\ud800b' } }])).toThrow(
      new YamlWriteError(
        'data.key',
        `the string "a\\ud800b" holds a lone UTF-16 surrogate (U+D800), which cannot be encoded as UTF-8 nor escaped for kubectl's YAML reader; remove it or pair it`,
      ),
    );
    expect(() => stringifyDocuments([{ list: ['ok', '\udc00'] }])).toThrow(/^list\[1\]: the string .* \(U\+DC00\)/);
  });

  test('synthesized files read back identically under YAML 1.1 when definitions carry hazardous characters', () => {
    const input = exampleInput();
    const service = Object.keys(input.services)[0];
    input.services[service].env = { ...input.services[service].env, ...Object.fromEntries(Object.entries(yaml11Hazards).map(([k, v]) => [`HAZARD_${k.toUpperCase()}`, v])) };
    const defs = defineEnvironments(input);
    const env = defs.environments[0].name;
    const out = tempDir();
    synthesize(defs, { outDir: out, environments: [env] });
    const files = kubernetesFiles(out, env).map((f) => join(out, f));
    const read11 = readYaml11(files);
    const values: string[] = [];
    for (const file of files) {
      const ours = parseDocuments(readFileSync(file, 'utf8'));
      expect(read11[file]).toEqual(ours);
      for (const doc of ours as any[]) {
        for (const container of doc.spec?.template?.spec?.containers ?? []) {
          for (const variable of container.env ?? []) if (variable.name.startsWith('HAZARD_')) values.push(variable.value);
        }
      }
    }
    expect(values.sort()).toEqual(Object.values(yaml11Hazards).sort());
  });

  test('the reader refuses raw characters YAML 1.1 readers refuse or read as a line break, naming the line', () => {
    expect(() => parseDocuments('kind: A\nname: "a\u0085---\u0085b"\n')).toThrow(
      new YamlReadError(
        `line 2 holds the raw character U+0085, which kubectl's YAML 1.1 reader refuses or reads as a line break; write it as an escape (\\u0085) in a double-quoted string`,
      ),
    );
    for (const raw of ['\u2028', '\u007f', '\u0090', '\uffff', '\u0001']) expect(() => parseDocuments(`kind: A\nname: x${raw}y\n`)).toThrow(YamlReadError);
  });

  test('the reader splits documents only at --- lines, and refuses invalid YAML', () => {
    expect(splitDocuments('a: 1\n---\nb: "x\u2028---\u2028y"\n')).toEqual(['a: 1', 'b: "x\u2028---\u2028y"\n']);
    expect(() => parseDocuments('kind: A\n---\nkind: [unclosed\n')).toThrow(/^document 2 is not valid YAML/);
  });
});

describe('synth and YAML', () => {
  test('synth refuses a lone surrogate in the definitions, naming the object and field, and writes nothing', () => {
    const input = exampleInput();
    const service = Object.keys(input.services)[0];
    input.services[service].env = { BROKEN: 'x\udfffy' };
    const defs = defineEnvironments(input);
    const env = defs.environments[0].name;
    const out = join(tempDir(), 'dist');
    expect(() => synthesize(defs, { outDir: out, environments: [env] })).toThrow(
      /^invalid environment definitions \(1 problem\):\n {2}- [a-z0-9-]+\.kubernetes\.Deployment\/[a-z0-9-]+\.spec\.template\.spec\.containers\[0\]\.env\[\d+\]\.value: the string "x\\udfffy" holds a lone UTF-16 surrogate \(U\+DFFF\)/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
