/**
 * An EKS cluster in private subnets: secrets envelope encryption with a dedicated, rotated KMS key,
 * all five control-plane log types into a pre-created, encrypted log group, API-only
 * authentication with access entries (no aws-auth ConfigMap, no implicit creator admin). The
 * cluster security group admits only the control plane and the nodes;
 * {@link EksCluster.allowApiAccessFrom} opens the API (TCP 443) to further networks.
 *
 * Two compute modes (see docs/adr/0006-compute-mode.md):
 * - `node-groups`: managed node groups ({@link EksCluster.addNodeGroup}), managed add-ons (the VPC
 *   CNI enforcing NetworkPolicies, kube-proxy, CoreDNS, the Pod Identity agent, metrics-server) and
 *   a cluster role with only `AmazonEKSClusterPolicy`;
 * - `auto-mode`: EKS Auto Mode launches, scales and patches the nodes from its built-in node pools
 *   and runs the load balancer and EBS controllers; networking, kube-proxy, CoreDNS and the Pod
 *   Identity agent are built into its nodes, so only metrics-server is installed as an add-on. The
 *   cluster role carries the five policies AWS documents for Auto Mode, and a node role is created.
 */
import {
  CloudwatchLogGroup,
  DataAwsEksCluster,
  dependable,
  EksAccessEntry,
  EksAccessPolicyAssociation,
  EksAddon,
  EksCluster as EksClusterResource,
  IamRole,
  IamRolePolicy,
  IamRolePolicyAttachment,
  type ITerraformDependable,
  VpcSecurityGroupIngressRule,
} from '../vendor/terraform';
import { Construct, type IConstruct } from 'constructs';
import { formatCidr, isNetworkAddress, networkOf, parseCidr, propIssue, throwIfInvalidProps, truncateName, type ValidationIssue } from '../../config';
import { partitionOfRegion, type AwsPartition } from '../aws-partition';
import { throwIfInvalidArguments } from '../private/invalid-arguments';
import { checkResourceLocation, throwIfInvalidAttributes } from '../private/resource-location';
import { policyDocument, sidFrom } from '../policy-statement';
import { awsManagedPolicyArn, eksAccessPolicyArn } from '../private/arn';
import { serviceTrustPolicy, trustPolicy } from '../private/trust-policy';
import { AutoModeNodeRole } from './auto-mode-node-role';
import { EncryptionKey } from './encryption-key';
import { NodeGroup, type NodeGroupProps } from './node-group';

/** Who can reach the Kubernetes API endpoint. */
export type EndpointAccess = 'private' | 'public-and-private';

/** Every EKS control-plane log type; all are enabled. */
export const CLUSTER_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** Port of the Kubernetes API on the cluster's private endpoint network interfaces. */
export const API_PORT = 443;

/** Characters EC2 accepts in a security group rule description (at most 255 of them). */
const RULE_DESCRIPTION_REGEX = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;

/** How the cluster gets its nodes: EKS Auto Mode, or managed node groups scaled by the Cluster Autoscaler. */
export type ComputeMode = 'auto-mode' | 'node-groups';

/** Managed add-ons a node-groups cluster gets, in creation order. */
export const CLUSTER_ADDONS = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent', 'coredns', 'metrics-server'] as const;

/**
 * Add-ons whose function EKS Auto Mode builds into its nodes (pod networking and NetworkPolicy
 * enforcement, service routing, DNS, Pod Identity); an Auto Mode cluster does not install them.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/automode.html
 */
export const AUTO_MODE_BUILT_IN_ADDONS: readonly (typeof CLUSTER_ADDONS)[number][] = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent', 'coredns'];

/** Managed add-ons of a cluster in a compute mode, in creation order (metrics-server feeds the HPAs in both). */
export function clusterAddons(compute: ComputeMode): readonly (typeof CLUSTER_ADDONS)[number][] {
  return compute === 'auto-mode' ? CLUSTER_ADDONS.filter((a) => !AUTO_MODE_BUILT_IN_ADDONS.includes(a)) : CLUSTER_ADDONS;
}

