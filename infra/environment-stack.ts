/**
 * One Terraform stack per environment: provider, state backend and the environment's resources.
 * The stack only composes constructs; resource logic lives in `constructs/`.
 */
import { Aspects, AwsProvider, type ITerraformDependable, S3Backend, TerraformOutput, TerraformStack } from './vendor/terraform';
import type { Construct } from 'constructs';
import {
  MANAGED_BY,
  awsSecretReferences,
  readsAwsSecrets,
  CI_ROLE_KINDS,
  CLUSTER_AUTOSCALER,
  autoModeNodeRoleName,
  ciApplyRoleArn,
  ciDeployRoleArn,
  ciRoleArn,
  CLOUDWATCH_AGENT,
  CONTAINER_INSIGHTS_LOG_GROUPS,
  clusterComponentRoleName,
  clusterName,
  containerInsightsLogGroupName,
  loadBalancerName,
  permissionsBoundaryArn,
  promotionTargets,
  namespaceName,
  repositoryName,
  serviceAccountName,
  stackName,
  stateKey,
  workloadRoleName,
  type Definitions,
  type EnvironmentDefinition,
} from '../config';
import { CiClusterAccess } from './constructs/ci-cluster-access';
import { ClusterAutoscalerIdentity } from './constructs/cluster-autoscaler-identity';
import { ClusterObservability } from './constructs/cluster-observability';
import { EcrRepository } from './constructs/ecr-repository';
import { EksCluster } from './constructs/eks-cluster';
import { EncryptionKey } from './constructs/encryption-key';
import { Network } from './constructs/network';
import { ServiceAlarms } from './constructs/service-alarms';
import { SecretsStoreCsiDriver } from './constructs/secrets-store-csi-driver';
import { WorkloadIdentity } from './constructs/workload-identity';
import { PermissionsBoundaryAspect } from './permissions-boundary-aspect';
import { sidFrom } from './policy-statement';

/** Props of {@link EnvironmentStack}. */
export interface EnvironmentStackProps {
  /** The resolved definitions the environment belongs to. */
  readonly definitions: Definitions;
  /** The environment this stack builds. */
  readonly environment: EnvironmentDefinition;
}

