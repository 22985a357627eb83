/**
 * Amazon EKS Kubernetes versions deploykit accepts, with the end of standard support.
 * Updating this table is how a new version becomes available (see docs/UPGRADE.md).
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html
 */
export interface EksVersionInfo {
  /** Kubernetes minor version, e.g. `1.35`. */
  readonly version: string;
  /** Last day of standard support (ISO date); after it, EKS charges extended support. */
  readonly endOfStandardSupport: string;
  /** Last day of extended support (ISO date); after it, EKS upgrades the cluster automatically. */
  readonly endOfExtendedSupport: string;
}

/** Every version deploykit accepts, oldest first. */
export const EKS_VERSIONS: readonly EksVersionInfo[] = [
  { version: '1.32', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  { version: '1.33', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  { version: '1.34', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  { version: '1.35', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
  { version: '1.36', endOfStandardSupport: '2027-07-30', endOfExtendedSupport: '2028-07-30' },
];

/** Versions accepted by the definition schema. */
export const SUPPORTED_EKS_VERSIONS: readonly string[] = EKS_VERSIONS.map((v) => v.version);

/** Support information for a version, or undefined when deploykit does not know it. */
export function eksVersionInfo(version: string): EksVersionInfo | undefined {
  return EKS_VERSIONS.find((v) => v.version === version);
}