/**
 * AWS managed policies on the cluster role of an Auto Mode cluster (compute, EBS volumes, load
 * balancers, node networking), besides `AmazonEKSClusterPolicy` every cluster role has.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-cluster-iam-role.html
 */
export const AUTO_MODE_CLUSTER_POLICIES = ['AmazonEKSComputePolicy', 'AmazonEKSBlockStoragePolicy', 'AmazonEKSLoadBalancingPolicy', 'AmazonEKSNetworkingPolicy'] as const;

/** The built-in node pools of EKS Auto Mode the cluster enables: ordinary workloads and cluster add-ons. */
export const AUTO_MODE_NODE_POOLS = ['general-purpose', 'system'] as const;

/**
 * Configuration (`configuration_values`, JSON) of the add-ons that need more than their defaults.
 * `vpc-cni` enforces NetworkPolicies only when asked to: without `enableNetworkPolicy` the cluster
 * accepts the generated policies and ignores them.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
 */
export const ADDON_CONFIGURATION: Readonly<Partial<Record<(typeof CLUSTER_ADDONS)[number], Readonly<Record<string, unknown>>>>> = {
  'vpc-cni': { enableNetworkPolicy: 'true' },
};

/** Add-ons whose pods need nodes to become healthy; they wait for the node groups. */
const ADDONS_NEEDING_NODES: readonly string[] = ['coredns', 'metrics-server'];

/** Props of {@link EksCluster}. */
export interface EksClusterProps {
  /** EKS cluster name (1–100 characters: letters, digits, '-', '_'). */
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. `1.35`. */
  readonly kubernetesVersion: string;
  /** AWS account id (owner of the KMS key). */
  readonly account: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** Private subnets of the control-plane network interfaces and the nodes (two zones at least). */
  readonly subnetIds: readonly string[];
  /**
   * API endpoint exposure: `private` (reachable only from the VPC) or `public-and-private`
   * (also from `publicAccessCidrs`).
   * @default "private"
   * @see https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html
   */
  readonly endpointAccess?: EndpointAccess;
  /**
   * Networks allowed to reach a public endpoint; required with `public-and-private`, never `0.0.0.0/0`.
   * @default []
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * Days control-plane logs are kept.
   * @default 90
   */
  readonly logRetentionDays?: number;
  /** KMS key that encrypts the control-plane log group; it must allow CloudWatch Logs. */
  readonly logEncryptionKey: EncryptionKey;
  /**
   * IAM role or user ARNs granted `AmazonEKSClusterAdminPolicy` (cluster scope) through access entries.
   * @default []
   */
  readonly admins?: readonly string[];
  /**
   * How the cluster gets its nodes: `node-groups` (add them with {@link EksCluster.addNodeGroup}) or
   * `auto-mode` (EKS Auto Mode's built-in node pools; no node groups). Changing it on an existing
   * cluster replaces the cluster (`bootstrap_self_managed_addons` differs); see docs/UPGRADE.md.
   * @default "node-groups"
   * @see https://docs.aws.amazon.com/eks/latest/userguide/automode.html
   */
  readonly compute?: ComputeMode;
  /**
   * Name of the Auto Mode node role (only with `compute: "auto-mode"`).
   * @default "<clusterName>-auto-node"
   */
  readonly autoModeNodeRoleName?: string;
}

/** Options of {@link EksCluster.addNodeGroup}: a node group without the cluster-given fields. */
export type NodeGroupOptions = Omit<NodeGroupProps, 'cluster' | 'subnetIds' | 'roleName'>;

/** EKS cluster names: 1–100 letters, digits, '-' and '_', starting with a letter or digit. */
const CLUSTER_NAME_REGEX = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/**
 * An EKS cluster, created by this stack ({@link EksCluster}) or owned by another one
 * ({@link EksCluster.fromClusterAttributes}): what the constructs that attach to a cluster (workload
 * identities, access entries, add-ons, node groups, alarms) need of it.
 */
