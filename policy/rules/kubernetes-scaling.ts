/** Kubernetes rules on scaling and availability: HPA bounds and metrics, PodDisruptionBudgets. */
import { containersOf, namespaceOf, podTemplateOf, selects, targetOf, type LabelSelector } from '../kubernetes-objects';
import type { EnvironmentRule } from '../types';
import { intOrPercent, replicaBounds } from './kubernetes-workloads';

interface HpaSpec {
  readonly scaleTargetRef?: { readonly kind?: string; readonly name?: string };
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
  readonly metrics?: readonly { readonly type?: string; readonly resource?: { readonly name?: string; readonly target?: { readonly type?: string } } }[];
}

export const hpaBounds: EnvironmentRule = {
  id: 'DK-K8S-020',
  name: 'HpaBounds',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'A HorizontalPodAutoscaler targets an existing workload with minReplicas <= maxReplicas (>= 2 in production)',
  fix: "set 'autoscaling.minReplicas' <= 'maxReplicas', with minReplicas >= 2 in production",
  upstream: [{ tool: 'kube-score', id: 'horizontalpodautoscaler-has-target' }, { tool: 'Polaris', id: 'hpaMinAvailability' }],
  helpUri: 'https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/',
  *check({ kubernetes, env }) {
    for (const hpa of kubernetes.ofKind('HorizontalPodAutoscaler')) {
      const spec = (hpa.spec ?? {}) as HpaSpec;
      const file = kubernetes.fileOf(hpa);
      const ref = spec.scaleTargetRef;
      if (!ref?.kind || !ref.name || !kubernetes.find(ref.kind, namespaceOf(hpa), ref.name)) {
        yield { target: targetOf(hpa), value: `${ref?.kind ?? '?'}/${ref?.name ?? '?'}`, message: 'spec.scaleTargetRef names no workload in the namespace', file };
      }
      const min = spec.minReplicas ?? 1;
      const max = spec.maxReplicas;
      if (typeof max !== 'number' || min > max) yield { target: targetOf(hpa), value: `minReplicas ${min} > maxReplicas ${max}`, message: 'minReplicas is above maxReplicas', file };
      if (env.tier === 'production' && min < 2) yield { target: targetOf(hpa), value: `minReplicas ${min}`, message: 'minReplicas is below 2 in a production environment', file };
    }
  },
};

export const hpaMetricsHaveRequests: EnvironmentRule = {
  id: 'DK-K8S-021',
  name: 'HpaMetricsHaveRequests',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: "A HorizontalPodAutoscaler scaling on CPU or memory utilization targets containers that request it",
  fix: "set 'resources.requests' for every resource the HPA scales on; utilization is measured against requests",
  upstream: [{ tool: 'kube-score', id: 'horizontalpodautoscaler-has-target' }],
  helpUri: 'https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#support-for-resource-metrics',
  *check({ kubernetes }) {
    for (const hpa of kubernetes.ofKind('HorizontalPodAutoscaler')) {
      const spec = (hpa.spec ?? {}) as HpaSpec;
      const target = spec.scaleTargetRef?.kind && spec.scaleTargetRef.name ? kubernetes.find(spec.scaleTargetRef.kind, namespaceOf(hpa), spec.scaleTargetRef.name) : undefined;
      const pod = target && podTemplateOf(target);
      if (!pod) continue;
      const resources = (spec.metrics ?? []).filter((m) => m.type === 'Resource' && m.resource?.target?.type === 'Utilization').map((m) => m.resource?.name ?? '');
      for (const resource of resources) {
        for (const c of containersOf(pod.spec).filter((c) => !c.resources?.requests?.[resource])) {
          yield { target: targetOf(hpa), value: `${c.name}: requests.${resource} missing`, message: `the HPA scales on ${resource} utilization but container ${c.name} requests no ${resource}`, file: kubernetes.fileOf(hpa) };
        }
      }
    }
  },
};

