/**
 * Kubernetes rules for the Pod Security Standards "restricted" profile and related hardening:
 * non-root with high UID/GID, read-only root, no escalation, no capabilities, seccomp, no host
 * access, no auto-mounted ServiceAccount tokens.
 */
import { containersOf, namespaceOf, targetOf, workloadsOf, type Container, type PodSpec } from '../kubernetes-objects';
import type { EnvironmentRule, FindingInput } from '../types';
import type { KubernetesObject, KubernetesObjects } from '../kubernetes-objects';

const PSS_DOC = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted';
/** Lowest UID/GID that cannot collide with a host user. */
export const MIN_UNPRIVILEGED_ID = 10000;

/** A container's effective security setting: its own, else the pod's. */
function effective(spec: PodSpec, c: Container, key: string): unknown {
  return (c.securityContext ?? {})[key] ?? (spec.securityContext ?? {})[key];
}

/** Runs `test` over every container of every workload; yields one finding per failing container. */
function* perContainer(
  objects: KubernetesObjects,
  test: (spec: PodSpec, c: Container) => { value: string; message: string } | undefined,
): Generator<FindingInput> {
  for (const { obj, pod } of workloadsOf(objects)) {
    for (const c of containersOf(pod.spec)) {
      const failure = test(pod.spec, c);
      if (failure) yield { target: targetOf(obj), value: `${c.name}: ${failure.value}`, message: `container ${c.name}: ${failure.message}`, file: objects.fileOf(obj) };
    }
  }
}

const pss = (control: string) => ({ tool: 'Pod Security Standards', id: `restricted: ${control}` });

export const runAsNonRoot: EnvironmentRule = {
  id: 'DK-K8S-010',
  name: 'RunAsNonRoot',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'Containers run as non-root (runAsNonRoot: true)',
  fix: 'set securityContext.runAsNonRoot: true on the pod or container',
  upstream: [pss('Running as Non-root'), { tool: 'Checkov', id: 'CKV_K8S_23' }, { tool: 'Polaris', id: 'runAsRootAllowed' }],
  helpUri: PSS_DOC,
  check: ({ kubernetes }) =>
    perContainer(kubernetes, (spec, c) => {
      const value = effective(spec, c, 'runAsNonRoot');
      return value === true ? undefined : { value: `runAsNonRoot = ${JSON.stringify(value)}`, message: 'runAsNonRoot is not true' };
    }),
};

export const highUserAndGroup: EnvironmentRule = {
  id: 'DK-K8S-011',
  name: 'HighUserAndGroupIds',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: `Containers run with a UID and GID >= ${MIN_UNPRIVILEGED_ID}`,
  fix: `set securityContext.runAsUser and runAsGroup to ${MIN_UNPRIVILEGED_ID} or more`,
  upstream: [{ tool: 'Checkov', id: 'CKV_K8S_40' }, { tool: 'kube-score', id: 'container-security-context-user-group-id' }],
  helpUri: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
  check: ({ kubernetes }) =>
    perContainer(kubernetes, (spec, c) => {
      const user = effective(spec, c, 'runAsUser');
      const group = effective(spec, c, 'runAsGroup');
      const low = [
        ['runAsUser', user],
        ['runAsGroup', group],
      ].filter(([, v]) => typeof v !== 'number' || v < MIN_UNPRIVILEGED_ID);
      return low.length === 0 ? undefined : { value: low.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(', '), message: `${low.map(([k]) => k).join(' and ')} below ${MIN_UNPRIVILEGED_ID} or unset` };
    }),
};

export const readOnlyRootFilesystem: EnvironmentRule = {
  id: 'DK-K8S-012',
  name: 'ReadOnlyRootFilesystem',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'Containers have a read-only root filesystem',
  fix: 'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the service writes',
  upstream: [{ tool: 'Checkov', id: 'CKV_K8S_22' }, { tool: 'Polaris', id: 'notReadOnlyRootFilesystem' }, { tool: 'kube-score', id: 'container-security-context-readonlyrootfilesystem' }],
  helpUri: 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
  check: ({ kubernetes }) =>
    perContainer(kubernetes, (_spec, c) => {
      const value = c.securityContext?.readOnlyRootFilesystem;
      return value === true ? undefined : { value: `readOnlyRootFilesystem = ${JSON.stringify(value)}`, message: 'readOnlyRootFilesystem is not true' };
    }),
};

