/**
 * The built-in example: the `company` system with two services in dev, staging and prod.
 * Copy this file to start your own definitions (`deploykit synth --config my-envs.ts`), or edit it.
 */
import type { DefinitionsInput } from './schema';

const ZONES = ['ap-east-1a', 'ap-east-1b', 'ap-east-1c'];
/**
 * Egress range of the office / VPN, allowed to reach the public cluster API endpoints of the
 * non-production environments (a documentation range: put your own here).
 */
const OFFICE_CIDR = '203.0.113.0/24';

/**
 * Runners of the jobs that talk to an environment's Kubernetes API: self-hosted runners inside the
 * environment's VPC, registered with these tags (GitLab) or labels (GitHub), in a runner subnet
 * (`network`, a /24 you add to the VPC outside the ranges deploykit carves for its own subnets)
 * that the cluster security group admits on TCP 443. See docs/ci-cd.md#runners.
 */
function runnersOf(env: string, network: string) {
  return { gitlabTags: [`deploykit-${env}`], githubLabels: ['self-hosted', `deploykit-${env}`], networks: [network] };
}

/**
 * company-api's database password: the `password` key of a JSON secret in AWS Secrets Manager in the
 * environment's own account (a placeholder ARN: put your secret's full ARN, suffix included, here).
 * The CSI driver delivers it as the DATABASE_PASSWORD variable; the workload role may read exactly it.
 */
function databasePassword(account: string) {
  return { DATABASE_PASSWORD: { secretsManager: { arn: `arn:aws:secretsmanager:ap-east-1:${account}:secret:company-api/database-Q1w2E3`, key: 'password' } } };
}

/** The built-in example definitions (input shape). */
export const exampleDefinitions = {
  system: { name: 'company' },
  ci: {
    gitlab: { project: 'company/platform/deploykit', host: 'gitlab.com' },
    github: { repository: 'company/deploykit' },
    defaultBranch: 'main',
  },
  services: {
    'company-web': {
      image: { tag: '1.4.2' },
      containerPort: 8080,
      servicePort: 80,
      health: { readinessPath: '/readyz', livenessPath: '/livez', startupPath: '/startupz' },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      autoscaling: { minReplicas: 2, maxReplicas: 4, targetCpuUtilizationPercent: 50 },
      env: { LOG_LEVEL: 'info', API_URL: 'http://company-api.company-api.svc.cluster.local' },
      egress: [{ cidr: '10.0.0.0/8', ports: [8080], description: 'company-api pods (NetworkPolicy sees the container port)' }],
    },
    'company-api': {
      image: { tag: '2.0.7' },
      containerPort: 8080,
      servicePort: 80,
      additionalPorts: [{ name: 'metrics', containerPort: 9090 }],
      health: { readinessPath: '/health/ready', livenessPath: '/health/live', startupPath: '/health/started' },
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 50, targetMemoryUtilizationPercent: 75 },
      env: { LOG_LEVEL: 'info' },
      egress: [{ cidr: '10.0.0.0/8', ports: [5432], description: 'PostgreSQL in the VPC' }],
      ingressFromNamespaces: ['company-web'],
    },
  },
  environments: [
    {
      name: 'dev',
      tier: 'development',
      account: '111111111111',
      region: 'ap-east-1',
      network: { vpcCidr: '10.10.0.0/16', availabilityZones: ZONES.slice(0, 2), natGateways: 'single' },
      cluster: {
        kubernetesVersion: '1.35',
        endpointAccess: 'public-and-private',
        publicAccessCidrs: [OFFICE_CIDR],
        admins: ['arn:aws:iam::111111111111:role/platform-admin'],
        // Managed node groups, grown and shrunk by the Cluster Autoscaler deploykit installs.
        compute: 'node-groups',
        nodeGroups: {
          general: { instanceTypes: ['t3.large'], minSize: 1, desiredSize: 2, maxSize: 3 },
        },
      },
      state: { bucket: 'company-terraform-state-111111111111' },
      deploy: { approval: 'automatic', runner: runnersOf('dev', '10.10.200.0/24') },
      services: {
        'company-web': { autoscaling: null, replicas: 1, env: { LOG_LEVEL: 'debug' } },
        'company-api': { autoscaling: { minReplicas: 1, maxReplicas: 2 }, secretEnv: databasePassword('111111111111') },
      },
    },
    {
      name: 'staging',
      tier: 'staging',
      account: '222222222222',
      region: 'ap-east-1',
      network: { vpcCidr: '10.20.0.0/16', availabilityZones: ZONES, natGateways: 'single' },
      cluster: {
        kubernetesVersion: '1.35',
        endpointAccess: 'public-and-private',
        publicAccessCidrs: [OFFICE_CIDR],
        admins: ['arn:aws:iam::222222222222:role/platform-admin'],
        // EKS Auto Mode: nodes come and go with the pods; the ALB controller is built in (docs/adr/0006-compute-mode.md).
        compute: 'auto-mode',
      },
      state: { bucket: 'company-terraform-state-222222222222' },
      deploy: { approval: 'automatic', runner: runnersOf('staging', '10.20.200.0/24') },
      services: {
        'company-web': {},
        'company-api': { secretEnv: databasePassword('222222222222') },
      },
    },
    {
      name: 'prod',
      tier: 'production',
      account: '333333333333',
      region: 'ap-east-1',
      network: { vpcCidr: '10.30.0.0/16', availabilityZones: ZONES, natGateways: 'one-per-az' },
      cluster: {
        kubernetesVersion: '1.35',
        endpointAccess: 'private',
        admins: ['arn:aws:iam::333333333333:role/platform-admin'],
        // EKS Auto Mode: nodes come and go with the pods; the ALB controller is built in (docs/adr/0006-compute-mode.md).
        compute: 'auto-mode',
      },
      state: { bucket: 'company-terraform-state-333333333333' },
      deploy: { approval: 'manual', runner: runnersOf('prod', '10.30.200.0/24') },
      services: {
        'company-web': {
          autoscaling: { minReplicas: 3, maxReplicas: 12 },
          ingress: { host: 'www.example.com', scheme: 'internet-facing', certificateArn: 'arn:aws:acm:ap-east-1:333333333333:certificate/00000000-0000-4000-8000-000000000000' },
        },
        'company-api': { autoscaling: { minReplicas: 3, maxReplicas: 10 }, secretEnv: databasePassword('333333333333') },
      },
    },
  ],
} satisfies DefinitionsInput;

export default exampleDefinitions;
