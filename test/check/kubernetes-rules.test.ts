import * as meta from '../../policy/rules/kubernetes-metadata';
import * as wl from '../../policy/rules/kubernetes-workloads';
import * as sec from '../../policy/rules/kubernetes-security';
import * as svc from '../../policy/rules/kubernetes-services';
import * as scale from '../../policy/rules/kubernetes-scaling';
import * as np from '../../policy/rules/kubernetes-network-policies';
import type { Rule } from '../../policy/types';
import { findingsOf, fixtureContext } from './rule-fixtures';

const NS = 'company-web';
const LABELS = { 'app.kubernetes.io/name': 'company-web' };
const IMAGE = '333333333333.dkr.ecr.ap-east-1.amazonaws.com/company-web:1.4.2';

/** A Deployment that passes every rule; `patch` edits a deep copy. */
function deployment(patch: (d: any) => void = () => undefined): Record<string, unknown> {
  const d: any = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'company-web', namespace: NS },
    spec: {
      selector: { matchLabels: LABELS },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { ...LABELS, extra: 'x' } },
        spec: {
          serviceAccountName: 'company-web',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: LABELS }, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 1 }],
          containers: [
            {
              name: 'web',
              image: IMAGE,
              ports: [{ name: 'http', containerPort: 8080 }],
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
              livenessProbe: { httpGet: { path: '/livez', port: 'http' } },
              startupProbe: { httpGet: { path: '/startupz', port: 8080 } },
              securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
  patch(d);
  return d;
}
const container = (d: any) => d.spec.template.spec.containers[0];
const serviceAccount = (automount = false) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'company-web', namespace: NS }, automountServiceAccountToken: automount });
const service = (patch: (s: any) => void = () => undefined) => {
  const s: any = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'company-web', namespace: NS }, spec: { selector: LABELS, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
  patch(s);
  return s;
};
const hpa = (min: number, max: number, metrics: unknown[] = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]) => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'company-web', namespace: NS },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'company-web' }, minReplicas: min, maxReplicas: max, metrics },
});
const pdb = (policy: Record<string, unknown>) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'company-web', namespace: NS }, spec: { selector: { matchLabels: LABELS }, ...policy } });
const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } };
const denyAll = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: NS }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
const allowDns = (protocol = 'UDP') => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'allow-dns', namespace: NS },
  spec: { podSelector: { matchLabels: LABELS }, policyTypes: ['Egress'], egress: [{ ports: [{ protocol, port: 53 }] }] },
});

const D = `Deployment/${NS}/company-web`;

interface Case {
  readonly name: string;
  readonly rule: Rule;
  readonly pass: Record<string, unknown>[];
  readonly fail: Record<string, unknown>[];
  readonly expected: { target: string; value: string }[];
  readonly env?: string;
}

