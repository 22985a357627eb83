/**
 * A team stack that owns neither the cluster nor the repository: a bare cdktf stack imports both with
 * `from*Attributes`, attaches a workload identity, CI access entries, the Secrets Store CSI driver and
 * alarms to the cluster, and grants pull on the repository. The Terraform names the literal ARNs and
 * names, creates neither the cluster nor the repository, reads the cluster through a data source only
 * for values only AWS knows, and passes the real `terraform validate`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider, TerraformStack, Testing, VpcSecurityGroupIngressRule } from '../../infra/vendor/terraform';
import {
  CiClusterAccess,
  ClusterAutoscalerIdentity,
  EcrRepository,
  EksCluster,
  SecretsStoreCsiDriver,
  ServiceAlarms,
  WorkloadIdentity,
  type IEcrRepository,
  type IEksCluster,
} from '../../infra';
import { constructPathOf, onlyResource, policyOf, resourceAt, resourcesOf, synthStack, validateTerraform, type TfJson } from '../../testing';
import { terraformToolchain } from '../support/terraform';
import { issueLines, validationErrorOf } from '../support/validation';

const ACCOUNT = '444455556666';
const REGION = 'eu-west-1';
const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/shop-prod`;
const REPOSITORY_ARN = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/shop/web`;

/** The team's stack: everything it attaches to a cluster and a repository another stack owns. */
class TeamStack extends TerraformStack {
  readonly cluster: IEksCluster;
  readonly repository: IEcrRepository;
  readonly identity: WorkloadIdentity;

  constructor(options: { lookUpSecurityGroup: boolean }) {
    super(Testing.app(), 'team');
    new AwsProvider(this, 'aws', { region: REGION });
    this.cluster = EksCluster.fromClusterAttributes(this, 'Cluster', { clusterName: 'shop-prod', account: ACCOUNT, region: REGION });
    this.repository = EcrRepository.fromRepositoryAttributes(this, 'Repository', { repositoryName: 'shop/web', account: ACCOUNT, region: REGION });
    this.identity = new WorkloadIdentity(this, 'Reports', {
      roleName: 'shop-prod-reports',
      cluster: this.cluster,
      namespace: 'reports',
      serviceAccount: 'reports',
    });
    this.repository.grantPull(this.identity);
    new CiClusterAccess(this, 'CiAccess', {
      cluster: this.cluster,
      applyRoleArn: `arn:aws:iam::${ACCOUNT}:role/team-apply`,
      deployRoleArn: `arn:aws:iam::${ACCOUNT}:role/team-deploy`,
      namespaces: ['reports'],
    });
    new ClusterAutoscalerIdentity(this, 'Autoscaler', {
      roleName: 'shop-prod-cluster-autoscaler',
      cluster: this.cluster,
      namespace: 'kube-system',
      serviceAccount: 'cluster-autoscaler',
    });
    new SecretsStoreCsiDriver(this, 'SecretsStoreCsiDriver', { cluster: this.cluster });
    new ServiceAlarms(this, 'Alarms', { alarmNamePrefix: 'shop-prod-reports', cluster: this.cluster, namespace: 'reports', workloadName: 'reports', restartThreshold: 3 });
    if (options.lookUpSecurityGroup) {
      new VpcSecurityGroupIngressRule(this, 'ApiFromOffice', {
        securityGroupId: this.cluster.clusterSecurityGroupId,
        description: 'Kubernetes API from the office',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '10.99.0.0/24',
      });
    }
  }
}

/** The data sources of a type, by Terraform name. */
function dataOf(json: TfJson, type: string): Record<string, Record<string, unknown>> {
  return json.data?.[type] ?? {};
}

