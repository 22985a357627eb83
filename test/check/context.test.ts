import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadProject } from '../../policy/context';
import { synthesize, type SynthesizedEnvironment } from '../../synth/synthesize';
import { exampleDefs, kubernetesFiles, tempDir } from '../support/synth';

describe('loadProject', () => {
  test('an output without manifest.json is read from cluster.k8s.yaml and namespaces/*.k8s.yaml, in the order synth lists them', () => {
    const defs = exampleDefs();
    const withManifest = join(tempDir(), 'dist');
    synthesize(defs, { outDir: withManifest });
    const withoutManifest = join(tempDir(), 'dist');
    cpSync(withManifest, withoutManifest, { recursive: true });
    rmSync(join(withoutManifest, 'manifest.json'));

    const listed = loadProject(defs, { dir: withManifest });
    const unlisted = loadProject(defs, { dir: withoutManifest });
    const objectsOf = (ctx: (typeof listed.environments)[number]) =>
      ctx.kubernetes.all().map((o) => [ctx.kubernetes.fileOf(o), o.kind, o.metadata.namespace, o.metadata.name]);
    for (const env of defs.environments) {
      const files = kubernetesFiles(withManifest, env.name);
      const namespaces = readdirSync(join(withManifest, env.name, 'kubernetes', 'namespaces')).sort();
      // What synth lists: the cluster-scoped file first, then one file per namespace, sorted.
      expect(files).toEqual([`${env.name}/kubernetes/cluster.k8s.yaml`, ...namespaces.map((f) => `${env.name}/kubernetes/namespaces/${f}`)]);
      const a = listed.environments.find((c) => c.env.name === env.name)!;
      const b = unlisted.environments.find((c) => c.env.name === env.name)!;
      expect(new Set(objectsOf(b).map(([file]) => file))).toEqual(new Set(files));
      expect(objectsOf(b)).toEqual(objectsOf(a));
    }
  });

  test('objects synth hands over in memory keep the file synth wrote them to, as when read back from the output', () => {
    const defs = exampleDefs();
    const dir = join(tempDir(), 'dist');
    const preloaded = new Map<string, SynthesizedEnvironment>();
    synthesize(defs, { outDir: dir, onEnvironment: (output) => preloaded.set(output.name, output) });

    const fromMemory = loadProject(defs, { dir, preloaded });
    const fromFiles = loadProject(defs, { dir });
    const objectsOf = (ctx: (typeof fromFiles.environments)[number]) =>
      ctx.kubernetes.all().map((o) => [ctx.kubernetes.fileOf(o), o.kind, o.metadata.namespace, o.metadata.name]);
    for (const env of defs.environments) {
      const memory = fromMemory.environments.find((c) => c.env.name === env.name)!;
      const files = fromFiles.environments.find((c) => c.env.name === env.name)!;
      expect(new Set(objectsOf(memory).map(([file]) => file))).toEqual(new Set(kubernetesFiles(dir, env.name)));
      expect(objectsOf(memory)).toEqual(objectsOf(files));
    }
  });
});
