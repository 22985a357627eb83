/** Kubernetes rules on Services: they select pods that exist and target ports those pods declare. */
import { containersOf, mapSelects, namespaceOf, targetOf, workloadsOf, type KubernetesObject } from '../kubernetes-objects';
import type { EnvironmentRule } from '../types';

interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
}

function serviceSpec(obj: KubernetesObject): { type?: string; selector?: Record<string, string>; ports?: ServicePort[] } {
  return (obj.spec ?? {}) as { type?: string; selector?: Record<string, string>; ports?: ServicePort[] };
}

export const serviceSelectsPods: EnvironmentRule = {
  id: 'DK-K8S-018',
  name: 'ServiceSelectsPods',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: "A Service's selector matches the pods of a workload in its namespace",
  fix: "make the Service's spec.selector equal the Deployment's pod template labels",
  upstream: [{ tool: 'kube-score', id: 'service-targets-pod' }],
  helpUri: 'https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service',
  *check({ kubernetes }) {
    const workloads = workloadsOf(kubernetes);
    for (const svc of kubernetes.ofKind('Service')) {
      const spec = serviceSpec(svc);
      if (spec.type === 'ExternalName' || spec.selector === undefined) continue;
      const matched = workloads.some(({ obj, pod }) => namespaceOf(obj) === namespaceOf(svc) && mapSelects(spec.selector, pod.labels));
      if (!matched) yield { target: targetOf(svc), value: JSON.stringify(spec.selector), message: 'spec.selector matches no pod template in the namespace', file: kubernetes.fileOf(svc) };
    }
  },
};

export const serviceTargetsContainerPort: EnvironmentRule = {
  id: 'DK-K8S-019',
  name: 'ServiceTargetsContainerPort',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: "A Service's targetPort is a port the selected containers declare",
  fix: "set targetPort to the container port's number or name",
  upstream: [{ tool: 'kube-score', id: 'service-targets-pod' }],
  helpUri: 'https://kubernetes.io/docs/concepts/services-networking/service/#field-spec-ports',
  *check({ kubernetes }) {
    const workloads = workloadsOf(kubernetes);
    for (const svc of kubernetes.ofKind('Service')) {
      const spec = serviceSpec(svc);
      const pods = workloads.filter(({ obj, pod }) => namespaceOf(obj) === namespaceOf(svc) && mapSelects(spec.selector, pod.labels));
      if (pods.length === 0) continue;
      for (const port of spec.ports ?? []) {
        const target = port.targetPort ?? port.port;
        const served = pods.some(({ pod }) =>
          containersOf(pod.spec).some((c) => (c.ports ?? []).some((p) => (typeof target === 'number' ? p.containerPort === target : p.name === target))),
        );
        if (!served) yield { target: targetOf(svc), value: `${port.name ?? port.port} → ${JSON.stringify(target)}`, message: `port ${port.port} targets ${JSON.stringify(target)}, which no selected container declares`, file: kubernetes.fileOf(svc) };
      }
    }
  },
};

export const KUBERNETES_SERVICE_RULES: readonly EnvironmentRule[] = [serviceSelectsPods, serviceTargetsContainerPort];
