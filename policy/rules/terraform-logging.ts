/** Terraform rules for logs: encrypted, retained log groups; VPC flow logs; a managed EKS log group. */
import { clusterName } from '../../config';
import { show } from '../terraform-config';
import type { EnvironmentRule } from '../types';

export const logGroupKms: EnvironmentRule = {
  id: 'DK-TF-026',
  name: 'LogGroupKmsEncryption',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'CloudWatch log groups are encrypted with a KMS key',
  fix: 'set kms_key_id to a KMS key whose policy allows logs.<region>.amazonaws.com',
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_158' },
    { tool: 'Trivy', id: 'AVD-AWS-0017' },
  ],
  helpUri: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html',
  *check({ terraform: tf }) {
    for (const g of tf.ofType('aws_cloudwatch_log_group')) {
      if (typeof g.values.kms_key_id !== 'string' || g.values.kms_key_id === '') yield { target: g.address, value: show(g.values.kms_key_id), message: "'kms_key_id' is not set" };
    }
  },
};

export const logGroupRetention: EnvironmentRule = {
  id: 'DK-TF-027',
  name: 'LogGroupRetention',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'CloudWatch log groups have a retention period',
  fix: "set retention_in_days (e.g. the definition's logRetentionDays / flowLogRetentionDays)",
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_66' },
    { tool: 'Checkov', id: 'CKV_AWS_338' },
  ],
  helpUri: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention',
  *check({ terraform: tf }) {
    for (const g of tf.ofType('aws_cloudwatch_log_group')) {
      const days = g.values.retention_in_days;
      if (typeof days !== 'number' || days <= 0) yield { target: g.address, value: show(days), message: "'retention_in_days' is not set; logs are kept forever" };
    }
  },
};

export const vpcFlowLogs: EnvironmentRule = {
  id: 'DK-TF-028',
  name: 'VpcFlowLogs',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'Every VPC has flow logs for all traffic',
  fix: 'add an aws_flow_log with vpc_id = <aws_vpc>.id and traffic_type = "ALL"',
  upstream: [
    { tool: 'Checkov', id: 'CKV2_AWS_11' },
    { tool: 'Trivy', id: 'AVD-AWS-0178' },
  ],
  helpUri: 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html',
  *check({ terraform: tf }) {
    for (const vpc of tf.ofType('aws_vpc')) {
      const logs = tf.ofType('aws_flow_log').filter((f) => tf.refersTo(f.values.vpc_id, vpc));
      if (logs.length === 0) yield { target: vpc.address, value: 'missing', message: 'the VPC has no aws_flow_log' };
      else if (!logs.some((f) => f.values.traffic_type === 'ALL')) {
        yield { target: vpc.address, value: show(logs.map((f) => f.values.traffic_type)), message: "the VPC's flow logs do not record traffic_type \"ALL\"" };
      }
    }
  },
};

export const eksLogGroupManaged: EnvironmentRule = {
  id: 'DK-TF-029',
  name: 'EksLogGroupManaged',
  scope: 'environment',
  severity: 'warning',
  layer: 'terraform',
  title: 'The EKS control-plane log group is created by Terraform (so it has KMS and retention)',
  fix: 'add an aws_cloudwatch_log_group named /aws/eks/<cluster>/cluster, and make the cluster depend on it',
  upstream: [{ tool: 'CIS EKS', id: '2.1.1' }],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html',
  *check({ terraform: tf, system, env }) {
    const names = new Set(tf.ofType('aws_cloudwatch_log_group').map((g) => g.values.name));
    for (const c of tf.ofType('aws_eks_cluster')) {
      const name = typeof c.values.name === 'string' && !c.values.name.includes('${') ? c.values.name : clusterName(system, env);
      const expected = `/aws/eks/${name}/cluster`;
      if (!names.has(expected)) yield { target: c.address, value: expected, message: `no aws_cloudwatch_log_group named ${expected}; EKS would create it unencrypted and kept forever` };
    }
  },
};

export const TERRAFORM_LOGGING_RULES: readonly EnvironmentRule[] = [logGroupKms, logGroupRetention, vpcFlowLogs, eksLogGroupManaged];
