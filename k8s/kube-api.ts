/**
 * Kubernetes API types deploykit builds on, generated from the official OpenAPI at the Kubernetes minor
 * {@link KUBE_API_TYPES_VERSION}: the oldest EKS version deploykit supports, so every field the types
 * offer is served by every supported cluster (docs/adr/0002-kubernetes-types.md). Public (exported from
 * `k8s/index.ts`) so workload kinds a platform team adds render their objects the same way; the vendor
 * package (cdk8s-plus-<minor>'s generated imports) is named only in this file.
 */
export {
  IntOrString,
  KubeClusterRole,
  KubeClusterRoleBinding,
  KubeConfigMap,
  KubeDeployment,
  KubeHorizontalPodAutoscalerV2,
  KubeIngress,
  KubeIngressClass,
  KubeNamespace,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeRole,
  KubeRoleBinding,
  KubeService,
  KubeServiceAccount,
  Quantity,
} from 'cdk8s-plus-32/lib/imports/k8s';
export type {
  Container,
  ContainerPort,
  EnvVar,
  LifecycleHandler,
  NetworkPolicyEgressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  PodSpec,
  PodTemplateSpec,
  PolicyRule,
  Probe,
  Volume,
  VolumeMount,
} from 'cdk8s-plus-32/lib/imports/k8s';

import { ApiObject } from 'cdk8s';

/**
 * Kubernetes minor version of the types above (the `cdk8s-plus-<minor>` package they come from); kept equal
 * to the oldest of `SUPPORTED_EKS_VERSIONS` by a test.
 */
export const KUBE_API_TYPES_VERSION = '1.32';
import type { Construct } from 'constructs';

/** A typed object kind (one of the `Kube*` classes): renders checked props to Kubernetes JSON. */
export interface TypedKind<P> {
  /** Renders the props to the object's JSON, with `apiVersion` and `kind`. */
  manifest(props: P): { apiVersion: string; kind: string; metadata?: object };
}

/**
 * A plain `ApiObject` from typed props, e.g. `typedApiObject(this, 'Deployment', KubeDeployment, { … })`.
 * The generated `Kube*` classes re-serialize their props after JSON patches and drop every field
 * they do not know, so escape-hatch patches would vanish; a plain ApiObject holding the rendered
 * manifest keeps them.
 */
export function typedApiObject<P>(scope: Construct, id: string, kind: TypedKind<P>, props: P): ApiObject {
  return new ApiObject(scope, id, kind.manifest(props));
}
