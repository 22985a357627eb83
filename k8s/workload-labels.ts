/**
 * The recommended `app.kubernetes.io/*` labels of a service's objects. Public (exported from
 * `k8s/index.ts`) so workload kinds a platform team adds carry exactly the same labels and selectors.
 */
import {
  environmentLabels,
  truncateName,
  type EnvironmentDefinition,
  type ServiceDefinition,
  type SystemDefinition,
} from '../config';

/** Label key naming the application. */
export const NAME_LABEL = 'app.kubernetes.io/name';
/** Label key naming the application's instance (service in one environment). */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** Label key carrying the version (the image tag). */
export const VERSION_LABEL = 'app.kubernetes.io/version';

/**
 * A label value for an image tag: at most 63 characters, alphanumeric at both ends. Image tags may
 * be longer or start with `_`; the label is informational, the image reference stays exact.
 */
export function versionLabelValue(tag: string): string {
  return tag.slice(0, 63).replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
}

/**
 * The pod selector of a service: name and instance only. Selectors are immutable, so they never
 * include the version; a change here would force deleting the Deployment.
 */
export function selectorLabels(env: EnvironmentDefinition, service: ServiceDefinition): Record<string, string> {
  return {
    [NAME_LABEL]: service.name,
    [INSTANCE_LABEL]: truncateName(`${service.name}-${env.name}`, 63),
  };
}

/**
 * The labels of a service's objects that do not change with a release (Namespace, ServiceAccount,
 * Service, HPA, PDB, NetworkPolicies, Ingress): selector and environment labels, no version. A
 * release that only changes the image tag then changes only what runs the image.
 */
export function serviceLabels(system: SystemDefinition, env: EnvironmentDefinition, service: ServiceDefinition): Record<string, string> {
  return {
    ...selectorLabels(env, service),
    ...environmentLabels(system, env),
  };
}

/**
 * The labels of what runs the image — a workload and its pods: `serviceLabels` plus the version
 * (the image tag). Only objects whose content already changes with the tag carry it.
 */
export function workloadLabels(
  system: SystemDefinition,
  env: EnvironmentDefinition,
  service: ServiceDefinition,
  tag: string,
): Record<string, string> {
  return {
    ...selectorLabels(env, service),
    [VERSION_LABEL]: versionLabelValue(tag),
    ...environmentLabels(system, env),
  };
}
