import { ValidationError, defineEnvironments, formatCidr, parseCidr, subnet, type ConfigIssue } from '../../config';
import { promotionSource } from '../../config/promotion';
import { configIssuesOf, exampleInput } from '../support/synth';

const issuesOf = configIssuesOf;

const env = (input: any, name: string) => input.environments.find((e: any) => e.name === name);
/** The first service of the catalogue, whatever the example calls it. */
const firstService = (input: any): string => Object.keys(input.services)[0];

describe('rules checked when the definitions load', () => {
  test('fails when publicAccessCidrs opens the cluster API to the whole internet', () => {
    const issues = issuesOf((input) => {
      Object.assign(env(input, 'dev').cluster, { endpointAccess: 'public-and-private', publicAccessCidrs: ['10.1.0.0/16', '0.0.0.0/0'] });
    });
    expect(issues).toEqual([
      {
        path: 'dev.cluster',
        message: `'publicAccessCidrs[1]' ("0.0.0.0/0") opens the Kubernetes API to the whole internet; list specific networks (office, VPN) or use endpointAccess "private"`,
      },
    ]);
  });

  test('fails when a service is named like a built-in object property', () => {
    const issues = issuesOf((input) => {
      input.services.constructor = input.services[firstService(input)];
    });
    expect(issues).toEqual([
      { path: 'services', message: `'constructor' ("constructor") is a reserved name (a built-in property of JavaScript objects); choose another service name` },
    ]);
  });

  test('fails when a service names the default namespace', () => {
    let name = '';
    const issues = issuesOf((input) => {
      name = firstService(input);
      input.services[name].namespace = 'default';
    });
    expect(issues).toEqual([
      { path: `services.${name}`, message: `'namespace' ("default") is a namespace Kubernetes uses for itself; give the service its own namespace` },
    ]);
  });

  test('fails when a service without a namespace is named after a namespace Kubernetes uses', () => {
    const issues = issuesOf((input) => {
      input.services['kube-tools'] = { ...input.services[firstService(input)], namespace: undefined };
      env(input, 'dev').services['kube-tools'] = {};
    });
    expect(issues).toEqual([
      {
        path: 'dev.services.kube-tools',
        message: `'namespace' is not set, so the service would run in the namespace "kube-tools" that Kubernetes uses for itself; set namespace to one of its own`,
      },
    ]);
  });

  test('fails when an internet-facing Ingress has no certificate', () => {
    let name = '';
    const issues = issuesOf((input) => {
      name = firstService(input);
      env(input, 'staging').services[name] = { ingress: { host: 'app.example.com', scheme: 'internet-facing' } };
    });
    expect(issues).toEqual([
      {
        path: `staging.services.${name}.ingress`,
        message: `'certificateArn' is not set while 'scheme' is "internet-facing"; add an ACM certificate or use scheme "internal"`,
      },
    ]);
  });

  test('fails when the region is not an AWS region, with the nearest one as a hint', () => {
    const issues = issuesOf((input) => {
      env(input, 'dev').region = 'us-mars-1';
      env(input, 'dev').network.availabilityZones = ['us-mars-1a', 'us-mars-1b'];
    });
    expect(issues).toEqual([
      {
        path: 'dev',
        message: `'region' ("us-mars-1") is not an AWS region; did you mean "us-east-1"? use one of the regions listed in config/aws-regions.ts, e.g. "us-east-1" or "eu-west-1"`,
      },
    ]);
  });

  test('fails when the state bucket region is not an AWS region, without a hint when none is near', () => {
    const issues = issuesOf((input) => {
      env(input, 'dev').state.region = 'xx-nowhere-9';
    });
    expect(issues).toEqual([
      {
        path: 'dev.state',
        message: `'region' ("xx-nowhere-9") is not an AWS region; use one of the regions listed in config/aws-regions.ts, e.g. "us-east-1" or "eu-west-1"`,
      },
    ]);
  });

  test('fails when a node group label key is empty or invalid', () => {
    let group = '';
    const issues = issuesOf((input) => {
      group = Object.keys(env(input, 'dev').cluster.nodeGroups)[0];
      env(input, 'dev').cluster.nodeGroups[group].labels = { '': 'a', 'team name': 'b', 'example.com/role': 'web', 'example.com/': 'c' };
    });
    const hint = `use an optional DNS prefix and "/", then 1–63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (e.g. "example.com/role")`;
    expect(issues).toEqual([
      { path: `dev.cluster.nodeGroups.${group}.labels`, message: `'' ("") is not a Kubernetes label key; ${hint}` },
      { path: `dev.cluster.nodeGroups.${group}.labels`, message: `'team name' ("team name") is not a Kubernetes label key; ${hint}` },
      { path: `dev.cluster.nodeGroups.${group}.labels`, message: `'example.com/' ("example.com/") is not a Kubernetes label key; ${hint}` },
    ]);
  });

  test('fails when a node group label value or taint key is invalid', () => {
    let group = '';
    const issues = issuesOf((input) => {
      group = Object.keys(env(input, 'dev').cluster.nodeGroups)[0];
      Object.assign(env(input, 'dev').cluster.nodeGroups[group], {
        labels: { role: '-web' },
        taints: [{ key: 'dedicated=x', value: 'web', effect: 'NO_SCHEDULE' }],
      });
    });
    expect(issues).toEqual([
      {
        path: `dev.cluster.nodeGroups.${group}.labels`,
        message: `'role' ("-web") is not a Kubernetes label value; use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`,
      },
      {
        path: `dev.cluster.nodeGroups.${group}.taints[0]`,
        message: `'key' ("dedicated=x") is not a Kubernetes label key; use an optional DNS prefix and "/", then 1–63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (e.g. "example.com/role")`,
      },
    ]);
  });

  test('fails when a tag key starts with the reserved aws: prefix', () => {
    const issues = issuesOf((input) => {
      env(input, 'prod').tags = { 'AWS:owner': 'platform', team: 'platform' };
    });
    expect(issues).toEqual([
      { path: 'prod.tags', message: `'AWS:owner' ("AWS:owner") starts with "aws:", a prefix AWS reserves for its own tags; drop or rename the prefix` },
    ]);
  });

  test.each(['0', '0m', '0.000'])('fails when requests.cpu is %j while autoscaling scales on CPU', (cpu) => {
    let name = '';
    const issues = issuesOf((input) => {
      name = firstService(input);
      const svc = input.services[name];
      svc.resources.requests.cpu = cpu;
      svc.autoscaling = { minReplicas: 2, maxReplicas: 4 };
      delete svc.replicas;
    });
    expect(issues).toContainEqual({
      path: `services.${name}.resources.requests`,
      message: `'cpu' (${JSON.stringify(cpu)}) is zero while 'autoscaling' scales on CPU utilisation, a percentage of the request that is undefined for zero; request the CPU the service needs, e.g. "100m"`,
    });
  });

  test('accepts requests.cpu "0" for a service with a fixed replica count', () => {
    const issues = issuesOf((input) => {
      input.services['fixed-count'] = {
        image: { tag: '1.0.0' },
        resources: { requests: { cpu: '0', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
        replicas: 1,
      };
    });
    expect(issues).toEqual([]);
  });

  describe('promotion', () => {
    /** A release-tag environment of the example and the environment whose verified images it promotes. */
    const promotion = () => {
      const defs = defineEnvironments(exampleInput());
      const target = defs.environments.find((e) => promotionSource(defs, e) !== undefined);
      if (!target) throw new Error('the example has no release-tag environment with a promotion source');
      return { target: target.name, source: promotionSource(defs, target)!.name };
    };
    /** Adds a catalogue service `name` (a copy of the first, in its own namespace) to the named environments. */
    const addService = (input: any, name: string, envs: readonly string[]) => {
      input.services[name] = { ...input.services[firstService(input)], namespace: undefined };
      for (const e of envs) env(input, e).services[name] = {};
    };

    test('fails when a release-tag environment runs a service its promotion source does not run', () => {
      const { target, source } = promotion();
      const issues = issuesOf((input) => addService(input, 'reports', [target]));
      expect(issues).toEqual([
        {
          path: `${target}.services.reports`,
          message:
            `is not run by ${source}, whose verified images a release of ${target} promotes, so the promote job would find no verified image of it; ` +
            `add it to ${source} first, so a release promotes what ${source} verified`,
        },
      ]);
    });

    test('accepts a service the promotion source runs, and one only the source runs', () => {
      const { target, source } = promotion();
      expect(issuesOf((input) => addService(input, 'reports', [source, target]))).toEqual([]);
      expect(issuesOf((input) => addService(input, 'reports', [source]))).toEqual([]);
    });

    test('is not reported while a service of the source is invalid (it would only seem missing)', () => {
      const { target, source } = promotion();
      const issues = issuesOf((input) => {
        addService(input, 'reports', [source, target]);
        env(input, source).services.reports = { replicas: -1 };
      });
      expect(issues.length).toBeGreaterThan(0);
      expect(new Set(issues.map((i) => i.path))).toEqual(new Set([`${source}.services.reports`]));
    });
  });

  test('fails when a __proto__ key is written, in data or as an object literal prototype', () => {
    const input = exampleInput();
    const name = firstService(input);
    // JSON.parse keeps "__proto__" as an own key; an object literal turns it into the prototype.
    input.services[name].env = JSON.parse('{"__proto__": {"LOG_LEVEL": "x"}}');
    input.environments[0].tags = { __proto__: { team: 'a' } };
    let issues: readonly ConfigIssue[] = [];
    try {
      defineEnvironments(input);
    } catch (err) {
      issues = (err as ValidationError).issues;
    }
    const message = `'__proto__' is not allowed as a key (it would set the object's prototype and be dropped); rename the key`;
    expect(issues).toContainEqual({ path: `services.${name}.env`, message });
    expect(issues).toContainEqual({ path: `${input.environments[0].name}.tags`, message });
  });
});

describe('deploy.runner.networks', () => {
  /** A network outside the example's VPCs, reached through peering or a VPN. */
  const PEERED = '198.51.100.0/24';
  /** The last /24 of the environment's VPC. */
  const insideVpc = (vpcCidr: string): string => {
    const vpc = parseCidr(vpcCidr)!;
    return formatCidr(subnet(vpc, 24 - vpc.prefixLength, 2 ** (24 - vpc.prefixLength) - 1));
  };
  /** Issues of the first environment, made private or public with explicit fields, with the given networks. */
  function withNetworks(endpointAccess: 'private' | 'public-and-private', networks: (vpcCidr: string) => unknown): { name: string; issues: ConfigIssue[] } {
    let name = '';
    const issues = issuesOf((input) => {
      const e = input.environments[0];
      name = e.name;
      e.cluster.endpointAccess = endpointAccess;
      e.cluster.publicAccessCidrs = endpointAccess === 'private' ? [] : ['203.0.113.0/24'];
      e.deploy.runner = { gitlabTags: ['vpc'], githubLabels: ['self-hosted', 'vpc'], networks: networks(e.network.vpcCidr) };
    });
    return { name, issues };
  }

  test('accepts a private endpoint with runners inside the VPC or in a peered network', () => {
    expect(withNetworks('private', (vpc) => [insideVpc(vpc), PEERED]).issues).toEqual([]);
  });

  test('accepts a public endpoint with runners inside the VPC or inside publicAccessCidrs', () => {
    expect(withNetworks('public-and-private', (vpc) => [insideVpc(vpc), '203.0.113.128/25']).issues).toEqual([]);
  });

  test('fails when a runner network of a public endpoint is neither inside the VPC nor in publicAccessCidrs', () => {
    let vpcCidr = '';
    const { name, issues } = withNetworks('public-and-private', (vpc) => {
      vpcCidr = vpc;
      return [insideVpc(vpc), PEERED];
    });
    expect(issues).toEqual([
      {
        path: `${name}.deploy.runner`,
        message: `'networks[1]' ("${PEERED}") is outside the VPC ("${vpcCidr}") and not inside any of 'cluster.publicAccessCidrs', so runners there cannot reach the public endpoint; add it to cluster.publicAccessCidrs or run the runners inside the VPC`,
      },
    ]);
  });

  test('fails when a runner network is the whole internet', () => {
    const { name, issues } = withNetworks('private', () => ['0.0.0.0/0']);
    expect(issues).toEqual([
      {
        path: `${name}.deploy.runner`,
        message: `'networks[0]' ("0.0.0.0/0") would open the Kubernetes API to every address; list the runners' own networks (their subnet, a peered or VPN range)`,
      },
    ]);
  });

  test('fails when a runner network has host bits set', () => {
    const { name, issues } = withNetworks('private', () => ['198.51.100.7/24']);
    expect(issues).toEqual([
      {
        path: `${name}.deploy.runner`,
        message: `'networks[0]' ("198.51.100.7/24") is not a network address (host bits are set); use "198.51.100.0/24"`,
      },
    ]);
  });

  test('fails when a runner network is listed twice', () => {
    const { name, issues } = withNetworks('private', () => [PEERED, PEERED]);
    expect(issues).toEqual([{ path: `${name}.deploy.runner`, message: `'networks[1]' ("${PEERED}") is listed twice; list each network once` }]);
  });

  test('fails when a runner network is not an IPv4 CIDR, or the list is empty', () => {
    const bad = withNetworks('public-and-private', () => ['10.0.0.0']);
    expect(bad.issues).toEqual([
      {
        path: `${bad.name}.deploy.runner`,
        message: `'networks[0]' ("10.0.0.0") is not a runner network (an IPv4 CIDR like 10.0.0.0/16); write it as a.b.c.d/n`,
      },
    ]);
    const empty = withNetworks('public-and-private', () => []);
    expect(empty.issues).toEqual([
      { path: `${empty.name}.deploy.runner`, message: `'networks' must list at least one network; add the CIDR the runners connect from` },
    ]);
  });
});

describe('cluster.compute', () => {
  const resolved = (mutate: (input: any) => void) => {
    const input = exampleInput();
    mutate(input);
    return defineEnvironments(input).environments.find((e) => e.name === 'dev')!.cluster;
  };

  test('resolves to "node-groups" when node groups are defined and to "auto-mode" when not', () => {
    expect(resolved((input) => {
      env(input, 'dev').cluster.compute = undefined;
      env(input, 'dev').cluster.nodeGroups = { general: { instanceTypes: ['m6i.large'], minSize: 1, desiredSize: 1, maxSize: 2 } };
    }).compute).toBe('node-groups');
    const auto = resolved((input) => {
      env(input, 'dev').cluster.compute = undefined;
      delete env(input, 'dev').cluster.nodeGroups;
    });
    expect(auto.compute).toBe('auto-mode');
    expect(auto.nodeGroups).toEqual([]);
  });

  test('fails when "node-groups" has no node group, naming the field and the way out', () => {
    const issues = issuesOf((input) => {
      Object.assign(env(input, 'dev').cluster, { compute: 'node-groups', nodeGroups: {} });
    });
    expect(issues).toEqual([
      {
        path: 'dev.cluster.nodeGroups',
        message: `is empty while 'compute' is "node-groups"; add a node group (e.g. general: { instanceTypes: ["m6i.large"], minSize: 2, desiredSize: 2, maxSize: 4 }) or use compute "auto-mode"`,
      },
    ]);
  });

  test('fails when "auto-mode" also defines node groups', () => {
    const issues = issuesOf((input) => {
      Object.assign(env(input, 'dev').cluster, {
        compute: 'auto-mode',
        nodeGroups: { general: { instanceTypes: ['m6i.large'], minSize: 1, desiredSize: 1, maxSize: 2 } },
      });
    });
    expect(issues).toEqual([
      {
        path: 'dev.cluster.nodeGroups',
        message: `defines 1 node group(s) while 'compute' is "auto-mode", where EKS Auto Mode provides and scales the nodes; remove nodeGroups or use compute "node-groups"`,
      },
    ]);
  });

  test('rejects an unknown mode with the accepted values', () => {
    const issues = issuesOf((input) => {
      env(input, 'dev').cluster.compute = 'fargate';
    });
    expect(issues).toEqual([{ path: 'dev.cluster', message: `'compute' ("fargate") must be one of "auto-mode", "node-groups"; pick one of them` }]);
  });
});
