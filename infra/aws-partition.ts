/**
 * AWS partitions: the ARN prefix and the DNS suffix of service endpoints (ECR registries) differ
 * between the standard regions, China and GovCloud (US). Only what deploykit computes offline for
 * imported resources depends on it; the constructs deploykit creates write `arn:aws:` ARNs.
 * @see https://docs.amazonaws.cn/en_us/aws/latest/userguide/ARNs.html
 */
import { partitionOf } from '../config';

/** An AWS partition: standard regions, China (Beijing, Ningxia), GovCloud (US). */
export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** Every partition, for validation messages. */
export const AWS_PARTITIONS: readonly AwsPartition[] = ['aws', 'aws-cn', 'aws-us-gov'];

/**
 * DNS suffix of the regional endpoints of a partition: ECR registries are
 * `<account>.dkr.ecr.<region>.<suffix>` (`…cn-north-1.amazonaws.com.cn` in China).
 */
export const AWS_PARTITION_DNS_SUFFIX: Readonly<Record<AwsPartition, string>> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
};

/** The partition a region belongs to: `cn-*` → `aws-cn`, `us-gov-*` → `aws-us-gov`, else `aws` (config's `partitionOf`). */
export function partitionOfRegion(region: string): AwsPartition {
  return partitionOf(region) as AwsPartition;
}

/** AWS account ids: 12 digits. */
export const AWS_ACCOUNT_REGEX = /^\d{12}$/;
