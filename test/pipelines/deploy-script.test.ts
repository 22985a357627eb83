/**
 * deploy.sh with the real kubectl against a loopback Kubernetes API server: what kubectl accepts and
 * sends is what a cluster would see. AWS stays a stand-in (see script-workspace.ts).
 */
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { synthesize } from '../../synth/synthesize';
import { gitlabPipeline } from '../../pipelines/gitlab-pipeline';
import { PRUNE_ALLOWLIST } from '../../pipelines/prune-allowlist';
import { exampleWithCompute } from '../support/compute-fixtures';
import { KubeApiServer, SYSTEM_NAMESPACES, type KubeObject } from '../support/kube-api-server';
import { exampleDefs, kubernetesFiles, tempDir } from '../support/synth';
import { kubectlBinary, ScriptWorkspace } from './script-workspace';

jest.setTimeout(60_000);

const ROLE = 'arn:aws:iam::111111111111:role/deploykit-shop-dev-deploy';
const APPLY_ROLE = 'arn:aws:iam::111111111111:role/deploykit-shop-dev-apply';
const OIDC = { DEPLOYKIT_ID_TOKEN: 'fake-oidc-token', CI_PIPELINE_ID: '7', CI_JOB_ID: '42' };
const SELECTOR = 'app.kubernetes.io/managed-by=deploykit,deploykit.io/environment=dev';
const LABELS = { 'app.kubernetes.io/managed-by': 'deploykit', 'deploykit.io/environment': 'dev' };
const ALLOWLIST = ['core/v1/ConfigMap', 'core/v1/Service', 'apps/v1/Deployment', 'networking.k8s.io/v1/NetworkPolicy'];

function deployArgs(scope: 'cluster' | 'namespaces', role = scope === 'cluster' ? APPLY_ROLE : ROLE): string[] {
  return [
    '--env', 'dev', '--cluster', 'shop-dev', '--region', 'eu-west-1', '--role-arn', role, '--selector', SELECTOR, '--scope', scope,
    ...ALLOWLIST.flatMap((kind) => ['--prune-allowlist', kind]),
  ];
}

const namespace = (name: string, labels: Record<string, string> = LABELS): KubeObject => ({
  apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels },
});
const configMap = (ns: string, name: string, labels: Record<string, string> = LABELS): KubeObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data: { key: name },
});
const deployment = (ns: string, name: string, image = 'registry.example/shop:1'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns, labels: LABELS },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
  },
});

