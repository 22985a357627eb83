/**
 * A Kubernetes API server on 127.0.0.1 (HTTPS with a throwaway self-signed certificate: kubectl sends
 * bearer tokens only over TLS) for tests, small enough to read, that the real `kubectl`
 * (1.20 to 1.32) accepts: discovery and OpenAPI documents for the kinds deploykit writes, an in-memory
 * object store with server-side apply, GET/LIST (label and field selectors), watch (the current state
 * as events, then the stream ends), POST, PUT, PATCH (apply, JSON, merge and strategic merge as a deep
 * merge) and DELETE, pod logs, and a Deployment controller reduced to what `kubectl rollout status` and
 * `kubectl rollout undo` read: revisions kept in ReplicaSets and a status the test scripts per Deployment.
 *
 * It is not a conformance model: one field manager, no admission (but, as a real server, no object in a
 * Namespace that does not exist; the system Namespaces exist from the start), no garbage collection,
 * pods only where a test creates or seeds them. Every request is recorded so tests can assert what kubectl sent.
 *
 * Access can be limited per bearer token, like EKS access policies: a token allowed a list of
 * namespaces gets 403 for other namespaces and for cluster-scoped objects.
 */
import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** A stored Kubernetes object (JSON). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
    [key: string]: unknown;
  };
  [key: string]: any;
}

/** One API resource the server serves. */
interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
}