const cases: Case[] = [
  {
    name: 'no default or system namespace',
    rule: meta.noReservedNamespaces,
    pass: [deployment()],
    fail: [deployment((d) => delete d.metadata.namespace), service((s) => (s.metadata.namespace = 'kube-system'))],
    expected: [
      { target: 'Deployment/default/company-web', value: 'default' },
      { target: 'Service/kube-system/company-web', value: 'kube-system' },
    ],
  },
  {
    name: 'valid names',
    rule: meta.validNames,
    pass: [deployment(), service()],
    fail: [service((s) => (s.metadata.name = '1web')), deployment((d) => (container(d).ports[0].name = 'a-very-long-port-name'))],
    expected: [
      { target: D, value: '"a-very-long-port-name"' },
      { target: `Service/${NS}/1web`, value: '"1web"' },
    ],
  },
  {
    name: 'selector matches the pod template',
    rule: wl.deploymentSelectorMatches,
    pass: [deployment()],
    fail: [deployment((d) => (d.spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'other' } }))],
    expected: [{ target: D, value: '{"matchLabels":{"app.kubernetes.io/name":"other"}}' }],
  },
  {
    name: 'requests and limits',
    rule: wl.resourcesSet,
    pass: [deployment()],
    fail: [deployment((d) => (container(d).resources = { requests: { cpu: '250m' } }))],
    expected: [{ target: D, value: 'web: requests.memory, limits.cpu, limits.memory' }],
  },
  {
    name: 'readiness and liveness probes',
    rule: wl.probesPresent,
    pass: [deployment()],
    fail: [deployment((d) => delete container(d).livenessProbe)],
    expected: [{ target: D, value: 'web: livenessProbe' }],
  },
  {
    name: 'liveness separate from readiness',
    rule: wl.livenessSeparateFromReadiness,
    pass: [deployment(), deployment((d) => (d.metadata.name = 'startup-on-readiness', container(d).startupProbe = { httpGet: { path: '/readyz', port: 'http' } }))],
    fail: [deployment((d) => (container(d).livenessProbe = { httpGet: { path: '/readyz', port: 'http' } }))],
    expected: [{ target: D, value: 'web: readinessProbe = livenessProbe' }],
  },
  {
    name: 'probes on declared ports',
    rule: wl.probePortsExposed,
    pass: [deployment()],
    fail: [deployment((d) => (container(d).readinessProbe = { tcpSocket: { port: 9999 } }))],
    expected: [{ target: D, value: 'web.readinessProbe: 9999' }],
  },
  {
    name: 'pinned images',
    rule: wl.imagePinned,
    pass: [deployment(), deployment((d) => (d.metadata.name = 'digest', container(d).image = `${IMAGE.split(':')[0]}@sha256:${'a'.repeat(64)}`))],
    fail: [deployment((d) => (container(d).image = IMAGE.replace('1.4.2', 'latest'))), deployment((d) => ((d.metadata.name = 'untagged'), (container(d).image = IMAGE.split(':')[0])))],
    expected: [
      { target: D, value: IMAGE.replace('1.4.2', 'latest') },
      { target: `Deployment/${NS}/untagged`, value: IMAGE.split(':')[0] },
    ],
  },
  {
    name: 'rolling updates keep capacity',
    rule: wl.rollingUpdateSane,
    pass: [deployment(), hpa(2, 4)],
    fail: [deployment((d) => (d.spec.strategy.rollingUpdate = { maxUnavailable: '100%', maxSurge: 0 })), hpa(2, 4)],
    expected: [{ target: D, value: 'maxUnavailable 2, maxSurge 0 at 2 replica(s)' }],
  },
  {
    name: 'runAsNonRoot',
    rule: sec.runAsNonRoot,
    pass: [deployment()],
    fail: [deployment((d) => (container(d).securityContext.runAsNonRoot = false))],
    expected: [{ target: D, value: 'web: runAsNonRoot = false' }],
  },
  {
    name: 'UID and GID >= 10000',
    rule: sec.highUserAndGroup,
    pass: [deployment()],
    fail: [deployment((d) => (d.spec.template.spec.securityContext.runAsUser = 1000))],
    expected: [{ target: D, value: 'web: runAsUser = 1000' }],
  },
  {
    name: 'read-only root filesystem',
    rule: sec.readOnlyRootFilesystem,
    pass: [deployment()],
    fail: [deployment((d) => delete container(d).securityContext.readOnlyRootFilesystem)],
    expected: [{ target: D, value: 'web: readOnlyRootFilesystem = undefined' }],
  },
  {
    name: 'no privilege escalation',
    rule: sec.noPrivilegeEscalation,
    pass: [deployment()],
    fail: [deployment((d) => (container(d).securityContext.privileged = true))],
    expected: [{ target: D, value: 'web: privileged = true' }],
  },
  {
    name: 'drop ALL capabilities',
    rule: sec.dropAllCapabilities,
    pass: [deployment()],
    fail: [deployment((d) => (container(d).securityContext.capabilities = { drop: ['NET_RAW'], add: ['SYS_ADMIN'] }))],
    expected: [{ target: D, value: 'web: add ["SYS_ADMIN"]' }],
  },
  {
    name: 'seccomp RuntimeDefault',
    rule: sec.seccompRuntimeDefault,
    pass: [deployment()],
    fail: [deployment((d) => (d.spec.template.spec.securityContext.seccompProfile = { type: 'Unconfined' }))],
    expected: [{ target: D, value: 'web: seccompProfile = "Unconfined"' }],
  },
  {
    name: 'no host access',
    rule: sec.noHostAccess,
    pass: [deployment()],
    fail: [deployment((d) => ((d.spec.template.spec.hostNetwork = true), (d.spec.template.spec.volumes = [{ name: 'docker', hostPath: { path: '/var/run' } }])))],
    expected: [
      { target: D, value: 'hostNetwork = true' },
      { target: D, value: 'hostPath volume docker' },
    ],
  },
  {
    name: 'a port below 1024 is bindable by a non-root container without capabilities',
    rule: sec.privilegedPortBindable,
    pass: [
      deployment(),
      deployment((d) => {
        d.metadata.name = 'port-80';
        container(d).ports = [{ name: 'http', containerPort: 80 }];
        d.spec.template.spec.securityContext.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }];
      }),
    ],
    fail: [
      deployment((d) => (container(d).ports = [{ name: 'http', containerPort: 80 }, { name: 'metrics', containerPort: 9090 }])),
      deployment((d) => {
        d.metadata.name = 'too-high';
        container(d).ports = [{ name: 'http', containerPort: 80 }, { name: 'admin', containerPort: 443 }];
        d.spec.template.spec.securityContext.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '443' }];
      }),
      // NET_BIND_SERVICE added back does not reach a non-root process.
      deployment((d) => {
        d.metadata.name = 'cap-added';
        container(d).ports = [{ name: 'http', containerPort: 80 }];
        container(d).securityContext.capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] };
      }),
    ],
    expected: [
      { target: `Deployment/${NS}/cap-added`, value: 'web: containerPort 80' },
      { target: D, value: 'web: containerPort 80' },
      { target: `Deployment/${NS}/too-high`, value: 'web: containerPort 80' },
    ],
  },
  {
    name: 'no token automount',
    rule: sec.noTokenAutomount,
    pass: [deployment(), serviceAccount()],
    fail: [deployment((d) => delete d.spec.template.spec.automountServiceAccountToken), serviceAccount(true), deployment((d) => ((d.metadata.name = 'other'), delete d.spec.template.spec.serviceAccountName, delete d.spec.template.spec.automountServiceAccountToken))],
    expected: [
      { target: `Deployment/${NS}/other`, value: 'serviceAccountName = "default"' },
      { target: `ServiceAccount/${NS}/company-web`, value: 'automountServiceAccountToken = true' },
    ],
  },
  {
    name: 'Service selects pods',
    rule: svc.serviceSelectsPods,
    pass: [deployment(), service()],
    fail: [deployment(), service((s) => (s.spec.selector = { app: 'nothing' }))],
    expected: [{ target: `Service/${NS}/company-web`, value: '{"app":"nothing"}' }],
  },
  {
    name: 'Service targets a container port',
    rule: svc.serviceTargetsContainerPort,
    pass: [deployment(), service()],
    fail: [deployment(), service((s) => (s.spec.ports = [{ port: 80, targetPort: 9090 }]))],
    expected: [{ target: `Service/${NS}/company-web`, value: '80 → 9090' }],
  },
  {
    name: 'HPA bounds',
    rule: scale.hpaBounds,
    pass: [deployment(), hpa(2, 4)],
    fail: [deployment(), hpa(1, 4)],
    expected: [{ target: `HorizontalPodAutoscaler/${NS}/company-web`, value: 'minReplicas 1' }],
  },
  {
    name: 'HPA metrics have requests',
    rule: scale.hpaMetricsHaveRequests,
    pass: [deployment(), hpa(2, 4)],
    fail: [deployment((d) => delete container(d).resources.requests.cpu), hpa(2, 4)],
    expected: [{ target: `HorizontalPodAutoscaler/${NS}/company-web`, value: 'web: requests.cpu missing' }],
  },
  {
    name: 'PDB allows an eviction',
    rule: scale.pdbAllowsEviction,
    pass: [deployment(), hpa(2, 4), pdb({ maxUnavailable: 1 })],
    fail: [deployment(), hpa(2, 4), pdb({ minAvailable: 2 })],
    expected: [{ target: `PodDisruptionBudget/${NS}/company-web`, value: 'minAvailable 2 at 2 replica(s)' }],
  },
  {
    name: 'replicated Deployments have a PDB (warning)',
    rule: scale.deploymentHasPdb,
    pass: [deployment(), hpa(2, 4), pdb({ maxUnavailable: 1 })],
    fail: [deployment(), hpa(2, 4)],
    expected: [{ target: D, value: 'missing' }],
  },
  {
    name: 'default-deny NetworkPolicy',
    rule: np.defaultDenyPolicy,
    pass: [namespace, deployment(), denyAll, allowDns()],
    fail: [namespace, deployment(), { ...denyAll, spec: { podSelector: {}, policyTypes: ['Ingress'] } }],
    expected: [{ target: `Namespace/${NS}`, value: 'Egress' }],
  },
  {
    name: 'DNS egress',
    rule: np.dnsEgressAllowed,
    pass: [deployment(), denyAll, allowDns()],
    fail: [deployment(), denyAll, allowDns('TCP')],
    expected: [{ target: D, value: 'allow-dns, default-deny' }],
  },
];

