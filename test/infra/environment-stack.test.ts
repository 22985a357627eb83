import { ciDeployRoleName, ciPlanRoleName, defineEnvironments, workloadRoleName, type Definitions } from '../../config';
import { exampleDefs, exampleInput } from '../support/synth';
import { addressAt, allPolicyStatements, onlyResource, resourceAt, resourcesOf, synthEnvironment } from './tf-json';

const defs = exampleDefs();
const envNames = defs.environments.map((e) => e.name);

function synth(name: string, definitions: Definitions = defs) {
  return synthEnvironment(definitions, definitions.environments.find((e) => e.name === name)!);
}

describe('EnvironmentStack', () => {
  describe.each(envNames)('the %s stack', (name) => {
    const env = defs.environments.find((e) => e.name === name)!;
    const { json } = synth(name);

    test('configures the provider for the account and region with default tags', () => {
      const [provider] = json.provider!.aws;
      expect(provider).toMatchObject({ region: env.region, allowed_account_ids: [env.account] });
      expect(provider.default_tags[0].tags).toEqual({ environment: name, system: 'company', 'managed-by': 'deploykit', ...env.tags });
    });

    test('keeps its state encrypted in the S3 backend with a lock file', () => {
      expect(json.terraform!.backend.s3).toEqual({
        bucket: env.state.bucket,
        key: `company/${name}/terraform.tfstate`,
        region: env.state.region,
        encrypt: true,
        use_lockfile: true,
      });
    });

    test('builds the VPC, the cluster with its node groups, one repository and workload identity per service, and the CI role', () => {
      expect(onlyResource(json, 'aws_vpc').cidr_block).toBe(env.network.vpcCidr);
      expect(onlyResource(json, 'aws_eks_cluster').version).toBe(env.cluster.kubernetesVersion);
      expect(Object.values(resourcesOf(json, 'aws_eks_node_group')).map((n) => n.node_group_name)).toEqual(env.cluster.nodeGroups.map((n) => n.name));
      expect(Object.values(resourcesOf(json, 'aws_ecr_repository')).map((r) => r.name).sort()).toEqual(env.services.map((s) => s.name).sort());
      const roleNames = Object.values(resourcesOf(json, 'aws_iam_role')).map((r) => r.name);
      for (const service of env.services) expect(roleNames).toContain(workloadRoleName(defs.system, env, service));
      expect(roleNames).toContain(ciDeployRoleName(defs.system, env));
      expect(roleNames).toContain(ciPlanRoleName(defs.system, env));
    });

    test('matches the endpoint exposure and NAT layout of the definition', () => {
      const vpcConfig = onlyResource(json, 'aws_eks_cluster').vpc_config;
      expect(vpcConfig.endpoint_public_access).toBe(env.cluster.endpointAccess === 'public-and-private');
      expect(Object.keys(resourcesOf(json, 'aws_nat_gateway'))).toHaveLength(
        env.network.natGateways === 'one-per-az' ? env.network.availabilityZones.length : 1,
      );
    });

    test('tags per-service resources with the service', () => {
      for (const type of ['aws_ecr_repository', 'aws_eks_pod_identity_association']) {
        const services = Object.values(resourcesOf(json, type)).map((r) => r.tags.service).sort();
        expect(services).toEqual(env.services.map((s) => s.name).sort());
      }
    });

    test('grants no wildcard action and no wildcard resource except ecr:GetAuthorizationToken', () => {
      for (const { address, statement } of allPolicyStatements(json)) {
        const actions = [statement.Action].flat();
        const isKeyPolicy = address.startsWith('aws_kms_key.');
        if (!(isKeyPolicy && statement.Sid === 'AccountRootAdministersKey')) {
          for (const a of actions) expect(`${address} ${a}`).not.toMatch(/\*$/);
        }
        expect(statement.Principal).not.toBe('*');
        // Only actions AWS authorizes on "*" alone: the ECR login token and listing KMS aliases.
        if (statement.Resource === '*' && !isKeyPolicy) expect([['ecr:GetAuthorizationToken'], ['kms:ListAliases']]).toContainEqual(actions);
      }
    });

    test('encrypts every log group with KMS and sets a retention', () => {
      for (const group of Object.values(resourcesOf(json, 'aws_cloudwatch_log_group'))) {
        expect(group.kms_key_id).toMatch(/aws_kms_key\./);
        expect(group.retention_in_days).toBeGreaterThan(0);
      }
    });

    test('rotates every KMS key', () => {
      for (const key of Object.values(resourcesOf(json, 'aws_kms_key'))) expect(key.enable_key_rotation).toBe(true);
    });

    test('outputs the cluster, repositories, workload roles and CI roles', () => {
      expect(Object.keys(json.output!).sort()).toEqual([
        'ci_deploy_role_arn',
        'ci_plan_role_arn',
        'cluster_endpoint',
        'cluster_name',
        'repository_urls',
        'workload_role_arns',
      ]);
      expect(json.output!.ci_plan_role_arn.value).toBe(`\${${addressAt(json, 'aws_iam_role', 'CiAccess/PlanRole')}.arn}`);
      expect(json.output!.ci_deploy_role_arn.value).toBe(`\${${addressAt(json, 'aws_iam_role', 'CiAccess')}.arn}`);
      expect(Object.keys(json.output!.workload_role_arns.value as object).sort()).toEqual(env.services.map((s) => s.name).sort());
    });
  });

  test('pins the Terraform addresses of the stateful prod resources', () => {
    const { json } = synth('prod');
    expect({
      vpc: addressAt(json, 'aws_vpc', 'Network'),
      cluster: addressAt(json, 'aws_eks_cluster', 'Cluster'),
      nodeGroup: addressAt(json, 'aws_eks_node_group', 'Cluster/NodeGroupGeneral'),
      secretsKey: addressAt(json, 'aws_kms_key', 'Cluster/SecretsKey'),
      logsKey: addressAt(json, 'aws_kms_key', 'LogsKey'),
      imagesKey: addressAt(json, 'aws_kms_key', 'ImagesKey'),
      webRepository: addressAt(json, 'aws_ecr_repository', 'RepositoryCompanyWeb'),
      apiRepository: addressAt(json, 'aws_ecr_repository', 'RepositoryCompanyApi'),
      clusterLogs: addressAt(json, 'aws_cloudwatch_log_group', 'Cluster/LogGroup'),
      flowLogs: addressAt(json, 'aws_cloudwatch_log_group', 'Network/FlowLogGroup'),
    }).toEqual({
      vpc: 'aws_vpc.Network_1C6012B5',
      cluster: 'aws_eks_cluster.Cluster_EB0386A7',
      nodeGroup: 'aws_eks_node_group.Cluster_NodeGroupGeneral_8E09B881',
      secretsKey: 'aws_kms_key.Cluster_SecretsKey_462B29B5',
      logsKey: 'aws_kms_key.LogsKey_A6AB43B2',
      imagesKey: 'aws_kms_key.ImagesKey_954580DA',
      webRepository: 'aws_ecr_repository.RepositoryCompanyWeb_0823A012',
      apiRepository: 'aws_ecr_repository.RepositoryCompanyApi_2BB3A4AC',
      clusterLogs: 'aws_cloudwatch_log_group.Cluster_LogGroup_172FC6DD',
      flowLogs: 'aws_cloudwatch_log_group.Network_FlowLogGroup_1F868030',
    });
  });

  test('creates the OIDC providers only in the first environment of an account and references them in the others', () => {
    const input = exampleInput();
    input.environments[1].account = input.environments[0].account;
    input.environments[1].state.bucket = 'company-terraform-state-shared';
    input.environments[1].cluster.admins = [];
    const shared = defineEnvironments(input);
    expect(Object.keys(resourcesOf(synth('dev', shared).json, 'aws_iam_openid_connect_provider'))).toHaveLength(2);
    const staging = synth('staging', shared).json;
    expect(resourcesOf(staging, 'aws_iam_openid_connect_provider')).toEqual({});
    expect(resourceAt(staging, 'aws_iam_role', 'CiAccess').assume_role_policy).toContain('arn:aws:iam::111111111111:oidc-provider/gitlab.com');
  });

  test('creates no CI role when neither GitLab nor GitHub is configured', () => {
    const input = exampleInput();
    input.ci = { defaultBranch: 'main' };
    const { stack, json } = synth('dev', defineEnvironments(input));
    expect(stack.ciAccess).toBeUndefined();
    expect(json.output).not.toHaveProperty('ci_deploy_role_arn');
    expect(json.output).not.toHaveProperty('ci_plan_role_arn');
  });

  test('gives the plan role reads of every role the stack names, by the stack and cluster prefixes', () => {
    const input = exampleInput();
    input.environments[2].cluster.name = 'company-production';
    const definitions = defineEnvironments(input);
    const { json, stack } = synth('prod', definitions);
    const roles = stack.ciAccess!.planPolicyStatements.find((s) => s.sid === 'ReadRoles')!;
    expect(roles.resources).toEqual(['arn:aws:iam::333333333333:role/company-prod-*', 'arn:aws:iam::333333333333:role/company-production-*']);
    const prefixes = roles.resources.map((arn) => arn.replace(/^arn:aws:iam::\d+:role\//, '').replace(/\*$/, ''));
    // The CI roles (deploykit-*) are outside the managed prefixes on purpose: the apply role may not rewrite them.
    for (const role of Object.values(resourcesOf(json, 'aws_iam_role')).filter((r) => !String(r.name).startsWith('deploykit-'))) {
      expect(prefixes.some((p) => String(role.name).startsWith(p))).toBe(true);
    }
  });

  test('creates one repository for services sharing an image repository', () => {
    const input = exampleInput();
    input.services['company-api'].image.repository = 'company/shared';
    input.services['company-web'].image.repository = 'company/shared';
    const { json } = synth('staging', defineEnvironments(input));
    expect(Object.values(resourcesOf(json, 'aws_ecr_repository')).map((r) => r.name)).toEqual(['company/shared']);
    expect(Object.keys(resourcesOf(json, 'aws_eks_pod_identity_association'))).toHaveLength(2);
  });
});
