/**
 * Validation of synthesized Kubernetes objects against the official OpenAPI schemas
 * (kubernetes-models): one validator per apiVersion/kind deploykit writes. Kinds of CRDs that
 * kubernetes-models lacks are validated with Ajv against a vendored schema that rejects unknown fields
 * (see `schemas/`).
 */
import Ajv from 'ajv';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { IngressClass } from 'kubernetes-models/networking.k8s.io/v1/IngressClass';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import ingressClassParamsSchema from './schemas/eks.amazonaws.com_v1_ingressclassparams.json';
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

/** A validator from a vendored JSON schema, in the shape of the kubernetes-models classes. */
function vendored(schema: object): (obj: any) => { validate(): void } {
  const check = new Ajv({ allErrors: true, strict: true }).compile(schema);
  return (obj) => ({
    validate() {
      if (!check(obj)) throw new Error(`${obj.apiVersion}/${obj.kind} ${obj.metadata?.name}: ${JSON.stringify(check.errors)}`);
    },
  });
}

const VALIDATORS: Record<string, (obj: any) => { validate(): void }> = {
  'v1/ConfigMap': (o) => new ConfigMap(o),
  'rbac.authorization.k8s.io/v1/ClusterRole': (o) => new ClusterRole(o),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': (o) => new ClusterRoleBinding(o),
  'rbac.authorization.k8s.io/v1/Role': (o) => new Role(o),
  'rbac.authorization.k8s.io/v1/RoleBinding': (o) => new RoleBinding(o),
  'networking.k8s.io/v1/IngressClass': (o) => new IngressClass(o),
  'eks.amazonaws.com/v1/IngressClassParams': vendored(ingressClassParamsSchema),
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