describe('Kubernetes rules', () => {
  test.each(cases)('$name: the passing fixture has no finding', ({ rule, pass, env }) => {
    expect(findingsOf(rule, fixtureContext({ kubernetes: pass, env }))).toEqual([]);
  });

  test.each(cases)('$name: the failing fixture reports exactly the expected findings', ({ rule, fail, env, expected }) => {
    expect(findingsOf(rule, fixtureContext({ kubernetes: fail, env }))).toEqual(expected);
  });

  test('latest is allowed in a development environment and refused elsewhere', () => {
    const latest = [deployment((d) => (container(d).image = IMAGE.replace('1.4.2', 'latest')))];
    expect(findingsOf(wl.imagePinned, fixtureContext({ kubernetes: latest, env: 'dev' }))).toEqual([]);
    expect(findingsOf(wl.imagePinned, fixtureContext({ kubernetes: latest, env: 'staging' }))).toHaveLength(1);
  });

  test('an HPA with minReplicas 1 passes outside production', () => {
    expect(findingsOf(scale.hpaBounds, fixtureContext({ kubernetes: [deployment(), hpa(1, 2)], env: 'dev' }))).toEqual([]);
  });

  test('a shared liveness and readiness endpoint is a warning that explains the trade-off', () => {
    const shared = deployment((d) => (container(d).livenessProbe = { httpGet: { path: '/readyz', port: 'http' } }));
    const [finding] = [...wl.livenessSeparateFromReadiness.check(fixtureContext({ kubernetes: [shared] }) as never)];
    expect(wl.livenessSeparateFromReadiness).toMatchObject({ id: 'DK-K8S-026', severity: 'warning' });
    expect(finding.message).toBe(
      'container web: livenessProbe and readinessProbe check the same endpoint {"httpGet":{"path":"/readyz","port":"http"}}; a slow dependency in that health check fails liveness too and the kubelet restarts healthy pods',
    );
    expect(wl.livenessSeparateFromReadiness.fix).toBe(
      "serve a cheap liveness endpoint that checks only the process and set 'health.livenessPath' to it; keep dependency checks on the readiness path",
    );
  });

  test('a port below the first unprivileged port names the container, the port, the pod start and the sysctl value to set', () => {
    const d = deployment((x) => (container(x).ports = [{ name: 'http', containerPort: 80 }, { name: 'metrics', containerPort: 9090 }]));
    expect([...sec.privilegedPortBindable.check(fixtureContext({ kubernetes: [d] }))]).toEqual([
      {
        target: D,
        value: 'web: containerPort 80',
        message: "container web runs without CAP_NET_BIND_SERVICE and listens on port 80, below the pod's first unprivileged port 1024: binding fails with EACCES",
        fix: "set the pod's securityContext.sysctls net.ipv4.ip_unprivileged_port_start to 80 (deploykit's pod template does), or listen on a port >= 1024",
        file: expect.any(String),
      },
    ]);
  });

  test('a root container that keeps CAP_NET_BIND_SERVICE may bind a low port', () => {
    const d = deployment((x) => {
      x.spec.template.spec.securityContext = { runAsUser: 0 };
      container(x).ports = [{ name: 'http', containerPort: 80 }];
      container(x).securityContext = { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } };
    });
    expect(findingsOf(sec.privilegedPortBindable, fixtureContext({ kubernetes: [d] }))).toEqual([]);
  });
});