function yamlOf(...objects: KubeObject[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

/** Names in `kubectl -o name` form of the objects the server has in a namespace. */
function stored(server: KubeApiServer, ns: string): string[] {
  return [
    ...server.list('v1', 'ConfigMap', ns).map((o) => `configmap/${o.metadata.name}`),
    ...server.list('apps/v1', 'Deployment', ns).map((o) => `deployment.apps/${o.metadata.name}`),
  ].sort();
}

let server: KubeApiServer;
let workspace: ScriptWorkspace;

beforeAll(() => {
  kubectlBinary(); // fails the suite with the install hint when kubectl is missing
});

beforeEach(async () => {
  server = new KubeApiServer({
    // Like EKS access entries: the apply role is cluster admin, the deploy role may edit the shop namespaces only.
    access: {
      'deploykit-shop-dev-apply': { namespaces: 'cluster' },
      'deploykit-shop-dev-deploy': { namespaces: ['shop-web', 'shop-api'] },
    },
  });
  await server.start();
  workspace = new ScriptWorkspace(OIDC, server);
});

afterEach(() => server.stop());

describe('deploy.sh --scope cluster', () => {
  test('applies the Namespaces server-side with the deploykit field manager', async () => {
    workspace.file('dist/dev/kubernetes/cluster.k8s.yaml', yamlOf(namespace('shop-web'), namespace('shop-api')));
    const run = await workspace.run('deploy.sh', deployArgs('cluster'));
    expect(run.stderr).toContain('deploy: applied dist/dev/kubernetes/cluster.k8s.yaml to shop-dev');
    expect(run.code).toBe(0);
    expect(server.list('v1', 'Namespace').map((n) => n.metadata.name).sort()).toEqual([...SYSTEM_NAMESPACES, 'shop-api', 'shop-web'].sort());
    const patches = server.writes().filter((r) => r.path === '/api/v1/namespaces/shop-web');
    expect(patches).toHaveLength(1);
    expect(patches[0].method).toBe('PATCH');
    expect(patches[0].contentType).toBe('application/apply-patch+yaml');
    expect(patches[0].query.get('fieldManager')).toBe('deploykit');
    expect(patches[0].query.get('force')).toBe('true');
    expect(patches[0].token).toBe('deploykit-shop-dev-apply');
    expect(run.calls).toContain('aws eks update-kubeconfig --name shop-dev --region eu-west-1 --kubeconfig ' + run.calls.at(-1)!.split(' ').at(-1));
  });

  test('never deletes a Namespace gone from the output; reports it as orphaned', async () => {
    server.seed(namespace('shop-old'));
    server.seed(namespace('kube-system', {}));
    workspace.file('dist/dev/kubernetes/cluster.k8s.yaml', yamlOf(namespace('shop-web')));
    const run = await workspace.run('deploy.sh', deployArgs('cluster'));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'deploy: WARNING: namespace/shop-old carries the labels of dev but is no longer in its output; orphaned, delete it by hand after review',
    );
    expect(run.stderr).not.toContain('namespace/kube-system');
    expect(server.writes().filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(server.get('v1', 'Namespace', 'shop-old')).toBeDefined();
  });

  test('fails with the API error when the role may not write cluster-scoped objects', async () => {
    workspace.file('dist/dev/kubernetes/cluster.k8s.yaml', yamlOf(namespace('shop-web')));
    const run = await workspace.run('deploy.sh', deployArgs('cluster', ROLE));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('namespaces is forbidden: User "deploykit-shop-dev-deploy" cannot patch resource "namespaces"');
  });
});

describe('deploy.sh --scope namespaces', () => {
  beforeEach(() => {
    server.seed(namespace('shop-web'));
    server.seed(namespace('shop-api'));
  });

  test('applies every namespace file into its namespace with the deploy role', async () => {
    workspace.file('dist/dev/kubernetes/namespaces/shop-web.k8s.yaml', yamlOf(configMap('shop-web', 'web-config'), deployment('shop-web', 'web')));
    workspace.file('dist/dev/kubernetes/namespaces/shop-api.k8s.yaml', yamlOf(deployment('shop-api', 'api')));
    const run = await workspace.run('deploy.sh', deployArgs('namespaces'));
    expect(run.stderr).toContain('deploy: applied dist/dev/kubernetes/namespaces/shop-web.k8s.yaml to namespace shop-web of shop-dev');
    expect(run.code).toBe(0);
    expect(stored(server, 'shop-web')).toEqual(['configmap/web-config', 'deployment.apps/web']);
    expect(stored(server, 'shop-api')).toEqual(['deployment.apps/api']);
    const applies = server.writes().filter((r) => r.contentType === 'application/apply-patch+yaml');
    expect(applies.map((r) => r.path).sort()).toEqual([
      '/api/v1/namespaces/shop-web/configmaps/web-config',
      '/apis/apps/v1/namespaces/shop-api/deployments/api',
      '/apis/apps/v1/namespaces/shop-web/deployments/web',
    ]);
    expect(new Set(applies.map((r) => r.token))).toEqual(new Set(['deploykit-shop-dev-deploy']));
    expect(run.stdout).toContain('deployment.apps/web');
  });

  test('prunes a labelled object dropped from the file, never a foreign object without the labels', async () => {
    server.seed(deployment('shop-web', 'web'));
    server.seed(deployment('shop-web', 'worker')); // deploykit wrote it earlier; gone from the output now
    server.seed(configMap('shop-web', 'hand-made', { team: 'shop' })); // not deploykit's
    server.seed(configMap('shop-web', 'other-env', { ...LABELS, 'deploykit.io/environment': 'staging' }));
    workspace.file('dist/dev/kubernetes/namespaces/shop-web.k8s.yaml', yamlOf(deployment('shop-web', 'web')));
    workspace.file('dist/dev/kubernetes/namespaces/shop-api.k8s.yaml', yamlOf(deployment('shop-api', 'api')));
    const run = await workspace.run('deploy.sh', deployArgs('namespaces'));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'deploy: pruning deployment.apps/worker from namespace shop-web: it carries the labels of dev but is no longer in dist/dev/kubernetes/namespaces/shop-web.k8s.yaml',
    );
    expect(run.stderr).toContain('deploy: nothing to prune in namespace shop-api');
    const deletes = server.writes().filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => r.path)).toEqual(['/apis/apps/v1/namespaces/shop-web/deployments/worker']);
    expect(stored(server, 'shop-web')).toEqual(['configmap/hand-made', 'configmap/other-env', 'deployment.apps/web']);
    // kubectl listed only the allowlisted kinds, by the environment's labels
    const lists = server.requests.filter((r) => r.method === 'GET' && r.query.has('labelSelector') && r.path.startsWith('/api'));
    expect(new Set(lists.map((r) => r.query.get('labelSelector')))).toEqual(new Set([SELECTOR]));
    expect(lists.some((r) => r.path.includes('/secrets'))).toBe(false);
  });

  test('never prunes kinds outside the allowlist, even with the labels', async () => {
    server.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'old-secret', namespace: 'shop-web', labels: LABELS } });
    workspace.file('dist/dev/kubernetes/namespaces/shop-web.k8s.yaml', yamlOf(deployment('shop-web', 'web')));
    const run = await workspace.run('deploy.sh', deployArgs('namespaces'));
    expect(run.code).toBe(0);
    expect(server.get('v1', 'Secret', 'old-secret', 'shop-web')).toBeDefined();
  });

  test('refuses Namespace in the prune allowlist before calling anything', async () => {
    const run = await workspace.run('deploy.sh', [...deployArgs('namespaces'), '--prune-allowlist', 'core/v1/Namespace']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('deploy: --prune-allowlist (core/v1/Namespace): Namespaces are never pruned (deleting one deletes everything in it) (see --help)');
    expect(run.calls).toEqual([]);
  });

  test('fails with the API error when the deploy role is outside its namespaces', async () => {
    server.seed(namespace('kube-system', {}));
    workspace.file('dist/dev/kubernetes/namespaces/kube-system.k8s.yaml', yamlOf(configMap('kube-system', 'x')));
    const run = await workspace.run('deploy.sh', deployArgs('namespaces'));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('cannot patch resource "configmaps" in API group "" in the namespace "kube-system"');
  });
});