/** The kinds deploykit writes or its scripts read. */
const RESOURCE_TYPES: readonly ResourceType[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'] },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, shortNames: ['sa'] },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'] },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'] },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'] },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'] },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, shortNames: ['rs'] },
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true, shortNames: ['hpa'] },
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true, shortNames: ['pdb'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true, shortNames: ['netpol'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', namespaced: true, shortNames: ['ing'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true },
  // Served by an EKS Auto Mode cluster (its built-in CRD), whose IngressClasses name their parameters.
  { group: 'eks.amazonaws.com', version: 'v1', kind: 'IngressClassParams', plural: 'ingressclassparams', namespaced: false },
  // Served by a cluster with the Secrets Store CSI Driver add-on (its CRD), which environments reading AWS secrets get.
  { group: 'secrets-store.csi.x-k8s.io', version: 'v1', kind: 'SecretProviderClass', plural: 'secretproviderclasses', namespaced: true },
];

/** The Namespaces every Kubernetes API server creates at start-up, before anything is applied. */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const REVISION = 'deployment.kubernetes.io/revision';
const POD_TEMPLATE_HASH = 'pod-template-hash';

/** How a Deployment's rollout looks to `kubectl rollout status`. */
export type RolloutState =
  /** Every replica updated and available. */
  | 'complete'
  /** `Progressing=False`, reason `ProgressDeadlineExceeded`: kubectl reports the exceeded deadline at once. */
  | 'stuck'
  /** Still rolling out: kubectl waits until its timeout. */
  | 'progressing';

/** What a created pod does: its final phase and what its containers print. */
export interface PodOutcome {
  readonly phase: 'Succeeded' | 'Failed';
  readonly log: string;
  /** How many GETs of the pod answer `Pending` before the final phase. @default 1 */
  readonly pendingReads?: number;
}

/** What a bearer token may do, like an EKS access policy. */
export interface AccessScope {
  /** Namespaces the token may read and write; cluster-scoped objects are forbidden to it. `'cluster'`: everything. */
  readonly namespaces: readonly string[] | 'cluster';
  /** Resources (plural names, e.g. `pods`, `events`) the token may not touch anywhere. @default [] */
  readonly deniedResources?: readonly string[];
}

export interface KubeApiServerOptions {
  /**
   * Bearer token → access scope. Requests without a known token get 401.
   * @default - every request is allowed, with or without a token
   */
  readonly access?: Readonly<Record<string, AccessScope>>;
  /** @default - every Deployment rolls out completely */
  readonly rollout?: (deployment: KubeObject) => RolloutState;
  /** @default - created pods stay Pending */
  readonly podOutcome?: (pod: KubeObject) => PodOutcome | undefined;
}

/** One request as the server received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string;
  readonly token: string | undefined;
  readonly body: string;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The loopback API server. `start()` it, point a kubeconfig at `url`, `stop()` it. */
export class KubeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, KubeObject>();
  private readonly logs = new Map<string, { current: string; previous?: string }>();
  private readonly podReads = new Map<string, number>();
  private revision = 1;
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly options: KubeApiServerOptions = {}) {
    for (const name of SYSTEM_NAMESPACES) this.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  /** `https://127.0.0.1:<port>` once started. */
  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** The server's certificate (PEM), for a kubeconfig's `certificate-authority-data`. */
  get certificate(): string {
    return certificate().cert;
  }

  async start(): Promise<void> {
    this.server = createServer(certificate(), (req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A kubeconfig for this server, authenticating with `token`. */
  kubeconfig(token = 'test-token'): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: loopback`,
      `  cluster: { server: "${this.url}", certificate-authority-data: "${Buffer.from(this.certificate).toString('base64')}" }`,
      'users:',
      `- name: loopback`,
      `  user: { token: "${token}" }`,
      'contexts:',
      '- name: loopback',
      '  context: { cluster: loopback, user: loopback }',
      'current-context: loopback',
      '',
    ].join('\n');
  }

  /** Stores an object as if it existed before the test (no access check, no recording). */
  seed(object: KubeObject, logs?: { current: string; previous?: string }): KubeObject {
    const type = typeOf(object.apiVersion, object.kind);
    const stored = this.store(type, structuredClone(object), undefined);
    if (logs) this.logs.set(keyOf(type, object.metadata.namespace, object.metadata.name), logs);
    return stored;
  }

  /** The stored object, or undefined. */
  get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
    return this.objects.get(keyOf(typeOf(apiVersion, kind), namespace, name));
  }

  /** Every stored object of a kind, optionally in one namespace. */
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    const type = typeOf(apiVersion, kind);
    return [...this.objects.values()].filter(
      (o) => o.kind === type.kind && o.apiVersion === apiVersionOf(type) && (namespace === undefined || o.metadata.namespace === namespace),
    );
  }

  /** Recorded requests that changed something (everything but GET). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const auth = req.headers.authorization;
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      contentType: req.headers['content-type'] ?? '',
      token: auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    this.requests.push(request);
    try {
      const discovery = this.discovery(url.pathname);
      if (discovery !== undefined) {
        if (typeof discovery === 'string') {
          // kubectl 1.20 reads OpenAPI v2 as protobuf: an empty document makes it skip client-side validation.
          res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
          res.end();
        } else json(res, 200, discovery);
        return;
      }
      this.resource(request, res);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      json(res, err.code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.reason, code: err.code });
    }
  }

  private discovery(path: string): object | string | undefined {
    const groups = [...new Set(RESOURCE_TYPES.filter((t) => t.group).map((t) => `${t.group}/${t.version}`))];
    if (path === '/version') {
      return { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' };
    }
    if (path === '/api') {
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` }] };
    }
    if (path === '/apis') {
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((gv) => {
          const [name, version] = gv.split('/');
          const entry = { groupVersion: gv, version };
          return { name, versions: [entry], preferredVersion: entry };
        }),
      };
    }
    const gv = path === '/api/v1' ? 'v1' : path.startsWith('/apis/') && groups.includes(path.slice('/apis/'.length)) ? path.slice('/apis/'.length) : undefined;
    if (gv) {
      const resources = RESOURCE_TYPES.filter((t) => apiVersionOf(t) === gv).flatMap((t) => [
        { name: t.plural, singularName: t.kind.toLowerCase(), namespaced: t.namespaced, kind: t.kind, verbs: VERBS, shortNames: t.shortNames ?? [] },
        ...(t.kind === 'Pod' ? [{ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] }] : []),
      ]);
      return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources };
    }
    if (path === '/openapi/v2') return '';
    if (path === '/openapi/v3') {
      const paths: Record<string, object> = {};
      for (const g of ['v1', ...groups]) {
        const docPath = g === 'v1' ? 'api/v1' : `apis/${g}`;
        paths[docPath] = { serverRelativeURL: `/openapi/v3/${docPath}?hash=${g.replace(/\W/g, '')}` };
      }
      return { paths };
    }
    const openapi = /^\/openapi\/v3\/(api\/v1|apis\/(.+))$/.exec(path);
    if (openapi) {
      // A PATCH operation per kind that accepts `fieldValidation`: kubectl then leaves validation to the server.
      const docGv = openapi[2] ?? 'v1';
      const paths: Record<string, object> = {};
      for (const t of RESOURCE_TYPES.filter((r) => apiVersionOf(r) === docGv)) {
        paths[`${collectionPath(t, t.namespaced ? '{namespace}' : undefined)}/{name}`] = {
          patch: {
            'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
            'x-kubernetes-action': 'patch',
            parameters: [
              { name: 'fieldValidation', in: 'query', schema: { type: 'string' } },
              { name: 'dryRun', in: 'query', schema: { type: 'string' } },
            ],
            responses: { '200': { description: 'OK' } },
          },
        };
      }
      return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
    }
    return undefined;
  }

  private resource(request: RecordedRequest, res: ServerResponse): void {
    const match = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.*)$/.exec(request.path);
    if (!match) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${request.path})`);
    const [group, version] = match[1] ? ['', 'v1'] : [match[2], match[3]];
    let segments = match[4].split('/').filter(Boolean);
    let namespace: string | undefined;
    if (segments[0] === 'namespaces' && segments.length >= 3) {
      namespace = segments[1];
      segments = segments.slice(2);
    }
    const [plural, name, subresource] = segments;
    const type = RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.plural === plural);
    if (!type) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${request.path})`);
    this.authorize(request, type, namespace, name);

    if (subresource === 'log' && type.kind === 'Pod' && request.method === 'GET') {
      this.read(type, namespace, name);
      const logs = this.logs.get(keyOf(type, namespace, name));
      const container = request.query.get('container') ?? 'main';
      if (request.query.get('previous') === 'true') {
        if (logs?.previous === undefined) {
          throw new ApiError(400, 'BadRequest', `previous terminated container "${container}" in pod "${name}" not found`);
        }
        return text(res, logs.previous);
      }
      return text(res, logs?.current ?? '');
    }
    if (subresource) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${request.path})`);

    switch (request.method) {
      case 'GET':
        if (name) return json(res, 200, this.readForGet(type, namespace, name));
        if (request.query.get('watch') === 'true' || request.query.get('watch') === '1') return this.watch(type, namespace, request.query, res);
        return json(res, 200, {
          kind: `${type.kind}List`,
          apiVersion: apiVersionOf(type),
          metadata: { resourceVersion: String(this.revision) },
          items: this.select(type, namespace, request.query),
        });
      case 'PATCH':
        return json(res, 200, this.patch(type, namespace, name, request));
      case 'PUT':
        return json(res, 200, this.write(type, namespace, name, parseBody(request.body), 'replace'));
      case 'POST': {
        const object = parseBody(request.body);
        return json(res, 201, this.write(type, namespace, object.metadata?.name, object, 'create'));
      }
      case 'DELETE': {
        const existing = this.read(type, namespace, name);
        this.objects.delete(keyOf(type, namespace, name));
        return json(res, 200, existing);
      }
      default:
        throw new ApiError(405, 'MethodNotAllowed', `method ${request.method} is not allowed`);
    }
  }

  private authorize(request: RecordedRequest, type: ResourceType, namespace: string | undefined, name: string | undefined): void {
    if (!this.options.access) return;
    const scope = request.token === undefined ? undefined : this.options.access[request.token];
    if (!scope) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    const denied = scope.deniedResources?.includes(type.plural) ?? false;
    if (!denied && scope.namespaces === 'cluster') return;
    if (!denied && type.namespaced && namespace !== undefined && scope.namespaces.includes(namespace)) return;
    const verb = request.method === 'GET' && !name ? 'list' : { GET: 'get', PATCH: 'patch', PUT: 'update', POST: 'create', DELETE: 'delete' }[request.method] ?? request.method.toLowerCase();
    const where = type.namespaced && namespace !== undefined ? `in the namespace "${namespace}"` : 'at the cluster scope';
    throw new ApiError(
      403,
      'Forbidden',
      `${resourceName(type)} is forbidden: User "${request.token}" cannot ${verb} resource "${type.plural}" in API group "${type.group}" ${where}`,
    );
  }

  // ---- store ----

  private read(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.objects.get(keyOf(type, namespace, name));
    if (!object) throw new ApiError(404, 'NotFound', `${resourceName(type)} "${name}" not found`);
    return object;
  }

  /** A GET of one object; pods with a scripted outcome answer Pending for their first reads. */
  private readForGet(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.read(type, namespace, name);
    if (type.kind !== 'Pod') return object;
    const key = keyOf(type, namespace, name);
    const remaining = this.podReads.get(key);
    if (remaining === undefined) return object;
    if (remaining > 0) {
      this.podReads.set(key, remaining - 1);
      return { ...object, status: { phase: 'Pending' } };
    }
    return object;
  }

  private select(type: ResourceType, namespace: string | undefined, query: URLSearchParams): KubeObject[] {
    const labels = parseSelector(query.get('labelSelector') ?? '');
    const fields = parseSelector(query.get('fieldSelector') ?? '');
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(`${type.group}/${type.plural}/${type.namespaced ? (namespace ?? '') : ''}`))
      .map(([, o]) => o)
      .filter((o) => namespace === undefined || !type.namespaced || o.metadata.namespace === namespace)
      .filter((o) => labels.every((r) => r.matches(o.metadata.labels?.[r.key])))
      .filter((o) => fields.every((r) => r.matches(fieldValue(o, r.key))))
      .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  }

  /** A watch sends the current state of the selected objects as ADDED events, then ends the stream. */
  private watch(type: ResourceType, namespace: string | undefined, query: URLSearchParams, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    for (const object of this.select(type, namespace, query)) res.write(`${JSON.stringify({ type: 'ADDED', object })}\n`);
    // Ending a little later keeps a waiting client (rollout status) from spinning on reconnects.
    setTimeout(() => res.end(), 200);
  }

  private patch(type: ResourceType, namespace: string | undefined, name: string, request: RecordedRequest): KubeObject {
    const contentType = request.contentType.split(';')[0];
    if (contentType === 'application/apply-patch+yaml') {
      const applied = parseYaml(request.body) as KubeObject;
      if (applied?.kind !== type.kind) throw new ApiError(400, 'BadRequest', `the kind in the body (${applied?.kind}) does not match ${type.kind}`);
      return this.write(type, namespace, name, applied, 'apply');
    }
    const existing = structuredClone(this.read(type, namespace, name));
    const patch = parseBody(request.body);
    if (contentType === 'application/json-patch+json') return this.write(type, namespace, name, applyJsonPatch(existing, patch as unknown as JsonPatchOp[]), 'replace');
    if (contentType === 'application/merge-patch+json' || contentType === 'application/strategic-merge-patch+json') {
      return this.write(type, namespace, name, deepMerge(existing, patch) as KubeObject, 'replace');
    }
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format: ${contentType}`);
  }

  /** Validates and stores a written object (create, replace or server-side apply). */
  private write(type: ResourceType, namespace: string | undefined, name: string | undefined, object: KubeObject, mode: 'create' | 'replace' | 'apply'): KubeObject {
    if (!object?.metadata?.name || (name !== undefined && object.metadata.name !== name)) {
      throw new ApiError(400, 'BadRequest', `the name of the object (${object?.metadata?.name}) does not match the name on the URL (${name})`);
    }
    if (type.namespaced) {
      if (object.metadata.namespace !== undefined && object.metadata.namespace !== namespace) {
        throw new ApiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
      }
      if (!this.objects.has(keyOf(RESOURCE_TYPES[0], undefined, namespace!))) {
        throw new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`);
      }
      object.metadata.namespace = namespace;
    }
    const key = keyOf(type, namespace, object.metadata.name);
    const existing = this.objects.get(key);
    if (mode === 'create' && existing) throw new ApiError(409, 'AlreadyExists', `${resourceName(type)} "${object.metadata.name}" already exists`);
    if (mode === 'replace' && !existing) throw new ApiError(404, 'NotFound', `${resourceName(type)} "${object.metadata.name}" not found`);
    const stored = this.store(type, object, existing);
    if (type.kind === 'Pod' && mode === 'create') {
      const outcome = this.options.podOutcome?.(stored);
      if (outcome) {
        stored.status = { phase: outcome.phase };
        this.logs.set(key, { current: outcome.log });
        this.podReads.set(key, outcome.pendingReads ?? 1);
      } else stored.status = { phase: 'Pending' };
    }
    return stored;
  }

  private store(type: ResourceType, object: KubeObject, existing: KubeObject | undefined): KubeObject {
    this.revision += 1;
    const metadata = object.metadata;
    metadata.uid = existing?.metadata.uid ?? metadata.uid ?? randomUUID();
    metadata.creationTimestamp = existing?.metadata.creationTimestamp ?? metadata.creationTimestamp ?? new Date().toISOString();
    metadata.resourceVersion = String(this.revision);
    delete metadata.managedFields;
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    if ('spec' in object) {
      const changed = !existing || JSON.stringify(existing.spec) !== JSON.stringify(object.spec);
      metadata.generation = (existing?.metadata.generation ?? 0) + (changed ? 1 : 0);
    }
    if (existing?.status !== undefined && object.status === undefined) object.status = existing.status;
    const key = keyOf(type, metadata.namespace, metadata.name);
    this.objects.set(key, object);
    if (type.kind === 'Deployment') this.reconcileDeployment(object);
    return object;
  }

  /**
   * The part of the Deployment controller kubectl's rollout commands read: a ReplicaSet per pod
   * template, the newest carrying the highest `deployment.kubernetes.io/revision`, and a status.
   */
  private reconcileDeployment(deployment: KubeObject): void {
    const rsType = typeOf('apps/v1', 'ReplicaSet');
    const namespace = deployment.metadata.namespace!;
    const owned = this.list('apps/v1', 'ReplicaSet', namespace).filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === deployment.metadata.uid));
    const template = structuredClone(deployment.spec?.template ?? {});
    const hash = createHash('sha256').update(JSON.stringify(canonical(template))).digest('hex').slice(0, 10);
    const nextRevision = String(Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0))) + 1);
    let current = owned.find((rs) => rs.metadata.labels?.[POD_TEMPLATE_HASH] === hash);
    if (!current) {
      const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
      current = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${deployment.metadata.name}-${hash}`,
          namespace,
          labels,
          annotations: { [REVISION]: nextRevision },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name, uid: deployment.metadata.uid!, controller: true }],
        },
        spec: {
          replicas: 0,
          selector: { matchLabels: { ...(deployment.spec?.selector?.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash } },
          template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
        },
      };
      this.store(rsType, current, undefined);
    } else if (owned.some((rs) => Number(rs.metadata.annotations?.[REVISION]) > Number(current!.metadata.annotations?.[REVISION]))) {
      // Going back to an older template (rollout undo) makes its ReplicaSet the newest revision.
      current.metadata.annotations = { ...current.metadata.annotations, [REVISION]: nextRevision };
    }
    const revision = current.metadata.annotations![REVISION];
    deployment.metadata.annotations = { ...(deployment.metadata.annotations ?? {}), [REVISION]: revision };
    const state = this.options.rollout?.(deployment) ?? 'complete';
    const replicas: number = deployment.spec?.replicas ?? 1;
    const progressing =
      state === 'stuck'
        ? { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${current.metadata.name}" has timed out progressing.` }
        : { type: 'Progressing', status: 'True', reason: state === 'complete' ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', message: `ReplicaSet "${current.metadata.name}" is progressing.` };
    deployment.status = {
      observedGeneration: deployment.metadata.generation,
      replicas,
      updatedReplicas: state === 'progressing' ? 0 : replicas,
      readyReplicas: state === 'complete' ? replicas : 0,
      availableReplicas: state === 'complete' ? replicas : 0,
      conditions: [{ type: 'Available', status: state === 'complete' ? 'True' : 'False', reason: 'MinimumReplicas' }, progressing],
    };
  }
}

