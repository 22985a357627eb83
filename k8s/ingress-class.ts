/**
 * Which IngressClass a service's Ingress names, by compute mode. EKS Auto Mode runs the ALB
 * controller itself (`eks.amazonaws.com/alb`) and needs an IngressClass plus an `IngressClassParams`
 * (API group `eks.amazonaws.com`) deploykit writes; with managed node groups no ALB controller runs
 * unless one is installed (the AWS Load Balancer Controller, whose class is conventionally `alb`).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html
 */
import type { EnvironmentDefinition } from '../config';

/** `spec.controller` of an IngressClass served by EKS Auto Mode's built-in load balancing. */
export const AUTO_MODE_ALB_CONTROLLER = 'eks.amazonaws.com/alb';

/** API group and version of Auto Mode's `IngressClassParams`. */
export const AUTO_MODE_INGRESS_CLASS_PARAMS_API_VERSION = 'eks.amazonaws.com/v1';

/** The IngressClass name the AWS Load Balancer Controller installs by default (compute "node-groups"). */
export const LOAD_BALANCER_CONTROLLER_INGRESS_CLASS = 'alb';

/** ALB scheme of a service's Ingress. */
export type AlbScheme = 'internal' | 'internet-facing';

/**
 * The IngressClass a service's Ingress with `scheme` names: with Auto Mode `alb-<scheme>` (one class
 * per scheme, whose IngressClassParams carries the scheme); otherwise
 * {@link LOAD_BALANCER_CONTROLLER_INGRESS_CLASS}.
 */
export function ingressClassName(env: EnvironmentDefinition, scheme: AlbScheme): string {
  return env.cluster.compute === 'auto-mode' ? `alb-${scheme}` : LOAD_BALANCER_CONTROLLER_INGRESS_CLASS;
}
