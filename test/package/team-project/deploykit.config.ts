/**
 * The team's definitions module: `deploykit synth --config deploykit.config.ts` synthesizes the team's
 * stack and chart for every environment; `deploykit check --config deploykit.config.ts` runs the team's rule.
 */
import type { DefinitionsInput } from 'deploykit/config';
import type { ChartFactory, StackFactory } from 'deploykit';
import type { Rule } from 'deploykit/policy';
import { ownerLabelRule } from './team-rules';
import { TeamChart, TeamStack, type TeamCatalogue } from './team-service';

const definitions: DefinitionsInput = {
  system: { name: 'storefront' },
  ci: { github: { repository: 'storefront/platform' }, defaultBranch: 'main' },
  services: {
    'storefront-web': {
      image: { tag: '1.0.0' },
      containerPort: 8080,
      servicePort: 80,
      health: { readinessPath: '/readyz', livenessPath: '/livez' },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    },
    'status-page': {
      image: { tag: '2.3.1' },
      containerPort: 8080,
      servicePort: 80,
      health: { readinessPath: '/readyz', livenessPath: '/livez' },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
    },
  },
  environments: [
    {
      name: 'dev',
      tier: 'development',
      account: '444444444444',
      region: 'eu-west-1',
      network: { vpcCidr: '10.40.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'], natGateways: 'single' },
      cluster: {
        kubernetesVersion: '1.35',
        endpointAccess: 'public-and-private',
        publicAccessCidrs: ['203.0.113.0/24'],
        compute: 'auto-mode',
      },
      state: { bucket: 'storefront-terraform-state-444444444444' },
      deploy: { approval: 'automatic', runner: { githubLabels: ['self-hosted', 'storefront-dev'], networks: ['10.40.200.0/24'] } },
      services: { 'storefront-web': {}, 'status-page': { replicas: 1, autoscaling: null } },
    },
  ],
};

/** The services this team renders with its own construct. */
export const catalogue: TeamCatalogue = { 'status-page': { owner: 'storefront' } };

export default definitions;

export const stack: StackFactory = (scope, id, props) => new TeamStack(scope, id, { ...props, keepCacheImages: 20 });

export const chart: ChartFactory = (scope, id, props) => new TeamChart(scope, id, { ...props, catalogue });

/** Run by `deploykit check --config` with the built-in rules. */
export const checkRules: Rule[] = [ownerLabelRule(catalogue)];