// ---- helpers ----

let generated: { key: string; cert: string } | undefined;

/** A self-signed certificate for 127.0.0.1, made once per process with openssl. */
function certificate(): { key: string; cert: string } {
  if (generated) return generated;
  const dir = mkdtempSync(join(tmpdir(), 'kube-api-server-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  generated = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  return generated;
}

function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

function typeOf(apiVersion: string, kind: string): ResourceType {
  const type = RESOURCE_TYPES.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
  if (!type) throw new Error(`the loopback API server does not serve ${apiVersion} ${kind}`);
  return type;
}

function keyOf(type: ResourceType, namespace: string | undefined, name: string): string {
  return `${type.group}/${type.plural}/${type.namespaced ? (namespace ?? '') : ''}/${name}`;
}

function collectionPath(type: ResourceType, namespace: string | undefined): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : '/api/v1';
  return namespace === undefined ? `${base}/${type.plural}` : `${base}/namespaces/${namespace}/${type.plural}`;
}

/** `deployments.apps`, `pods`: how the API names a resource in messages. */
function resourceName(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function text(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end(body);
}

function parseBody(body: string): KubeObject {
  try {
    return JSON.parse(body) as KubeObject;
  } catch {
    throw new ApiError(400, 'BadRequest', 'the request body is not JSON');
  }
}

interface SelectorRequirement {
  readonly key: string;
  matches(value: string | undefined): boolean;
}

/** Label or field selector: `k=v`, `k==v`, `k!=v`, `k`, `!k`, joined by commas. */
function parseSelector(selector: string): SelectorRequirement[] {
  return selector
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
      if (m) {
        const [, key, op, expected] = m;
        return { key, matches: (value: string | undefined) => (op === '!=' ? value !== expected : value === expected) };
      }
      if (part.startsWith('!')) return { key: part.slice(1), matches: (value: string | undefined) => value === undefined };
      return { key: part, matches: (value: string | undefined) => value !== undefined };
    });
}

