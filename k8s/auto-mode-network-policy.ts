/**
 * The switch that makes EKS Auto Mode enforce NetworkPolicies. Auto Mode accepts NetworkPolicy
 * objects but enforces them only once the ConfigMap `kube-system/amazon-vpc-cni` sets
 * `enable-network-policy-controller: "true"`; the nodes of the built-in node pools use the default
 * NodeClass, whose `networkPolicy` default (`DefaultAllow`: pods no policy selects stay open) is
 * what deploykit wants, since every service namespace carries its own default-deny policy.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html
 */
import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { AUTO_MODE_NETWORK_POLICY_CONFIG_MAP } from '../config';
import { KubeConfigMap, typedApiObject } from './kube-api';

/** Props of {@link autoModeNetworkPolicyConfig}. */
export interface AutoModeNetworkPolicyConfigProps {
  /**
   * Labels of the ConfigMap.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Construct id of the object.
   * @default "NetworkPolicyController"
   */
  readonly id?: string;
}

/** The ConfigMap `kube-system/amazon-vpc-cni` with `enable-network-policy-controller: "true"` (cluster output). */
export function autoModeNetworkPolicyConfig(scope: Construct, props: AutoModeNetworkPolicyConfigProps = {}): ApiObject {
  return typedApiObject(scope, props.id ?? 'NetworkPolicyController', KubeConfigMap, {
    metadata: {
      namespace: AUTO_MODE_NETWORK_POLICY_CONFIG_MAP.namespace,
      name: AUTO_MODE_NETWORK_POLICY_CONFIG_MAP.name,
      labels: props.labels === undefined ? undefined : { ...props.labels },
    },
    data: { [AUTO_MODE_NETWORK_POLICY_CONFIG_MAP.key]: AUTO_MODE_NETWORK_POLICY_CONFIG_MAP.value },
  });
}
