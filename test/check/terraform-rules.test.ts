import * as eks from '../../policy/rules/terraform-eks';
import * as nodes from '../../policy/rules/terraform-node-groups';
import * as ecr from '../../policy/rules/terraform-ecr';
import * as kms from '../../policy/rules/terraform-kms';
import * as sg from '../../policy/rules/terraform-security-groups';
import * as iam from '../../policy/rules/terraform-iam';
import * as state from '../../policy/rules/terraform-state';
import * as logs from '../../policy/rules/terraform-logging';
import { resourceTypesWithinApplyRole } from '../../policy/rules/terraform-apply-permissions';
import type { Rule } from '../../policy/types';
import { findingsOf, fixtureContext, fixtureProject, resources } from './rule-fixtures';

const KEY = '${aws_kms_key.Key.arn}';
const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
const subnets = {
  A: { availability_zone: 'ap-east-1a', vpc_id: '${aws_vpc.Vpc.id}' },
  B: { availability_zone: 'ap-east-1b', vpc_id: '${aws_vpc.Vpc.id}' },
  PublicA: { availability_zone: 'ap-east-1a', vpc_id: '${aws_vpc.Vpc.id}' },
};
const routing = {
  aws_internet_gateway: { Igw: { vpc_id: '${aws_vpc.Vpc.id}' } },
  aws_route_table: { Public: { vpc_id: '${aws_vpc.Vpc.id}' }, Private: { vpc_id: '${aws_vpc.Vpc.id}' } },
  aws_route: { PublicDefault: { route_table_id: '${aws_route_table.Public.id}', destination_cidr_block: '0.0.0.0/0', gateway_id: '${aws_internet_gateway.Igw.id}' } },
  aws_route_table_association: {
    PublicA: { subnet_id: '${aws_subnet.PublicA.id}', route_table_id: '${aws_route_table.Public.id}' },
    A: { subnet_id: '${aws_subnet.A.id}', route_table_id: '${aws_route_table.Private.id}' },
  },
};
function cluster(values: Record<string, unknown>) {
  return {
    name: 'company-prod',
    version: '1.35',
    enabled_cluster_log_types: LOG_TYPES,
    encryption_config: [{ resources: ['secrets'], provider: [{ key_arn: KEY }] }],
    vpc_config: [{ subnet_ids: ['${aws_subnet.A.id}', '${aws_subnet.B.id}'], endpoint_private_access: true, endpoint_public_access: false }],
    ...values,
  };
}
const lifecycle = (rules: unknown[]) => JSON.stringify({ rules });
const goodLifecycle = lifecycle([
  { rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } },
  { rulePriority: 2, selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 50 }, action: { type: 'expire' } },
  { rulePriority: 3, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }, action: { type: 'expire' } },
]);
const repo = (values: Record<string, unknown> = {}) => ({
  name: 'company-web',
  image_tag_mutability: 'IMMUTABLE',
  image_scanning_configuration: [{ scan_on_push: true }],
  encryption_configuration: [{ encryption_type: 'KMS', kms_key: KEY }],
  ...values,
});
const policy = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

interface Case {
  readonly name: string;
  readonly rule: Rule;
  readonly pass: Record<string, unknown>;
  readonly fail: Record<string, unknown>;
  readonly expected: { target: string; value: string }[];
  readonly env?: string;
  readonly now?: Date;
}

