/** Public API of the Kubernetes layer. */
export { EnvironmentChart, type EnvironmentChartProps } from './environment-chart';
export { WebService, type WebServiceProps, IAM_ROLE_ARN_ANNOTATION } from './constructs/web-service';
export { NamespaceBaseline, type NamespaceBaselineProps, podSecurityLabels, DEFAULT_DENY_POLICY_NAME } from './namespace-baseline';
export { baseEgressRules, dnsEgressRule, serviceEgressRules, POD_IDENTITY_AGENT_CIDR } from './egress-rules';
export { SmokeTestNetworkPolicies, type SmokeTestNetworkPoliciesProps, smokeTestPodSelector } from './smoke-test-network-policies';
export { podDisruptionBudget, type PodDisruptionBudgetProps } from './pod-disruption-budget';
export { resolveImageTag, type ResolveImageTagOptions } from './image-tag';
export {
  restrictedPodTemplate,
  restrictedPodTemplatePatches,
  type RestrictedPodTemplateProps,
  type PodTemplatePatchOptions,
  POD_USER_ID,
  HTTP_PORT_NAME,
  TMP_MOUNT_PATH,
  unprivilegedPortSysctls,
  UNPRIVILEGED_PORT_START_SYSCTL,
  DEFAULT_UNPRIVILEGED_PORT_START,
} from './pod-template';
export * from './kube-api';
export {
  clusterCapacityIssues,
  allocatable,
  maxReplicasOf,
  podRequests,
  effectiveRequest,
  type EffectiveRequest,
  DAEMONSET_CPU_MILLICORES,
  DAEMONSET_MEMORY_MIB,
  EVICTION_MEMORY_MIB,
  type ResourceAmount,
} from './cluster-capacity';
export { INSTANCE_TYPES, instanceTypeCapacity, type InstanceTypeCapacity } from './instance-types';
export {
  workloadLabels,
  serviceLabels,
  selectorLabels,
  versionLabelValue,
  NAME_LABEL,
  INSTANCE_LABEL,
  VERSION_LABEL,
} from './workload-labels';
export { utilizationMetrics, type UtilizationMetric } from './autoscaling-metrics';