/** A field selector's value: a dotted path into the object (`metadata.name`, `involvedObject.uid`). */
function fieldValue(object: KubeObject, path: string): string | undefined {
  let value: any = object;
  for (const part of path.split('.')) value = value?.[part];
  return value === undefined ? undefined : String(value);
}

/**
 * Sorted keys without zero values (null, 0, false, '', empty objects and lists), as Go's `omitempty`
 * drops them: equal pod templates compare equal whichever client wrote them.
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value)
    .map(([k, v]) => [k, canonical(v)] as const)
    .filter(([, v]) => v !== null && v !== undefined && v !== 0 && v !== false && v !== '' && !(typeof v === 'object' && Object.keys(v).length === 0))
    .sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(entries);
}

interface JsonPatchOp {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: unknown;
}

function applyJsonPatch(object: KubeObject, ops: readonly JsonPatchOp[]): KubeObject {
  for (const { op, path, value } of ops) {
    const parts = path.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let parent: any = object;
    for (const part of parts) parent = parent[part] ??= {};
    if (op === 'remove') delete parent[last];
    else parent[last] = structuredClone(value);
  }
  return object;
}

/** JSON merge patch; strategic merge patches are treated the same (enough for the fields kubectl patches here). */
function deepMerge(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = deepMerge(result[key], value);
  }
  return result;
}
