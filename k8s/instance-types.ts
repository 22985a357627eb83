/**
 * Capacity of common EC2 instance types, for the synth-time check that every service fits in its
 * environment's node groups. Add a row to use another type.
 * @see https://aws.amazon.com/ec2/instance-types/
 * @see https://github.com/awslabs/amazon-eks-ami/blob/main/templates/shared/runtime/eni-max-pods.txt
 */

/** What one EC2 instance type offers. */
export interface InstanceTypeCapacity {
  /** Virtual CPUs. */
  readonly vcpus: number;
  /** Memory in MiB. */
  readonly memoryMiB: number;
  /** Pods per node with the VPC CNI without prefix delegation (the EKS AMI's max-pods). */
  readonly maxPods: number;
}

const GiB = 1024;

/** Sizes shared by the general-purpose, compute- and memory-optimised families. */
const sizes = (memoryPerVcpuGiB: number): Record<string, InstanceTypeCapacity> => ({
  large: { vcpus: 2, memoryMiB: 2 * memoryPerVcpuGiB * GiB, maxPods: 29 },
  xlarge: { vcpus: 4, memoryMiB: 4 * memoryPerVcpuGiB * GiB, maxPods: 58 },
  '2xlarge': { vcpus: 8, memoryMiB: 8 * memoryPerVcpuGiB * GiB, maxPods: 58 },
  '4xlarge': { vcpus: 16, memoryMiB: 16 * memoryPerVcpuGiB * GiB, maxPods: 234 },
});

function family(prefixes: readonly string[], memoryPerVcpuGiB: number): Record<string, InstanceTypeCapacity> {
  const out: Record<string, InstanceTypeCapacity> = {};
  for (const prefix of prefixes) {
    for (const [size, capacity] of Object.entries(sizes(memoryPerVcpuGiB))) out[`${prefix}.${size}`] = capacity;
  }
  return out;
}

/** Instance type → capacity. */
export const INSTANCE_TYPES: Readonly<Record<string, InstanceTypeCapacity>> = {
  't3.medium': { vcpus: 2, memoryMiB: 4 * GiB, maxPods: 17 },
  't3.large': { vcpus: 2, memoryMiB: 8 * GiB, maxPods: 35 },
  't3.xlarge': { vcpus: 4, memoryMiB: 16 * GiB, maxPods: 58 },
  't3.2xlarge': { vcpus: 8, memoryMiB: 32 * GiB, maxPods: 58 },
  't3a.medium': { vcpus: 2, memoryMiB: 4 * GiB, maxPods: 17 },
  't3a.large': { vcpus: 2, memoryMiB: 8 * GiB, maxPods: 35 },
  't3a.xlarge': { vcpus: 4, memoryMiB: 16 * GiB, maxPods: 58 },
  't4g.medium': { vcpus: 2, memoryMiB: 4 * GiB, maxPods: 17 },
  't4g.large': { vcpus: 2, memoryMiB: 8 * GiB, maxPods: 35 },
  't4g.xlarge': { vcpus: 4, memoryMiB: 16 * GiB, maxPods: 58 },
  ...family(['m5', 'm5a', 'm6i', 'm6a', 'm6g', 'm7i', 'm7a', 'm7g'], 4),
  ...family(['c5', 'c5a', 'c6i', 'c6a', 'c6g', 'c7i', 'c7g'], 2),
  ...family(['r5', 'r5a', 'r6i', 'r6a', 'r6g', 'r7i', 'r7g'], 8),
  // The largest x86 sizes of the C, M and R families (see AUTO_MODE_LARGEST_INSTANCE_TYPES).
  'c7i.48xlarge': { vcpus: 192, memoryMiB: 384 * GiB, maxPods: 737 },
  'm7i.48xlarge': { vcpus: 192, memoryMiB: 768 * GiB, maxPods: 737 },
  'r7i.48xlarge': { vcpus: 192, memoryMiB: 1536 * GiB, maxPods: 737 },
};

/**
 * The largest instance types deploykit assumes EKS Auto Mode's built-in `general-purpose` node pool
 * may launch for one pod. That pool takes on-demand amd64 instances of the C, M and R families,
 * generation 5 or newer, with no size limit; the 48xlarge sizes of the 7th-generation Intel families
 * are offered in every commercial region. Newer generations reach larger sizes in some regions
 * (e.g. 96xlarge), so the check errs on the safe side.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/set-builtin-node-pools.html
 */
export const AUTO_MODE_LARGEST_INSTANCE_TYPES: readonly string[] = ['c7i.48xlarge', 'm7i.48xlarge', 'r7i.48xlarge'];

/** The capacity of an instance type, or undefined when the table does not list it. */
export function instanceTypeCapacity(instanceType: string): InstanceTypeCapacity | undefined {
  return Object.prototype.hasOwnProperty.call(INSTANCE_TYPES, instanceType) ? INSTANCE_TYPES[instanceType] : undefined;
}
