/**
 * The resolved environment definitions that `defineEnvironments()` returns: every default applied,
 * every catalogue service merged with its per-environment changes. The Terraform, Kubernetes and
 * pipeline layers read only these types.
 */
import type { ParsedDefinitions, ParsedEnvironment, ParsedNodeGroup, ParsedObservability, ParsedService } from './schema';

/** How strict an environment is. */
export type Tier = 'development' | 'staging' | 'production';

/** The system the environments belong to. */
export interface SystemDefinition {
  /** Short name; prefixes stacks (`<system>-<env>`), clusters and roles. */
  readonly name: string;
}

/** A managed node group, resolved. */
export type NodeGroupDefinition = Readonly<ParsedNodeGroup> & {
  /** Node group name (the key in `cluster.nodeGroups`). */
  readonly name: string;
};

/** A service as one environment runs it: the catalogue entry merged with the environment's changes. */
export type ServiceDefinition = Readonly<Omit<ParsedService, 'replicas'>> & {
  /** Service name (DNS-1123 label), the key in the catalogue. */
  readonly name: string;
  /** Fixed replica count; undefined when `autoscaling` owns the count. */
  readonly replicas: number | undefined;
};

/** An environment with every default resolved. */
export type EnvironmentDefinition = Readonly<
  Omit<ParsedEnvironment, 'tier' | 'network' | 'cluster' | 'deploy' | 'services' | 'state' | 'observability'>
> & {
  /** How strict the environment is (resolved from the name when not set). */
  readonly tier: Tier;
  /** VPC, zones and subnets, with the subnet layout resolved. */
  readonly network: Readonly<ParsedEnvironment['network']> & {
    /** One shared NAT gateway or one per zone. */
    readonly natGateways: 'single' | 'one-per-az';
    /** Public subnet CIDR per availability zone, in zone order. */
    readonly publicSubnetCidrs: readonly string[];
    /** Private subnet CIDR per availability zone, in zone order. */
    readonly privateSubnetCidrs: readonly string[];
  };
  /** The EKS cluster and its node groups. */
  readonly cluster: Readonly<Omit<ParsedEnvironment['cluster'], 'nodeGroups'>> & {
    /** API endpoint exposure. */
    readonly endpointAccess: 'private' | 'public-and-private';
    /**
     * Where pods run: EKS Auto Mode, or the managed node groups scaled by the Cluster Autoscaler
     * (resolved from `nodeGroups` when not set).
     */
    readonly compute: 'auto-mode' | 'node-groups';
    /** Managed node groups, in definition order (empty with Auto Mode). */
    readonly nodeGroups: readonly NodeGroupDefinition[];
  };
  /** Where Terraform keeps this environment's state. */
  readonly state: Readonly<ParsedEnvironment['state']> & {
    /** Region of the state bucket. */
    readonly region: string;
  };
  /** How deploys reach the environment. */
  readonly deploy: {
    /** Whether a person approves each deploy. */
    readonly approval: 'automatic' | 'manual';
    /** Runners of the jobs that talk to the Kubernetes API; undefined means the CI system's hosted runners. */
    readonly runner:
      | {
          readonly gitlabTags?: readonly string[];
          readonly githubLabels?: readonly string[];
          /** Networks (IPv4 CIDRs) the runners connect from; each may reach the cluster API (TCP 443). */
          readonly networks?: readonly string[];
        }
      | undefined;
  };
  /** Services the environment runs, in definition order. */
  readonly services: readonly ServiceDefinition[];
  /** Metrics, logs and alarms of the workloads, with the alarm switch resolved from the tier. */
  readonly observability: Readonly<Omit<ParsedObservability, 'alarms'>> & {
    readonly alarms: Readonly<ParsedObservability['alarms']> & {
      /** Whether the per-service alarms exist (resolved: true in production unless set). */
      readonly enabled: boolean;
    };
  };
};

/** The whole, resolved definition set. */
export interface Definitions {
  /** The system the environments belong to. */
  readonly system: SystemDefinition;
  /** CI systems allowed to deploy (OIDC). */
  readonly ci: Readonly<ParsedDefinitions['ci']>;
  /** The service catalogue as written (complete definitions), by name. */
  readonly catalogue: Readonly<ParsedDefinitions['services']>;
  /** Every environment, in definition order. */
  readonly environments: readonly EnvironmentDefinition[];
}
