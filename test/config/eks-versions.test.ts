import { daysUntil, EKS_VERSIONS, eksSupportStatus, eksUpgradePath, eksVersionInfo, STANDARD_SUPPORT_WARNING_DAYS } from '../../config';

/** `iso` plus whole calendar months, as AWS counts support periods (14 months standard, 12 extended). */
function addMonths(iso: string, months: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

describe('the EKS version table', () => {
  test('lists consecutive minor versions, oldest first', () => {
    const minors = EKS_VERSIONS.map((v) => Number(v.version.split('.')[1]));
    expect(EKS_VERSIONS.every((v) => /^1\.\d+$/.test(v.version))).toBe(true);
    minors.slice(1).forEach((minor, i) => expect(minor).toBe(minors[i] + 1));
  });

  test.each(EKS_VERSIONS.map((v) => [v.version, v] as const))('%s: standard support ends 14 months after the EKS release, extended support 12 months later', (_, v) => {
    expect(v.endOfStandardSupport).toBe(addMonths(v.releaseDate, 14));
    expect(v.endOfExtendedSupport).toBe(addMonths(v.endOfStandardSupport, 12));
  });

  test('AWS published dates of the versions whose calendar is known', () => {
    expect(eksVersionInfo('1.34')).toMatchObject({ releaseDate: '2025-10-02', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' });
    expect(eksVersionInfo('1.35')).toMatchObject({ releaseDate: '2026-01-27', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' });
    expect(eksVersionInfo('1.34')?.estimated).toBeUndefined();
  });

  test('only the newest versions may be estimates: a published date never follows an estimated one', () => {
    const firstEstimate = EKS_VERSIONS.findIndex((v) => v.estimated);
    if (firstEstimate >= 0) expect(EKS_VERSIONS.slice(firstEstimate).every((v) => v.estimated)).toBe(true);
  });
});

describe('support status on a given day', () => {
  const v134 = eksVersionInfo('1.34')!;
  test('standard until the start (UTC) of the end-of-standard day, extended until the end-of-extended day, then unsupported', () => {
    expect(eksSupportStatus(v134, new Date('2026-12-01T23:59:59Z'))).toBe('standard');
    expect(eksSupportStatus(v134, new Date('2026-12-02T00:00:00Z'))).toBe('extended');
    expect(eksSupportStatus(v134, new Date('2027-12-01T23:59:59Z'))).toBe('extended');
    expect(eksSupportStatus(v134, new Date('2027-12-02T00:00:00Z'))).toBe('unsupported');
  });

  test('days until a date round up and reach 0 when it begins', () => {
    expect(daysUntil('2026-12-02', new Date('2026-10-03T00:00:00Z'))).toBe(STANDARD_SUPPORT_WARNING_DAYS);
    expect(daysUntil('2026-12-02', new Date('2026-12-01T00:00:01Z'))).toBe(1);
    expect(daysUntil('2026-12-02', new Date('2026-12-02T00:00:00Z'))).toBe(0);
  });

  test('the upgrade path is one minor version at a time, up to a version safe beyond the warning window', () => {
    expect(eksUpgradePath('1.33', new Date('2026-07-01T00:00:00Z'))).toEqual(['1.34']);
    expect(eksUpgradePath('1.33', new Date('2026-11-29T00:00:00Z'))).toEqual(['1.34', '1.35']);
    const newest = EKS_VERSIONS[EKS_VERSIONS.length - 1].version;
    expect(eksUpgradePath(newest, new Date('2026-07-01T00:00:00Z'))).toEqual([]);
    expect(eksUpgradePath('1.21', new Date('2026-07-01T00:00:00Z'))).toEqual([]);
  });
});
