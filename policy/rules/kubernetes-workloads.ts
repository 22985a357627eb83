/** Kubernetes rules on workloads: selectors, resources, probes, pinned images, rollout settings. */
import {
  containersOf,
  namespaceOf,
  selects,
  targetOf,
  workloadsOf,
  type Container,
  type KubernetesObject,
  type KubernetesObjects,
  type LabelSelector,
  type Probe,
} from '../kubernetes-objects';
import type { EnvironmentRule } from '../types';

/** The HorizontalPodAutoscaler scaling a workload, if any. */
export function hpaFor(objects: KubernetesObjects, workload: KubernetesObject): KubernetesObject | undefined {
  return objects.ofKind('HorizontalPodAutoscaler').find((h) => {
    const ref = ((h.spec ?? {}) as { scaleTargetRef?: { kind?: string; name?: string } }).scaleTargetRef;
    return ref?.kind === workload.kind && ref.name === workload.metadata.name && namespaceOf(h) === namespaceOf(workload);
  });
}

/** Fewest and most replicas a workload runs: the HPA's bounds, else `spec.replicas` (default 1). */
export function replicaBounds(objects: KubernetesObjects, workload: KubernetesObject): { min: number; max: number } {
  const hpa = hpaFor(objects, workload);
  if (hpa) {
    const spec = (hpa.spec ?? {}) as { minReplicas?: number; maxReplicas?: number };
    return { min: spec.minReplicas ?? 1, max: spec.maxReplicas ?? spec.minReplicas ?? 1 };
  }
  const replicas = ((workload.spec ?? {}) as { replicas?: number }).replicas ?? 1;
  return { min: replicas, max: replicas };
}

/** Resolves an int-or-percent (`1`, `"25%"`) against a total, rounding up or down like the controllers. */
export function intOrPercent(value: unknown, total: number, round: 'up' | 'down'): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+%$/.test(value)) {
    const exact = (Number(value.slice(0, -1)) * total) / 100;
    return round === 'up' ? Math.ceil(exact) : Math.floor(exact);
  }
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