export const noPrivilegeEscalation: EnvironmentRule = {
  id: 'DK-K8S-013',
  name: 'NoPrivilegeEscalation',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'Containers are not privileged and cannot escalate privileges',
  fix: 'set securityContext.allowPrivilegeEscalation: false and never privileged: true',
  upstream: [pss('Privilege Escalation'), { tool: 'Checkov', id: 'CKV_K8S_20' }, { tool: 'Checkov', id: 'CKV_K8S_16' }, { tool: 'Polaris', id: 'privilegeEscalationAllowed' }],
  helpUri: PSS_DOC,
  check: ({ kubernetes }) =>
    perContainer(kubernetes, (_spec, c) => {
      if (c.securityContext?.privileged === true) return { value: 'privileged = true', message: 'the container is privileged' };
      const value = c.securityContext?.allowPrivilegeEscalation;
      return value === false ? undefined : { value: `allowPrivilegeEscalation = ${JSON.stringify(value)}`, message: 'allowPrivilegeEscalation is not false' };
    }),
};

export const dropAllCapabilities: EnvironmentRule = {
  id: 'DK-K8S-014',
  name: 'DropAllCapabilities',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'Containers drop ALL capabilities and add none but NET_BIND_SERVICE',
  fix: 'set securityContext.capabilities: { drop: [ALL] }',
  upstream: [pss('Capabilities'), { tool: 'Checkov', id: 'CKV_K8S_28' }, { tool: 'Checkov', id: 'CKV_K8S_37' }, { tool: 'Polaris', id: 'dangerousCapabilities' }],
  helpUri: PSS_DOC,
  check: ({ kubernetes }) =>
    perContainer(kubernetes, (_spec, c) => {
      const caps = (c.securityContext?.capabilities ?? {}) as { drop?: string[]; add?: string[] };
      const added = (caps.add ?? []).filter((a) => a !== 'NET_BIND_SERVICE');
      if (added.length > 0) return { value: `add ${JSON.stringify(added)}`, message: `capabilities.add grants ${added.join(', ')}` };
      return (caps.drop ?? []).includes('ALL') ? undefined : { value: `drop ${JSON.stringify(caps.drop ?? [])}`, message: 'capabilities.drop does not include ALL' };
    }),
};

export const seccompRuntimeDefault: EnvironmentRule = {
  id: 'DK-K8S-015',
  name: 'SeccompRuntimeDefault',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'Containers run with the RuntimeDefault (or a Localhost) seccomp profile',
  fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod',
  upstream: [pss('Seccomp'), { tool: 'Checkov', id: 'CKV_K8S_31' }],
  helpUri: PSS_DOC,
  check: ({ kubernetes }) =>
    perContainer(kubernetes, (spec, c) => {
      const type = (effective(spec, c, 'seccompProfile') as { type?: string } | undefined)?.type;
      return type === 'RuntimeDefault' || type === 'Localhost' ? undefined : { value: `seccompProfile = ${JSON.stringify(type)}`, message: 'seccompProfile.type is not RuntimeDefault or Localhost' };
    }),
};

export const noHostAccess: EnvironmentRule = {
  id: 'DK-K8S-016',
  name: 'NoHostAccess',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'Pods use no host network, PID or IPC namespace, hostPath volume or host port',
  fix: 'remove hostNetwork/hostPID/hostIPC, hostPath volumes and hostPort',
  upstream: [
    { tool: 'Pod Security Standards', id: 'baseline: Host Namespaces, HostPath Volumes, Host Ports' },
    { tool: 'Checkov', id: 'CKV_K8S_17' },
    { tool: 'Checkov', id: 'CKV_K8S_18' },
    { tool: 'Checkov', id: 'CKV_K8S_19' },
    { tool: 'Polaris', id: 'hostNetworkSet' },
  ],
  helpUri: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline',
  *check({ kubernetes }) {
    for (const { obj, pod } of workloadsOf(kubernetes)) {
      const uses = [
        ...(['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => pod.spec[k] === true).map((k) => `${k} = true`),
        ...(pod.spec.volumes ?? []).filter((v) => v.hostPath !== undefined).map((v) => `hostPath volume ${String(v.name)}`),
        ...containersOf(pod.spec).flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort).map((p) => `${c.name} hostPort ${p.hostPort}`)),
      ];
      for (const use of uses) yield { target: targetOf(obj), value: use, message: `the pod uses the host: ${use}`, file: kubernetes.fileOf(obj) };
    }
  },
};

/** The first port the pod's processes may bind without CAP_NET_BIND_SERVICE (its sysctl, else the kernel's 1024). */
function unprivilegedPortStart(spec: PodSpec): number {
  const sysctls = ((spec.securityContext ?? {}).sysctls ?? []) as readonly { name?: unknown; value?: unknown }[];
  const set = sysctls.find((s) => s.name === 'net.ipv4.ip_unprivileged_port_start');
  const value = set === undefined ? NaN : Number(set.value);
  return Number.isInteger(value) ? value : 1024;
}