export interface IEksCluster extends IConstruct {
  /**
   * Name of the cluster for resource arguments: a reference to the cluster resource when this stack
   * creates it (using it orders a resource after the cluster), the literal name when imported.
   */
  readonly clusterName: string;
  /**
   * Name of the cluster as a literal, known at synth: for ARNs, tag keys and metric dimensions, and
   * for arguments that must be readable offline (`deploykit check`).
   */
  readonly clusterNameLiteral: string;
  /** ARN of the cluster (pins `aws:SourceArn` and the `eks-cluster-arn` session tag of Pod Identity roles). */
  readonly clusterArn: string;
  /** AWS account id of the cluster (pins `aws:SourceAccount` of Pod Identity roles). */
  readonly account: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** AWS partition of the region. */
  readonly partition: AwsPartition;
  /** URL of the Kubernetes API endpoint (known after the cluster exists; at plan time for an imported cluster). */
  readonly endpoint: string;
  /** Base64 certificate authority data of the API endpoint (known after the cluster exists). */
  readonly certificateAuthorityData: string;
  /**
   * The security group EKS created for the cluster, on its control-plane network interfaces and its
   * managed nodes (known after the cluster exists).
   */
  readonly clusterSecurityGroupId: string;
  /**
   * What a resource that names the cluster by its literal name must wait for: the cluster resource
   * when this stack creates it, nothing when the cluster is imported.
   */
  readonly clusterDependencies: readonly ITerraformDependable[];
}

/** What {@link EksCluster.fromClusterAttributes} needs to reference a cluster another stack owns. */
export interface EksClusterAttributes {
  /** Name of the cluster, e.g. `company-prod`. */
  readonly clusterName: string;
  /** AWS account id of the cluster (12 digits). */
  readonly account: string;
  /** AWS region of the cluster, e.g. `eu-central-1`. */
  readonly region: string;
  /**
   * AWS partition of the region.
   * @default - derived from the region: `cn-*` → `aws-cn`, `us-gov-*` → `aws-us-gov`, else `aws`
   */
  readonly partition?: AwsPartition;
  /**
   * URL of the Kubernetes API endpoint.
   * @default - read at plan time through an `aws_eks_cluster` data source (construct id `Lookup`), when used
   */
  readonly endpoint?: string;
  /**
   * Base64 certificate authority data of the API endpoint.
   * @default - read at plan time through the `aws_eks_cluster` data source, when used
   */
  readonly certificateAuthorityData?: string;
  /**
   * Id of the cluster security group EKS created.
   * @default - read at plan time through the `aws_eks_cluster` data source, when used
   */
  readonly clusterSecurityGroupId?: string;
}

/** The ARN of an EKS cluster: `arn:<partition>:eks:<region>:<account>:cluster/<name>`. */
export function eksClusterArnOf(location: { readonly partition: AwsPartition; readonly region: string; readonly account: string }, clusterName: string): string {
  return `arn:${location.partition}:eks:${location.region}:${location.account}:cluster/${clusterName}`;
}

function clusterNameIssue(construct: IConstruct, clusterName: string): ValidationIssue {
  return propIssue(construct, {
    field: 'clusterName',
    value: clusterName,
    rule: 'is not a valid EKS cluster name',
    fix: "use 1–100 letters, digits, '-' and '_', starting with a letter or digit",
  });
}

/**
 * A cluster another stack owns, referenced by its literal name and ARN (computed offline). The
 * values only AWS knows (endpoint, certificate authority, security group) come from the attributes
 * or, when used without them, from an `aws_eks_cluster` data source read at plan time.
 */
class ImportedEksCluster extends Construct implements IEksCluster {
  public readonly clusterName: string;
  public readonly clusterNameLiteral: string;
  public readonly clusterArn: string;
  public readonly account: string;
  public readonly region: string;
  public readonly partition: AwsPartition;
  public readonly clusterDependencies: readonly ITerraformDependable[] = [];

  private readonly attributes: EksClusterAttributes;
  private lookup: DataAwsEksCluster | undefined;

