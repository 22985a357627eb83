/** Public API of the Kubernetes layer. */
export { EnvironmentChart, type EnvironmentChartProps } from './environment-chart';
export {
  WebService,
  type WebServiceProps,
  type WebServicePort,
  type WebServiceHealth,
  type WebServiceAutoscaling,
  type WebServiceInitContainer,
  type WebServiceIngress,
  IAM_ROLE_ARN_ANNOTATION,
  LOAD_BALANCER_NAME_ANNOTATION,
} from './constructs/web-service';
export { WEB_SERVICE_DEFAULTS } from './web-service-defaults';
export { webServiceProps, type WebServicePropsOptions } from './web-service-props';
export {
  ClusterAutoscaler,
  type ClusterAutoscalerProps,
  type ClusterAutoscalerResources,
  clusterAutoscalerArgs,
  CLUSTER_AUTOSCALER_NAME,
  CLUSTER_AUTOSCALER_PORT,
  CLUSTER_AUTOSCALER_RESOURCES,
} from './constructs/cluster-autoscaler';
export { clusterAutoscalerProps, type ClusterAutoscalerPropsOptions } from './cluster-autoscaler-props';
export { CLUSTER_AUTOSCALER_RELEASES, CLUSTER_AUTOSCALER_IMAGE_REPOSITORY, clusterAutoscalerImage } from './cluster-autoscaler-versions';
export { AutoModeIngressClass, type AutoModeIngressClassProps } from './constructs/auto-mode-ingress-class';
export {
  ingressClassName,
  AUTO_MODE_ALB_CONTROLLER,
  AUTO_MODE_INGRESS_CLASS_PARAMS_API_VERSION,
  LOAD_BALANCER_CONTROLLER_INGRESS_CLASS,
  type AlbScheme,
} from './ingress-class';
export {
  autoModeNetworkPolicyConfig,
  type AutoModeNetworkPolicyConfigProps,
} from './auto-mode-network-policy';
export { CLUSTER_OBJECTS_FILE, SYSTEM_NAMESPACES, isClusterOutput, isClusterScoped } from './object-scope';
export { NamespaceBaseline, type NamespaceBaselineProps, podSecurityLabels, DEFAULT_DENY_POLICY_NAME } from './namespace-baseline';
export { baseEgressRules, dnsEgressRule, egressRules, serviceEgressRules, POD_IDENTITY_AGENT_CIDR, type EgressDestination } from './egress-rules';
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
export {
  restrictedPod,
  restrictedPodPatches,
  plainEnvVars,
  type RestrictedPodProps,
  type RestrictedInitContainer,
  type HttpHealthChecks,
  type ProbeTiming,
  type ContainerResources,
  type ContainerResourceAmounts,
  STARTUP_PROBE_TIMING,
  READINESS_PROBE_TIMING,
  LIVENESS_PROBE_TIMING,
} from './restricted-pod';
export * from './kube-api';
export {
  clusterCapacityIssues,
  allocatable,
  maxReplicasOf,
  podRequests,
  effectiveRequest,
  type EffectiveRequest,
  largestAutoModeNodes,
  fitsOnSomeNode,
  describeNodes,
  type InstanceTypeNode,
  DAEMONSET_CPU_MILLICORES,
  DAEMONSET_MEMORY_MIB,
  EVICTION_MEMORY_MIB,
  type ResourceAmount,
} from './cluster-capacity';
export { INSTANCE_TYPES, AUTO_MODE_LARGEST_INSTANCE_TYPES, instanceTypeCapacity, type InstanceTypeCapacity } from './instance-types';
export {
  workloadLabels,
  serviceLabels,
  selectorLabels,
  versionLabelValue,
  NAME_LABEL,
  INSTANCE_LABEL,
  VERSION_LABEL,
} from './workload-labels';
export { utilizationMetrics, type UtilizationMetric, type UtilizationTargets } from './autoscaling-metrics';
export {
  secretProviderClassManifest,
  awsSecretProviderClass,
  awsSecretsPodParts,
  awsSecretsVolume,
  awsSecretReferencesOf,
  secretEnvSources,
  secretEnvVars,
  secretEnvVarsOf,
  type AwsSecretProviderClassProps,
  type SecretEnvSource,
  ascpObjects,
  jmesPathOfKey,
  SECRET_PROVIDER_CLASS_API_VERSION,
  SECRETS_STORE_CSI_DRIVER,
  AWS_SECRETS_VOLUME_NAME,
  AWS_SECRETS_MOUNT_PATH,
  type AscpObject,
  type SecretProviderClassManifest,
  type AwsSecretsPodParts,
} from './secret-provider-class';
