/**
 * The resolved environment definitions that `defineEnvironments()` returns: every default applied,
 * every catalogue service merged with its per-environment changes. The Terraform, Kubernetes and
 * pipeline layers read only these types.
 */
import type { ParsedDefinitions, ParsedEnvironment, ParsedNodeGroup, ParsedService } from './schema';

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
  Omit<ParsedEnvironment, 'tier' | 'network' | 'cluster' | 'deploy' | 'services' | 'state'>
> & {
  readonly tier: Tier;
  readonly network: Readonly<ParsedEnvironment['network']> & {
    readonly natGateways: 'single' | 'one-per-az';
    /** Public subnet CIDR per availability zone, in zone order. */
    readonly publicSubnetCidrs: readonly string[];
    /** Private subnet CIDR per availability zone, in zone order. */
    readonly privateSubnetCidrs: readonly string[];
  };
  readonly cluster: Readonly<Omit<ParsedEnvironment['cluster'], 'nodeGroups'>> & {
    readonly endpointAccess: 'private' | 'public-and-private';
    readonly nodeGroups: readonly NodeGroupDefinition[];
  };
  readonly state: Readonly<ParsedEnvironment['state']> & { readonly region: string };
  readonly deploy: { readonly approval: 'automatic' | 'manual' };
  /** Services the environment runs, in definition order. */
  readonly services: readonly ServiceDefinition[];
};

/** The whole, resolved definition set. */
export interface Definitions {
  readonly system: SystemDefinition;
  readonly ci: Readonly<ParsedDefinitions['ci']>;
  /** The service catalogue as written (complete definitions), by name. */
  readonly catalogue: Readonly<ParsedDefinitions['services']>;
  readonly environments: readonly EnvironmentDefinition[];
}
