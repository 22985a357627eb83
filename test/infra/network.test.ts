import type { Construct } from 'constructs';
import { EncryptionKey } from '../../infra/constructs/encryption-key';
import { Network, type NetworkProps } from '../../infra/constructs/network';
import { emptyStack, onlyResource, policyOf, resourceAt, resourcesOf, synthScope } from '../../testing';

function props(scope: Construct, overrides: Partial<NetworkProps> = {}): NetworkProps {
  return {
    name: 'company-prod',
    clusterName: 'company-prod',
    account: '333333333333',
    region: 'ap-east-1',
    vpcCidr: '10.30.0.0/16',
    availabilityZones: ['ap-east-1a', 'ap-east-1b'],
    publicSubnetCidrs: ['10.30.0.0/20', '10.30.16.0/20'],
    privateSubnetCidrs: ['10.30.128.0/18', '10.30.192.0/18'],
    logEncryptionKey: new EncryptionKey(scope, 'LogsKey', {
      account: '333333333333',
      region: 'ap-east-1',
      aliasName: 'logs',
      description: 'logs',
      allowCloudWatchLogs: true,
    }),
    ...overrides,
  };
}

describe('Network', () => {
  test('creates a VPC with DNS support and hostnames from the CIDR', () => {
    const json = synthScope((scope) => new Network(scope, 'Network', props(scope)));
    const vpc = onlyResource(json, 'aws_vpc');
    expect(vpc).toMatchObject({ cidr_block: '10.30.0.0/16', enable_dns_support: true, enable_dns_hostnames: true });
  });

  test('creates a public and a private subnet per zone, none mapping public IPs, tagged for load balancers and the cluster', () => {
    const json = synthScope((scope) => new Network(scope, 'Network', props(scope)));
    const subnets = Object.values(resourcesOf(json, 'aws_subnet'));
    expect(subnets).toHaveLength(4);
    for (const s of subnets) {
      expect(s.map_public_ip_on_launch).toBe(false);
      expect(s.tags['kubernetes.io/cluster/company-prod']).toBe('shared');
    }
    expect(resourceAt(json, 'aws_subnet', 'Network/PublicSubnetB')).toMatchObject({
      availability_zone: 'ap-east-1b',
      cidr_block: '10.30.16.0/20',
      tags: { 'kubernetes.io/role/elb': '1' },
    });
    expect(resourceAt(json, 'aws_subnet', 'Network/PrivateSubnetA')).toMatchObject({
      availability_zone: 'ap-east-1a',
      cidr_block: '10.30.128.0/18',
      tags: { 'kubernetes.io/role/internal-elb': '1' },
    });
    expect(resourceAt(json, 'aws_subnet', 'Network/PrivateSubnetA').tags).not.toHaveProperty('kubernetes.io/role/elb');
  });

  test('creates one NAT gateway with an EIP per zone by default, each private route table using its own zone', () => {
    const json = synthScope((scope) => new Network(scope, 'Network', props(scope)));
    expect(Object.keys(resourcesOf(json, 'aws_nat_gateway'))).toHaveLength(2);
    expect(Object.keys(resourcesOf(json, 'aws_eip'))).toHaveLength(2);
    const routeB = resourceAt(json, 'aws_route', 'Network/PrivateDefaultRouteB');
    expect(routeB.nat_gateway_id).toMatch(/aws_nat_gateway\.Network_NatGatewayB_\w+\.id/);
  });

  test('creates a single shared NAT gateway when natGateways is "single"', () => {
    const json = synthScope((scope) => new Network(scope, 'Network', props(scope, { natGateways: 'single' })));
    expect(Object.keys(resourcesOf(json, 'aws_nat_gateway'))).toHaveLength(1);
    expect(resourceAt(json, 'aws_route', 'Network/PrivateDefaultRouteB').nat_gateway_id).toMatch(/Network_NatGatewayA_/);
  });

  test('routes the public subnets to the internet gateway', () => {
    const json = synthScope((scope) => new Network(scope, 'Network', props(scope)));
    const route = resourceAt(json, 'aws_route', 'Network/PublicDefaultRoute');
    expect(route).toMatchObject({ destination_cidr_block: '0.0.0.0/0' });
    expect(route.gateway_id).toMatch(/aws_internet_gateway\./);
    expect(Object.keys(resourcesOf(json, 'aws_route_table_association'))).toHaveLength(4);
  });

  test('adopts the default security group without any rules', () => {
    const json = synthScope((scope) => new Network(scope, 'Network', props(scope)));
    const sg = onlyResource(json, 'aws_default_security_group');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  test('sends all flow logs to a KMS-encrypted log group with the retention, through a role limited to that group', () => {
    const json = synthScope((scope) => new Network(scope, 'Network', props(scope, { flowLogRetentionDays: 30 })));
    const group = onlyResource(json, 'aws_cloudwatch_log_group');
    expect(group).toMatchObject({ name: '/aws/vpc/company-prod/flow-logs', retention_in_days: 30 });
    expect(group.kms_key_id).toMatch(/aws_kms_key\.LogsKey_\w+\.arn/);
    expect(onlyResource(json, 'aws_flow_log')).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    const trust = policyOf(onlyResource(json, 'aws_iam_role'), 'assume_role_policy');
    expect(trust.Statement[0]).toMatchObject({
      Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '333333333333' } },
    });
    const statements = policyOf(onlyResource(json, 'aws_iam_role_policy')).Statement;
    expect(statements).toMatchSnapshot();
    for (const s of statements) expect(s.Resource).not.toBe('*');
  });

  test('keeps flow logs 90 days by default', () => {
    const json = synthScope((scope) => new Network(scope, 'Network', props(scope)));
    expect(onlyResource(json, 'aws_cloudwatch_log_group').retention_in_days).toBe(90);
  });

  test('fails when fewer than two availability zones are given', () => {
    const stack = emptyStack();
    expect(() => new Network(stack, 'Network', props(stack, { availabilityZones: ['ap-east-1a'] }))).toThrow(
      `test/Network: 'availabilityZones' (["ap-east-1a"]) must list at least 2 zones, since EKS needs subnets in two; add a second availability zone`,
    );
  });

  test('fails when the subnet list does not match the zones', () => {
    const stack = emptyStack();
    expect(() => new Network(stack, 'Network', props(stack, { privateSubnetCidrs: ['10.30.128.0/18'] }))).toThrow(
      `test/Network: 'privateSubnetCidrs' (["10.30.128.0/18"]) has 1 entries for 2 availability zones; give exactly one subnet per zone`,
    );
  });
});
