/**
 * verify.sh, smoke-test.sh and rollback.sh with the real kubectl against a loopback Kubernetes API
 * server whose Deployment status and pod outcomes each test scripts. AWS stays a stand-in.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SMOKE_TEST_LABEL, SMOKE_TEST_LABEL_VALUE } from '../../config';
import { KubeApiServer, type KubeApiServerOptions, type KubeObject } from '../support/kube-api-server';
import { kubectlBinary, ScriptWorkspace } from './script-workspace';

jest.setTimeout(60_000);

const ROLE = 'arn:aws:iam::111111111111:role/deploykit-shop-dev-deploy';
const OIDC = { DEPLOYKIT_ID_TOKEN: 'fake-oidc-token', CI_PIPELINE_ID: '7', CI_JOB_ID: '42' };
const NS = 'shop-web';
const VERIFY_ARGS = [
  '--cluster', 'shop-dev', '--region', 'eu-west-1', '--role-arn', ROLE, '--namespace', NS, '--deployment', 'web',
  '--timeout', '5', '--port', '8080', '--path', '/readyz', '--image', 'curlimages/curl:8.11.1',
];
const GOOD = 'registry.example/web:good';
const BAD = 'registry.example/web:bad';

function deployment(image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } },
    },
  };
}

function imageOf(object: KubeObject): string {
  return object.spec.template.spec.containers[0].image;
}

/** A pod of the Deployment that keeps crashing, with a log of its previous container. */
const crashingPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-bad-1', namespace: NS, labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: BAD }] },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'False' }],
    containerStatuses: [
      { name: 'app', ready: false, restartCount: 4, image: BAD, imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } },
    ],
  },
};
const healthyPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-good-1', namespace: NS, labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: GOOD }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
};
const crashEvent: KubeObject = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-bad-1.back-off', namespace: NS },
  involvedObject: { kind: 'Pod', name: 'web-bad-1', namespace: NS },
  reason: 'BackOff',
  type: 'Warning',
  message: 'Back-off restarting failed container app',
  lastTimestamp: '2026-11-20T10:00:00Z',
};

let server: KubeApiServer;
let workspace: ScriptWorkspace;

beforeAll(() => {
  kubectlBinary(); // fails the suite with the install hint when kubectl is missing
});

/** A cluster where the bad image never becomes ready, the previous revision good, and smoke pods end as scripted. */
async function cluster(options: KubeApiServerOptions = {}): Promise<void> {
  server = new KubeApiServer({ rollout: (d) => (imageOf(d) === BAD ? 'stuck' : 'complete'), ...options });
  await server.start();
  server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  workspace = new ScriptWorkspace(OIDC, server);
}

afterEach(() => server.stop());

/** Applies a Deployment revision the way deploy.sh does (server-side, through the API). */
async function release(image: string): Promise<void> {
  const file = workspace.file(`release-${image.split(':')[1]}.json`, JSON.stringify(deployment(image)));
  const kubeconfig = existsSync(join(workspace.dir, 'kubeconfig')) ? join(workspace.dir, 'kubeconfig') : workspace.file('kubeconfig', server.kubeconfig());
  const run = await workspace.run({ command: `kubectl --kubeconfig "$1" apply --server-side --field-manager=deploykit -f "$2"` }, [kubeconfig, file]);
  expect(run.stderr).toBe('');
}

const undoRequests = () =>
  server.requests.filter((r) => r.method === 'PATCH' && r.path === `/apis/apps/v1/namespaces/${NS}/deployments/web` && r.contentType === 'application/json-patch+json');

