/**
 * CloudWatch alarms of one service: its containers restarting, its HorizontalPodAutoscaler pinned at
 * maxReplicas, and 5xx responses of its pods at its ALB. The first two read Container Insights
 * metrics (the CloudWatch Observability add-on publishes them); the third reads the ALB's metrics
 * through a Metrics Insights query, since the load balancer exists only after the AWS Load Balancer
 * Controller created it for the Ingress and is known by its name alone.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-enhanced-EKS.html
 */
import { CloudwatchMetricAlarm } from '../vendor/terraform';
import { Construct } from 'constructs';
import { propIssue, throwIfInvalidProps, type ValidationIssue } from '../../config';
import type { IEksCluster } from './eks-cluster';

/** Namespace of the Container Insights metrics. */
export const CONTAINER_INSIGHTS_NAMESPACE = 'ContainerInsights';

/**
 * Container restarts of a workload's pods (Container Insights); `PodName` is the workload's name, not
 * a pod's. Counted since each pod started, so the alarm clears once the restarting pods are replaced.
 */
export const RESTARTS_METRIC = 'pod_number_of_container_restarts';

/**
 * Replicas a Deployment's spec asks for (Container Insights with enhanced observability): the count the
 * HorizontalPodAutoscaler last wrote, so it equals maxReplicas while the HPA is pinned at its maximum.
 */
export const DESIRED_REPLICAS_METRIC = 'replicas_desired';

/** Period of every alarm, in seconds. */
export const ALARM_PERIOD_SECONDS = 300;

/** Periods the HPA must stay at maxReplicas before the alarm fires (15 minutes). */
export const AT_MAX_REPLICAS_PERIODS = 3;

/** Characters ELB allows in a load balancer name (at most 32, no hyphen at either end). */
const LOAD_BALANCER_NAME_REGEX = /^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

/** Props of {@link ServiceAlarms}. */
export interface ServiceAlarmsProps {
  /** Prefix of the alarm names, e.g. `<system>-<env>-<service>`; each alarm appends what it watches. */
  readonly alarmNamePrefix: string;
  /**
   * The EKS cluster the service runs on, this stack's or another's (`EksCluster.fromClusterAttributes`);
   * its literal name is the `ClusterName` dimension, as Container Insights reports it.
   */
  readonly cluster: IEksCluster;
  /** Kubernetes namespace of the service (the `Namespace` dimension). */
  readonly namespace: string;
  /** Name of the service's Deployment (the `PodName` dimension of Container Insights' workload metrics). */
  readonly workloadName: string;
  /** Restarts of one pod's containers that raise the restart alarm. */
  readonly restartThreshold: number;
  /**
   * The HPA's maxReplicas; with it, an alarm fires while the Deployment asks for that many replicas for
   * 15 minutes.
   * @default - no HPA alarm (fixed replicas)
   */
  readonly maxReplicas?: number;
  /**
   * Name of the service's ALB (`alb.ingress.kubernetes.io/load-balancer-name`); with it, an alarm fires
   * on target 5xx responses.
   * @default - no 5xx alarm (no Ingress)
   */
  readonly loadBalancerName?: string;
  /**
   * Target 5xx responses within 5 minutes that raise the 5xx alarm.
   * @default 10
   */
  readonly target5xxThreshold?: number;
  /**
   * SNS topic ARN notified on ALARM and on OK.
   * @default - no actions
   */
  readonly actionsTopicArn?: string;
  /**
   * Tags on the alarms.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The CloudWatch alarms of one service. */
export class ServiceAlarms extends Construct {
  /** Container restarts of the service's pods. */
  public readonly restarts: CloudwatchMetricAlarm;
  /** The HPA pinned at maxReplicas; undefined without `maxReplicas`. */
  public readonly atMaxReplicas?: CloudwatchMetricAlarm;
  /** Target 5xx responses at the ALB; undefined without `loadBalancerName`. */
  public readonly target5xx?: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const issues: ValidationIssue[] = [];
    if (props.loadBalancerName !== undefined && !LOAD_BALANCER_NAME_REGEX.test(props.loadBalancerName)) {
      issues.push(
        propIssue(this, {
          field: 'loadBalancerName',
          value: props.loadBalancerName,
          rule: 'is not an ELB name',
          fix: `use at most 32 letters, digits and '-', not starting or ending with '-' nor starting with "internal-"`,
        }),
      );
    }
    if (props.maxReplicas !== undefined && (!Number.isInteger(props.maxReplicas) || props.maxReplicas < 1)) {
      issues.push(propIssue(this, { field: 'maxReplicas', value: props.maxReplicas, rule: 'must be a whole number >= 1', fix: "pass the HPA's maxReplicas" }));
    }
    throwIfInvalidProps(this, issues);
    const clusterName = props.cluster.clusterNameLiteral;
    const actions = props.actionsTopicArn ? [props.actionsTopicArn] : [];
    const common = {
      alarmActions: actions,
      okActions: actions,
      // No data means no pods reporting (scaled to zero, agent down): other signals cover that.
      treatMissingData: 'notBreaching',
      tags: { ...(props.tags ?? {}) },
    };
    const workload = { ClusterName: clusterName, Namespace: props.namespace, PodName: props.workloadName };
    const subject = `${props.namespace}/${props.workloadName} on ${clusterName}`;

