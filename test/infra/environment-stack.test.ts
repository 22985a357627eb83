import {
  CI_ROLE_KINDS,
  CLUSTER_AUTOSCALER,
  ciApplyRoleArn,
  ciDeployRoleArn,
  ciRoleArn,
  defineEnvironments,
  managedRoleNamePrefixes,
  namespaceName,
  permissionsBoundaryArn,
  promotionTargets,
  workloadRoleName,
  type Definitions,
} from '../../config';
import { RESOURCE_WILDCARD_EXCEPTIONS } from '../../policy/rules/terraform-iam';
import { uncoveredResourceTypes } from '../../infra/bootstrap/apply-permissions';
import { FIXTURE_NODE_GROUPS, envInputOf, exampleDefs, exampleInput, useAutoMode, useNodeGroups } from '../support/synth';
import { addressAt, allPolicyStatements, onlyResource, policyOf, resourceAt, resourcesOf, synthStack, type TfJson } from '../../testing';
import { synthEnvironment } from './tf-json';

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

    test('builds the VPC, the cluster with its node groups, one repository and workload identity per service', () => {
      expect(onlyResource(json, 'aws_vpc').cidr_block).toBe(env.network.vpcCidr);
      expect(onlyResource(json, 'aws_eks_cluster').version).toBe(env.cluster.kubernetesVersion);
      expect(Object.values(resourcesOf(json, 'aws_eks_node_group')).map((n) => n.node_group_name)).toEqual(env.cluster.nodeGroups.map((n) => n.name));
      expect(Object.values(resourcesOf(json, 'aws_ecr_repository')).map((r) => r.name).sort()).toEqual(env.services.map((s) => s.name).sort());
      const roleNames = Object.values(resourcesOf(json, 'aws_iam_role')).map((r) => r.name);
      for (const service of env.services) expect(roleNames).toContain(workloadRoleName(defs.system, env, service));
    });

    test('creates no CI identity: no OIDC provider, no deploykit-* role (deploykit bootstrap creates them)', () => {
      expect(resourcesOf(json, 'aws_iam_openid_connect_provider')).toEqual({});
      expect(resourcesOf(json, 'aws_iam_policy')).toEqual({});
      expect(Object.values(resourcesOf(json, 'aws_iam_role')).filter((r) => String(r.name).startsWith('deploykit-'))).toEqual([]);
    });

    test('attaches the permissions boundary to every IAM role, each named with a prefix the apply role may manage', () => {
      const prefixes = managedRoleNamePrefixes(defs.system, env);
      const roles = Object.values(resourcesOf(json, 'aws_iam_role'));
      expect(roles.length).toBeGreaterThan(0);
      for (const role of roles) {
        expect({ role: role.name, boundary: role.permissions_boundary }).toEqual({ role: role.name, boundary: permissionsBoundaryArn(defs.system, env) });
        expect(prefixes.some((p) => String(role.name).startsWith(p))).toBe(true);
      }
    });

    test('gives the CI apply role cluster admin and the deploy role edit on the service namespaces, after the cluster', () => {
      const entries = Object.values(resourcesOf(json, 'aws_eks_access_entry'));
      const associations = Object.values(resourcesOf(json, 'aws_eks_access_policy_association'));
      const clusterAddress = addressAt(json, 'aws_eks_cluster', 'Cluster');
      const byPrincipal = (arn: string) => associations.filter((a) => a.principal_arn === arn);
      for (const arn of [ciApplyRoleArn(defs.system, env), ciDeployRoleArn(defs.system, env)]) {
        const [entry] = entries.filter((e) => e.principal_arn === arn);
        expect(entry).toMatchObject({ type: 'STANDARD', depends_on: [clusterAddress] });
      }
      expect(byPrincipal(ciApplyRoleArn(defs.system, env)).map((a) => [a.policy_arn, a.access_scope])).toEqual([
        ['arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', { type: 'cluster' }],
      ]);
      expect(byPrincipal(ciDeployRoleArn(defs.system, env)).map((a) => [a.policy_arn, a.access_scope])).toEqual([
        ['arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', { type: 'namespace', namespaces: [...new Set(env.services.map(namespaceName))] }],
      ]);
    });

    test('lets the deploy roles of the environments promoting its images pull them, and nobody else', () => {
      const targets = promotionTargets(defs, env).map((t) => ciDeployRoleArn(defs.system, t));
      const policies = Object.values(resourcesOf(json, 'aws_ecr_repository_policy'));
      if (targets.length === 0) {
        expect(policies).toEqual([]);
        return;
      }
      expect(policies).toHaveLength(Object.keys(resourcesOf(json, 'aws_ecr_repository')).length);
      for (const policy of policies) {
        const [statement] = policyOf(policy).Statement;
        expect(statement.Action.sort()).toEqual(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:DescribeImages', 'ecr:GetDownloadUrlForLayer']);
        expect(statement.Condition).toEqual({ ArnEquals: { 'aws:PrincipalArn': [...targets].sort() } });
        expect(statement.Principal.AWS).toEqual([...new Set(targets.map((arn) => `arn:aws:iam::${arn.split(':')[4]}:root`))].sort());
      }
    });

    test('matches the endpoint exposure and NAT layout of the definition', () => {
      const vpcConfig = onlyResource(json, 'aws_eks_cluster').vpc_config;
      expect(vpcConfig.endpoint_public_access).toBe(env.cluster.endpointAccess === 'public-and-private');
      expect(Object.keys(resourcesOf(json, 'aws_nat_gateway'))).toHaveLength(
        env.network.natGateways === 'one-per-az' ? env.network.availabilityZones.length : 1,
      );
    });

    test('admits the runner networks of the definition to the cluster API on TCP 443 through the cluster security group', () => {
      const [clusterName] = Object.keys(resourcesOf(json, 'aws_eks_cluster'));
      const rules = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));
      expect(rules.map((r) => r.cidr_ipv4).sort()).toEqual([...(env.deploy.runner?.networks ?? [])].sort());
      for (const rule of rules) {
        expect(rule).toMatchObject({
          security_group_id: `\${aws_eks_cluster.${clusterName}.vpc_config[0].cluster_security_group_id}`,
          ip_protocol: 'tcp',
          from_port: 443,
          to_port: 443,
          description: `Kubernetes API from the CI runners of company-${name} (deploy.runner.networks)`,
        });
      }
    });

    test('uses only resource types the bootstrap grants the apply role', () => {
      expect(uncoveredResourceTypes(Object.keys(json.resource))).toEqual([]);
    });

    test('tags per-service resources with the service', () => {
      for (const type of ['aws_ecr_repository', 'aws_eks_pod_identity_association']) {
        const services = Object.values(resourcesOf(json, type)).map((r) => r.tags.service).sort();
        expect(services).toEqual(env.services.map((s) => s.name).sort());
      }
    });

    test('grants no wildcard action, and Resource "*" only to actions AWS authorizes on "*" alone', () => {
      for (const { address, statement } of allPolicyStatements(json)) {
        const actions = [statement.Action].flat();
        const isKeyPolicy = address.startsWith('aws_kms_key.');
        if (!(isKeyPolicy && statement.Sid === 'AccountRootAdministersKey')) {
          for (const a of actions) expect(`${address} ${a}`).not.toMatch(/\*$/);
        }
        expect(statement.Principal).not.toBe('*');
        // Only actions AWS authorizes on "*" alone: the ECR login token, listing KMS aliases, the Cluster Autoscaler's reads.
        if (statement.Resource === '*' && !isKeyPolicy) for (const a of actions) expect(RESOURCE_WILDCARD_EXCEPTIONS).toContain(a);
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
        'ci_apply_role_arn',
        'ci_deploy_role_arn',
        'ci_plan_role_arn',
        'cluster_endpoint',
        'cluster_name',
        'repository_urls',
        'workload_role_arns',
      ]);
      for (const kind of CI_ROLE_KINDS) expect(json.output![`ci_${kind}_role_arn`].value).toBe(ciRoleArn(defs.system, env, kind));
      expect(Object.keys(json.output!.workload_role_arns.value as object).sort()).toEqual(env.services.map((s) => s.name).sort());
    });
  });

  /** Addresses of the stateful resources every environment has, whatever its compute mode. */
  const statefulAddresses = (json: TfJson) => ({
    vpc: addressAt(json, 'aws_vpc', 'Network'),
    cluster: addressAt(json, 'aws_eks_cluster', 'Cluster'),
    clusterRole: addressAt(json, 'aws_iam_role', 'Cluster/Role'),
    secretsKey: addressAt(json, 'aws_kms_key', 'Cluster/SecretsKey'),
    logsKey: addressAt(json, 'aws_kms_key', 'LogsKey'),
    imagesKey: addressAt(json, 'aws_kms_key', 'ImagesKey'),
    webRepository: addressAt(json, 'aws_ecr_repository', 'RepositoryCompanyWeb'),
    apiRepository: addressAt(json, 'aws_ecr_repository', 'RepositoryCompanyApi'),
    clusterLogs: addressAt(json, 'aws_cloudwatch_log_group', 'Cluster/LogGroup'),
    flowLogs: addressAt(json, 'aws_cloudwatch_log_group', 'Network/FlowLogGroup'),
  });
  const STATEFUL_ADDRESSES = {
    vpc: 'aws_vpc.Network_1C6012B5',
    cluster: 'aws_eks_cluster.Cluster_EB0386A7',
    clusterRole: 'aws_iam_role.Cluster_Role_98F7AEAC',
    secretsKey: 'aws_kms_key.Cluster_SecretsKey_462B29B5',
    logsKey: 'aws_kms_key.LogsKey_A6AB43B2',
    imagesKey: 'aws_kms_key.ImagesKey_954580DA',
    webRepository: 'aws_ecr_repository.RepositoryCompanyWeb_0823A012',
    apiRepository: 'aws_ecr_repository.RepositoryCompanyApi_2BB3A4AC',
    clusterLogs: 'aws_cloudwatch_log_group.Cluster_LogGroup_172FC6DD',
    flowLogs: 'aws_cloudwatch_log_group.Network_FlowLogGroup_1F868030',
  };

  test('pins the Terraform addresses of the stateful prod resources', () => {
    const { json } = synth('prod');
    expect(statefulAddresses(json)).toEqual(STATEFUL_ADDRESSES);
  });

  /** Per compute mode: how a fixture puts prod on it, and the addresses of the resources only that mode has. */
  const COMPUTE_ADDRESSES = {
    'auto-mode': {
      useMode: useAutoMode,
      addressesOf: (json: TfJson) => ({ nodeRole: addressAt(json, 'aws_iam_role', 'Cluster/AutoModeNodeRole') }),
      expected: { nodeRole: 'aws_iam_role.Cluster_AutoModeNodeRole_FD4A8684' },
    },
    'node-groups': {
      // FIXTURE_NODE_GROUPS holds one group named "general".
      useMode: (envInput: any) => useNodeGroups(envInput, FIXTURE_NODE_GROUPS),
      addressesOf: (json: TfJson) => ({
        nodeGroup: addressAt(json, 'aws_eks_node_group', 'Cluster/NodeGroupGeneral'),
        nodeRole: addressAt(json, 'aws_iam_role', 'Cluster/NodeGroupGeneral/Role'),
      }),
      expected: { nodeGroup: 'aws_eks_node_group.Cluster_NodeGroupGeneral_8E09B881', nodeRole: 'aws_iam_role.Cluster_NodeGroupGeneral_Role_0F6A1D30' },
    },
  } as const;

  // prod is put on each mode explicitly, so the pins hold whichever mode the example gives it.
  test.each(Object.keys(COMPUTE_ADDRESSES) as (keyof typeof COMPUTE_ADDRESSES)[])(
    'pins the Terraform addresses of prod on compute "%s": the resources of that mode, and the stateful ones unchanged',
    (mode) => {
      const { useMode, addressesOf, expected } = COMPUTE_ADDRESSES[mode];
      const input = exampleInput();
      useMode(envInputOf(input, 'prod'));
      const modeDefs = defineEnvironments(input);
      expect(modeDefs.environments.find((e) => e.name === 'prod')!.cluster.compute).toBe(mode);
      const { json } = synth('prod', modeDefs);
      expect(statefulAddresses(json)).toEqual(STATEFUL_ADDRESSES);
      expect(addressesOf(json)).toEqual(expected);
    },
  );

  test('grants no CI access and outputs no CI role when neither GitLab nor GitHub is configured', () => {
    const input = exampleInput();
    input.ci = { defaultBranch: 'main' };
    const { stack, json } = synth('dev', defineEnvironments(input));
    expect(stack.ciAccess).toBeUndefined();
    expect(Object.values(resourcesOf(json, 'aws_eks_access_entry')).filter((e) => String(e.principal_arn).includes(':role/deploykit-'))).toEqual([]);
    for (const kind of CI_ROLE_KINDS) expect(json.output).not.toHaveProperty(`ci_${kind}_role_arn`);
  });

  test('gives each runner network its own ingress rule at an address derived from the CIDR', () => {
    const input = exampleInput();
    const prod = input.environments.find((e: any) => e.name === 'prod')!;
    prod.deploy.runner = { ...prod.deploy.runner, networks: ['198.51.100.0/24', '192.0.2.64/26'] };
    const { json } = synth('prod', defineEnvironments(input));
    expect(Object.keys(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'))).toHaveLength(2);
    expect(addressAt(json, 'aws_vpc_security_group_ingress_rule', 'Cluster/ApiAccessFrom198-51-100-0-24')).toBe(
      'aws_vpc_security_group_ingress_rule.Cluster_ApiAccessFrom198-51-100-0-24_ACEE6FDA',
    );
    expect(resourceAt(json, 'aws_vpc_security_group_ingress_rule', 'Cluster/ApiAccessFrom192-0-2-64-26').cidr_ipv4).toBe('192.0.2.64/26');
  });

  test('opens the cluster security group to nobody when no runner network is given', () => {
    const input = exampleInput();
    const dev = input.environments.find((e: any) => e.name === 'dev')!;
    dev.deploy.runner = { gitlabTags: ['dev'] };
    const { json } = synth('dev', defineEnvironments(input));
    expect(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')).toEqual({});
  });

  test('refuses a role that carries another permissions boundary', () => {
    const { stack } = synth('dev');
    const [role] = [...stack.workloadIdentities.values()];
    role.resource.permissionsBoundary = 'arn:aws:iam::111111111111:policy/other';
    expect(() => synthStack(stack)).toThrow(
      `${role.resource.node.path}: 'permissionsBoundary' ("arn:aws:iam::111111111111:policy/other") is not the account's boundary; remove it (deploykit sets arn:aws:iam::111111111111:policy/deploykit-company-boundary) — the CI apply role can create roles only with that boundary`,
    );
  });

  test('names every role with the stack or cluster prefix when the cluster has its own name', () => {
    const input = exampleInput();
    input.environments[2].cluster.name = 'company-production';
    const definitions = defineEnvironments(input);
    const prod = definitions.environments[2];
    const { json } = synth('prod', definitions);
    expect(managedRoleNamePrefixes(definitions.system, prod)).toEqual(['company-prod-', 'company-production-']);
    for (const role of Object.values(resourcesOf(json, 'aws_iam_role'))) {
      expect(managedRoleNamePrefixes(definitions.system, prod).some((p) => String(role.name).startsWith(p))).toBe(true);
    }
  });

  test('creates one repository for services sharing an image repository', () => {
    const input = exampleInput();
    input.services['company-api'].image.repository = 'company/shared';
    input.services['company-web'].image.repository = 'company/shared';
    const { json } = synth('staging', defineEnvironments(input));
    expect(Object.values(resourcesOf(json, 'aws_ecr_repository')).map((r) => r.name)).toEqual(['company/shared']);
    const workloads = Object.values(resourcesOf(json, 'aws_eks_pod_identity_association')).filter((a) => a.namespace !== CLUSTER_AUTOSCALER.namespace);
    expect(workloads).toHaveLength(2);
  });
});