/** Whether a container keeps CAP_NET_BIND_SERVICE in effect: only as root (added capabilities do not reach a non-root process). */
function canBindPrivilegedPorts(spec: PodSpec, c: Container): boolean {
  const user = effective(spec, c, 'runAsUser');
  if (effective(spec, c, 'runAsNonRoot') === true || (user !== undefined && user !== 0)) return false;
  const caps = (c.securityContext?.capabilities ?? {}) as { drop?: string[]; add?: string[] };
  const dropped = (caps.drop ?? []).some((d) => d === 'ALL' || d === 'NET_BIND_SERVICE');
  return !dropped || (caps.add ?? []).includes('NET_BIND_SERVICE');
}

export const privilegedPortBindable: EnvironmentRule = {
  id: 'DK-K8S-028',
  name: 'PrivilegedPortBindable',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'A container port below 1024 is bindable: the pod lowers net.ipv4.ip_unprivileged_port_start to it',
  fix: "set the pod's securityContext.sysctls net.ipv4.ip_unprivileged_port_start to the lowest container port (deploykit's pod template does), or listen on a port >= 1024",
  upstream: [{ tool: 'Pod Security Standards', id: 'baseline: Sysctls (net.ipv4.ip_unprivileged_port_start is a safe sysctl)' }],
  helpUri: 'https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/#safe-and-unsafe-sysctls',
  *check({ kubernetes }) {
    for (const { obj, pod } of workloadsOf(kubernetes)) {
      const start = unprivilegedPortStart(pod.spec);
      const lowest = Math.min(...containersOf(pod.spec).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)));
      for (const c of containersOf(pod.spec)) {
        if (canBindPrivilegedPorts(pod.spec, c)) continue;
        for (const port of (c.ports ?? []).filter((p) => p.containerPort < start)) {
          yield {
            target: targetOf(obj),
            value: `${c.name}: containerPort ${port.containerPort}`,
            message: `container ${c.name} runs without CAP_NET_BIND_SERVICE and listens on port ${port.containerPort}, below the pod's first unprivileged port ${start}: binding fails with EACCES`,
            fix: `set the pod's securityContext.sysctls net.ipv4.ip_unprivileged_port_start to ${lowest} (deploykit's pod template does), or listen on a port >= 1024`,
            file: kubernetes.fileOf(obj),
          };
        }
      }
    }
  },
};

/** The ServiceAccount a pod runs as, if it is among the objects. */
function serviceAccountOf(objects: KubernetesObjects, obj: KubernetesObject, spec: PodSpec): KubernetesObject | undefined {
  return objects.find('ServiceAccount', namespaceOf(obj), spec.serviceAccountName ?? 'default');
}

export const noTokenAutomount: EnvironmentRule = {
  id: 'DK-K8S-017',
  name: 'NoServiceAccountTokenAutomount',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'ServiceAccount tokens are not mounted automatically',
  fix: 'set automountServiceAccountToken: false on the ServiceAccount and do not re-enable it in the pod spec',
  upstream: [{ tool: 'Checkov', id: 'CKV_K8S_38' }, { tool: 'CIS EKS', id: '4.1.6' }],
  helpUri: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
  *check({ kubernetes }) {
    for (const sa of kubernetes.ofKind('ServiceAccount')) {
      if (sa.automountServiceAccountToken !== false) {
        yield { target: targetOf(sa), value: `automountServiceAccountToken = ${JSON.stringify(sa.automountServiceAccountToken)}`, message: 'the ServiceAccount mounts its token into every pod', file: kubernetes.fileOf(sa) };
      }
    }
    for (const { obj, pod } of workloadsOf(kubernetes)) {
      const sa = serviceAccountOf(kubernetes, obj, pod.spec);
      const mounted = pod.spec.automountServiceAccountToken ?? (sa?.automountServiceAccountToken as boolean | undefined) ?? true;
      if (mounted && (pod.spec.automountServiceAccountToken === true || !sa)) {
        const value = pod.spec.automountServiceAccountToken === true ? 'automountServiceAccountToken = true' : `serviceAccountName = ${JSON.stringify(pod.spec.serviceAccountName ?? 'default')}`;
        yield { target: targetOf(obj), value, message: 'the pod gets a ServiceAccount token mounted', file: kubernetes.fileOf(obj) };
      }
    }
  },
};

export const KUBERNETES_SECURITY_RULES: readonly EnvironmentRule[] = [
  runAsNonRoot,
  highUserAndGroup,
  readOnlyRootFilesystem,
  noPrivilegeEscalation,
  dropAllCapabilities,
  seccompRuntimeDefault,
  noHostAccess,
  privilegedPortBindable,
  noTokenAutomount,
];
