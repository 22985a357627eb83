/**
 * Amazon EKS Kubernetes versions deploykit accepts, with their dates from AWS's Kubernetes release
 * calendar. Updating this table is how a new version becomes available (see docs/UPGRADE.md).
 *
 * Dates are UTC days. AWS starts billing extended support at the beginning (00:00 UTC) of the
 * end-of-standard-support day, and stops creating clusters of a version on its end-of-extended-support
 * day; deploykit therefore treats a version as in standard support until the start of
 * `endOfStandardSupport`, and supported until the start of `endOfExtendedSupport`.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar
 */
export interface EksVersionInfo {
  /** Kubernetes minor version, e.g. `1.35`. */
  readonly version: string;
  /** Day the version became available on Amazon EKS (ISO date). */
  readonly releaseDate: string;
  /** End of standard support (ISO date); from its start, EKS charges extended support. */
  readonly endOfStandardSupport: string;
  /** End of extended support (ISO date); from it, EKS upgrades the control plane on its own. */
  readonly endOfExtendedSupport: string;
  /**
   * The dates are deploykit's estimate, not AWS's published calendar: the release date expected from
   * the upstream release, the support ends from AWS's rule (standard support 14 months after the
   * release on EKS, then 12 months of extended support). `deploykit check` says so in its findings.
   * @default false
   */
  readonly estimated?: boolean;
}

/**
 * Every version deploykit accepts, oldest first. Versions past their end of extended support are
 * dropped (EKS no longer runs them).
 */
export const EKS_VERSIONS: readonly EksVersionInfo[] = [
  // 1.32 to 1.35: AWS's published calendar (Amazon EKS User Guide, "Amazon EKS Kubernetes release calendar").
  { version: '1.32', releaseDate: '2025-01-23', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  { version: '1.33', releaseDate: '2025-05-29', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  { version: '1.34', releaseDate: '2025-10-02', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  { version: '1.35', releaseDate: '2026-01-27', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
  // 1.36: not yet in the published calendar deploykit was checked against; estimated (upstream release
  // 2026-04-22, EKS about five weeks later, then 14 + 12 months). Replace with AWS's dates and drop the flag.
  { version: '1.36', releaseDate: '2026-05-30', endOfStandardSupport: '2027-07-30', endOfExtendedSupport: '2028-07-30', estimated: true },
];

/** Versions accepted by the definition schema. */
export const SUPPORTED_EKS_VERSIONS: readonly string[] = EKS_VERSIONS.map((v) => v.version);

/** How many days before the end of standard support `deploykit check` starts warning (rule DK-TF-005). */
export const STANDARD_SUPPORT_WARNING_DAYS = 60;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Support information for a version, or undefined when deploykit does not know it. */
export function eksVersionInfo(version: string): EksVersionInfo | undefined {
  return EKS_VERSIONS.find((v) => v.version === version);
}

/** The instant a calendar day (ISO date) starts, in UTC. */
export function startOfDayUtc(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

/** Whole days from `now` until `isoDate` starts (UTC), rounded up; 0 or less once it has begun. */
export function daysUntil(isoDate: string, now: Date): number {
  return Math.ceil((startOfDayUtc(isoDate).getTime() - now.getTime()) / DAY_MS);
}

/** Where a version stands on a given day: `standard`, `extended` (billed extra) or `unsupported`. */
export function eksSupportStatus(info: EksVersionInfo, now: Date): 'standard' | 'extended' | 'unsupported' {
  if (now.getTime() < startOfDayUtc(info.endOfStandardSupport).getTime()) return 'standard';
  if (now.getTime() < startOfDayUtc(info.endOfExtendedSupport).getTime()) return 'extended';
  return 'unsupported';
}

/**
 * The minor versions to upgrade through, one at a time as EKS requires, from `version` to the first
 * known version still in standard support beyond the warning window on `now` (or the newest known one).
 * Empty when deploykit knows no newer version.
 */
export function eksUpgradePath(version: string, now: Date): string[] {
  const index = EKS_VERSIONS.findIndex((v) => v.version === version);
  if (index < 0) return [];
  const path: string[] = [];
  for (const next of EKS_VERSIONS.slice(index + 1)) {
    path.push(next.version);
    if (daysUntil(next.endOfStandardSupport, now) > STANDARD_SUPPORT_WARNING_DAYS) break;
  }
  return path;
}
