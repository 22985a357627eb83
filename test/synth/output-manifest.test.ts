import { appendFileSync, cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesize } from '../../synth/synthesize';
import { runCli } from '../support/cli';
import { exampleDefs, kubernetesFiles, tempDir } from '../support/synth';

const root = tempDir();
const good = join(root, 'good');
const defs = exampleDefs();
const env = defs.environments[0].name;
beforeAll(() => {
  synthesize(defs, { outDir: good, environments: [env] });
});

/** A copy of the good output, changed by `edit`. */
function broken(edit: (dir: string) => void): string {
  const dir = join(tempDir(), 'dist');
  cpSync(good, dir, { recursive: true });
  edit(dir);
  return dir;
}

const editManifest = (dir: string, change: (manifest: any) => unknown) => {
  const file = join(dir, 'manifest.json');
  writeFileSync(file, JSON.stringify(change(JSON.parse(readFileSync(file, 'utf8')))));
};

async function check(dir: string) {
  return runCli('check', '--dir', dir, '--env', env);
}

async function diff(base: string) {
  return runCli('diff', '--base', base, '--head', good, '--format', 'json');
}

describe('malformed synth output given to check and diff', () => {
  test('a broken YAML document appended to a Kubernetes file fails check and diff with exit 2, naming the file and document', async () => {
    const file = kubernetesFiles(good, env)[0];
    const documents = readFileSync(join(good, file), 'utf8').split(/^---$/m).length;
    const dir = broken((d) => appendFileSync(join(d, file), '---\nkind: [unclosed\n'));
    for (const result of [await check(dir), await diff(dir)]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${join(dir, file)}: document ${documents + 1} is not valid YAML (`);
      expect(result.stderr).not.toContain('    at ');
    }
  });

  test('random bytes in a Kubernetes file are refused instead of diffing as added objects', async () => {
    const file = kubernetesFiles(good, env).at(-1) as string;
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 193 + 71) % 256));
    const dir = broken((d) => writeFileSync(join(d, file), bytes));
    const result = await diff(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`deploykit diff: --base ${dir}: ${join(dir, file)}: is not UTF-8 text; synthesize it again with 'deploykit synth'\n`);
    expect((await check(dir)).stderr).toBe(`deploykit check: ${join(dir, file)}: is not UTF-8 text; synthesize it again with 'deploykit synth'\n`);
  });

  test('a document that is not a Kubernetes object is refused', async () => {
    const file = kubernetesFiles(good, env)[0];
    const dir = broken((d) => appendFileSync(join(d, file), '---\njust a string\n'));
    const result = await check(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/document \d+ \("just a string"\) is not a Kubernetes object \(a mapping with string 'apiVersion' and 'kind'\)/);
  });

  test('manifest paths outside the output directory are refused, also through a symlink', async () => {
    const outside = join(tempDir(), 'outside.k8s.yaml');
    writeFileSync(outside, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stolen\n');
    const dotdot = broken((d) => editManifest(d, (m) => ((m.environments[env].kubernetes = [`${env}/kubernetes/../../../outside.k8s.yaml`]), m)));
    const result = await diff(dotdot);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `manifest.json: environments.${env}.kubernetes[0] ("${env}/kubernetes/../../../outside.k8s.yaml") must be a normalized relative path inside the output directory`,
    );
    const absolute = broken((d) => editManifest(d, (m) => ((m.environments[env].kubernetes = [outside]), m)));
    expect((await check(absolute)).stderr).toContain('must be a normalized relative path inside the output directory');
    const linked = broken((d) => {
      symlinkSync(outside, join(d, env, 'kubernetes', 'linked.k8s.yaml'));
      editManifest(d, (m) => ((m.environments[env].kubernetes = [`${env}/kubernetes/linked.k8s.yaml`]), m));
    });
    const viaLink = await check(linked);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toContain(`${join(linked, env, 'kubernetes', 'linked.k8s.yaml')}: resolves outside the output directory ${linked}`);
  });

  test.each([
    ['null', 'null', 'is not a deploykit manifest (an object with "generator": "deploykit", got null)'],
    ['a list', '[]', 'is not a deploykit manifest (an object with "generator": "deploykit", got a list)'],
    ['environments null', '{"generator":"deploykit","environments":null}', "'environments' (null) must be an object of environment names"],
    ['an environment that is a number', `{"generator":"deploykit","environments":{"${env}":3}}`, `environments.${env} (number 3) must be an object`],
    ['a file list that is a string', `{"generator":"deploykit","environments":{"${env}":{"terraform":"x","kubernetes":[]}}}`, `environments.${env}.terraform ("x") must be a list of file paths`],
    ['not JSON', '{', 'is not JSON ('],
  ])('a manifest that is %s is refused with exit 2 and no stack trace', async (_, text, message) => {
    const dir = broken((d) => writeFileSync(join(d, 'manifest.json'), text));
    for (const result of [await check(dir), await diff(dir)]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${join(dir, 'manifest.json')}: ${message}`);
      expect(result.stderr).not.toContain('unexpected error');
    }
  });

  test('a Terraform file that is not a JSON object is refused', async () => {
    const tf = JSON.parse(readFileSync(join(good, 'manifest.json'), 'utf8')).environments[env].terraform.find((f: string) => f.endsWith('.tf.json'));
    const dir = broken((d) => writeFileSync(join(d, tf), '[1, 2]'));
    const result = await check(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`deploykit check: ${join(dir, tf)}: must hold a Terraform JSON object, got a list; synthesize it again with 'deploykit synth'\n`);
    expect((await diff(dir)).stderr).toContain(`${join(dir, tf)}: must hold a Terraform JSON object, got a list`);
  });
});