const cases: Case[] = [
  {
    name: 'EKS secrets encryption',
    rule: eks.eksSecretsEncryption,
    pass: resources({ aws_eks_cluster: { C: cluster({}) } }),
    fail: resources({ aws_eks_cluster: { C: cluster({ encryption_config: undefined }), D: cluster({ encryption_config: [{ resources: ['secrets'], provider: [{}] }] }) } }),
    expected: [
      { target: 'aws_eks_cluster.C', value: 'missing' },
      { target: 'aws_eks_cluster.D', value: 'missing' },
    ],
  },
  {
    name: 'control-plane log types',
    rule: eks.eksControlPlaneLogging,
    pass: resources({ aws_eks_cluster: { C: cluster({}) } }),
    fail: resources({ aws_eks_cluster: { C: cluster({ enabled_cluster_log_types: ['api', 'audit'] }) } }),
    expected: [{ target: 'aws_eks_cluster.C', value: '["authenticator","controllerManager","scheduler"]' }],
  },
  {
    name: 'public endpoint open to the internet',
    rule: eks.eksEndpointOpenToInternet,
    env: 'dev',
    pass: resources({ aws_eks_cluster: { C: cluster({ vpc_config: [{ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] }] }) } }),
    fail: resources({ aws_eks_cluster: { C: cluster({ vpc_config: [{ endpoint_public_access: true }] }) } }),
    expected: [{ target: 'aws_eks_cluster.C', value: '["0.0.0.0/0"]' }],
  },
  {
    name: 'production endpoint private',
    rule: eks.eksProductionEndpointPrivate,
    pass: resources({ aws_eks_cluster: { C: cluster({}) } }),
    fail: resources({ aws_eks_cluster: { C: cluster({ vpc_config: [{ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] }] }) } }),
    expected: [
      { target: 'aws_eks_cluster.C', value: 'endpoint_private_access = false' },
      { target: 'aws_eks_cluster.C', value: 'endpoint_public_access = true' },
    ],
  },
  {
    name: 'version past standard support (warning)',
    rule: eks.eksVersionStandardSupport,
    now: new Date('2026-05-01T00:00:00Z'),
    pass: resources({ aws_eks_cluster: { C: cluster({ version: '1.35' }) } }),
    fail: resources({ aws_eks_cluster: { C: cluster({ version: '1.32' }) } }),
    expected: [{ target: 'aws_eks_cluster.C', value: '"1.32"' }],
  },
  {
    name: 'version unknown or past extended support',
    rule: eks.eksVersionSupported,
    now: new Date('2027-06-01T00:00:00Z'),
    pass: resources({ aws_eks_cluster: { C: cluster({ version: '1.35' }) } }),
    fail: resources({ aws_eks_cluster: { C: cluster({ version: '1.32' }), D: cluster({ version: undefined }) } }),
    expected: [
      { target: 'aws_eks_cluster.C', value: '"1.32"' },
      { target: 'aws_eks_cluster.D', value: 'missing' },
    ],
  },
  {
    name: 'two availability zones',
    rule: eks.eksMultipleZones,
    pass: resources({ aws_subnet: subnets, aws_eks_cluster: { C: cluster({}) } }),
    fail: resources({ aws_subnet: subnets, aws_eks_cluster: { C: cluster({ vpc_config: [{ subnet_ids: ['${aws_subnet.A.id}', '${aws_subnet.PublicA.id}'] }] }) } }),
    expected: [{ target: 'aws_eks_cluster.C', value: '["ap-east-1a"]' }],
  },
  {
    name: 'node groups in private subnets',
    rule: nodes.nodeGroupPrivateSubnets,
    pass: resources({ aws_subnet: subnets, ...routing, aws_eks_node_group: { G: { subnet_ids: ['${aws_subnet.A.id}', '${aws_subnet.B.id}'] } } }),
    fail: resources({ aws_subnet: subnets, ...routing, aws_eks_node_group: { G: { subnet_ids: ['${aws_subnet.A.id}', '${aws_subnet.PublicA.id}'] } } }),
    expected: [{ target: 'aws_eks_node_group.G', value: 'aws_subnet.PublicA' }],
  },
  {
    name: 'node group sizing',
    rule: nodes.nodeGroupSizing,
    pass: resources({ aws_eks_node_group: { G: { scaling_config: [{ min_size: 2, desired_size: 3, max_size: 6 }] } } }),
    fail: resources({ aws_eks_node_group: { G: { scaling_config: [{ min_size: 1, desired_size: 5, max_size: 3 }] } } }),
    expected: [
      { target: 'aws_eks_node_group.G', value: '1 <= 5 <= 3' },
      { target: 'aws_eks_node_group.G', value: 'min_size = 1' },
    ],
  },
  {
    name: 'ECR immutable tags',
    rule: ecr.ecrImmutableTags,
    pass: resources({ aws_ecr_repository: { R: repo() } }),
    fail: resources({ aws_ecr_repository: { R: repo({ image_tag_mutability: undefined }) } }),
    expected: [{ target: 'aws_ecr_repository.R', value: '"MUTABLE"' }],
  },
  {
    name: 'ECR scan on push',
    rule: ecr.ecrScanOnPush,
    pass: resources({ aws_ecr_repository: { R: repo() } }),
    fail: resources({ aws_ecr_repository: { R: repo({ image_scanning_configuration: [{ scan_on_push: false }] }) } }),
    expected: [{ target: 'aws_ecr_repository.R', value: 'false' }],
  },
  {
    name: 'ECR KMS encryption',
    rule: ecr.ecrKmsEncryption,
    pass: resources({ aws_ecr_repository: { R: repo() } }),
    fail: resources({ aws_ecr_repository: { R: repo({ encryption_configuration: undefined }) } }),
    expected: [{ target: 'aws_ecr_repository.R', value: '"AES256"' }],
  },
  {
    name: 'ECR lifecycle policy present',
    rule: ecr.ecrLifecyclePolicyPresent,
    pass: resources({ aws_ecr_repository: { R: repo() }, aws_ecr_lifecycle_policy: { P: { repository: '${aws_ecr_repository.R.name}', policy: goodLifecycle } } }),
    fail: resources({ aws_ecr_repository: { R: repo() }, aws_ecr_lifecycle_policy: { P: { repository: 'another', policy: goodLifecycle } } }),
    expected: [{ target: 'aws_ecr_repository.R', value: 'missing' }],
  },
  {
    name: 'ECR lifecycle policy valid',
    rule: ecr.ecrLifecyclePolicyValid,
    pass: resources({ aws_ecr_lifecycle_policy: { P: { repository: 'x', policy: goodLifecycle } } }),
    fail: resources({
      aws_ecr_lifecycle_policy: {
        P: {
          repository: 'x',
          policy: lifecycle([
            { rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }, action: { type: 'expire' } },
            { rulePriority: 1, selection: { tagStatus: 'untagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } },
            { rulePriority: 2, selection: { tagStatus: 'tagged', countType: 'sinceImagePushed', countNumber: 30 }, action: { type: 'expire' } },
          ]),
        },
      },
    }),
    expected: [
      { target: 'aws_ecr_lifecycle_policy.P', value: 'rules[1].rulePriority (1) is also used by rules[0]' },
      { target: 'aws_ecr_lifecycle_policy.P', value: 'rules[1].selection sets tagPatternList/tagPrefixList with tagStatus "untagged"; they are allowed only with "tagged"' },
      { target: 'aws_ecr_lifecycle_policy.P', value: 'rules[2].selection with tagStatus "tagged" needs a non-empty tagPatternList or tagPrefixList' },
      { target: 'aws_ecr_lifecycle_policy.P', value: 'rules[2].selection.countUnit (missing) must be "days" with sinceImagePushed' },
      { target: 'aws_ecr_lifecycle_policy.P', value: 'the tagStatus "any" rule (priority 1) must have the highest rulePriority (2)' },
    ],
  },
  {
    name: 'KMS rotation',
    rule: kms.kmsKeyRotation,
    pass: resources({ aws_kms_key: { K: { enable_key_rotation: true } } }),
    fail: resources({ aws_kms_key: { K: {} } }),
    expected: [{ target: 'aws_kms_key.K', value: 'missing' }],
  },
  {
    name: 'KMS deletion window',
    rule: kms.kmsDeletionWindow,
    pass: resources({ aws_kms_key: { K: { deletion_window_in_days: 30 } } }),
    fail: resources({ aws_kms_key: { K: { deletion_window_in_days: 3 } } }),
    expected: [{ target: 'aws_kms_key.K', value: '3' }],
  },
  {
    name: 'admin ports closed',
    rule: sg.securityGroupAdminPorts,
    pass: resources({
      aws_security_group: { S: { description: 'nodes', ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'], description: 'https' }] } },
    }),
    fail: resources({
      aws_security_group: {
        S: { description: 'nodes', ingress: [{ from_port: 0, to_port: 0, protocol: '-1', ipv6_cidr_blocks: ['::/0'], description: 'all' }] },
        Cluster: { description: 'control plane' },
      },
      aws_eks_cluster: { C: cluster({ vpc_config: [{ security_group_ids: ['${aws_security_group.Cluster.id}'] }] }) },
      aws_vpc_security_group_ingress_rule: { Api: { security_group_id: '${aws_security_group.Cluster.id}', from_port: 443, to_port: 443, ip_protocol: 'tcp', cidr_ipv4: '0.0.0.0/0', description: 'api' } },
    }),
    expected: [
      { target: 'aws_security_group.S.ingress[0]', value: '::/0 → 22' },
      { target: 'aws_security_group.S.ingress[0]', value: '::/0 → 3389' },
      { target: 'aws_security_group.S.ingress[0]', value: '::/0 → 6443' },
      { target: 'aws_vpc_security_group_ingress_rule.Api', value: '0.0.0.0/0 → 443' },
    ],
  },
  {
    name: 'security group descriptions',
    rule: sg.securityGroupDescriptions,
    pass: resources({ aws_security_group: { S: { description: 'nodes', egress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'], description: 'https' }] } } }),
    fail: resources({
      aws_security_group: { S: { egress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'] }] } },
      aws_security_group_rule: { R: { type: 'ingress', security_group_id: '${aws_security_group.S.id}', from_port: 80, to_port: 80, protocol: 'tcp' } },
    }),
    expected: [
      { target: 'aws_security_group.S', value: 'missing' },
      { target: 'aws_security_group.S.egress[0]', value: 'missing' },
      { target: 'aws_security_group_rule.R', value: 'missing' },
    ],
  },
  {
    name: 'no wildcard actions',
    rule: iam.iamNoWildcardActions,
    pass: resources({ aws_iam_role_policy: { P: { role: 'r', policy: policy([{ Effect: 'Allow', Action: ['ecr:PutImage'], Resource: 'arn:aws:ecr:ap-east-1:333333333333:repository/x' }]) } } }),
    fail: resources({ aws_iam_role_policy: { P: { role: 'r', policy: policy([{ Sid: 'All', Effect: 'Allow', Action: ['s3:*', 'ecr:PutImage'], Resource: '*' }]) } } }),
    expected: [{ target: 'aws_iam_role_policy.P', value: '["s3:*"]' }],
  },
  {
    name: 'no wildcard resources except ecr:GetAuthorizationToken',
    rule: iam.iamNoWildcardResources,
    pass: resources({ aws_iam_role: { R: { inline_policy: [{ name: 'login', policy: policy([{ Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' }]) }] } } }),
    fail: resources({ aws_iam_role: { R: { inline_policy: [{ name: 'push', policy: policy([{ Effect: 'Allow', Action: ['ecr:GetAuthorizationToken', 'ecr:PutImage'], Resource: '*' }]) }] } } }),
    expected: [{ target: 'aws_iam_role.R', value: '["ecr:PutImage"]' }],
  },
  {
    name: 'no wildcard principals',
    rule: iam.iamNoWildcardPrincipals,
    pass: resources({ aws_iam_role: { R: { assume_role_policy: policy([{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]) } } }),
    fail: resources({
      aws_iam_role: { R: { assume_role_policy: policy([{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }]) } },
      data: {},
    }),
    expected: [{ target: 'aws_iam_role.R', value: '{"AWS":["*"]}' }],
  },
  {
    name: 'no administrator managed policies',
    rule: iam.iamNoAdminPolicies,
    pass: resources({ aws_iam_role_policy_attachment: { A: { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy' } } }),
    fail: resources({ aws_iam_role_policy_attachment: { A: { role: 'r', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } } }),
    expected: [{ target: 'aws_iam_role_policy_attachment.A', value: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
  },
  {
    name: 'state encrypted',
    rule: state.stateEncrypted,
    pass: { terraform: { backend: { s3: { bucket: 'b', key: 'k', encrypt: true, use_lockfile: true } } } },
    fail: { terraform: { backend: { s3: { bucket: 'b', key: 'k', use_lockfile: true } } } },
    expected: [{ target: 'terraform.backend.s3', value: 'encrypt = missing' }],
  },
  {
    name: 'state locked',
    rule: state.stateLocked,
    pass: { terraform: { backend: { s3: { bucket: 'b', key: 'k', encrypt: true, use_lockfile: true } } } },
    fail: { terraform: { backend: { s3: { bucket: 'b', key: 'k', encrypt: true } } } },
    expected: [{ target: 'terraform.backend.s3', value: 'use_lockfile = missing' }],
  },
  {
    name: 'log group KMS',
    rule: logs.logGroupKms,
    pass: resources({ aws_cloudwatch_log_group: { G: { name: '/x', kms_key_id: KEY, retention_in_days: 90 } } }),
    fail: resources({ aws_cloudwatch_log_group: { G: { name: '/x', retention_in_days: 90 } } }),
    expected: [{ target: 'aws_cloudwatch_log_group.G', value: 'missing' }],
  },
  {
    name: 'log group retention',
    rule: logs.logGroupRetention,
    pass: resources({ aws_cloudwatch_log_group: { G: { name: '/x', kms_key_id: KEY, retention_in_days: 90 } } }),
    fail: resources({ aws_cloudwatch_log_group: { G: { name: '/x', kms_key_id: KEY } } }),
    expected: [{ target: 'aws_cloudwatch_log_group.G', value: 'missing' }],
  },
  {
    name: 'VPC flow logs',
    rule: logs.vpcFlowLogs,
    pass: resources({ aws_vpc: { Vpc: { cidr_block: '10.30.0.0/16' } }, aws_flow_log: { F: { vpc_id: '${aws_vpc.Vpc.id}', traffic_type: 'ALL' } } }),
    fail: resources({ aws_vpc: { Vpc: { cidr_block: '10.30.0.0/16' }, Other: { cidr_block: '10.31.0.0/16' } }, aws_flow_log: { F: { vpc_id: '${aws_vpc.Vpc.id}', traffic_type: 'REJECT' } } }),
    expected: [
      { target: 'aws_vpc.Other', value: 'missing' },
      { target: 'aws_vpc.Vpc', value: '["REJECT"]' },
    ],
  },
  {
    name: 'managed EKS log group',
    rule: logs.eksLogGroupManaged,
    pass: resources({ aws_eks_cluster: { C: cluster({}) }, aws_cloudwatch_log_group: { G: { name: '/aws/eks/company-prod/cluster' } } }),
    fail: resources({ aws_eks_cluster: { C: cluster({}) } }),
    expected: [{ target: 'aws_eks_cluster.C', value: '/aws/eks/company-prod/cluster' }],
  },
  {
    name: 'resource types within the apply role',
    rule: resourceTypesWithinApplyRole,
    pass: { ...resources({ aws_eks_cluster: { C: cluster({}) }, aws_ecr_repository: { R: repo() } }), data: { aws_lambda_function: { Existing: { function_name: 'f' } } } },
    fail: resources({ aws_eks_cluster: { C: cluster({}) }, aws_lambda_function: { Fn: { function_name: 'company-prod-resize', role: 'arn' } } }),
    expected: [{ target: 'aws_lambda_function.Fn', value: 'aws_lambda_function' }],
  },
];

describe('Terraform rules', () => {
  test.each(cases)('$name: the passing fixture has no finding', ({ rule, pass, env, now }) => {
    expect(findingsOf(rule, fixtureContext({ terraform: pass, env, now }))).toEqual([]);
  });

  test.each(cases)('$name: the failing fixture reports exactly the expected findings', ({ rule, fail, env, now, expected }) => {
    expect(findingsOf(rule, fixtureContext({ terraform: fail, env, now }))).toEqual(expected);
  });

  test('state keys shared by two environments are reported on both', () => {
    const backend = { terraform: { backend: { s3: { bucket: 'b', key: 'shared', encrypt: true, use_lockfile: true } } } };
    const project = fixtureProject([fixtureContext({ env: 'dev', terraform: backend }), fixtureContext({ env: 'prod', terraform: backend }), fixtureContext({ env: 'staging' })]);
    expect(findingsOf(state.stateKeysUnique, project)).toEqual([
      { target: 'terraform.backend.s3', value: 's3://b/shared' },
      { target: 'terraform.backend.s3', value: 's3://b/shared' },
    ]);
    const found = [...state.stateKeysUnique.check(project)].map((f) => f.environment);
    expect(found).toEqual(['dev', 'prod']);
  });

  describe('EKS support windows (the date is injected, never the clock)', () => {
    const at = (version: string, now: string) => {
      const tf = resources({ aws_eks_cluster: { C: cluster({ version }) } });
      const ctx = fixtureContext({ terraform: tf, now: new Date(now) });
      return { standard: [...eks.eksVersionStandardSupport.check(ctx)], supported: [...eks.eksVersionSupported.check(ctx)] };
    };

    test('warns 60 days before the end of standard support, naming the version, the date, the days left and the next version', () => {
      expect(at('1.34', '2026-10-02T00:00:00Z').standard).toEqual([]);
      expect(at('1.34', '2026-10-03T00:00:00Z').standard).toEqual([
        {
          target: 'aws_eks_cluster.C',
          value: '"1.34"',
          message: 'Kubernetes 1.34 leaves standard support on 2026-12-02, in 60 day(s); extended support costs extra from then',
          fix: "upgrade 'cluster.kubernetesVersion' one minor version at a time: 1.34 → 1.35 (docs/UPGRADE.md)",
        },
      ]);
      expect(at('1.34', '2026-12-01T23:00:00Z').standard.map((f) => f.message)).toEqual([
        'Kubernetes 1.34 leaves standard support on 2026-12-02, in 1 day(s); extended support costs extra from then',
      ]);
    });

    test('reports a version past standard support from the start (UTC) of its end day, when AWS starts billing extended support', () => {
      expect(at('1.32', '2026-03-23T00:00:00Z').standard).toEqual([
        {
          target: 'aws_eks_cluster.C',
          value: '"1.32"',
          message: 'Kubernetes 1.32 left standard support on 2026-03-23; extended support costs extra and ends on 2027-03-23',
          fix: "upgrade 'cluster.kubernetesVersion' one minor version at a time: 1.32 → 1.33 (docs/UPGRADE.md)",
        },
      ]);
      expect(at('1.32', '2026-03-22T23:59:59Z').standard.map((f) => f.message)).toEqual([
        'Kubernetes 1.32 leaves standard support on 2026-03-23, in 1 day(s); extended support costs extra from then',
      ]);
    });

    test('the upgrade path runs through every minor version to the first one not ending standard support within 60 days', () => {
      // On 2026-11-29: 1.33 is in extended support and 1.34 ends standard support in 3 days, so 1.35 is the goal.
      expect(at('1.32', '2026-11-29T00:00:00Z').standard.map((f) => f.fix)).toEqual([
        "upgrade 'cluster.kubernetesVersion' one minor version at a time: 1.32 → 1.33 → 1.34 → 1.35 (docs/UPGRADE.md)",
      ]);
    });

    test('an estimated date says so, and a version with no newer one known says how to add it', () => {
      const [finding] = at('1.36', '2027-06-15T00:00:00Z').standard;
      expect(finding.message).toBe(
        'Kubernetes 1.36 leaves standard support on 2027-07-30 (an estimate; AWS has not published the date yet), in 45 day(s); extended support costs extra from then',
      );
      expect(finding.fix).toBe(
        "no newer Kubernetes version is known to deploykit yet; add it to config/eks-versions.ts, then upgrade 'cluster.kubernetesVersion' (docs/UPGRADE.md)",
      );
    });

    test('past extended support is an error of DK-TF-006 only, from the start of the end day', () => {
      expect(at('1.32', '2027-03-22T23:59:59Z').supported).toEqual([]);
      const later = at('1.32', '2027-03-23T00:00:00Z');
      expect(later.standard).toEqual([]);
      expect(later.supported).toEqual([
        {
          target: 'aws_eks_cluster.C',
          value: '"1.32"',
          message: 'Kubernetes 1.32 left extended support on 2027-03-23; EKS upgrades it on its own',
          // 1.35 leaves standard support 4 days later, so the path goes on to 1.36.
          fix: "upgrade 'cluster.kubernetesVersion' one minor version at a time: 1.32 → 1.33 → 1.34 → 1.35 → 1.36 (docs/UPGRADE.md)",
        },
      ]);
    });
  });

  test('a resource type outside the apply role names every resource of the type, the role, and how to extend it', () => {
    const tf = resources({ aws_lambda_function: { A: { function_name: 'a' }, B: { function_name: 'b' } } });
    const [finding] = [...resourceTypesWithinApplyRole.check(fixtureContext({ terraform: tf }))];
    expect(finding).toEqual({
      target: 'aws_lambda_function.A',
      value: 'aws_lambda_function',
      message:
        'aws_lambda_function.A, aws_lambda_function.B are of type aws_lambda_function, which neither RESOURCE_TYPE_ACTIONS nor applyPermissions covers, so deploykit-company-prod-apply may not create them',
    });
    expect(resourceTypesWithinApplyRole.fix).toContain('export applyPermissions from the definitions module');
    expect(resourceTypesWithinApplyRole.fix).toContain('re-run deploykit bootstrap');
  });

  test("a resource type the team's applyPermissions covers passes", () => {
    const tf = resources({ aws_lambda_function: { Fn: { function_name: 'f' } }, aws_sqs_queue: { Q: { name: 'q' } } });
    const applyPermissions = { aws_lambda_function: ['lambda:CreateFunction', 'lambda:GetFunction', 'lambda:DeleteFunction'] };
    expect(findingsOf(resourceTypesWithinApplyRole, fixtureContext({ terraform: tf, applyPermissions }))).toEqual([{ target: 'aws_sqs_queue.Q', value: 'aws_sqs_queue' }]);
  });
});
