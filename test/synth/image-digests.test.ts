import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ValidationError, registryHost, repositoryName } from '../../config';
import { readImageDigests, synthesize } from '../../synth/synthesize';
import { exampleDefs, kubernetesText, tempDir } from '../support/synth';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const defs = exampleDefs();
const env = defs.environments.at(-1)!;
const [first, ...others] = env.services;

function issues(digests: unknown): unknown {
  try {
    synthesize(defs, { outDir: join(tempDir(), 'dist'), environments: [env.name], imageTag: 'abc123', imageDigests: digests as Record<string, string> });
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  return [];
}

describe('deploykit synth --image-digests', () => {
  test('a service with a digest runs <registry>/<repo>:<tag>@sha256:…; the others keep the tag', () => {
    const out = join(tempDir(), 'dist');
    synthesize(defs, { outDir: out, environments: [env.name], imageTag: 'abc123', imageDigests: { [first.name]: DIGEST } });
    const deployments = parseAllDocuments(kubernetesText(out, env.name)).map((d) => d.toJS()).filter((o) => o?.kind === 'Deployment');
    const image = (name: string) => deployments.find((d) => d.metadata.name === name).spec.template.spec.containers[0].image;
    expect(image(first.name)).toBe(`${registryHost(env)}/${repositoryName(first)}:abc123@${DIGEST}`);
    for (const service of others) expect(image(service.name)).toBe(`${registryHost(env)}/${repositoryName(service)}:abc123`);
  });

  test('fails on a service the environment does not run, naming it', () => {
    expect(issues({ 'no-such-service': DIGEST })).toEqual([
      { path: '--image-digests.no-such-service', message: `is not a service of ${env.name}; use one of ${env.services.map((s) => s.name).join(', ')} or remove it` },
    ]);
  });

  test.each(['sha256:abc', `sha512:${'ab'.repeat(32)}`, `sha256:${'AB'.repeat(32)}`, `${DIGEST}\nx`, 42])('fails on the digest %j', (digest) => {
    expect(issues({ [first.name]: digest })).toEqual([
      { path: `--image-digests.${first.name}`, message: `(${JSON.stringify(digest)}) is not an image digest; write "sha256:" followed by 64 lowercase hex digits` },
    ]);
  });

  test('fails when the file is not a JSON object', () => {
    expect(issues([DIGEST])).toEqual([
      { path: '--image-digests', message: `(["${DIGEST}"]) must be a JSON object of service name → "sha256:<64 hex>"; pass the digests file the promote job wrote` },
    ]);
  });

  test('readImageDigests reads the file and names it when it is missing or not JSON', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ [first.name]: DIGEST }));
    expect(readImageDigests(join(dir, 'ok.json'))).toEqual({ [first.name]: DIGEST });
    expect(() => readImageDigests(join(dir, 'missing.json'))).toThrow(`(${JSON.stringify(join(dir, 'missing.json'))}) cannot be read (ENOENT)`);
    writeFileSync(join(dir, 'bad.json'), '{');
    expect(() => readImageDigests(join(dir, 'bad.json'))).toThrow(`(${JSON.stringify(join(dir, 'bad.json'))}) is not JSON`);
  });
});