describe('verify.sh', () => {
  test('waits for the rollout, smoke-tests from a labelled restricted pod, deletes it and succeeds', async () => {
    await cluster({ podOutcome: () => ({ phase: 'Succeeded', log: 'ready\n', pendingReads: 2 }) });
    await release(GOOD);
    const run = await workspace.run('verify.sh', VERIFY_ARGS);
    expect(run.stderr).toContain('verify: deployment/web in shop-web is rolled out and ready');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('deployment "web" successfully rolled out');
    expect(run.stdout).toContain('ready');

    const created = server.requests.find((r) => r.method === 'POST' && r.path === `/api/v1/namespaces/${NS}/pods`);
    const pod = JSON.parse(created!.body) as KubeObject;
    expect(pod.metadata.name).toBe('smoke-web-42');
    // the label the generated NetworkPolicies allow
    expect(pod.metadata.labels).toMatchObject({ [SMOKE_TEST_LABEL]: SMOKE_TEST_LABEL_VALUE });
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.restartPolicy).toBe('Never');
    const container = pod.spec.containers[0];
    expect(container.image).toBe('curlimages/curl:8.11.1');
    expect(container.command.at(-1)).toBe('http://web.shop-web.svc.cluster.local:8080/readyz');
    expect(container.command.slice(0, 2)).toEqual(['curl', '--fail']);
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    // polled until Succeeded, then deleted
    expect(server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/pods/smoke-web-42')).length).toBeGreaterThanOrEqual(3);
    expect(server.get('v1', 'Pod', 'smoke-web-42', NS)).toBeUndefined();
    expect(undoRequests()).toEqual([]);
  });

  test('on a stuck rollout collects diagnostics of the failing pods, rolls back and fails the job', async () => {
    await cluster({ podOutcome: () => ({ phase: 'Succeeded', log: 'ready\n' }) });
    await release(GOOD);
    await release(BAD);
    server.seed(crashingPod, { current: 'starting web\n', previous: 'panic: missing DATABASE_URL\n' });
    server.seed(healthyPod, { current: 'serving\n' });
    server.seed(crashEvent);

    const run = await workspace.run('verify.sh', VERIFY_ARGS);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('deployment "web" exceeded its progress deadline');
    // diagnostics: describe, previous and current logs of the failing pod only, events, hints
    expect(run.stderr).toContain('----- pod/web-bad-1 -----');
    expect(run.stderr).not.toContain('----- pod/web-good-1 -----');
    expect(run.stderr).toMatch(/Name:\s+web-bad-1/);
    expect(run.stderr).toContain('panic: missing DATABASE_URL');
    expect(run.stderr).toContain('starting web');
    expect(run.stderr).toContain('Back-off restarting failed container app');
    expect(run.stderr).toContain('verify: hint: CrashLoopBackOff: the container keeps exiting');
    expect(run.stderr).toContain('verify: hint: ProgressDeadlineExceeded:');
    // diagnostics come before the rollback, which restores the good image
    expect(run.stderr.indexOf('end of diagnostics')).toBeLessThan(run.stderr.indexOf('rollback: rolled deployment/web'));
    expect(undoRequests()).toHaveLength(1);
    expect(imageOf(server.get('apps/v1', 'Deployment', 'web', NS)!)).toBe(GOOD);
    expect(run.stderr).toContain(
      'verify: deployment/web in shop-web did not finish its rollout within 5s; rolled deployment/web in shop-web back to the previous revision',
    );
  });

  test('rolls back when the smoke test fails, printing the smoke pod log', async () => {
    await cluster({ podOutcome: () => ({ phase: 'Failed', log: 'curl: (22) The requested URL returned error: 503\n' }) });
    await release(BAD.replace('bad', 'v1'));
    await release(GOOD);
    const run = await workspace.run('verify.sh', VERIFY_ARGS);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('curl: (22) The requested URL returned error: 503');
    expect(run.stderr).toContain('smoke-test: the smoke test of http://web.shop-web.svc.cluster.local:8080/readyz failed (pod/smoke-web-42 Failed)');
    expect(undoRequests()).toHaveLength(1);
    expect(imageOf(server.get('apps/v1', 'Deployment', 'web', NS)!)).toBe('registry.example/web:v1');
    expect(server.get('v1', 'Pod', 'smoke-web-42', NS)).toBeUndefined();
    expect(run.stderr).toContain(
      'verify: the smoke test of http://web.shop-web.svc.cluster.local:8080/readyz failed; rolled deployment/web in shop-web back to the previous revision',
    );
  });

  test('still rolls back when the diagnostics themselves fail', async () => {
    // The deploy role may not read pods or events: every pod diagnostic is refused.
    await cluster({ access: { 'deploykit-shop-dev-deploy': { namespaces: [NS], deniedResources: ['pods', 'events'] }, admin: { namespaces: 'cluster' } } });
    server.seed(crashingPod, { current: 'starting web\n' });
    workspace.file('kubeconfig', server.kubeconfig('admin'));
    await release(GOOD);
    await release(BAD);
    const run = await workspace.run('verify.sh', VERIFY_ARGS);
    expect(run.stderr).toContain('pods is forbidden: User "deploykit-shop-dev-deploy" cannot list resource "pods"');
    expect(undoRequests()).toHaveLength(1);
    expect(imageOf(server.get('apps/v1', 'Deployment', 'web', NS)!)).toBe(GOOD);
    expect(run.stderr).toContain('rolled deployment/web in shop-web back to the previous revision');
    expect(run.code).toBe(1);
  });

  test('says so when the rollback does not complete either', async () => {
    await cluster({ rollout: () => 'stuck' });
    await release(GOOD);
    await release(BAD);
    const run = await workspace.run('verify.sh', VERIFY_ARGS);
    expect(run.code).toBe(1);
    expect(undoRequests()).toHaveLength(1);
    expect(run.stderr).toContain('rollback: the previous revision of deployment/web in shop-web did not become ready within 5s either; investigate now');
    expect(run.stderr).toContain('the rollback did not complete either');
  });

  test('never prints the assumed credentials', async () => {
    await cluster({ podOutcome: () => ({ phase: 'Succeeded', log: 'ready\n' }) });
    await release(GOOD);
    const run = await workspace.run('verify.sh', VERIFY_ARGS);
    for (const secret of ['fakeSecretKey', 'fakeSessionToken', 'fake-oidc-token']) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });
});

describe('smoke-test.sh', () => {
  const SMOKE_ARGS = ['--namespace', NS, '--service', 'web', '--port', '8080', '--path', '/readyz', '--image', 'curlimages/curl:8.11.1', '--timeout', '2'];

  test('fails and deletes the pod when it does not finish in time', async () => {
    await cluster(); // pods stay Pending
    const run = await workspace.run('smoke-test.sh', SMOKE_ARGS, { KUBECONFIG: workspace.file('kubeconfig', server.kubeconfig()), CI_JOB_ID: '9' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('smoke-test: the smoke test of http://web.shop-web.svc.cluster.local:8080/readyz did not finish within 2s');
    expect(server.requests.some((r) => r.method === 'DELETE' && r.path === `/api/v1/namespaces/${NS}/pods/smoke-web-9`)).toBe(true);
  });

  test('refuses an unpinned curl image', async () => {
    await cluster();
    const run = await workspace.run('smoke-test.sh', [...SMOKE_ARGS.slice(0, -4), '--image', 'curlimages/curl:latest']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('smoke-test: --image (curlimages/curl:latest) must be pinned to a version, e.g. curlimages/curl:8.11.1');
    expect(server.writes()).toEqual([]);
  });
});
