import { execFileSync } from 'node:child_process';
import { environmentDiagram } from '../../cli/graph/environment-diagram';
import { runCli } from '../support/cli';
import { defineEnvironments } from '../../config';
import { envInputOf, exampleDefs, exampleInput, useAutoMode, useNodeGroups } from '../support/synth';

interface ParsedDiagram {
  groups: { id: string; in?: string; title?: string }[];
  services: { id: string; in?: string; title?: string }[];
  edges: { lhsId: string; rhsId: string }[];
}

/** Parses with the real Mermaid parser (`@mermaid-js/parser`, ESM-only, so in a child process). */
function parseWithMermaid(text: string): ParsedDiagram {
  const script = `
    import { parse } from '@mermaid-js/parser';
    let input = ''; for await (const chunk of process.stdin) input += chunk;
    const ast = await parse('architecture', input);
    const pick = (n) => ({ id: n.id, in: n.in, title: n.title });
    process.stdout.write(JSON.stringify({ groups: ast.groups.map(pick), services: ast.services.map(pick), edges: ast.edges.map((e) => ({ lhsId: e.lhsId, rhsId: e.rhsId })) }));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }));
}

const defs = exampleDefs();

describe('environmentDiagram', () => {
  test.each(defs.environments.map((e) => [e.name, e] as const))('the %s diagram parses with the real Mermaid parser and is consistent', (_name, env) => {
    const ast = parseWithMermaid(environmentDiagram(defs, env));
    const groups = new Set(ast.groups.map((g) => g.id));
    const services = new Set(ast.services.map((s) => s.id));
    for (const node of [...ast.groups, ...ast.services]) {
      if (node.in) expect(groups).toContain(node.in);
    }
    for (const edge of ast.edges) {
      expect(services).toContain(edge.lhsId);
      expect(services).toContain(edge.rhsId);
    }
    expect(ast.groups.filter((g) => g.id.startsWith('zone_'))).toHaveLength(env.network.availabilityZones.length);
    expect(ast.services.filter((s) => s.id.startsWith('ecr_'))).toHaveLength(env.services.length);
    expect(ast.services.filter((s) => s.id.startsWith('nodes_'))).toHaveLength(env.cluster.nodeGroups.length);
    expect(services.has('auto_mode_nodes')).toBe(env.cluster.compute === 'auto-mode');
  });

  test('shows VPC, zones, cluster, node groups, HPA bounds and the CI role of a production environment', () => {
    // An explicit fixture: the values drawn are set here, not taken from the example.
    const input = exampleInput();
    input.system.name = 'shop';
    const prod = input.environments.find((e: any) => e.tier === 'production');
    prod.name = 'live';
    prod.network = { vpcCidr: '10.30.0.0/16', availabilityZones: ['ap-east-1a', 'ap-east-1b', 'ap-east-1c'], natGateways: 'one-per-az' };
    prod.cluster.kubernetesVersion = '1.35';
    prod.cluster.endpointAccess = 'private';
    useNodeGroups(prod, { general: { instanceTypes: ['m6i.xlarge', 'm5.xlarge'], minSize: 3, desiredSize: 3, maxSize: 9 } });
    input.services['company-web'] = { ...input.services['company-web'], containerPort: 8080, servicePort: 80 };
    prod.services['company-web'] = { autoscaling: { minReplicas: 3, maxReplicas: 12, targetCpuUtilizationPercent: 50 } };
    const fixture = defineEnvironments(input);
    const text = environmentDiagram(fixture, fixture.environments.find((e) => e.name === 'live')!);
    expect(text).toContain('group vpc(cloud)[VPC 10.30.0.0/16] in account');
    expect(text).toContain('group zone_ap_east_1c(cloud)[ap-east-1c] in vpc');
    expect(text).toContain('service cluster(server)[EKS shop-live v1.35, private endpoint] in vpc');
    expect(text).toContain('service nodes_general(server)[node group general: m6i.xlarge m5.xlarge ON_DEMAND, 3 to 9 nodes by the Cluster Autoscaler] in vpc');
    expect(text).toContain('nodes_general:T -- B:cluster');
    expect(text).not.toContain('Auto Mode');
    expect(parseWithMermaid(text).edges).toContainEqual({ lhsId: 'nodes_general', rhsId: 'cluster' });
    expect(text).toContain('service svc_company_web(server)[company-web: HPA 3 to 12 at 50% CPU, port 80 to 8080] in ns_company_web');
    expect(text).toContain('service ci(internet)[CI role deploykit-shop-live-deploy]');
  });

  test('draws the EKS Auto Mode nodes attached to the cluster, and no node group, for an Auto Mode environment', () => {
    const input = exampleInput();
    useAutoMode(envInputOf(input, 'staging'));
    const fixture = defineEnvironments(input);
    const text = environmentDiagram(fixture, fixture.environments.find((e) => e.name === 'staging')!);
    expect(text).toContain('service auto_mode_nodes(server)[EKS Auto Mode nodes, launched and scaled by EKS for the pods] in vpc');
    expect(text).toContain('auto_mode_nodes:T -- B:cluster');
    expect(text).not.toContain('node group');
    const ast = parseWithMermaid(text);
    expect(ast.services.filter((s) => s.id.startsWith('nodes_'))).toEqual([]);
    expect(ast.edges).toContainEqual({ lhsId: 'auto_mode_nodes', rhsId: 'cluster' });
  });

  test('the parser rejects a malformed diagram, so the check above can fail', () => {
    expect(() => parseWithMermaid('architecture-beta\n  service a(server)[A]\n  a:Q -- R:b\n')).toThrow(/Parse error/);
  });

  test('draws fixed replica counts where there is no autoscaler', () => {
    const input = exampleInput();
    input.services['company-web'] = { ...input.services['company-web'], containerPort: 8080, servicePort: 80 };
    input.environments[0].services['company-web'] = { autoscaling: null, replicas: 1 };
    const fixture = defineEnvironments(input);
    expect(environmentDiagram(fixture, fixture.environments[0])).toContain('[company-web: 1 replicas, port 80 to 8080]');
  });

  test('the CLI prints one fenced block per environment, or one bare diagram with --env', async () => {
    const md = await runCli('graph');
    expect(md.code).toBe(0);
    expect(md.stdout.match(/```mermaid\narchitecture-beta/g)).toHaveLength(3);
    const bare = await runCli('graph', '--env', 'dev', '--format', 'mermaid');
    expect(bare.stdout.startsWith('architecture-beta\n')).toBe(true);
    const ambiguous = await runCli('graph', '--format', 'mermaid');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('--format mermaid draws one environment; add --env <name>');
  });
});
