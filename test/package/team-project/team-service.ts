/**
 * A team's own constructs on top of the installed deploykit package: services of the team's catalogue are
 * rendered by the team (deploykit's WebService plus an owner label on every object), and every environment
 * gets a build-cache image repository (deploykit's EcrRepository) next to deploykit's own resources.
 */
import type { Construct } from 'constructs';
import { namespaceName, stackName, type ServiceDefinition } from 'deploykit/config';
import { EcrRepository, EnvironmentStack, type EnvironmentStackProps } from 'deploykit/infra';
import { EnvironmentChart, WebService, webServiceProps, type EnvironmentChartProps, type WebServiceProps } from 'deploykit/k8s';

/** The label naming the owning team on every object of a team service. */
export const OWNER_LABEL = 'example.com/owner';

/** Services the team renders itself, with their owner. */
export type TeamCatalogue = Readonly<Record<string, { readonly owner: string }>>;

/** Props of {@link OwnedWebService}: deploykit's flat WebService props and the owner. */
export interface OwnedWebServiceProps extends WebServiceProps {
  /** The owning team (value of {@link OWNER_LABEL}). */
  readonly owner: string;
}

/** deploykit's WebService with the owning team's label on every Kubernetes object and pod. */
export class OwnedWebService extends WebService {
  constructor(scope: Construct, id: string, props: OwnedWebServiceProps) {
    super(scope, id, { ...props, labels: { ...props.labels, [OWNER_LABEL]: props.owner } });
  }
}

/** Props of {@link TeamChart}. */
export interface TeamChartProps extends EnvironmentChartProps {
  /** Services the team renders. */
  readonly catalogue: TeamCatalogue;
}

/** deploykit's chart for every other service; the catalogue's services as {@link OwnedWebService}. */
export class TeamChart extends EnvironmentChart {
  /** The team's services, by name. */
  readonly ownedServices: Readonly<Record<string, OwnedWebService>>;

  constructor(scope: Construct, id: string, props: TeamChartProps) {
    const isOwned = (service: ServiceDefinition) => props.catalogue[service.name] !== undefined;
    super(scope, id, { ...props, environment: { ...props.environment, services: props.environment.services.filter((s) => !isOwned(s)) } });
    const namespaces = new Set(Object.values(this.services).map((web) => web.namespaceName));
    const owned: Record<string, OwnedWebService> = {};
    for (const service of props.environment.services.filter(isOwned)) {
      owned[service.name] = new OwnedWebService(this, service.name, {
        ...webServiceProps({ system: props.definitions.system, environment: props.environment, service, createNamespace: !namespaces.has(namespaceName(service)) }),
        owner: props.catalogue[service.name].owner,
      });
      namespaces.add(namespaceName(service));
    }
    this.ownedServices = owned;
  }
}

/** Props of {@link TeamStack}. */
export interface TeamStackProps extends EnvironmentStackProps {
  /** Tagged build-cache images kept. @default 20 */
  readonly keepCacheImages?: number;
}

/** deploykit's environment stack plus the team's build-cache repository. */
export class TeamStack extends EnvironmentStack {
  /** The build-cache repository (`<system>-<env>-build-cache`). */
  readonly buildCache: EcrRepository;

  constructor(scope: Construct, id: string, props: TeamStackProps) {
    super(scope, id, props);
    const { definitions, environment } = props;
    this.buildCache = new EcrRepository(this, 'BuildCache', {
      repositoryName: `${stackName(definitions.system, environment)}-build-cache`,
      account: environment.account,
      region: environment.region,
      keepTaggedImages: props.keepCacheImages ?? 20,
      tags: { team: 'storefront' },
    });
  }
}
