/**
 * The defaults of `WebService`'s props: the same values the environment definitions apply
 * (config/schema.ts), so a service renders alike whichever way it is built.
 */

/** Default values of the optional `WebServiceProps`. */
export const WEB_SERVICE_DEFAULTS = {
  /** Port the container listens on. */
  containerPort: 8080,
  /** Port the Service exposes. */
  servicePort: 80,
  /** Path of the readiness probe. */
  readinessPath: '/readyz',
  /** Path of the liveness probe. */
  livenessPath: '/livez',
  /** Replicas without autoscaling. */
  replicas: 2,
  /** HPA CPU target, percent of the request. */
  targetCpuUtilizationPercent: 50,
  /** Seconds the HPA waits before scaling down. */
  scaleDownStabilizationSeconds: 300,
  /** Seconds Kubernetes waits for a pod to stop. */
  terminationGracePeriodSeconds: 30,
  /** Seconds the preStop hook pauses. */
  preStopSleepSeconds: 5,
  /** How the preStop pause runs. */
  preStopHandler: 'sleep',
  /** Seconds a rollout may stall. */
  progressDeadlineSeconds: 300,
  /** Old ReplicaSets kept for rollback. */
  revisionHistoryLimit: 5,
  /** Namespace allowed to scrape metrics ports (the CloudWatch agent's). */
  monitoringNamespace: 'amazon-cloudwatch',
} as const;