  constructor(scope: Construct, id: string, attributes: EksClusterAttributes) {
    super(scope, id);
    const issues: ValidationIssue[] = [];
    if (!CLUSTER_NAME_REGEX.test(attributes.clusterName)) issues.push(clusterNameIssue(this, attributes.clusterName));
    this.partition = checkResourceLocation(this, attributes, issues);
    throwIfInvalidAttributes(this, 'EksCluster.fromClusterAttributes', issues);
    this.attributes = attributes;
    this.clusterName = attributes.clusterName;
    this.clusterNameLiteral = attributes.clusterName;
    this.account = attributes.account;
    this.region = attributes.region;
    this.clusterArn = eksClusterArnOf(this, attributes.clusterName);
  }

  public get endpoint(): string {
    return this.attributes.endpoint ?? this.describe().endpoint;
  }

  public get certificateAuthorityData(): string {
    return this.attributes.certificateAuthorityData ?? this.describe().certificateAuthority.get(0).data;
  }

  public get clusterSecurityGroupId(): string {
    return this.attributes.clusterSecurityGroupId ?? this.describe().vpcConfig.get(0).clusterSecurityGroupId;
  }

  /** The `aws_eks_cluster` data source, created when a value only AWS knows is first used. */
  private describe(): DataAwsEksCluster {
    return (this.lookup ??= new DataAwsEksCluster(this, 'Lookup', { name: this.clusterName }));
  }
}

/** An EKS cluster with encryption, logging, access entries and managed add-ons. */
export class EksCluster extends Construct implements IEksCluster {
  /**
   * References a cluster another stack owns, by its name, account and region: the ARN is computed
   * offline, so workload identities and access entries name the literal cluster. No AWS call at
   * synth; the endpoint, certificate authority and security group come from `attributes` or, when
   * used without them, from an `aws_eks_cluster` data source read at plan time.
   * @example EksCluster.fromClusterAttributes(this, 'Cluster', { clusterName: 'company-prod', account: '111111111111', region: 'eu-central-1' })
   */
  public static fromClusterAttributes(scope: Construct, id: string, attributes: EksClusterAttributes): IEksCluster {
    return new ImportedEksCluster(scope, id, attributes);
  }

  /** The underlying `aws_eks_cluster` (escape hatch). */
  public readonly resource: EksClusterResource;
  /** The KMS key that envelope-encrypts Kubernetes Secrets. */
  public readonly secretsKey: EncryptionKey;
  /** The cluster IAM role. */
  public readonly role: IamRole;
  /** How the cluster gets its nodes. */
  public readonly compute: ComputeMode;
  /** The role of the nodes EKS Auto Mode launches; undefined with `node-groups`. */
  public readonly autoModeNodeRole: AutoModeNodeRole | undefined;
  /** Name of the cluster (a reference: using it orders resources after the cluster). */
  public readonly clusterName: string;
  /** Name of the cluster as a literal (for ARNs, tag keys and metric dimensions). */
  public readonly clusterNameLiteral: string;
  /** ARN of the cluster. */
  public readonly clusterArn: string;
  /** AWS account id of the cluster. */
  public readonly account: string;
  /** AWS region of the cluster. */
  public readonly region: string;
  /** AWS partition of the region. */
  public readonly partition: AwsPartition;
  /** URL of the Kubernetes API endpoint. */
  public readonly endpoint: string;
  /** The cluster resource: what resources naming the cluster by its literal name wait for. */
  public readonly clusterDependencies: readonly ITerraformDependable[];
  /** Name of the control-plane log group, `/aws/eks/<cluster>/cluster`. */
  public readonly logGroupName: string;
  /** Managed add-ons by name. */
  public readonly addons: Readonly<Record<string, EksAddon>>;
  /**
   * The security group EKS creates for the cluster (on the control-plane network interfaces and the
   * managed nodes); a reference, known after the cluster exists.
   */
  public readonly clusterSecurityGroupId: string;

