/**
 * Validation of synthesized Kubernetes objects against the official OpenAPI schemas
 * (kubernetes-models): one validator per apiVersion/kind deploykit writes.
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

const VALIDATORS: Record<string, (obj: any) => { validate(): void }> = {
  'v1/Namespace': (o) => new Namespace(o),
  'v1/ServiceAccount': (o) => new ServiceAccount(o),
  'v1/Service': (o) => new Service(o),
  'apps/v1/Deployment': (o) => new Deployment(o),
  'autoscaling/v2/HorizontalPodAutoscaler': (o) => new HorizontalPodAutoscaler(o),
  'policy/v1/PodDisruptionBudget': (o) => new PodDisruptionBudget(o),
  'networking.k8s.io/v1/NetworkPolicy': (o) => new NetworkPolicy(o),
  'networking.k8s.io/v1/Ingress': (o) => new Ingress(o),
};

/** Throws when the object breaks its kind's schema, or when no validator knows its kind. */
export function validateKubernetesObject(obj: any): void {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const make = VALIDATORS[key];
  if (!make) throw new Error(`no schema validator for ${key} (${obj.metadata?.name}); add one to test/support/kubernetes-schema.ts`);
  make(obj).validate();
}