describe('a team stack with an imported cluster and repository', () => {
  const json = synthStack(new TeamStack({ lookUpSecurityGroup: true }));

  test('creates neither the cluster nor the repository', () => {
    expect(resourcesOf(json, 'aws_eks_cluster')).toEqual({});
    expect(resourcesOf(json, 'aws_ecr_repository')).toEqual({});
    expect(resourcesOf(json, 'aws_ecr_repository_policy')).toEqual({});
  });

  test('the workload identity is trusted for the literal cluster and associated with it by name', () => {
    const role = resourceAt(json, 'aws_iam_role', 'Reports');
    const [trust] = policyOf(role, 'assume_role_policy').Statement;
    expect(trust.Condition.StringEquals['aws:SourceAccount']).toBe(ACCOUNT);
    expect(trust.Condition.StringEquals['aws:RequestTag/eks-cluster-arn']).toBe(CLUSTER_ARN);
    expect(trust.Condition.ArnEquals['aws:SourceArn']).toBe(CLUSTER_ARN);
    expect(resourceAt(json, 'aws_eks_pod_identity_association', 'Reports/PodIdentityAssociation')).toMatchObject({
      cluster_name: 'shop-prod',
      namespace: 'reports',
      service_account: 'reports',
    });
  });

  test('grantPull gives the identity the pull actions on the literal repository ARN only', () => {
    const statements = policyOf(resourceAt(json, 'aws_iam_role_policy', 'Reports/Policy')).Statement;
    expect(statements).toEqual([
      { Sid: 'EcrAuthorizationToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      {
        Sid: 'EcrPullShopWeb',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Resource: REPOSITORY_ARN,
      },
    ]);
  });

  test('the access entries and the add-on name the cluster literally and wait for nothing', () => {
    for (const entry of Object.values(resourcesOf(json, 'aws_eks_access_entry'))) {
      expect(entry.cluster_name).toBe('shop-prod');
      expect(entry.depends_on).toBeUndefined();
    }
    expect(Object.values(resourcesOf(json, 'aws_eks_access_entry')).map((e) => e.principal_arn).sort()).toEqual([
      `arn:aws:iam::${ACCOUNT}:role/team-apply`,
      `arn:aws:iam::${ACCOUNT}:role/team-deploy`,
    ]);
    const addon = onlyResource(json, 'aws_eks_addon');
    expect(addon.cluster_name).toBe('shop-prod');
    expect(addon.depends_on).toBeUndefined();
  });

  test('the Cluster Autoscaler may scale only the literal cluster\'s groups', () => {
    const statements = policyOf(resourceAt(json, 'aws_iam_role_policy', 'Autoscaler/Identity/Policy')).Statement;
    expect(statements.find((s: { Sid: string }) => s.Sid === 'ReadClusterNodeGroups').Resource).toBe(`arn:aws:eks:${REGION}:${ACCOUNT}:nodegroup/shop-prod/*/*`);
    expect(statements.find((s: { Sid: string }) => s.Sid === 'ScaleClusterAutoScalingGroups').Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/shop-prod': 'owned' },
    });
  });

  test('the alarms watch the literal cluster name', () => {
    expect(resourceAt(json, 'aws_cloudwatch_metric_alarm', 'Alarms/Restarts').dimensions.ClusterName).toBe('shop-prod');
  });

  test('the cluster security group is read at plan time through one aws_eks_cluster data source', () => {
    const lookups = Object.entries(dataOf(json, 'aws_eks_cluster'));
    expect(lookups.map(([name, data]) => [constructPathOf(name), data.name])).toEqual([['Cluster/Lookup', 'shop-prod']]);
    expect(resourceAt(json, 'aws_vpc_security_group_ingress_rule', 'ApiFromOffice').security_group_id).toBe(
      `\${data.aws_eks_cluster.${lookups[0][0]}.vpc_config[0].cluster_security_group_id}`,
    );
  });
});

