import * as YAML from 'yaml';
import { parseDocuments, parseDocumentsFast, stringifyDocuments } from '../../cli/kubernetes-yaml';
import { synthesize } from '../../cli/synth';
import { exampleDefs, kubernetesText, tempDir } from '../support/synth';

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