  private readonly subnetIds: readonly string[];
  private readonly nodeGroups: NodeGroup[] = [];
  private readonly apiAccessCidrs = new Set<string>();

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    const endpointAccess = props.endpointAccess ?? 'private';
    const publicAccessCidrs = props.publicAccessCidrs ?? [];
    const admins = props.admins ?? [];
    const compute = props.compute ?? 'node-groups';
    const issues: ValidationIssue[] = [];
    if (!CLUSTER_NAME_REGEX.test(props.clusterName)) issues.push(clusterNameIssue(this, props.clusterName));
    if (props.subnetIds.length < 2) {
      issues.push(propIssue(this, { field: 'subnetIds', value: props.subnetIds, rule: 'must list at least 2 subnets in different zones, which EKS requires', fix: 'add a subnet in a second zone' }));
    }
    if (endpointAccess === 'public-and-private' && publicAccessCidrs.length === 0) {
      issues.push(
        propIssue(this, {
          field: 'publicAccessCidrs',
          value: publicAccessCidrs,
          rule: `is empty while 'endpointAccess' is "public-and-private", which EKS would open to 0.0.0.0/0`,
          fix: 'list the networks allowed to reach the API, or use "private"',
        }),
      );
    }
    publicAccessCidrs.forEach((cidr, i) => {
      if (cidr.endsWith('/0')) {
        issues.push(
          propIssue(this, {
            field: `publicAccessCidrs[${i}]`,
            value: cidr,
            rule: 'opens the Kubernetes API to the whole internet',
            fix: 'list specific networks (office, VPN) or use endpointAccess "private"',
          }),
        );
      }
    });
    admins.forEach((admin, i) => {
      if (admins.indexOf(admin) < i) {
        issues.push(propIssue(this, { field: `admins[${i}]`, value: admin, rule: `repeats admins[${admins.indexOf(admin)}]`, fix: 'list each principal once' }));
      }
    });
    if (compute !== 'auto-mode' && props.autoModeNodeRoleName !== undefined) {
      issues.push(
        propIssue(this, {
          field: 'autoModeNodeRoleName',
          value: props.autoModeNodeRoleName,
          rule: `is set while 'compute' is "${compute}"`,
          fix: 'remove it or use compute "auto-mode"',
        }),
      );
    }
    throwIfInvalidProps(this, issues);
    const where = this.node.path;
    this.clusterNameLiteral = props.clusterName;
    this.account = props.account;
    this.region = props.region;
    this.partition = partitionOfRegion(props.region);
    this.subnetIds = props.subnetIds;
    this.compute = compute;
    const autoMode = compute === 'auto-mode';

