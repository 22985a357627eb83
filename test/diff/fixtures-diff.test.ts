/** Hand-made outputs for what the definitions cannot produce (yet): immutable fields, removals, moves, secrets. */
import { compareOutputs } from '../../cli/diff/compare-outputs';
import { diffFields } from '../../cli/diff/field-diff';
import { constraintMajor, isImmutableImage } from '../../cli/diff/risk-rules';
import { readSynthOutput } from '../../cli/diff/synth-output';
import type { DiffReport } from '../../cli/diff/report';
import { envOf, itemAt, linesOf, rulesOf, writeOutput } from './support';

const labels = { 'app.kubernetes.io/name': 'web' };

function deployment(overrides: { selector?: Record<string, string>; replicas?: number; probe?: boolean; image?: string; env?: { name: string; value: string }[] } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'web' },
    spec: {
      replicas: overrides.replicas ?? 3,
      selector: { matchLabels: overrides.selector ?? labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'web',
              image: overrides.image ?? '333333333333.dkr.ecr.ap-east-1.amazonaws.com/web:1.2.3',
              ports: [{ name: 'http', containerPort: 8080 }],
              env: overrides.env ?? [{ name: 'LOG_LEVEL', value: 'info' }],
              ...(overrides.probe === false ? {} : { readinessProbe: { httpGet: { path: '/readyz', port: 'http' } } }),
            },
          ],
        },
      },
    },
  };
}

const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'web' }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } };

function compare(base: Parameters<typeof writeOutput>[0], head: Parameters<typeof writeOutput>[0]): DiffReport {
  return compareOutputs(readSynthOutput(writeOutput(base), 'base'), readSynthOutput(writeOutput(head), 'head'), { baseLabel: 'base', headLabel: 'head' });
}