describe('EcrRepository.fromRepositoryAttributes', () => {
  const imported = (attributes: Partial<Parameters<typeof EcrRepository.fromRepositoryAttributes>[2]>) =>
    EcrRepository.fromRepositoryAttributes(new TerraformStack(Testing.app(), 'team'), 'Repository', {
      repositoryName: 'shop/web',
      account: ACCOUNT,
      region: REGION,
      ...attributes,
    });

  test('computes the ARN and URL of the standard partition', () => {
    const repository = imported({});
    expect(repository.repositoryArn).toBe(REPOSITORY_ARN);
    expect(repository.repositoryUrl).toBe(`${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop/web`);
  });

  test('uses the aws-cn partition and the amazonaws.com.cn registry domain in the China regions', () => {
    const repository = imported({ region: 'cn-north-1' });
    expect(repository.repositoryArn).toBe(`arn:aws-cn:ecr:cn-north-1:${ACCOUNT}:repository/shop/web`);
    expect(repository.repositoryUrl).toBe(`${ACCOUNT}.dkr.ecr.cn-north-1.amazonaws.com.cn/shop/web`);
  });

  test('uses the aws-us-gov partition and the amazonaws.com registry domain in GovCloud', () => {
    const repository = imported({ region: 'us-gov-west-1' });
    expect(repository.repositoryArn).toBe(`arn:aws-us-gov:ecr:us-gov-west-1:${ACCOUNT}:repository/shop/web`);
    expect(repository.repositoryUrl).toBe(`${ACCOUNT}.dkr.ecr.us-gov-west-1.amazonaws.com/shop/web`);
  });

  test('returns the same statements a grant adds', () => {
    const repository = imported({});
    expect(repository.grantPush().map((s) => [s.sid, s.resources])).toEqual([
      ['EcrAuthorizationToken', ['*']],
      ['EcrPushShopWeb', [REPOSITORY_ARN]],
    ]);
  });

  test('reports every bad attribute in one ValidationError', () => {
    const error = validationErrorOf(() => imported({ repositoryName: 'Shop_Web', account: '4444', region: 'eu-west-1', partition: 'aws-cn' }));
    expect(error.message.split('\n')[0]).toBe('invalid attributes of EcrRepository.fromRepositoryAttributes at team/Repository (3 problems):');
    expect(issueLines(error)).toEqual([
      `team/Repository: 'repositoryName' ("Shop_Web") is not an ECR repository name; use 2–256 lowercase letters, digits, and . _ - /`,
      `team/Repository: 'account' ("4444") is not an AWS account id; use the 12-digit account number`,
      `team/Repository: 'partition' ("aws-cn") does not hold region "eu-west-1", which is in partition "aws"; omit it to derive it from the region, or correct the region`,
    ]);
  });
});

describe('EksCluster.fromClusterAttributes', () => {
  const stack = () => new TerraformStack(Testing.app(), 'team');

  test('computes the ARN offline and reads nothing from AWS when the values are given', () => {
    const scope = stack();
    new AwsProvider(scope, 'aws', { region: 'cn-northwest-1' });
    const cluster = EksCluster.fromClusterAttributes(scope, 'Cluster', {
      clusterName: 'shop-prod',
      account: ACCOUNT,
      region: 'cn-northwest-1',
      endpoint: 'https://ABC.gr7.cn-northwest-1.eks.amazonaws.com.cn',
      clusterSecurityGroupId: 'sg-0123456789abcdef0',
    });
    expect(cluster.clusterArn).toBe(`arn:aws-cn:eks:cn-northwest-1:${ACCOUNT}:cluster/shop-prod`);
    expect([cluster.clusterName, cluster.clusterNameLiteral, cluster.partition]).toEqual(['shop-prod', 'shop-prod', 'aws-cn']);
    expect([cluster.endpoint, cluster.clusterSecurityGroupId]).toEqual(['https://ABC.gr7.cn-northwest-1.eks.amazonaws.com.cn', 'sg-0123456789abcdef0']);
    expect(cluster.clusterDependencies).toEqual([]);
    new WorkloadIdentity(scope, 'Reports', { roleName: 'reports', cluster, namespace: 'reports', serviceAccount: 'reports' });
    expect(dataOf(synthStack(scope), 'aws_eks_cluster')).toEqual({});
  });

  test('reports every bad attribute in one ValidationError', () => {
    const error = validationErrorOf(() => EksCluster.fromClusterAttributes(stack(), 'Cluster', { clusterName: '-shop', account: ACCOUNT, region: 'europe' }));
    expect(error.issues.map((i) => [i.path, i.field, i.value])).toEqual([
      ['team/Cluster', 'clusterName', '-shop'],
      ['team/Cluster', 'region', 'europe'],
    ]);
    expect(error.message.split('\n')[0]).toBe('invalid attributes of EksCluster.fromClusterAttributes at team/Cluster (2 problems):');
  });
});

const toolchain = terraformToolchain();
if (!toolchain.available) {
  test.skip(`terraform validate of the team stack (skipped: ${toolchain.reason})`, () => undefined);
} else {
  const tc = toolchain;
  test('the team stack passes terraform validate with the real AWS provider', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploykit-team-stack-'));
    try {
      writeFileSync(join(dir, 'cdk.tf.json'), Testing.synth(new TeamStack({ lookUpSecurityGroup: true }), true));
      expect(() => validateTerraform(tc, dir)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
}