    this.secretsKey = new EncryptionKey(this, 'SecretsKey', {
      account: props.account,
      region: props.region,
      aliasName: `${props.clusterName}/eks-secrets`,
      description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${props.clusterName}`,
    });

    this.role = new IamRole(this, 'Role', {
      name: truncateName(`${props.clusterName}-cluster`, 64),
      description: `Control plane of EKS cluster ${props.clusterName}`,
      // Auto Mode tags the sessions of its cluster role (eks:eks-cluster-name), which its policies' conditions read.
      assumeRolePolicy: autoMode
        ? trustPolicy([{ sid: 'AssumedByService', principal: { Service: 'eks.amazonaws.com' }, actions: ['sts:AssumeRole', 'sts:TagSession'] }])
        : serviceTrustPolicy('eks.amazonaws.com'),
    });
    const clusterPolicies = (['AmazonEKSClusterPolicy', ...(autoMode ? AUTO_MODE_CLUSTER_POLICIES : [])] as const).map(
      (policy) => new IamRolePolicyAttachment(this, policy, { role: this.role.name, policyArn: awsManagedPolicyArn(policy) }),
    );
    this.autoModeNodeRole = autoMode
      ? new AutoModeNodeRole(this, 'AutoModeNodeRole', {
          roleName: props.autoModeNodeRoleName ?? truncateName(`${props.clusterName}-auto-node`, 64),
          clusterName: props.clusterName,
        })
      : undefined;
    const keyPolicy = new IamRolePolicy(this, 'SecretsKeyPolicy', {
      name: 'use-secrets-key',
      role: this.role.id,
      policy: policyDocument([
        {
          sid: 'EnvelopeEncryptSecrets',
          actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ListGrants'],
          resources: [this.secretsKey.keyArn],
        },
      ]),
    });

    this.logGroupName = `/aws/eks/${props.clusterName}/cluster`;
    const logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: this.logGroupName,
      retentionInDays: props.logRetentionDays ?? 90,
      kmsKeyId: props.logEncryptionKey.keyArn,
    });

    const isPublic = endpointAccess === 'public-and-private';
    this.resource = new EksClusterResource(this, 'Resource', {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: this.role.arn,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: isPublic,
        ...(isPublic ? { publicAccessCidrs: [...publicAccessCidrs] } : {}),
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.secretsKey.keyArn } },
      enabledClusterLogTypes: [...CLUSTER_LOG_TYPES],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      // Node-groups clusters leave these unset, so existing clusters see no change (the provider
      // replaces a cluster whose bootstrap_self_managed_addons changes).
      ...(this.autoModeNodeRole
        ? {
            computeConfig: { enabled: true, nodePools: [...AUTO_MODE_NODE_POOLS], nodeRoleArn: this.autoModeNodeRole.roleArn },
            kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
            storageConfig: { blockStorage: { enabled: true } },
            bootstrapSelfManagedAddons: false,
          }
        : {}),
      // The log group must exist first, or EKS creates an unencrypted one without retention.
      dependsOn: [logGroup, ...clusterPolicies, keyPolicy, ...(this.autoModeNodeRole?.attachments ?? [])],
    });
    this.clusterName = this.resource.name;
    this.clusterArn = this.resource.arn;
    this.endpoint = this.resource.endpoint;
    this.clusterSecurityGroupId = this.resource.vpcConfig.clusterSecurityGroupId;
    this.clusterDependencies = [this.resource];

    for (const arn of admins) {
      this.addAccessEntry(`Admin${sidFrom(arn.split(':').slice(4).join('-'))}`, {
        principalArn: arn,
        accessPolicy: 'AmazonEKSClusterAdminPolicy',
      });
    }

    const addons: Record<string, EksAddon> = {};
    for (const addonName of clusterAddons(compute)) {
      const configuration = ADDON_CONFIGURATION[addonName];
      addons[addonName] = new EksAddon(this, `Addon${sidFrom(addonName)}`, {
        clusterName: this.clusterName,
        addonName,
        ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
      });
    }
    this.addons = addons;
    this.node.addValidation({
      validate: () =>
        !autoMode && this.nodeGroups.length === 0
          ? [`${where}: the cluster has no node group, so coredns and metrics-server cannot run; call addNodeGroup() or use compute "auto-mode"`]
          : [],
    });
  }

  /** Base64 certificate authority data of the API endpoint (a reference, known after the cluster exists). */
  public get certificateAuthorityData(): string {
    return this.resource.certificateAuthority.get(0).data;
  }

  /**
   * Adds a managed node group in the cluster's subnets (compute `node-groups` only); coredns and
   * metrics-server wait for it.
   * The construct id is `NodeGroup<Name>` (`general` → `NodeGroupGeneral`).
   */
  public addNodeGroup(options: NodeGroupOptions): NodeGroup {
    if (this.compute === 'auto-mode') {
      throwIfInvalidArguments(this, 'addNodeGroup', [
        propIssue(this, {
          field: 'nodeGroupName',
          value: options.nodeGroupName,
          rule: 'is a node group on a cluster with compute "auto-mode", where EKS Auto Mode provides and scales the nodes',
          fix: 'remove the node group or use compute "node-groups"',
        }),
      ]);
    }
    const nodeGroup = new NodeGroup(this, `NodeGroup${sidFrom(options.nodeGroupName)}`, {
      ...options,
      cluster: this,
      subnetIds: this.subnetIds,
      roleName: truncateName(`${this.clusterNameLiteral}-${options.nodeGroupName}-node`, 64),
    });
    this.nodeGroups.push(nodeGroup);
    for (const addonName of ADDONS_NEEDING_NODES) {
      const addon = this.addons[addonName];
      addon.dependsOn = [...(addon.dependsOn ?? []), dependable(nodeGroup.resource)];
    }
    return nodeGroup;
  }

  /**
   * Lets a network reach the Kubernetes API through the cluster's private endpoint: an ingress rule
   * for TCP 443 from `cidr` on the cluster security group (e.g. the subnet of CI runners inside the
   * VPC, or a peered or VPN network). The construct id derives from the CIDR
   * (`10.30.200.0/24` → `ApiAccessFrom10-30-200-0-24`), so the Terraform address stays stable.
   * @param cidr an IPv4 network (`a.b.c.d/n`, no host bits set), never `0.0.0.0/0`
   * @param description what the network is, shown on the rule (at most 255 characters EC2 accepts)
   * @see https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html
   */
  public allowApiAccessFrom(cidr: string, description: string): VpcSecurityGroupIngressRule {
    const block = parseCidr(cidr);
    const issue = (problem: { field: string; value: string; rule: string; fix: string }) => propIssue(this, problem);
    const issues: ValidationIssue[] = [];
    if (!block) {
      issues.push(issue({ field: 'cidr', value: cidr, rule: 'is not an IPv4 CIDR', fix: 'write it as a.b.c.d/n' }));
    } else if (block.prefixLength === 0) {
      issues.push(issue({ field: 'cidr', value: cidr, rule: 'opens the Kubernetes API to every address', fix: "list the runners' own networks" }));
    } else if (!isNetworkAddress(block)) {
      issues.push(
        issue({ field: 'cidr', value: cidr, rule: 'is not a network address (host bits are set)', fix: `use ${JSON.stringify(formatCidr(networkOf(block)))}` }),
      );
    } else if (this.apiAccessCidrs.has(cidr)) {
      issues.push(issue({ field: 'cidr', value: cidr, rule: 'is already allowed', fix: 'allow each network once' }));
    }
    if (!RULE_DESCRIPTION_REGEX.test(description)) {
      issues.push(
        issue({
          field: 'description',
          value: description,
          rule: 'is not a security group rule description',
          fix: 'use 1–255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*',
        }),
      );
    }
    throwIfInvalidArguments(this, 'allowApiAccessFrom', issues);
    this.apiAccessCidrs.add(cidr);
    return new VpcSecurityGroupIngressRule(this, `ApiAccessFrom${cidr.replace(/[./]/g, '-')}`, {
      securityGroupId: this.clusterSecurityGroupId,
      description,
      ipProtocol: 'tcp',
      fromPort: API_PORT,
      toPort: API_PORT,
      cidrIpv4: cidr,
    });
  }

  /**
   * Grants an IAM principal an EKS access policy through an access entry, on the whole cluster or
   * (with `namespaces`) on those namespaces only.
   */
  public addAccessEntry(id: string, options: AccessEntryOptions): EksAccessEntry {
    const namespaces = options.namespaces;
    if (namespaces !== undefined && namespaces.length === 0) {
      throwIfInvalidArguments(this, `addAccessEntry(${JSON.stringify(id)})`, [
        propIssue(this, { field: 'namespaces', value: namespaces, rule: 'is empty', fix: 'list the namespaces or omit it for cluster scope' }),
      ]);
    }
    const entry = new EksAccessEntry(this, `${id}AccessEntry`, {
      clusterName: this.clusterName,
      principalArn: options.principalArn,
      type: 'STANDARD',
    });
    new EksAccessPolicyAssociation(this, `${id}AccessPolicy`, {
      clusterName: this.clusterName,
      principalArn: entry.principalArn,
      policyArn: eksAccessPolicyArn(options.accessPolicy),
      accessScope: namespaces ? { type: 'namespace', namespaces: [...namespaces] } : { type: 'cluster' },
    });
    return entry;
  }
}

/** Options of {@link EksCluster.addAccessEntry}. */
export interface AccessEntryOptions {
  /** IAM role or user ARN. */
  readonly principalArn: string;
  /** EKS access policy name, e.g. `AmazonEKSClusterAdminPolicy`, `AmazonEKSEditPolicy`. */
  readonly accessPolicy: string;
  /**
   * Namespaces the policy applies in.
   * @default - the whole cluster
   */
  readonly namespaces?: readonly string[];
}
