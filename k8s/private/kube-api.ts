/**
 * The typed Kubernetes API objects deploykit builds on, in one place: a switch away from
 * cdk8s-plus-28's generated imports (past its support window) changes only this file.
 * @internal
 */
export {
  IntOrString,
  KubeDeployment,
  KubeHorizontalPodAutoscalerV2,
  KubeIngress,
  KubeNamespace,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeService,
  KubeServiceAccount,
  Quantity,
} from 'cdk8s-plus-28/lib/imports/k8s';
export type {
  Container,
  EnvVar,
  LifecycleHandler,
  NetworkPolicyEgressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  PodSpec,
  Probe,
} from 'cdk8s-plus-28/lib/imports/k8s';

import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** A typed object kind: renders checked props to Kubernetes JSON. */
interface TypedKind<P> {
  manifest(props: P): { apiVersion: string; kind: string; metadata?: object };
}

/**
 * A plain `ApiObject` from typed props. The generated classes re-serialize their props after JSON
 * patches and drop every field they do not know, so escape-hatch patches would vanish; a plain
 * ApiObject holding the rendered manifest keeps them.
 */
export function typedApiObject<P>(scope: Construct, id: string, kind: TypedKind<P>, props: P): ApiObject {
  return new ApiObject(scope, id, kind.manifest(props));
}