interface PdbSpec {
  readonly selector?: LabelSelector;
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

export const pdbAllowsEviction: EnvironmentRule = {
  id: 'DK-K8S-022',
  name: 'PdbAllowsEviction',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'A PodDisruptionBudget lets at least one pod be evicted at the minimum scale',
  fix: 'use maxUnavailable: 1, or keep minAvailable below the minimum replica count, so node drains and upgrades can proceed',
  upstream: [{ tool: 'kube-score', id: 'poddisruptionbudget-has-policy' }, { tool: 'Polaris', id: 'pdbDisruptionsIsZero' }],
  helpUri: 'https://kubernetes.io/docs/tasks/run-application/configure-pdb/',
  *check({ kubernetes }) {
    const workloads = kubernetes.ofKind('Deployment').concat(kubernetes.ofKind('StatefulSet'));
    for (const pdb of kubernetes.ofKind('PodDisruptionBudget')) {
      const spec = (pdb.spec ?? {}) as PdbSpec;
      const file = kubernetes.fileOf(pdb);
      const selected = workloads.filter((w) => namespaceOf(w) === namespaceOf(pdb) && selects(spec.selector, podTemplateOf(w)?.labels));
      if (selected.length === 0) {
        yield { target: targetOf(pdb), value: JSON.stringify(spec.selector ?? null), message: 'spec.selector matches no workload in the namespace', file };
        continue;
      }
      const min = selected.reduce((n, w) => n + replicaBounds(kubernetes, w).min, 0);
      const allowed =
        spec.maxUnavailable !== undefined
          ? intOrPercent(spec.maxUnavailable, min, 'up')
          : spec.minAvailable !== undefined
            ? min - (intOrPercent(spec.minAvailable, min, 'up') ?? min)
            : undefined;
      if (allowed === undefined) {
        yield { target: targetOf(pdb), value: 'no minAvailable or maxUnavailable', message: 'the budget sets neither minAvailable nor maxUnavailable', file };
      } else if (allowed < 1) {
        const policy = spec.maxUnavailable !== undefined ? `maxUnavailable ${JSON.stringify(spec.maxUnavailable)}` : `minAvailable ${JSON.stringify(spec.minAvailable)}`;
        yield { target: targetOf(pdb), value: `${policy} at ${min} replica(s)`, message: `${policy} allows no eviction at ${min} replica(s); node drains would block`, file };
      }
    }
  },
};

export const deploymentHasPdb: EnvironmentRule = {
  id: 'DK-K8S-023',
  name: 'DeploymentHasPdb',
  scope: 'environment',
  severity: 'warning',
  layer: 'kubernetes',
  title: 'A Deployment with two or more replicas has a PodDisruptionBudget',
  fix: 'add a PodDisruptionBudget (maxUnavailable: 1) selecting the pods',
  upstream: [{ tool: 'kube-score', id: 'deployment-has-poddisruptionbudget' }, { tool: 'Polaris', id: 'missingPodDisruptionBudget' }],
  helpUri: 'https://kubernetes.io/docs/tasks/run-application/configure-pdb/',
  *check({ kubernetes }) {
    const pdbs = kubernetes.ofKind('PodDisruptionBudget');
    for (const d of kubernetes.ofKind('Deployment')) {
      const { min } = replicaBounds(kubernetes, d);
      const labels = podTemplateOf(d)?.labels;
      if (min < 2) continue;
      if (!pdbs.some((p) => namespaceOf(p) === namespaceOf(d) && selects(((p.spec ?? {}) as PdbSpec).selector, labels))) {
        yield { target: targetOf(d), value: 'missing', message: `no PodDisruptionBudget selects the ${min} replicas`, file: kubernetes.fileOf(d) };
      }
    }
  },
};

export const KUBERNETES_SCALING_RULES: readonly EnvironmentRule[] = [hpaBounds, hpaMetricsHaveRequests, pdbAllowsEviction, deploymentHasPdb];
