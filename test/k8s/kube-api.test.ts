import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SUPPORTED_EKS_VERSIONS } from '../../config';
import { KUBE_API_TYPES_VERSION, KubeDeployment } from '../../k8s';

const source = readFileSync(join(__dirname, '../../k8s/kube-api.ts'), 'utf8');
const vendorImports = [...source.matchAll(/from '(cdk8s-plus-[^']+)'/g)].map((m) => m[1]);
const minorOf = (version: string) => version.split('.')[1];

describe('the Kubernetes API types', () => {
  it('are at the oldest EKS version deploykit supports, so every typed field is served by every supported cluster', () => {
    const oldest = [...SUPPORTED_EKS_VERSIONS].sort((a, b) => Number(minorOf(a)) - Number(minorOf(b)))[0];
    expect(KUBE_API_TYPES_VERSION).toBe(oldest);
  });

  it('come from the cdk8s-plus package of that minor, named only in k8s/kube-api.ts', () => {
    expect(vendorImports.length).toBeGreaterThan(0);
    expect(new Set(vendorImports)).toEqual(new Set([`cdk8s-plus-${minorOf(KUBE_API_TYPES_VERSION)}/lib/imports/k8s`]));
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const root = join(__dirname, '../..');
    const sources = ['cli', 'config', 'examples', 'infra', 'k8s', 'pipelines', 'policy', 'testing']
      .flatMap((dir) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(root, dir, f)))
      .filter((f) => f.endsWith('.ts'));
    const importers = sources.filter((f) => /from '(cdk8s-plus-\d+)/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(importers).toEqual(['k8s/kube-api.ts']);
    expect(Object.keys(pkg.dependencies).filter((name) => name.startsWith('cdk8s-plus-'))).toEqual([`cdk8s-plus-${minorOf(KUBE_API_TYPES_VERSION)}`]);
  });

  it('render typed props to the object the API server reads', () => {
    const manifest = KubeDeployment.manifest({
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'r/web:1' }] } } },
    });
    expect(manifest).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'r/web:1' }] } } } });
  });
});
