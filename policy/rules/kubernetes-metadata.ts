/** Kubernetes rules on object identity: no shared or system namespaces, valid names. */
import { CLUSTER_COMPONENT_LABEL, CLUSTER_COMPONENTS } from '../../config';
import { AUTO_MODE_NETWORK_POLICY_CONFIG_MAP } from '../../config';
import { containersOf, namespaceOf, targetOf, workloadsOf, type KubernetesObject } from '../kubernetes-objects';
import type { EnvironmentRule } from '../types';

/** Namespaces deploykit objects must never be written into. */
export const RESERVED_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^(?=.{1,63}$)[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Whether a deploykit object may live in a system namespace: an object of a cluster component
 * deploykit installs there (labelled {@link CLUSTER_COMPONENT_LABEL} with a component of that
 * namespace), or the Auto Mode network policy switch (`kube-system/amazon-vpc-cni`).
 */
export function isClusterComponentObject(obj: KubernetesObject): boolean {
  const ns = namespaceOf(obj);
  if (obj.kind === 'ConfigMap' && ns === AUTO_MODE_NETWORK_POLICY_CONFIG_MAP.namespace && obj.metadata.name === AUTO_MODE_NETWORK_POLICY_CONFIG_MAP.name) return true;
  const component = obj.metadata.labels?.[CLUSTER_COMPONENT_LABEL];
  return CLUSTER_COMPONENTS.some((c) => c.serviceAccount === component && c.namespace === ns);
}

/** Kinds whose names must be DNS-1123 labels (or DNS-1035 for Services). */
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);

export const noReservedNamespaces: EnvironmentRule = {
  id: 'DK-K8S-001',
  name: 'NoReservedNamespaces',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'No object is written into the default or a system namespace (except the objects of the cluster components deploykit installs there)',
  fix: "give the service its own 'namespace' (default: the service name)",
  upstream: [
    { tool: 'Checkov', id: 'CKV_K8S_21' },
    { tool: 'Trivy', id: 'AVD-KSV-0110' },
  ],
  helpUri: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/',
  *check({ kubernetes }) {
    for (const obj of kubernetes.all()) {
      const ns = namespaceOf(obj);
      if (ns !== undefined && RESERVED_NAMESPACES.includes(ns) && !isClusterComponentObject(obj)) {
        yield { target: targetOf(obj), value: ns, message: obj.metadata.namespace ? `the object is in the ${ns} namespace` : 'the object sets no namespace, so it lands in default', file: kubernetes.fileOf(obj) };
      }
      if (obj.kind === 'Namespace' && RESERVED_NAMESPACES.includes(obj.metadata.name ?? '')) {
        yield { target: targetOf(obj), value: obj.metadata.name ?? '', message: 'the object redefines a system namespace', file: kubernetes.fileOf(obj) };
      }
    }
  },
};

export const validNames: EnvironmentRule = {
  id: 'DK-K8S-002',
  name: 'ValidObjectNames',
  scope: 'environment',
  severity: 'error',
  layer: 'kubernetes',
  title: 'Object, container and port names are valid Kubernetes names',
  fix: "use lowercase letters, digits and '-' (DNS-1123); Services start with a letter; port names at most 15 characters",
  upstream: [{ tool: 'Kubernetes API validation', id: 'DNS-1123 / IANA_SVC_NAME' }],
  helpUri: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
  *check({ kubernetes }) {
    for (const obj of kubernetes.all()) {
      const name = obj.metadata.name ?? '';
      const regex = obj.kind === 'Service' ? DNS_1035_LABEL : LABEL_NAMED_KINDS.has(obj.kind) ? DNS_LABEL : DNS_SUBDOMAIN;
      if (!regex.test(name)) yield { target: targetOf(obj), value: JSON.stringify(name), message: `metadata.name is not a valid ${obj.kind} name`, file: kubernetes.fileOf(obj) };
    }
    for (const { obj, pod } of workloadsOf(kubernetes)) {
      for (const c of containersOf(pod.spec)) {
        if (!DNS_LABEL.test(c.name ?? '')) yield { target: targetOf(obj), value: JSON.stringify(c.name), message: 'a container name is not a DNS-1123 label', file: kubernetes.fileOf(obj) };
        for (const p of c.ports ?? []) {
          if (p.name !== undefined && !PORT_NAME.test(p.name)) yield { target: targetOf(obj), value: JSON.stringify(p.name), message: `container ${c.name}: a port name is not a valid IANA service name`, file: kubernetes.fileOf(obj) };
        }
      }
    }
  },
};

export const KUBERNETES_METADATA_RULES: readonly EnvironmentRule[] = [noReservedNamespaces, validNames];
