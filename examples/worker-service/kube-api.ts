/**
 * The typed Kubernetes API the worker is written against, in one place: deploykit's public API
 * does not export its own, so a move away from cdk8s-plus-28 changes only this file.
 */
export {
  IntOrString,
  KubeDeployment,
  KubeHorizontalPodAutoscalerV2,
  KubeNamespace,
  KubeNetworkPolicy,
  KubePodDisruptionBudget,
  KubeServiceAccount,
  Quantity,
} from 'cdk8s-plus-28/lib/imports/k8s';
export type { NetworkPolicyEgressRule, Probe } from 'cdk8s-plus-28/lib/imports/k8s';

import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** A typed object kind: renders checked props to Kubernetes JSON. */
interface TypedKind<P> {
  manifest(props: P): { apiVersion: string; kind: string; metadata?: object };
}

/**
 * A plain `ApiObject` rendered from typed props. The generated `Kube*` classes re-serialize their
 * props after JSON patches and drop fields they do not know; a plain ApiObject keeps every patch.
 */
export function typedApiObject<P>(scope: Construct, id: string, kind: TypedKind<P>, props: P): ApiObject {
  return new ApiObject(scope, id, kind.manifest(props));
}