/** The Terraform stack of one environment. */
export class EnvironmentStack extends TerraformStack {
  /** The VPC and subnets. */
  public readonly network: Network;
  /** The EKS cluster and its node groups. */
  public readonly cluster: EksCluster;
  /** The IAM identity of the Cluster Autoscaler; undefined with compute "auto-mode". */
  public readonly clusterAutoscaler: ClusterAutoscalerIdentity | undefined;
  /** ECR repositories by repository name. */
  public readonly repositories: ReadonlyMap<string, EcrRepository>;
  /** Workload identities by service name. */
  public readonly workloadIdentities: ReadonlyMap<string, WorkloadIdentity>;
  /** The Secrets Store CSI Driver add-on; undefined when no service reads a secret from AWS. */
  public readonly secretsStoreCsiDriver: SecretsStoreCsiDriver | undefined;
  /**
   * The EKS access entries of the CI apply and deploy roles (the roles themselves come from
   * `deploykit bootstrap`); undefined when `ci` configures neither GitLab nor GitHub.
   */
  public readonly ciAccess: CiClusterAccess | undefined;
  /** Container Insights (the CloudWatch Observability add-on); undefined when `observability.containerInsights` is false. */
  public readonly observability: ClusterObservability | undefined;
  /** CloudWatch alarms by service name; empty when `observability.alarms.enabled` is false. */
  public readonly serviceAlarms: ReadonlyMap<string, ServiceAlarms>;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id);
    const { definitions, environment: env } = props;
    const system = definitions.system;
    const name = stackName(system, env);
    const cluster = clusterName(system, env);

    new AwsProvider(this, 'aws', {
      region: env.region,
      allowedAccountIds: [env.account],
      defaultTags: [{ tags: { environment: env.name, system: system.name, 'managed-by': MANAGED_BY, ...env.tags } }],
    });
    const backend = new S3Backend(this, {
      bucket: env.state.bucket,
      key: stateKey(system, env),
      region: env.state.region,
      encrypt: true,
    });
    backend.addOverride('use_lockfile', true);

    const logsKey = new EncryptionKey(this, 'LogsKey', {
      account: env.account,
      region: env.region,
      aliasName: `${name}/logs`,
      description: `CloudWatch log groups of ${name} (VPC flow logs, EKS control plane)`,
      allowCloudWatchLogs: true,
    });

    this.network = new Network(this, 'Network', {
      name,
      clusterName: cluster,
      account: env.account,
      region: env.region,
      vpcCidr: env.network.vpcCidr,
      availabilityZones: env.network.availabilityZones,
      publicSubnetCidrs: env.network.publicSubnetCidrs,
      privateSubnetCidrs: env.network.privateSubnetCidrs,
      natGateways: env.network.natGateways,
      flowLogRetentionDays: env.network.flowLogRetentionDays,
      logEncryptionKey: logsKey,
    });

    this.cluster = new EksCluster(this, 'Cluster', {
      clusterName: cluster,
      kubernetesVersion: env.cluster.kubernetesVersion,
      account: env.account,
      region: env.region,
      subnetIds: this.network.privateSubnets.subnetIds,
      endpointAccess: env.cluster.endpointAccess,
      publicAccessCidrs: env.cluster.publicAccessCidrs,
      logRetentionDays: env.cluster.logRetentionDays,
      logEncryptionKey: logsKey,
      admins: env.cluster.admins,
      compute: env.cluster.compute,
      ...(env.cluster.compute === 'auto-mode' ? { autoModeNodeRoleName: autoModeNodeRoleName(system, env) } : {}),
    });
    // The CI runners of the jobs that run kubectl reach the API through the cluster security group.
    for (const cidr of env.deploy.runner?.networks ?? []) {
      this.cluster.allowApiAccessFrom(cidr, `Kubernetes API from the CI runners of ${name} (deploy.runner.networks)`);
    }
    const nodeGroups: ITerraformDependable[] = [];
    for (const ng of env.cluster.nodeGroups) {
      const nodeGroup = this.cluster.addNodeGroup({
        nodeGroupName: ng.name,
        instanceTypes: ng.instanceTypes,
        capacityType: ng.capacityType,
        amiType: ng.amiType,
        diskSizeGiB: ng.diskSizeGiB,
        minSize: ng.minSize,
        desiredSize: ng.desiredSize,
        maxSize: ng.maxSize,
        maxUnavailablePercent: ng.maxUnavailablePercent,
        labels: ng.labels,
        taints: ng.taints,
      });
      nodeGroups.push(nodeGroup.resource);
    }
    // Node groups grow and shrink through the Cluster Autoscaler the Kubernetes layer installs; its
    // pods get this role through EKS Pod Identity.
    this.clusterAutoscaler =
      env.cluster.compute === 'node-groups'
        ? new ClusterAutoscalerIdentity(this, 'ClusterAutoscaler', {
            roleName: clusterComponentRoleName(system, env, CLUSTER_AUTOSCALER),
            cluster: this.cluster,
            namespace: CLUSTER_AUTOSCALER.namespace,
            serviceAccount: CLUSTER_AUTOSCALER.serviceAccount,
            tags: { component: CLUSTER_AUTOSCALER.serviceAccount },
          })
        : undefined;

    const imagesKey = new EncryptionKey(this, 'ImagesKey', {
      account: env.account,
      region: env.region,
      aliasName: `${name}/ecr`,
      description: `Container images in the ECR repositories of ${name}`,
    });
    const repositories = new Map<string, EcrRepository>();
    const identities = new Map<string, WorkloadIdentity>();
    for (const service of env.services) {
      const repoName = repositoryName(service);
      if (!repositories.has(repoName)) {
        repositories.set(
          repoName,
          new EcrRepository(this, `Repository${sidFrom(repoName)}`, {
            repositoryName: repoName,
            account: env.account,
            region: env.region,
            encryptionKey: imagesKey,
            tags: { service: service.name },
          }),
        );
      }
      identities.set(
        service.name,
        new WorkloadIdentity(this, `Workload${sidFrom(service.name)}`, {
          roleName: workloadRoleName(system, env, service),
          cluster: this.cluster,
          namespace: namespaceName(service),
          serviceAccount: serviceAccountName(service),
          tags: { service: service.name },
        }),
      );
      identities.get(service.name)!.grantReadSecrets(awsSecretReferences(env, service));
    }
    this.repositories = repositories;
    // The driver that delivers the services' AWS secrets (their SecretProviderClasses), when any reads one.
    this.secretsStoreCsiDriver = readsAwsSecrets(env) ? new SecretsStoreCsiDriver(this, 'SecretsStoreCsiDriver', { cluster: this.cluster }) : undefined;
    this.workloadIdentities = identities;

    // The release-tag environments after this one (usually in other accounts) promote this environment's verified images.
    const promotedTo = promotionTargets(definitions, env).map((target) => ciDeployRoleArn(system, target));
    if (promotedTo.length > 0) for (const repository of repositories.values()) repository.allowPull(promotedTo);

    const observability = env.observability;
    const podIdentityAgent = this.cluster.addons['eks-pod-identity-agent'];
    this.observability = observability.containerInsights
      ? new ClusterObservability(this, 'Observability', {
          cluster: this.cluster,
          roleName: clusterComponentRoleName(system, env, CLOUDWATCH_AGENT),
          agent: CLOUDWATCH_AGENT,
          logGroupNames: Object.fromEntries(
            CONTAINER_INSIGHTS_LOG_GROUPS.map((kind) => [kind, containerInsightsLogGroupName(system, env, kind)]),
          ) as Record<(typeof CONTAINER_INSIGHTS_LOG_GROUPS)[number], string>,
          logRetentionDays: observability.logRetentionDays,
          logEncryptionKey: logsKey,
          dependsOn: [...nodeGroups, ...(podIdentityAgent ? [podIdentityAgent] : [])],
        })
      : undefined;
    const alarms = new Map<string, ServiceAlarms>();
    if (observability.alarms.enabled) {
      for (const service of env.services) {
        alarms.set(
          service.name,
          new ServiceAlarms(this, `Alarms${sidFrom(service.name)}`, {
            alarmNamePrefix: `${name}-${service.name}`,
            cluster: this.cluster,
            namespace: namespaceName(service),
            workloadName: service.name,
            restartThreshold: observability.alarms.restartThreshold,
            maxReplicas: service.autoscaling?.maxReplicas,
            loadBalancerName: service.ingress ? loadBalancerName(system, env, service) : undefined,
            target5xxThreshold: observability.alarms.target5xxThreshold,
            actionsTopicArn: observability.alarms.actionsTopicArn,
            tags: { service: service.name },
          }),
        );
      }
    }
    this.serviceAlarms = alarms;

    const ci = definitions.ci;
    this.ciAccess =
      ci.gitlab || ci.github
        ? new CiClusterAccess(this, 'CiAccess', {
            cluster: this.cluster,
            applyRoleArn: ciApplyRoleArn(system, env),
            deployRoleArn: ciDeployRoleArn(system, env),
            namespaces: [...new Set(env.services.map(namespaceName))],
          })
        : undefined;

    // Every role of the stack, a team's own included, carries the account's permissions boundary.
    Aspects.of(this).add(new PermissionsBoundaryAspect(permissionsBoundaryArn(system, env)));

    // Output names are snake_case: pipelines read them with `terraform output <name>`.
    new TerraformOutput(this, 'cluster_name', { value: this.cluster.clusterName, description: 'EKS cluster name' });
    new TerraformOutput(this, 'cluster_endpoint', { value: this.cluster.endpoint, description: 'Kubernetes API endpoint' });
    new TerraformOutput(this, 'repository_urls', {
      value: Object.fromEntries([...repositories].map(([repo, r]) => [repo, r.repositoryUrl])),
      description: 'ECR repository URL by repository name',
    });
    new TerraformOutput(this, 'workload_role_arns', {
      value: Object.fromEntries([...identities].map(([service, w]) => [service, w.roleArn])),
      description: 'Workload IAM role ARN by service',
    });
    if (this.ciAccess) {
      for (const kind of CI_ROLE_KINDS) {
        new TerraformOutput(this, `ci_${kind}_role_arn`, { value: ciRoleArn(system, env, kind), description: `CI ${kind} role (created by deploykit bootstrap)` });
      }
    }
  }
}
