/**
 * Container Insights for one EKS cluster: the Amazon CloudWatch Observability EKS add-on (the
 * CloudWatch agent for metrics, Fluent Bit for container logs) with its own IAM role through EKS Pod
 * Identity (the add-on's `pod_identity_association`), and the Container Insights log groups created
 * beforehand with a retention and the environment's logs key, so the add-on's agents write into them
 * instead of creating unencrypted groups that keep logs forever.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/install-CloudWatch-Observability-EKS-addon.html
 */
import { CloudwatchLogGroup, EksAddon, IamRole, IamRolePolicyAttachment, type ITerraformDependable } from '../vendor/terraform';
import { Construct } from 'constructs';
import { CONTAINER_INSIGHTS_LOG_GROUPS, propIssue, throwIfInvalidProps, type ClusterComponent, type ValidationIssue } from '../../config';
import { sidFrom } from '../policy-statement';
import { awsManagedPolicyArn } from '../private/arn';
import { podIdentityTrustPolicy } from '../private/trust-policy';
import type { IEksCluster } from './eks-cluster';
import type { EncryptionKey } from './encryption-key';
import { iamRoleNameIssues } from '../private/iam-role-name';

/** Name of the EKS add-on. */
export const CLOUDWATCH_OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';

/**
 * The AWS managed policy of the agent's role: metrics (`cloudwatch:PutMetricData`), log groups and
 * streams (`logs:*LogGroup*`, `logs:PutLogEvents`), EC2 tags and volumes. Traces (Application Signals,
 * X-Ray) are not enabled, so `AWSXrayWriteOnlyAccess` is not attached.
 */
export const CLOUDWATCH_AGENT_POLICY = 'CloudWatchAgentServerPolicy';

/** Kind of a Container Insights log group (the last segment of its name). */
export type ContainerInsightsLogGroup = (typeof CONTAINER_INSIGHTS_LOG_GROUPS)[number];

/** Props of {@link ClusterObservability}. */
export interface ClusterObservabilityProps {
  /**
   * The EKS cluster: one this stack creates (its name is a reference, so the add-on waits for it) or
   * one another stack owns (`EksCluster.fromClusterAttributes`). Its ARN and account pin the role's
   * trust policy.
   */
  readonly cluster: IEksCluster;
  /** IAM role name of the agent, from `clusterComponentRoleName(system, env, CLOUDWATCH_AGENT)`. */
  readonly roleName: string;
  /** Namespace and ServiceAccount the add-on runs its agents as (`CLOUDWATCH_AGENT`). */
  readonly agent: ClusterComponent;
  /**
   * Names of the Container Insights log groups, from `containerInsightsLogGroupName(system, env, kind)`
   * (`/aws/containerinsights/<cluster>/<kind>`); literal names, since the agents pick them by name.
   */
  readonly logGroupNames: Readonly<Record<ContainerInsightsLogGroup, string>>;
  /** Days the log groups keep logs (a retention CloudWatch Logs accepts). */
  readonly logRetentionDays: number;
  /** KMS key that encrypts the log groups; it must allow CloudWatch Logs. */
  readonly logEncryptionKey: EncryptionKey;
  /**
   * Version of the add-on, e.g. `v4.1.0-eksbuild.1` (Pod Identity needs 3.1.0 or later).
   * @default - the default version EKS offers for the cluster's Kubernetes version
   */
  readonly addonVersion?: string;
  /**
   * What the add-on waits for: the node groups its pods need and the Pod Identity agent that hands
   * them credentials; without nodes the add-on cannot become active.
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Tags on the role, the log groups and the add-on.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The CloudWatch Observability add-on of a cluster, its Pod Identity role and its log groups. */
export class ClusterObservability extends Construct {
  /** The `aws_eks_addon` (escape hatch). */
  public readonly addon: EksAddon;
  /** The agent's IAM role. */
  public readonly role: IamRole;
  /** ARN of the agent's role. */
  public readonly roleArn: string;
  /** The pre-created Container Insights log groups by kind. */
  public readonly logGroups: Readonly<Record<ContainerInsightsLogGroup, CloudwatchLogGroup>>;

  constructor(scope: Construct, id: string, props: ClusterObservabilityProps) {
    super(scope, id);
    const issues: ValidationIssue[] = [...iamRoleNameIssues(this, props.roleName)];
    for (const [kind, name] of Object.entries(props.logGroupNames)) {
      if (!name.startsWith('/aws/containerinsights/') || !name.endsWith(`/${kind}`)) {
        issues.push(
          propIssue(this, {
            field: `logGroupNames.${kind}`,
            value: name,
            rule: 'is not a Container Insights log group',
            fix: `use "/aws/containerinsights/<cluster>/${kind}", the name the add-on writes to`,
          }),
        );
      }
    }
    throwIfInvalidProps(this, issues);
    const tags = { ...(props.tags ?? {}) };

    this.role = new IamRole(this, 'Role', {
      name: props.roleName,
      description: `CloudWatch agent and Fluent Bit of ${props.agent.namespace}/${props.agent.serviceAccount} (Container Insights, EKS Pod Identity)`,
      assumeRolePolicy: podIdentityTrustPolicy({
        account: props.cluster.account,
        clusterArn: props.cluster.clusterArn,
        namespace: props.agent.namespace,
        serviceAccount: props.agent.serviceAccount,
      }),
      tags,
    });
    this.roleArn = this.role.arn;
    const policy = new IamRolePolicyAttachment(this, CLOUDWATCH_AGENT_POLICY, {
      role: this.role.name,
      policyArn: awsManagedPolicyArn(CLOUDWATCH_AGENT_POLICY),
    });

    const logGroups = {} as Record<ContainerInsightsLogGroup, CloudwatchLogGroup>;
    for (const kind of CONTAINER_INSIGHTS_LOG_GROUPS) {
      logGroups[kind] = new CloudwatchLogGroup(this, `LogGroup${sidFrom(kind)}`, {
        name: props.logGroupNames[kind],
        retentionInDays: props.logRetentionDays,
        kmsKeyId: props.logEncryptionKey.keyArn,
        tags,
      });
    }
    this.logGroups = logGroups;

    this.addon = new EksAddon(this, 'Addon', {
      clusterName: props.cluster.clusterName,
      addonName: CLOUDWATCH_OBSERVABILITY_ADDON,
      ...(props.addonVersion ? { addonVersion: props.addonVersion } : {}),
      // The add-on creates the association for its own namespace; the ServiceAccount names the agents'.
      podIdentityAssociation: [{ roleArn: this.roleArn, serviceAccount: props.agent.serviceAccount }],
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      tags,
      // The groups must exist first, or the agents create them unencrypted and without retention.
      dependsOn: [...Object.values(logGroups), policy, ...(props.dependsOn ?? [])],
    });
  }
}
