import { defineEnvironments } from '../../config';
import { configIssuesOf, exampleInput, useNodeGroups } from '../support/synth';

const issuesOf = configIssuesOf;

const env = (input: any, name: string) => input.environments.find((e: any) => e.name === name);

/**
 * The `index`-th block `newBits` longer than `vpcCidr` inside it: the subnet carving rule, written here
 * independently of config/cidr.ts (address = network address + index × block size).
 */
function carve(vpcCidr: string, newBits: number, index: number): string {
  const [address, bits] = vpcCidr.split('/');
  const base = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const prefixLength = Number(bits) + newBits;
  const start = base + index * 2 ** (32 - prefixLength);
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefixLength}`;
}

describe('defineEnvironments', () => {
  test('accepts the shipped example: every environment in input order, its subnets carved from its VPC CIDR, its services', () => {
    // Expectations derive from the example's input, so editing the example does not change what this test expects.
    const input = exampleInput();
    const defs = defineEnvironments(input);
    expect(defs.environments.map((e) => e.name)).toEqual(input.environments.map((e: any) => e.name));
    for (const envIn of input.environments) {
      const resolved = defs.environments.find((e) => e.name === envIn.name)!;
      expect(resolved.tier).toBe(envIn.tier);
      const zones: string[] = envIn.network.availabilityZones;
      // deploykit carves a private block 3 bits smaller than the VPC per zone from its start, and a public block 6 bits smaller from the VPC's second half.
      expect(resolved.network.privateSubnetCidrs).toEqual(envIn.network.privateSubnetCidrs ?? zones.map((_z, i) => carve(envIn.network.vpcCidr, 3, i)));
      expect(resolved.network.publicSubnetCidrs).toEqual(envIn.network.publicSubnetCidrs ?? zones.map((_z, i) => carve(envIn.network.vpcCidr, 6, 32 + i)));
      expect(resolved.services.map((s) => s.name)).toEqual(Object.keys(envIn.services));
    }
  });

  test('resolves the defaults of an environment: one /19 private and one /22 public subnet per zone, services in definition order', () => {
    // The values under test are set here.
    const input = exampleInput();
    const prod = env(input, 'prod');
    prod.network = { vpcCidr: '10.30.0.0/16', availabilityZones: ['ap-east-1a', 'ap-east-1b', 'ap-east-1c'], natGateways: 'one-per-az' };
    prod.services = { 'company-web': {}, 'company-api': {} };
    const resolved = defineEnvironments(input).environments.find((e) => e.name === 'prod')!;
    expect(resolved.network.privateSubnetCidrs).toEqual(['10.30.0.0/19', '10.30.32.0/19', '10.30.64.0/19']);
    expect(resolved.network.publicSubnetCidrs).toEqual(['10.30.128.0/22', '10.30.132.0/22', '10.30.136.0/22']);
    expect(resolved.services.map((s) => s.name)).toEqual(['company-web', 'company-api']);
    prod.services = { 'company-api': {}, 'company-web': {} };
    expect(defineEnvironments(input).environments.find((e) => e.name === 'prod')!.services.map((s) => s.name)).toEqual(['company-api', 'company-web']);
  });

  test('resolves the production defaults of a production-tier environment: private endpoint, manual approval', () => {
    const input = exampleInput();
    const prod = env(input, 'prod');
    prod.tier = 'production';
    delete prod.cluster.endpointAccess;
    delete prod.cluster.publicAccessCidrs;
    delete prod.deploy.approval;
    const resolved = defineEnvironments(input).environments.find((e) => e.name === 'prod')!;
    expect(resolved.cluster.endpointAccess).toBe('private');
    expect(resolved.deploy.approval).toBe('manual');
  });

  test('merges per-environment overrides over the catalogue: objects by field, null removes', () => {
    // The fields under test are set here, so editing the example does not change what this test expects.
    const input = exampleInput();
    input.services['company-web'].autoscaling = { minReplicas: 2, maxReplicas: 4, targetCpuUtilizationPercent: 50 };
    input.services['company-web'].env = { LOG_LEVEL: 'info', API_URL: 'http://api.internal' };
    env(input, 'dev').services['company-web'] = { autoscaling: null, replicas: 1, env: { LOG_LEVEL: 'debug' } };
    env(input, 'prod').services['company-web'].autoscaling = { minReplicas: 3, maxReplicas: 12 };
    delete env(input, 'prod').services['company-web'].replicas;
    const [dev, , prod] = defineEnvironments(input).environments;
    const devWeb = dev.services.find((s) => s.name === 'company-web')!;
    expect(devWeb.autoscaling).toBeUndefined();
    expect(devWeb.replicas).toBe(1);
    expect(devWeb.env).toEqual({ LOG_LEVEL: 'debug', API_URL: 'http://api.internal' });
    const prodWeb = prod.services.find((s) => s.name === 'company-web')!;
    expect(prodWeb.autoscaling).toEqual({ minReplicas: 3, maxReplicas: 12, targetCpuUtilizationPercent: 50, scaleDownStabilizationSeconds: 300 });
    expect(prodWeb.replicas).toBeUndefined();
  });

  test('a second service runs in an environment by adding one entry', () => {
    const defs = defineEnvironments(
      (() => {
        const input = exampleInput();
        input.services['company-admin'] = { image: { tag: '0.9.0' }, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } } };
        env(input, 'staging').services['company-admin'] = {};
        return input;
      })(),
    );
    const admin = defs.environments[1].services.find((s) => s.name === 'company-admin')!;
    expect(admin).toMatchObject({ containerPort: 8080, servicePort: 80, replicas: 2, health: { readinessPath: '/readyz' } });
  });

  test('accepts a liveness path shared with readiness (deploykit check warns about it) and no startup path', () => {
    const input = exampleInput();
    input.services['company-web'].health = { readinessPath: '/_health', livenessPath: '/_health' };
    input.services['company-api'].health = { readinessPath: '/ready', livenessPath: '/live', startupProbe: false };
    const web = defineEnvironments(input).environments[0].services.find((s) => s.name === 'company-web')!;
    const api = defineEnvironments(input).environments[0].services.find((s) => s.name === 'company-api')!;
    expect(web.health).toEqual({ readinessPath: '/_health', livenessPath: '/_health', startupProbe: true });
    expect(api.health).toEqual({ readinessPath: '/ready', livenessPath: '/live', startupProbe: false });
  });

  test('reports every problem at once, each with its path', () => {
    const issues = issuesOf((input) => {
      env(input, 'prod').services['company-web'].autoscaling = { minReplicas: 5, maxReplicas: 3 };
      env(input, 'dev').account = '42';
      input.services['company-api'].resources.requests.cpu = '500 m';
    });
    expect(issues).toEqual([
      {
        path: 'services.company-api.resources.requests',
        message: `'cpu' ("500 m") is not a Kubernetes CPU quantity; use millicores like "250m" or cores like "0.5"`,
      },
      { path: 'dev', message: `'account' ("42") is not an AWS account id; use the 12-digit account number` },
      {
        path: 'prod.services.company-web.autoscaling',
        message: `'minReplicas' (5) must be <= 'maxReplicas' (3); raise maxReplicas or lower minReplicas`,
      },
    ]);
  });

  test('ValidationError.message lists every issue on its own line', () => {
    expect(() =>
      defineEnvironments({ ...exampleInput(), system: { name: 'Company' }, environments: [] }),
    ).toThrow(
      [
        'invalid environment definitions (2 problems):',
        `  - system: 'name' ("Company") is not a valid system name (DNS-1123 label); use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`,
        `  - definitions: 'environments' must define at least one environment; add dev`,
      ].join('\n'),
    );
  });

  // One row per rule: [rule, mutation, expected path, expected message].
  const rules: [string, (input: any) => void, string, string][] = [
    [
      'DNS-1123 service names',
      (i) => (i.services['Company_Web'] = i.services['company-web']),
      'services',
      `'Company_Web' ("Company_Web") is not a valid service name (DNS-1123 label); use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`,
    ],
    [
      'DNS-1123 environment names',
      (i) => (env(i, 'dev').name = 'dev-'),
      'dev-',
      `'name' ("dev-") is not a valid environment name (DNS-1123 label); use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`,
    ],
    [
      'CIDR syntax',
      (i) => (env(i, 'dev').network.vpcCidr = '10.10.0.0/33'),
      'dev.network',
      `'vpcCidr' ("10.10.0.0/33") is not a VPC CIDR (an IPv4 CIDR like 10.0.0.0/16); write it as a.b.c.d/n`,
    ],
    [
      'CIDR is a network address',
      (i) => (env(i, 'dev').network.vpcCidr = '10.10.1.0/16'),
      'dev.network',
      `'vpcCidr' ("10.10.1.0/16") is not a network address (host bits are set); use "10.10.0.0/16"`,
    ],
    [
      'VPC size',
      (i) => (env(i, 'dev').network.vpcCidr = '10.0.0.0/8'),
      'dev.network',
      `'vpcCidr' ("10.0.0.0/8") must be between /16 and /24 (an AWS VPC limit); choose a /16 to /24 range`,
    ],
    [
      'subnets inside the VPC',
      (i) => {
        env(i, 'dev').network.privateSubnetCidrs = ['10.10.0.0/19', '10.99.0.0/19'];
      },
      'dev.network',
      `'privateSubnetCidrs[1]' ("10.99.0.0/19") is outside the VPC "10.10.0.0/16"; pick a range inside it`,
    ],
    [
      'subnets do not overlap',
      (i) => {
        env(i, 'dev').network.publicSubnetCidrs = ['10.10.128.0/22', '10.10.132.0/22'];
        env(i, 'dev').network.privateSubnetCidrs = ['10.10.0.0/19', '10.10.128.0/19'];
      },
      'dev.network',
      `'privateSubnetCidrs[1]' ("10.10.128.0/19") overlaps 'publicSubnetCidrs[0]' ("10.10.128.0/22"); give each subnet its own range`,
    ],
    [
      'one subnet per zone',
      (i) => (env(i, 'dev').network.publicSubnetCidrs = ['10.10.128.0/22']),
      'dev.network',
      `'publicSubnetCidrs' has 1 entries but there are 2 availability zones; give one subnet per zone`,
    ],
    [
      'zones belong to the region',
      (i) => (env(i, 'dev').network.availabilityZones = ['ap-east-1a', 'eu-west-1b']),
      'dev.network',
      `'availabilityZones[1]' ("eu-west-1b") is not a zone of region "ap-east-1"; use "ap-east-1a", "ap-east-1b", …`,
    ],
    [
      'at least two zones',
      (i) => (env(i, 'dev').network.availabilityZones = ['ap-east-1a']),
      'dev.network',
      `'availabilityZones' must list at least 2 availability zones; EKS needs subnets in two zones`,
    ],
    [
      'node group min <= desired <= max',
      (i) => (useNodeGroups(env(i, 'staging')).cluster.nodeGroups.general.desiredSize = 9),
      'staging.cluster.nodeGroups.general',
      `'minSize' (2) <= 'desiredSize' (9) <= 'maxSize' (4) does not hold; make minSize <= desiredSize <= maxSize`,
    ],
    [
      'production node groups keep two nodes',
      (i) => Object.assign(useNodeGroups(env(i, 'prod')).cluster.nodeGroups.general, { minSize: 1, desiredSize: 1 }),
      'prod.cluster.nodeGroups.general',
      `'minSize' (1) must be >= 2 in a production environment; raise minSize so one node can fail or be replaced`,
    ],
    [
      'replica bounds',
      (i) => (i.services['company-api'].autoscaling = { minReplicas: 4, maxReplicas: 2 }),
      'services.company-api.autoscaling',
      `'minReplicas' (4) must be <= 'maxReplicas' (2); raise maxReplicas or lower minReplicas`,
    ],
    [
      'memory quantities',
      (i) => (i.services['company-web'].resources.limits.memory = '1GB'),
      'services.company-web.resources.limits',
      `'memory' ("1GB") is not a Kubernetes memory quantity; use a number with a binary suffix like "512Mi" or "1Gi" (not "MB" or "GB")`,
    ],
    [
      'request <= limit',
      (i) => (env(i, 'staging').services['company-api'] = { resources: { requests: { memory: '2Gi' } } }),
      'staging.services.company-api.resources',
      `'requests.memory' ("2Gi") must be <= 'limits.memory' ("1Gi"); raise limits.memory or lower requests.memory`,
    ],
    [
      'port range',
      (i) => (i.services['company-web'].containerPort = 70000),
      'services.company-web',
      `'containerPort' (70000) must be <= 65535; lower it`,
    ],
    [
      'port uniqueness',
      (i) => (i.services['company-api'].additionalPorts = [{ name: 'metrics', containerPort: 8080 }]),
      'services.company-api',
      `'additionalPorts[0].containerPort' (8080) is already used by 'containerPort'; give each container port its own number`,
    ],
    [
      'a startup path needs the startup probe',
      (i) => Object.assign(i.services['company-web'].health, { startupPath: '/startupz', startupProbe: false }),
      'services.company-web.health',
      `'startupPath' ("/startupz") is set but 'startupProbe' is false; remove startupPath or set startupProbe to true`,
    ],
    [
      'image tag syntax',
      (i) => (i.services['company-web'].image.tag = 'v1 beta'),
      'services.company-web.image',
      `'tag' ("v1 beta") is not an image tag; use letters, digits, ".", "_" and "-", at most 128 characters`,
    ],
    [
      'latest refused outside development',
      (i) => (env(i, 'staging').services['company-web'] = { image: { tag: 'latest' } }),
      'staging.services.company-web.image',
      `'tag' ("latest") is refused in a staging environment; pin a release tag or pass --image-tag <commit-sha>`,
    ],
    [
      'replicas and autoscaling are exclusive',
      (i) => (i.services['company-web'].replicas = 3),
      'services.company-web',
      `'replicas' (3) and 'autoscaling' are both set; the HorizontalPodAutoscaler owns the count, so remove replicas or autoscaling`,
    ],
    [
      'secrets stay out of plain env',
      (i) => (i.services['company-api'].env.API_TOKEN = 's3cr3t'),
      'services.company-api.env.API_TOKEN',
      `looks like a secret written in plain text; move it to AWS Secrets Manager and reference it in 'secretEnv' ({ secretsManager: { arn } })`,
    ],
    [
      'unknown fields',
      (i) => (env(i, 'prod').services['company-web'].replica = 3),
      'prod.services.company-web',
      `'replica' is not a known field; remove it or fix its spelling`,
    ],
    [
      'unknown EKS versions',
      (i) => (env(i, 'dev').cluster.kubernetesVersion = '1.21'),
      'dev.cluster',
      `'kubernetesVersion' ("1.21") must be one of "1.32", "1.33", "1.34", "1.35", "1.36"; pick one of them`,
    ],
    [
      'public endpoints name their networks',
      (i) => (env(i, 'dev').cluster.publicAccessCidrs = []),
      'dev.cluster',
      `'publicAccessCidrs' ([]) is empty while 'endpointAccess' is "public-and-private"; list the networks allowed to reach the API, or use "private"`,
    ],
    [
      'unique environment names',
      (i) => (env(i, 'staging').name = 'dev'),
      'environments[1]',
      `'name' ("dev") is already used by environments[0]; give each environment its own name`,
    ],
    [
      'unique state keys',
      (i) => Object.assign(env(i, 'staging').state, { bucket: 'company-terraform-state-111111111111', key: 'company/dev/terraform.tfstate' }),
      'staging',
      `'state' ("s3://company-terraform-state-111111111111/company/dev/terraform.tfstate") is also the state of dev; give each environment its own state key`,
    ],
    [
      'unique cluster names',
      (i) => {
        env(i, 'staging').account = '111111111111';
        env(i, 'staging').cluster.name = 'company-dev';
      },
      'staging',
      `'cluster.name' ("company-dev") is also the cluster of dev in the same account and region; name the clusters apart`,
    ],
  ];

  test.each(rules)('fails on %s with the exact message', (_rule, mutate, path, message) => {
    expect(issuesOf(mutate)).toContainEqual({ path, message });
  });

  test('a catalogue mistake is reported once, at the catalogue, not in every environment', () => {
    const issues = issuesOf((i) => (i.services['company-web'].resources.limits.memory = '1GB'));
    expect(issues).toHaveLength(1);
  });
});