export const deploymentSelectorMatches: EnvironmentRule = {
  id: 'DK-K8S-003',
  name: 'DeploymentSelectorMatchesTemplate',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: "A workload's selector matches its own pod template labels",
  fix: "make spec.selector.matchLabels a subset of spec.template.metadata.labels",
  upstream: [{ tool: 'Kubernetes API validation', id: 'spec.template.metadata.labels: selector does not match' }],
  helpUri: 'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#selector',
  *check({ kubernetes }) {
    for (const { obj, pod } of workloadsOf(kubernetes)) {
      if (!['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(obj.kind)) continue;
      const selector = ((obj.spec ?? {}) as { selector?: LabelSelector }).selector;
      const empty = !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
      if (empty || !selects(selector, pod.labels)) {
        yield { target: targetOf(obj), value: JSON.stringify(selector ?? null), message: empty ? 'spec.selector is empty' : 'spec.selector does not match the pod template labels', file: kubernetes.fileOf(obj) };
      }
    }
  },
};

export const resourcesSet: EnvironmentRule = {
  id: 'DK-K8S-004',
  name: 'ContainerRequestsAndLimits',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'Every container sets CPU and memory requests and limits',
  fix: "set 'resources.requests' and 'resources.limits' (cpu and memory) in the service definition",
  upstream: [
    { tool: 'Checkov', id: 'CKV_K8S_10' },
    { tool: 'Checkov', id: 'CKV_K8S_11' },
    { tool: 'Checkov', id: 'CKV_K8S_12' },
    { tool: 'Checkov', id: 'CKV_K8S_13' },
    { tool: 'Polaris', id: 'cpuRequestsMissing' },
    { tool: 'kube-score', id: 'container-resources' },
  ],
  helpUri: 'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
  *check({ kubernetes }) {
    for (const { obj, pod } of workloadsOf(kubernetes)) {
      for (const c of containersOf(pod.spec)) {
        const missing = (['requests', 'limits'] as const).flatMap((kind) =>
          (['cpu', 'memory'] as const).filter((r) => !c.resources?.[kind]?.[r]).map((r) => `${kind}.${r}`),
        );
        if (missing.length > 0) yield { target: targetOf(obj), value: `${c.name}: ${missing.join(', ')}`, message: `container ${c.name} lacks resources.${missing.join(', resources.')}`, file: kubernetes.fileOf(obj) };
      }
    }
  },
};

/** Containers of long-running workloads (probes make no sense for Jobs). */
function serving(kind: string): boolean {
  return ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod'].includes(kind);
}

export const probesPresent: EnvironmentRule = {
  id: 'DK-K8S-005',
  name: 'ReadinessAndLivenessProbes',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'Every serving container has a readiness and a liveness probe',
  fix: "set 'health.readinessPath' and 'health.livenessPath' to endpoints the service answers",
  upstream: [
    { tool: 'Checkov', id: 'CKV_K8S_8' },
    { tool: 'Checkov', id: 'CKV_K8S_9' },
    { tool: 'Polaris', id: 'readinessProbeMissing' },
    { tool: 'Polaris', id: 'livenessProbeMissing' },
    { tool: 'kube-score', id: 'pod-probes' },
  ],
  helpUri: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
  *check({ kubernetes }) {
    for (const { obj, pod } of workloadsOf(kubernetes)) {
      if (!serving(obj.kind)) continue;
      for (const c of pod.spec.containers ?? []) {
        const missing = (['readinessProbe', 'livenessProbe'] as const).filter((p) => !c[p]);
        if (missing.length > 0) yield { target: targetOf(obj), value: `${c.name}: ${missing.join(', ')}`, message: `container ${c.name} has no ${missing.join(' and no ')}`, file: kubernetes.fileOf(obj) };
      }
    }
  },
};

function handlerOf(p: Probe): string {
  return JSON.stringify({ httpGet: p.httpGet, tcpSocket: p.tcpSocket, grpc: p.grpc, exec: p.exec });
}

export const livenessSeparateFromReadiness: EnvironmentRule = {
  id: 'DK-K8S-026',
  name: 'LivenessSeparateFromReadiness',
  scope: 'environment',
  severity: 'warning',
  layer: 'kubernetes',
  title: 'Liveness and readiness probes check different endpoints',
  fix: "serve a cheap liveness endpoint that checks only the process and set 'health.livenessPath' to it; keep dependency checks on the readiness path",
  upstream: [{ tool: 'kube-score', id: 'pod-probes (identical readiness and liveness probes)' }],
  helpUri: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
  *check({ kubernetes }) {
    for (const { obj, pod } of workloadsOf(kubernetes)) {
      for (const c of pod.spec.containers ?? []) {
        if (!c.readinessProbe || !c.livenessProbe) continue;
        const handler = handlerOf(c.readinessProbe);
        if (handler === handlerOf(c.livenessProbe)) {
          yield {
            target: targetOf(obj),
            value: `${c.name}: readinessProbe = livenessProbe`,
            message: `container ${c.name}: livenessProbe and readinessProbe check the same endpoint ${handler}; a slow dependency in that health check fails liveness too and the kubelet restarts healthy pods`,
            file: kubernetes.fileOf(obj),
          };
        }
      }
    }
  },
};

function portExposed(c: Container, port: number | string): boolean {
  return (c.ports ?? []).some((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port));
}

export const probePortsExposed: EnvironmentRule = {
  id: 'DK-K8S-007',
  name: 'ProbePortsExposed',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: "Probes target a port the container declares",
  fix: "point the probe at the container's port (number or name) listed in 'ports'",
  upstream: [{ tool: 'kube-score', id: 'pod-probes' }],
  helpUri: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
  *check({ kubernetes }) {
    for (const { obj, pod } of workloadsOf(kubernetes)) {
      for (const c of pod.spec.containers ?? []) {
        for (const name of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
          const probe = c[name];
          const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
          if (probe && port !== undefined && !portExposed(c, port)) {
            yield { target: targetOf(obj), value: `${c.name}.${name}: ${JSON.stringify(port)}`, message: `container ${c.name}: ${name} targets port ${JSON.stringify(port)}, which the container does not declare`, file: kubernetes.fileOf(obj) };
          }
        }
      }
    }
  },
};

/** Splits an image reference into repository, tag and digest. */
export function parseImage(image: string): { repository: string; tag: string | undefined; digest: string | undefined } {
  const [withoutDigest, digest] = image.split('@', 2);
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > slash) return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
  return { repository: withoutDigest, tag: undefined, digest };
}

export const imagePinned: EnvironmentRule = {
  id: 'DK-K8S-008',
  name: 'ImagePinned',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'Images are pinned to a digest or a release tag, never latest or untagged (outside development)',
  fix: "set 'image.tag' to a release, or deploy with --image-tag <commit-sha>",
  upstream: [
    { tool: 'Checkov', id: 'CKV_K8S_14' },
    { tool: 'Checkov', id: 'CKV_K8S_43' },
    { tool: 'Polaris', id: 'tagNotSpecified' },
    { tool: 'kube-score', id: 'container-image-tag' },
  ],
  helpUri: 'https://kubernetes.io/docs/concepts/containers/images/#image-names',
  *check({ kubernetes, env }) {
    for (const { obj, pod } of workloadsOf(kubernetes)) {
      for (const c of containersOf(pod.spec)) {
        if (!c.image) {
          yield { target: targetOf(obj), value: `${c.name}: missing`, message: `container ${c.name} has no image`, file: kubernetes.fileOf(obj) };
          continue;
        }
        const { tag, digest } = parseImage(c.image);
        if (digest) continue;
        if (tag === undefined) yield { target: targetOf(obj), value: c.image, message: `container ${c.name}: the image has no tag (it means latest)`, file: kubernetes.fileOf(obj) };
        else if (tag === 'latest' && env.tier !== 'development') yield { target: targetOf(obj), value: c.image, message: `container ${c.name}: the image tag "latest" is refused in a ${env.tier} environment`, file: kubernetes.fileOf(obj) };
      }
    }
  },
};

export const rollingUpdateSane: EnvironmentRule = {
  id: 'DK-K8S-009',
  name: 'RollingUpdateKeepsCapacity',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'A rolling update can make progress and never takes every replica down',
  fix: 'use maxUnavailable 0 with maxSurge >= 1, or keep maxUnavailable below the minimum replica count',
  upstream: [{ tool: 'Kubernetes API validation', id: 'maxUnavailable and maxSurge both 0' }],
  helpUri: 'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment',
  *check({ kubernetes }) {
    for (const d of kubernetes.ofKind('Deployment')) {
      const strategy = ((d.spec ?? {}) as { strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: unknown; maxSurge?: unknown } } }).strategy;
      if (strategy?.type === 'Recreate') continue;
      const { min } = replicaBounds(kubernetes, d);
      const unavailable = intOrPercent(strategy?.rollingUpdate?.maxUnavailable ?? '25%', min, 'down');
      const surge = intOrPercent(strategy?.rollingUpdate?.maxSurge ?? '25%', min, 'up');
      if (unavailable === undefined || surge === undefined) continue;
      const shown = `maxUnavailable ${unavailable}, maxSurge ${surge} at ${min} replica(s)`;
      if (unavailable === 0 && surge === 0) yield { target: targetOf(d), value: shown, message: 'maxUnavailable and maxSurge are both 0; the rollout cannot start', file: kubernetes.fileOf(d) };
      else if (unavailable >= min) yield { target: targetOf(d), value: shown, message: 'maxUnavailable lets the rollout take every replica down at once', file: kubernetes.fileOf(d) };
    }
  },
};

export const KUBERNETES_WORKLOAD_RULES: readonly EnvironmentRule[] = [
  deploymentSelectorMatches,
  resourcesSet,
  probesPresent,
  probePortsExposed,
  imagePinned,
  rollingUpdateSane,
  livenessSeparateFromReadiness,
];
