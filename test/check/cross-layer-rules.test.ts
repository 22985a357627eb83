import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthesize } from '../../cli/synth';
import { CROSS_LAYER_IMAGE_RULES, imageFromOwnRegistry, repositoryInTerraform } from '../../cli/check/rules/cross-layer-images';
import { CROSS_LAYER_IDENTITY_RULES, ciRoleCanPush, serviceAccountRoleExists, workloadRoleBinding } from '../../cli/check/rules/cross-layer-identity';
import { CROSS_LAYER_CLUSTER_RULES, capacityAtMaxScale, hpaNeedsMetricsServer, zoneSpread } from '../../cli/check/rules/cross-layer-cluster';
import { cpuAtMaxScale, exampleDefs, nodeGroupCpu, tempDir } from '../support/synth';
import { findingsOf, fixtureContext } from './rule-fixtures';

const out = join(tempDir(), 'dist');
beforeAll(() => {
  synthesize(exampleDefs(), { outDir: out });
});

/** The example's synthesized prod output, deep-copied so a test may change it. */
function prodOutput(): { terraform: any; kubernetes: any[] } {
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  const terraform = JSON.parse(readFileSync(join(out, manifest.environments.prod.terraform[0]), 'utf8'));
  const kubernetes = manifest.environments.prod.kubernetes.flatMap((f: string) => parseAllDocuments(readFileSync(join(out, f), 'utf8')).map((d) => d.toJS()));
  return { terraform, kubernetes };
}
const ofType = (tf: any, type: string): any[] => Object.values(tf.resource[type] ?? {});
const addressesOf = (tf: any, type: string): string[] => Object.keys(tf.resource[type] ?? {}).map((n) => `${type}.${n}`);
const find = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const run = (rule: Parameters<typeof findingsOf>[0], o: { terraform: any; kubernetes: any[] }) => findingsOf(rule, fixtureContext({ terraform: o.terraform, kubernetes: o.kubernetes }));

describe('cross-layer rules', () => {
  test.each([...CROSS_LAYER_IMAGE_RULES, ...CROSS_LAYER_IDENTITY_RULES, ...CROSS_LAYER_CLUSTER_RULES].map((r) => [r.id, r] as const))(
    '%s passes on the synthesized example',
    (_id, rule) => {
      expect(run(rule, prodOutput())).toEqual([]);
    },
  );

  test('a Deployment pulling from another account is reported, and so is a missing repository', () => {
    const o = prodOutput();
    const web = find(o.kubernetes, 'Deployment', 'company-web');
    web.spec.template.spec.containers[0].image = '999999999999.dkr.ecr.ap-east-1.amazonaws.com/company-web:1.4.2';
    expect(run(imageFromOwnRegistry, o)).toEqual([
      { target: 'Deployment/company-web/company-web', value: '999999999999.dkr.ecr.ap-east-1.amazonaws.com/company-web:1.4.2' },
      { target: 'Deployment/company-web/company-web', value: '999999999999.dkr.ecr.ap-east-1.amazonaws.com/company-web:1.4.2' },
    ]);
    for (const r of ofType(o.terraform, 'aws_ecr_repository')) if (r.name === 'company-api') r.name = 'renamed';
    expect(run(repositoryInTerraform, o)).toEqual([{ target: 'Deployment/company-api/company-api', value: '333333333333.dkr.ecr.ap-east-1.amazonaws.com/company-api' }]);
  });

  test('a ServiceAccount naming a role Terraform does not create is reported', () => {
    const o = prodOutput();
    for (const r of ofType(o.terraform, 'aws_iam_role')) if (r.name === 'company-prod-company-web') r.name = 'company-prod-web-renamed';
    expect(run(serviceAccountRoleExists, o)).toEqual([{ target: 'ServiceAccount/company-web/company-web', value: 'arn:aws:iam::333333333333:role/company-prod-company-web' }]);
  });

  test('a pod identity association for another namespace is reported', () => {
    const o = prodOutput();
    const assoc = ofType(o.terraform, 'aws_eks_pod_identity_association').find((a) => a.namespace === 'company-web');
    assoc.namespace = 'other';
    expect(run(workloadRoleBinding, o)).toEqual([
      { target: 'ServiceAccount/company-web/company-web', value: 'no association' },
      { target: 'ServiceAccount/company-web/company-web', value: 'other/company-web' },
    ]);
  });

  test('a CI role that cannot push to a repository is reported', () => {
    const o = prodOutput();
    for (const p of ofType(o.terraform, 'aws_iam_role_policy')) {
      if (typeof p.policy === 'string' && p.policy.includes('ecr:PutImage')) p.policy = p.policy.replace(/"ecr:PutImage",?/g, '');
    }
    const found = run(ciRoleCanPush, o);
    expect(found.map((f) => f.value.replace(/^aws_ecr_repository\.\S+: /, ''))).toEqual(['ecr:PutImage', 'ecr:PutImage']);
    expect(found.every((f) => addressesOf(o.terraform, 'aws_iam_role').includes(f.target))).toBe(true);
  });

  test('node groups too small for the HPAs at max replicas are reported', () => {
    const o = prodOutput();
    for (const group of ofType(o.terraform, 'aws_eks_node_group')) (Array.isArray(group.scaling_config) ? group.scaling_config[0] : group.scaling_config).max_size = 1;
    const prod = exampleDefs().environments.find((e) => e.name === 'prod')!;
    const supply = prod.cluster.nodeGroups.reduce((sum, g) => sum + nodeGroupCpu(prod, g.name, 1), 0);
    const findings = run(capacityAtMaxScale, o);
    expect(findings.map((f) => f.value)).toEqual([`cpu ${cpuAtMaxScale(prod)}m > ${supply}m`]);
    // The node group when there is one, else the cluster.
    expect([...addressesOf(o.terraform, 'aws_eks_node_group'), ...addressesOf(o.terraform, 'aws_eks_cluster')]).toContain(findings[0].target);
  });

  test('a replicated Deployment without zone spread, or a node group in one zone, is reported', () => {
    const o = prodOutput();
    delete find(o.kubernetes, 'Deployment', 'company-api').spec.template.spec.topologySpreadConstraints;
    const [group] = ofType(o.terraform, 'aws_eks_node_group');
    group.subnet_ids = group.subnet_ids.slice(0, 1);
    const [address] = addressesOf(o.terraform, 'aws_eks_node_group');
    expect(run(zoneSpread, o)).toEqual([
      { target: 'Deployment/company-api/company-api', value: 'no zone spread' },
      { target: address, value: '["ap-east-1a"]' },
    ]);
  });

  test('HPAs without the metrics-server add-on are reported', () => {
    const o = prodOutput();
    for (const [name, addon] of Object.entries<any>(o.terraform.resource.aws_eks_addon)) if (addon.addon_name === 'metrics-server') delete o.terraform.resource.aws_eks_addon[name];
    expect(run(hpaNeedsMetricsServer, o)).toEqual([
      { target: 'HorizontalPodAutoscaler/company-api/company-api', value: 'no metrics-server add-on' },
      { target: 'HorizontalPodAutoscaler/company-web/company-web', value: 'no metrics-server add-on' },
    ]);
  });
});
