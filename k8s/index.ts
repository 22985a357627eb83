/** Public API of the Kubernetes layer. */
export { EnvironmentChart, type EnvironmentChartProps } from './environment-chart';
export {
  WebService,
  type WebServiceProps,
  IAM_ROLE_ARN_ANNOTATION,
  POD_USER_ID,
  HTTP_PORT_NAME,
  TMP_MOUNT_PATH,
  POD_IDENTITY_AGENT_CIDR,
} from './constructs/web-service';
export {
  clusterCapacityIssues,
  allocatable,
  maxReplicasOf,
  podRequests,
  DAEMONSET_CPU_MILLICORES,
  DAEMONSET_MEMORY_MIB,
  EVICTION_MEMORY_MIB,
  type ResourceAmount,
} from './cluster-capacity';
export { INSTANCE_TYPES, instanceTypeCapacity, type InstanceTypeCapacity } from './instance-types';
export {
  workloadLabels,
  selectorLabels,
  versionLabelValue,
  NAME_LABEL,
  INSTANCE_LABEL,
  VERSION_LABEL,
} from './workload-labels';
