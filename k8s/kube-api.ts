/**
 * Kubernetes API types deploykit builds on, generated from the official OpenAPI; they follow the
 * Kubernetes version of the cdk8s-plus-28 imports (1.28). Public (exported from `k8s/index.ts`) so
 * workload kinds a platform team adds render their objects the same way, and a switch away from
 * cdk8s-plus-28's generated imports (past its support window) changes only this file.
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
} from 'cdk8s-plus-28/lib/imports/k8s';
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
} from 'cdk8s-plus-28/lib/imports/k8s';

import { ApiObject } from 'cdk8s';
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