    this.restarts = new CloudwatchMetricAlarm(this, 'Restarts', {
      ...common,
      alarmName: `${props.alarmNamePrefix}-container-restarts`,
      alarmDescription: `A pod of ${subject} restarted its containers ${props.restartThreshold} times or more (crash loop, OOM kill, failing liveness probe).`,
      namespace: CONTAINER_INSIGHTS_NAMESPACE,
      metricName: RESTARTS_METRIC,
      dimensions: workload,
      statistic: 'Maximum',
      period: ALARM_PERIOD_SECONDS,
      evaluationPeriods: 1,
      threshold: props.restartThreshold,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
    });

    if (props.maxReplicas !== undefined) {
      this.atMaxReplicas = new CloudwatchMetricAlarm(this, 'AtMaxReplicas', {
        ...common,
        alarmName: `${props.alarmNamePrefix}-at-max-replicas`,
        alarmDescription: `The HorizontalPodAutoscaler of ${subject} has asked for its maxReplicas (${props.maxReplicas}) for ${(AT_MAX_REPLICAS_PERIODS * ALARM_PERIOD_SECONDS) / 60} minutes: it cannot scale further; raise maxReplicas or find the load.`,
        namespace: CONTAINER_INSIGHTS_NAMESPACE,
        metricName: DESIRED_REPLICAS_METRIC,
        dimensions: workload,
        statistic: 'Minimum',
        period: ALARM_PERIOD_SECONDS,
        evaluationPeriods: AT_MAX_REPLICAS_PERIODS,
        threshold: props.maxReplicas,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }

    if (props.loadBalancerName !== undefined) {
      this.target5xx = new CloudwatchMetricAlarm(this, 'Target5xx', {
        ...common,
        alarmName: `${props.alarmNamePrefix}-target-5xx`,
        alarmDescription: `The pods of ${subject} answered ${props.target5xxThreshold ?? 10} or more requests with HTTP 5xx at ALB ${props.loadBalancerName} within 5 minutes.`,
        metricQuery: [
          {
            id: 'target5xx',
            label: `HTTPCode_Target_5XX_Count of ${props.loadBalancerName}`,
            expression: target5xxQuery(props.loadBalancerName),
            period: ALARM_PERIOD_SECONDS,
            returnData: true,
          },
        ],
        evaluationPeriods: 1,
        threshold: props.target5xxThreshold ?? 10,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  }
}

/**
 * The Metrics Insights query of an ALB's target 5xx responses: the `LoadBalancer` dimension is
 * `app/<name>/<id>`, and the id exists only once the controller created the ALB, so the query selects
 * it by its name (`LIKE 'app/<name>/%'`; names are unique per region and account).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html
 */
export function target5xxQuery(loadBalancerName: string): string {
  return `SELECT SUM(HTTPCode_Target_5XX_Count) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer) WHERE LoadBalancer LIKE 'app/${loadBalancerName}/%'`;
}
