/**
 * Validation of synthesized Kubernetes objects against the official OpenAPI schemas
 * (kubernetes-models): one validator per apiVersion/kind deploykit writes. Kinds of CRDs
 * kubernetes-models lacks validate against the CRD's schema (vendored under test/support) with
 * unknown fields rejected.
 */
import Ajv from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { SECRET_PROVIDER_CLASS_V1_SCHEMA } from './secret-provider-class-schema';

/** A validator from a JSON schema, in the shape of the kubernetes-models ones. */
function crdValidator(schema: object): (obj: any) => { validate(): void } {
  const check = new Ajv({ allErrors: true, strict: true }).compile(schema);
  return (obj) => ({
    validate() {
      if (!check(obj)) throw new Error(`${obj.kind}/${obj.metadata?.name}: ${JSON.stringify(check.errors)}`);
    },
  });
}

const VALIDATORS: Record<string, (obj: any) => { validate(): void }> = {
  'v1/Namespace': (o) => new Namespace(o),
  'v1/ServiceAccount': (o) => new ServiceAccount(o),
  'v1/Service': (o) => new Service(o),
  'apps/v1/Deployment': (o) => new Deployment(o),
  'autoscaling/v2/HorizontalPodAutoscaler': (o) => new HorizontalPodAutoscaler(o),
  'policy/v1/PodDisruptionBudget': (o) => new PodDisruptionBudget(o),
  'networking.k8s.io/v1/NetworkPolicy': (o) => new NetworkPolicy(o),
  'networking.k8s.io/v1/Ingress': (o) => new Ingress(o),
  'secrets-store.csi.x-k8s.io/v1/SecretProviderClass': crdValidator(SECRET_PROVIDER_CLASS_V1_SCHEMA),
};

/** Throws when the object breaks its kind's schema, or when no validator knows its kind. */
export function validateKubernetesObject(obj: any): void {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const make = VALIDATORS[key];
  if (!make) throw new Error(`no schema validator for ${key} (${obj.metadata?.name}); add one to test/support/kubernetes-schema.ts`);
  make(obj).validate();
}
