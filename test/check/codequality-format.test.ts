import { formatCodeQuality } from '../../policy/format/codequality';
import type { CheckReport, Finding } from '../../policy/types';

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'DK-TF-004',
  severity: 'error',
  title: 't',
  environment: 'prod',
  target: 'aws_eks_cluster.Resource',
  value: 'endpoint_public_access = true',
  message: 'the endpoint is public',
  fix: 'make it private',
  file: 'prod/terraform/cdk.tf.json',
  upstream: [],
  ...over,
});
const report = (findings: Finding[], suppressed: CheckReport['suppressed'] = []): CheckReport => ({ findings, suppressed, notes: [], environments: ['prod'], rules: [] });

describe('deploykit check --format codequality', () => {
  test('writes each unsuppressed finding as a GitLab Code Quality issue', () => {
    const issues = JSON.parse(formatCodeQuality(report([finding({})]), { outputPrefix: 'dist' }));
    expect(issues).toEqual([
      {
        description: 'DK-TF-004 [prod] aws_eks_cluster.Resource: the endpoint is public (endpoint_public_access = true). Fix: make it private',
        check_name: 'DK-TF-004',
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
        severity: 'critical',
        location: { path: 'dist/prod/terraform/cdk.tf.json', lines: { begin: 1 } },
      },
    ]);
  });

  test('maps warnings to minor, keeps pipeline files relative to the project and takes the line a text rule names', () => {
    const [issue] = JSON.parse(
      formatCodeQuality(report([finding({ ruleId: 'DK-CI-001', severity: 'warning', environment: undefined, file: '.gitlab-ci.yml', value: 'line 12: AWS_ACCESS_KEY_ID' })]), { outputPrefix: 'dist' }),
    );
    expect(issue).toMatchObject({ severity: 'minor', location: { path: '.gitlab-ci.yml', lines: { begin: 12 } } });
  });

  test('fingerprints are stable and tell findings apart', () => {
    const a = JSON.parse(formatCodeQuality(report([finding({}), finding({ target: 'aws_eks_cluster.Other' })])));
    const b = JSON.parse(formatCodeQuality(report([finding({}), finding({ target: 'aws_eks_cluster.Other' })])));
    expect(a.map((i: any) => i.fingerprint)).toEqual(b.map((i: any) => i.fingerprint));
    expect(a[0].fingerprint).not.toBe(a[1].fingerprint);
  });

  test('leaves suppressed findings out and writes [] when nothing fails', () => {
    expect(JSON.parse(formatCodeQuality(report([], [{ ...finding({}), reason: 'reviewed exception' }])))).toEqual([]);
  });
});