describe('deploy.sh on the synthesized example', () => {
  // Every environment on both compute modes: the cluster file holds different kinds on each (the Cluster
  // Autoscaler's RBAC and workload in kube-system with node groups; IngressClasses and their params with Auto Mode).
  const cases = exampleDefs().environments.flatMap((env) => (['node-groups', 'auto-mode'] as const).map((compute) => [env.name, compute] as const));
  test.each(cases)('both scopes apply every object of every file the manifest lists (%s on %s)', async (env, compute) => {
    const out = join(tempDir(), 'dist');
    synthesize(exampleWithCompute(env, compute), { outDir: out, environments: [env] });
    const files = kubernetesFiles(out, env);
    const expected = files.flatMap((file) =>
      parseAllDocuments(readFileSync(join(out, file), 'utf8'))
        .map((d) => d.toJS() as KubeObject | null)
        .filter((o): o is KubeObject => !!o)
        .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`),
    );
    const open = new KubeApiServer();
    await open.start();
    try {
      const shell = new ScriptWorkspace(OIDC, open);
      const selector = `app.kubernetes.io/managed-by=deploykit,deploykit.io/environment=${env}`;
      const args = ['--env', env, '--cluster', 'c', '--region', 'eu-west-1', '--role-arn', ROLE, '--selector', selector, '--out', out];
      const cluster = await shell.run('deploy.sh', [...args, '--scope', 'cluster']);
      expect(cluster.stderr).not.toMatch(/error/i);
      expect(cluster.code).toBe(0);
      const run = await shell.run('deploy.sh', [...args, '--scope', 'namespaces', ...PRUNE_ALLOWLIST.flatMap((kind) => ['--prune-allowlist', kind])]);
      expect(run.stderr).not.toMatch(/error/i);
      expect(run.code).toBe(0);
      const applied = open
        .writes()
        .filter((r) => r.contentType === 'application/apply-patch+yaml')
        .map((r) => JSON.parse(r.body) as KubeObject)
        .map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect(applied.sort()).toEqual(expected.sort());
    } finally {
      await open.stop();
    }
  });
});

describe("the dev deploy job's command line", () => {
  test('reaches kubectl and fails on the unreachable cluster with a connection error, not a usage error', async () => {
    const pipeline = gitlabPipeline(exampleDefs());
    const lines = Object.values(pipeline.jobs)
      .flatMap((job) => [...(job.script ?? [])])
      .filter((line) => /\/deploy\.sh /.test(line) && line.includes('--env dev '));
    expect(lines.length).toBeGreaterThan(0);
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const out = join(tempDir(), 'dist');
    synthesize(exampleDefs(), { outDir: out, environments: ['dev'] });
    const shell = new ScriptWorkspace({ ...OIDC, STANDIN_KUBE_SERVER: `https://127.0.0.1:${port}` });
    for (const line of lines) {
      const command = `cd ${JSON.stringify(join(__dirname, '../..'))} && ${line} --out ${JSON.stringify(out)}`;
      const run = await shell.run({ command });
      // kubectl 1.32: "dial tcp …: connect: connection refused"; 1.20: "The connection to the server … was refused"
      expect(run.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}(: connect: connection refused| was refused)`));
      expect(run.stderr).not.toMatch(/unknown flag|see --help|Usage:|--prune is in alpha/);
      expect(run.code).toBe(1);
    }
  });
});
