/**
 * The account, region and partition of a resource another stack owns, as its `from*Attributes`
 * import takes them: checked, with the partition derived from the region when not given.
 * @internal
 */
import type { IConstruct } from 'constructs';
import { propIssue, ValidationError, type ValidationIssue } from '../../config';
import { REGION_REGEX } from '../../config/schema';
import { AWS_ACCOUNT_REGEX, AWS_PARTITIONS, partitionOfRegion, type AwsPartition } from '../aws-partition';

/** Where an imported resource lives. */
export interface ResourceLocation {
  readonly account: string;
  readonly region: string;
  readonly partition?: AwsPartition;
}

/** The problems of a location (appended to `issues`) and its partition. */
export function checkResourceLocation(construct: IConstruct, location: ResourceLocation, issues: ValidationIssue[]): AwsPartition {
  if (!AWS_ACCOUNT_REGEX.test(location.account)) {
    issues.push(propIssue(construct, { field: 'account', value: location.account, rule: 'is not an AWS account id', fix: 'use the 12-digit account number' }));
  }
  if (!REGION_REGEX.test(location.region)) {
    issues.push(propIssue(construct, { field: 'region', value: location.region, rule: 'is not an AWS region', fix: 'use a region name like "eu-central-1"' }));
  }
  const expected = partitionOfRegion(location.region);
  const partition = location.partition ?? expected;
  if (!AWS_PARTITIONS.includes(partition)) {
    issues.push(propIssue(construct, { field: 'partition', value: partition, rule: `is not an AWS partition (${AWS_PARTITIONS.map((p) => JSON.stringify(p)).join(', ')})`, fix: 'omit it to derive it from the region' }));
  } else if (partition !== expected) {
    issues.push(
      propIssue(construct, {
        field: 'partition',
        value: partition,
        rule: `does not hold region ${JSON.stringify(location.region)}, which is in partition ${JSON.stringify(expected)}`,
        fix: 'omit it to derive it from the region, or correct the region',
      }),
    );
  }
  return partition;
}

/**
 * Throws one {@link ValidationError} listing every problem with the attributes of an import,
 * named after the import function (`EcrRepository.fromRepositoryAttributes`).
 */
export function throwIfInvalidAttributes(construct: IConstruct, importFunction: string, issues: readonly ValidationIssue[]): void {
  if (issues.length === 0) return;
  throw new ValidationError(issues, { subject: `attributes of ${importFunction} at ${construct.node.path || '(root)'}` });
}