describe('deploykit diff on hand-made outputs', () => {
  test('a Deployment selector change is flagged as an immutable field', () => {
    const report = compare({ prod: { kubernetes: [deployment()] } }, { prod: { kubernetes: [deployment({ selector: { app: 'web' } })] } });
    expect(linesOf(itemAt(envOf(report, 'prod'), 'Deployment/web/web'))).toEqual([
      '~ Deployment/web/web',
      '    + spec.selector.matchLabels.app: "web"',
      '    - spec.selector.matchLabels["app.kubernetes.io/name"]: "web"',
      '    ! immutable-field: immutable field changes: kubectl apply is refused; the object must be deleted and recreated (spec.selector)',
    ]);
  });

  test('removing a PDB in prod is flagged as a deletion and as a lost disruption budget', () => {
    const report = compare({ prod: { kubernetes: [deployment(), pdb] } }, { prod: { kubernetes: [deployment()] } });
    const removed = itemAt(envOf(report, 'prod'), 'PodDisruptionBudget/web/web');
    expect(removed.action).toBe('removed');
    expect(rulesOf(removed)).toEqual(['deletes-object', 'removes-pdb']);
    expect(envOf(report, 'prod').production).toBe(true);
  });

  test('removing a PDB in dev is flagged only as a deletion', () => {
    const report = compare({ dev: { kubernetes: [pdb] } }, { dev: { kubernetes: [] } });
    expect(rulesOf(itemAt(envOf(report, 'dev'), 'PodDisruptionBudget/web/web'))).toEqual(['deletes-object']);
  });

  test('removing a readiness probe and lowering replicas in prod are both flagged', () => {
    const report = compare({ prod: { kubernetes: [deployment()] } }, { prod: { kubernetes: [deployment({ probe: false, replicas: 2 })] } });
    const item = itemAt(envOf(report, 'prod'), 'Deployment/web/web');
    expect(linesOf(item)).toEqual([
      '~ Deployment/web/web',
      '    ~ spec.replicas: 3 → 2',
      '    - spec.template.spec.containers[web].readinessProbe: {"httpGet":{"path":"/readyz","port":"http"}}',
      '    ! lowers-production-replicas: lowers the minimum capacity of a production environment (spec.replicas 3 → 2)',
      '    ! removes-probe: health probe removed in production: broken pods keep receiving traffic or are never restarted (spec.template.spec.containers[web].readinessProbe)',
    ]);
  });

  test('list items match by name: inserting an env var is one addition, not a shifted list', () => {
    const report = compare(
      { staging: { kubernetes: [deployment()] } },
      { staging: { kubernetes: [deployment({ env: [{ name: 'FEATURE', value: 'on' }, { name: 'LOG_LEVEL', value: 'debug' }] })] } },
    );
    expect(linesOf(itemAt(envOf(report, 'staging'), 'Deployment/web/web'))).toEqual([
      '~ Deployment/web/web',
      '    + spec.template.spec.containers[web].env[FEATURE]: {"name":"FEATURE","value":"on"}',
      '    ~ spec.template.spec.containers[web].env[LOG_LEVEL].value: "info" → "debug"',
    ]);
  });

  test('a Service type change is flagged, and so is a clusterIP change', () => {
    const service = (type: string, clusterIP?: string) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'web' },
      spec: { type, ...(clusterIP ? { clusterIP } : {}), ports: [{ name: 'http', port: 80 }] },
    });
    const report = compare({ dev: { kubernetes: [service('ClusterIP', '10.100.0.10')] } }, { dev: { kubernetes: [service('LoadBalancer', '10.100.0.11')] } });
    expect(rulesOf(itemAt(envOf(report, 'dev'), 'Service/web/web'))).toEqual(['immutable-field', 'service-type-change']);
  });

  test('a deleted namespace is flagged with what it takes along', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } };
    const item = itemAt(envOf(compare({ dev: { kubernetes: [ns] } }, { dev: {} }), 'dev'), 'Namespace/web');
    expect(linesOf(item)).toEqual(['- Namespace/web', '    ! deletes-namespace: namespace deleted: Kubernetes deletes every object in it']);
  });

  test('Secret data and sensitive Terraform attributes are masked', () => {
    const secret = (value: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'api' }, data: { password: value }, stringData: { url: `postgres://u:${value}@db` } });
    const db = (password: string) => ({ resource: { aws_db_instance: { Db: { identifier: 'db', master_password: password, instance_class: 'db.t4g.small' } } } });
    const report = compare(
      { dev: { terraform: db('hunter2'), kubernetes: [secret('c2VjcmV0MQ=='), deployment({ env: [{ name: 'API_TOKEN', value: 'tok-1' }] })] } },
      { dev: { terraform: db('correct-horse'), kubernetes: [secret('c2VjcmV0Mg=='), deployment({ env: [{ name: 'API_TOKEN', value: 'tok-2' }] })] } },
    );
    const dev = envOf(report, 'dev');
    expect(linesOf(itemAt(dev, 'Secret/api/db'))).toEqual([
      '~ Secret/api/db',
      '    ~ data.password: (sensitive) → (sensitive)',
      '    ~ stringData.url: (sensitive) → (sensitive)',
    ]);
    expect(linesOf(itemAt(dev, 'aws_db_instance.Db'))).toEqual(['~ aws_db_instance.Db', '    ~ master_password: (sensitive) → (sensitive)']);
    expect(linesOf(itemAt(dev, 'Deployment/web/web'))).toEqual(['~ Deployment/web/web', '    ~ spec.template.spec.containers[web].env[API_TOKEN].value: (sensitive) → (sensitive)']);
    const json = JSON.stringify(report);
    for (const secretValue of ['hunter2', 'correct-horse', 'c2VjcmV0MQ==', 'c2VjcmV0Mg==', 'tok-1', 'tok-2']) expect(json).not.toContain(secretValue);
  });

  test('a renamed resource with an identical body is reported as moved, references followed', () => {
    const vpcBody = { cidr_block: '10.30.0.0/16', '//': { metadata: { path: 'x' } } };
    const base = { resource: { aws_vpc: { Vpc: vpcBody }, aws_subnet: { SubnetA: { vpc_id: '${aws_vpc.Vpc.id}', cidr_block: '10.30.0.0/19' } } } };
    const head = {
      resource: { aws_vpc: { Network_Vpc_1234: { ...vpcBody, '//': { metadata: { path: 'y' } } } }, aws_subnet: { Network_SubnetA_5678: { vpc_id: '${aws_vpc.Network_Vpc_1234.id}', cidr_block: '10.30.0.0/19' } } },
      moved: [{ from: 'aws_vpc.Vpc', to: 'aws_vpc.Network_Vpc_1234' }],
    };
    const prod = envOf(compare({ prod: { terraform: base } }, { prod: { terraform: head } }), 'prod');
    expect(prod.counts).toEqual({ added: 0, removed: 0, changed: 0, moved: 2, risky: 1 });
    expect(linesOf(itemAt(prod, 'aws_vpc.Network_Vpc_1234'))).toEqual(['> aws_vpc.Network_Vpc_1234 (moved from aws_vpc.Vpc)']);
    expect(linesOf(itemAt(prod, 'aws_subnet.Network_SubnetA_5678'))).toEqual([
      '> aws_subnet.Network_SubnetA_5678 (moved from aws_subnet.SubnetA)',
      '    ! moved-without-moved-block: address changed without a moved block: Terraform destroys the old resource and creates a new one (from aws_subnet.SubnetA)',
    ]);
  });

  test('backend and provider changes are reported and flagged', () => {
    const config = (bucket: string, region: string) => ({
      provider: { aws: [{ region, allowed_account_ids: ['333333333333'] }] },
      terraform: { backend: { s3: { bucket, key: 'company/prod/terraform.tfstate', encrypt: true } }, required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
    });
    const prod = envOf(compare({ prod: { terraform: config('state-a', 'ap-east-1') } }, { prod: { terraform: config('state-b', 'eu-west-1') } }), 'prod');
    expect(linesOf(itemAt(prod, 'terraform.backend.s3'))).toEqual([
      '~ terraform.backend.s3',
      '    ~ bucket: "state-a" → "state-b"',
      '    ! moves-state: state backend location changes: migrate the state (terraform init -migrate-state) or Terraform plans to recreate everything (bucket)',
    ]);
    expect(rulesOf(itemAt(prod, 'provider.aws'))).toEqual(['provider-target-change']);
  });

  test('a required provider moving to another major version is flagged; a minor bump is not', () => {
    const config = (source: string, version: string) => ({
      terraform: { required_providers: { aws: { source, version } } },
      resource: { aws_vpc: { Vpc: { cidr_block: '10.30.0.0/16' } } },
    });
    const report = compare(
      { dev: { terraform: config('aws', '5.100.0') }, prod: { terraform: config('aws', '5.99.0') } },
      // What the same stack synthesizes to with CDK Terrain's provider bindings (hashicorp/aws 6.x).
      { dev: { terraform: config('hashicorp/aws', '6.66.0') }, prod: { terraform: config('aws', '5.100.0') } },
    );
    const upgraded = itemAt(envOf(report, 'dev'), 'terraform.required_providers.aws');
    expect(linesOf(upgraded)).toEqual([
      '~ terraform.required_providers.aws',
      '    ~ source: "aws" → "hashicorp/aws"',
      '    ~ version: "5.100.0" → "6.66.0"',
      '    ! provider-major-version: provider moves to another major version: its breaking changes (removed or renamed arguments, new defaults) apply to every resource of the stack; read its upgrade guide and review the full plan (version "5.100.0" → "6.66.0")',
    ]);
    expect(envOf(report, 'dev').counts.risky).toBe(1);
    const bumped = itemAt(envOf(report, 'prod'), 'terraform.required_providers.aws');
    expect(bumped.action).toBe('changed');
    expect(rulesOf(bumped)).toEqual([]);
    expect(envOf(report, 'prod').counts.risky).toBe(0);
  });

  test.each([
    ['5.100.0', 5],
    ['~> 5.0', 5],
    ['>= 6.2, < 7.0', 6],
    ['!= 5.1.0, >= 6.0', 6],
    ['= v4.67.0', 4],
    ['< 6.0', undefined],
    ['', undefined],
  ])('the version constraint %j selects major version %p', (constraint, major) => {
    expect(constraintMajor(constraint)).toBe(major);
  });

  test('a new wildcard in an IAM policy document is flagged, an unchanged one is not', () => {
    const policy = (actions: string[]) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Pull', Effect: 'Allow', Action: actions, Resource: 'arn:aws:ecr:ap-east-1:333333333333:repository/web' }] });
    const role = (actions: string[]) => ({ resource: { aws_iam_role_policy: { Pull: { name: 'pull', role: 'r', policy: policy(actions) } } } });
    const prod = envOf(compare({ prod: { terraform: role(['ecr:BatchGetImage']) } }, { prod: { terraform: role(['ecr:BatchGetImage', 'ecr:*']) } }), 'prod');
    const item = itemAt(prod, 'aws_iam_role_policy.Pull');
    expect(linesOf(item)).toEqual([
      '~ aws_iam_role_policy.Pull',
      '    ~ policy.Statement[Sid=Pull].Action: ["ecr:BatchGetImage"] → ["ecr:BatchGetImage","ecr:*"]',
      '    ! widens-iam-wildcard: new "*" in an IAM action, principal or resource: access widens beyond least privilege (policy: Statement.Action "ecr:*")',
    ]);
  });

  test('changing the EKS cluster name or subnets forces replacement; endpoint going public is flagged', () => {
    const cluster = (name: string, subnets: string[], publicAccess: boolean) => ({
      resource: { aws_eks_cluster: { Cluster: { name, version: '1.35', vpc_config: { subnet_ids: subnets, endpoint_public_access: publicAccess } } } },
    });
    const prod = envOf(compare({ prod: { terraform: cluster('a', ['s1', 's2'], false) } }, { prod: { terraform: cluster('b', ['s1', 's3'], true) } }), 'prod');
    expect(linesOf(itemAt(prod, 'aws_eks_cluster.Cluster'))).toEqual([
      '~ aws_eks_cluster.Cluster',
      '    ~ name: "a" → "b"',
      '    ~ vpc_config.endpoint_public_access: false → true',
      '    ~ vpc_config.subnet_ids: ["s1","s2"] → ["s1","s3"]',
      '    ! replaces-stateful-resource: forces replacement of a stateful resource: Terraform destroys and recreates it (name, vpc_config.subnet_ids)',
      '    ! opens-public-endpoint: EKS API endpoint becomes reachable from the internet (vpc_config.endpoint_public_access)',
    ]);
  });

  test('a deleted Terraform resource is flagged; a deleted data source is not', () => {
    const prod = envOf(
      compare({ prod: { terraform: { resource: { aws_ecr_repository: { Web: { name: 'web' } } }, data: { aws_caller_identity: { Me: {} } } } } }, { prod: { terraform: {} } }),
      'prod',
    );
    expect(rulesOf(itemAt(prod, 'aws_ecr_repository.Web'))).toEqual(['deletes-resource']);
    expect(rulesOf(itemAt(prod, 'data.aws_caller_identity.Me'))).toEqual([]);
  });

  test('image references pinned by digest, SHA or semantic version are immutable; others are not', () => {
    expect(['r/web:3f2c9a1', 'r/web:1.4.2', 'r/web:v2.0.0-rc.1', `r/web@sha256:${'a'.repeat(64)}`, 'host:5000/web:0123abcdef'].map(isImmutableImage)).toEqual([true, true, true, true, true]);
    expect(['r/web:latest', 'r/web', 'host:5000/web', 'r/web:main', 'r/web:stable'].map(isImmutableImage)).toEqual([false, false, false, false, false]);
  });

  test('cdktf metadata is ignored and single nested blocks show by path', () => {
    expect(diffFields({ '//': { a: 1 }, vpc_config: [{ endpoint_public_access: false }] }, { '//': { a: 2 }, vpc_config: [{ endpoint_public_access: true }] })).toEqual([
      { path: 'vpc_config.endpoint_public_access', action: 'changed', before: false, after: true },
    ]);
  });

  test('compares 50 services in 3 environments with one change per Deployment', () => {
    const objects = (tag: string) =>
      Array.from({ length: 50 }, (_, i) => [
        { ...deployment({ image: `r/web-${i}:${tag}` }), metadata: { name: `web-${i}`, namespace: `web-${i}` } },
        { ...pdb, metadata: { name: `web-${i}`, namespace: `web-${i}` } },
      ]).flat();
    const env = (tag: string) => ({ kubernetes: objects(tag), terraform: { resource: { aws_ecr_repository: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`Repo${i}`, { name: `web-${i}` }])) } } });
    const base = readSynthOutput(writeOutput({ dev: env('1.0.0'), staging: env('1.0.0'), prod: env('1.0.0') }), 'base');
    const head = readSynthOutput(writeOutput({ dev: env('1.0.1'), staging: env('1.0.1'), prod: env('1.0.1') }), 'head');
    const report = compareOutputs(base, head, { baseLabel: 'base', headLabel: 'head' });
    expect(report.totals).toEqual({ added: 0, removed: 0, changed: 150, moved: 0, risky: 0 });
  });
});
