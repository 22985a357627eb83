/**
 * The environment's VPC: public and private subnets in every availability zone, an internet
 * gateway, NAT gateways, routing, a locked-down default security group and VPC flow logs to an
 * encrypted CloudWatch log group. Zones are listed explicitly, so synth needs no AWS calls.
 */
import { CloudwatchLogGroup, DefaultSecurityGroup, Eip, FlowLog, IamRole, IamRolePolicy, InternetGateway, NatGateway, Route, RouteTable, RouteTableAssociation, Subnet, Vpc } from '../vendor/terraform';
import { Construct } from 'constructs';
import { propIssue, throwIfInvalidProps, truncateName, type ValidationIssue } from '../../config';
import { policyDocument } from '../policy-statement';
import { serviceTrustPolicy } from '../private/trust-policy';
import type { EncryptionKey } from './encryption-key';

/** How many NAT gateways the private subnets share. */
export type NatGatewayLayout = 'single' | 'one-per-az';

/** Props of {@link Network}. */
export interface NetworkProps {
  /** Name prefix of the network's resources (`Name` tags, log group, role), e.g. `company-prod`. */
  readonly name: string;
  /** EKS cluster that uses the subnets; tags them `kubernetes.io/cluster/<clusterName>=shared`. */
  readonly clusterName: string;
  /** AWS account id (pins the flow-log role's trust to this account). */
  readonly account: string;
  /** AWS region of the VPC. */
  readonly region: string;
  /** VPC address range, e.g. `10.30.0.0/16`. */
  readonly vpcCidr: string;
  /** Availability zones, at least two, e.g. `["ap-east-1a", "ap-east-1b"]`. */
  readonly availabilityZones: readonly string[];
  /** Public subnet CIDR per zone, in zone order (load balancers and NAT gateways). */
  readonly publicSubnetCidrs: readonly string[];
  /** Private subnet CIDR per zone, in zone order (nodes and pods). */
  readonly privateSubnetCidrs: readonly string[];
  /**
   * One shared NAT gateway, or one per zone so a zone outage does not cut the others' egress.
   * @default "one-per-az"
   */
  readonly natGateways?: NatGatewayLayout;
  /**
   * Days VPC flow logs are kept.
   * @default 90
   */
  readonly flowLogRetentionDays?: number;
  /** KMS key that encrypts the flow-log group; it must allow CloudWatch Logs (`allowCloudWatchLogs`). */
  readonly logEncryptionKey: EncryptionKey;
}

/** Subnets of one kind, one per zone. */
export interface SubnetsByZone {
  /** Subnet ids in zone order. */
  readonly subnetIds: readonly string[];
  /** The `aws_subnet` resources in zone order. */
  readonly subnets: readonly Subnet[];
}

/** VPC, subnets, gateways, routes and flow logs of one environment. */
export class Network extends Construct {
  /** The underlying `aws_vpc` (escape hatch). */
  public readonly resource: Vpc;
  /** Id of the VPC. */
  public readonly vpcId: string;
  /** Public subnets (internet-facing load balancers, NAT gateways). */
  public readonly publicSubnets: SubnetsByZone;
  /** Private subnets (nodes, pods, internal load balancers). */
  public readonly privateSubnets: SubnetsByZone;
  /** Name of the CloudWatch log group receiving the flow logs. */
  public readonly flowLogGroupName: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const zones = props.availabilityZones;
    const issues: ValidationIssue[] = [];
    if (zones.length < 2) {
      issues.push(propIssue(this, { field: 'availabilityZones', value: zones, rule: 'must list at least 2 zones, since EKS needs subnets in two', fix: 'add a second availability zone' }));
    }
    for (const field of ['publicSubnetCidrs', 'privateSubnetCidrs'] as const) {
      if (props[field].length !== zones.length) {
        issues.push(
          propIssue(this, {
            field,
            value: props[field],
            rule: `has ${props[field].length} entries for ${zones.length} availability zones`,
            fix: 'give exactly one subnet per zone',
          }),
        );
      }
    }
    throwIfInvalidProps(this, issues);
    const natLayout = props.natGateways ?? 'one-per-az';
    const retentionInDays = props.flowLogRetentionDays ?? 90;
    const name = props.name;
    const clusterTag = `kubernetes.io/cluster/${props.clusterName}`;

    this.resource = new Vpc(this, 'Resource', {
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: name },
    });
    this.vpcId = this.resource.id;

    // Adopting the default security group removes all its rules: nothing may use it by accident.
    new DefaultSecurityGroup(this, 'DefaultSecurityGroup', {
      vpcId: this.vpcId,
      tags: { Name: `${name}-default-deny` },
    });

    const internetGateway = new InternetGateway(this, 'InternetGateway', { vpcId: this.vpcId, tags: { Name: name } });
    const publicRouteTable = new RouteTable(this, 'PublicRouteTable', { vpcId: this.vpcId, tags: { Name: `${name}-public` } });
    new Route(this, 'PublicDefaultRoute', {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: internetGateway.id,
    });

    const publicSubnets: Subnet[] = [];
    const privateSubnets: Subnet[] = [];
    const natGateways: NatGateway[] = [];
    zones.forEach((zone, i) => {
      const z = zoneId(zone);
      const publicSubnet = new Subnet(this, `PublicSubnet${z}`, {
        vpcId: this.vpcId,
        availabilityZone: zone,
        cidrBlock: props.publicSubnetCidrs[i],
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-public-${zone}`, 'kubernetes.io/role/elb': '1', [clusterTag]: 'shared' },
      });
      new RouteTableAssociation(this, `PublicSubnet${z}RouteTableAssociation`, {
        subnetId: publicSubnet.id,
        routeTableId: publicRouteTable.id,
      });
      publicSubnets.push(publicSubnet);
      if (natLayout === 'one-per-az' || i === 0) {
        const eip = new Eip(this, `NatEip${z}`, { domain: 'vpc', tags: { Name: `${name}-nat-${zone}` } });
        natGateways.push(
          new NatGateway(this, `NatGateway${z}`, {
            allocationId: eip.allocationId,
            subnetId: publicSubnet.id,
            tags: { Name: `${name}-${zone}` },
            dependsOn: [internetGateway],
          }),
        );
      }
    });
    zones.forEach((zone, i) => {
      const z = zoneId(zone);
      const privateSubnet = new Subnet(this, `PrivateSubnet${z}`, {
        vpcId: this.vpcId,
        availabilityZone: zone,
        cidrBlock: props.privateSubnetCidrs[i],
        mapPublicIpOnLaunch: false,
        tags: { Name: `${name}-private-${zone}`, 'kubernetes.io/role/internal-elb': '1', [clusterTag]: 'shared' },
      });
      const routeTable = new RouteTable(this, `PrivateRouteTable${z}`, { vpcId: this.vpcId, tags: { Name: `${name}-private-${zone}` } });
      new Route(this, `PrivateDefaultRoute${z}`, {
        routeTableId: routeTable.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: natGateways[natLayout === 'one-per-az' ? i : 0].id,
      });
      new RouteTableAssociation(this, `PrivateSubnet${z}RouteTableAssociation`, {
        subnetId: privateSubnet.id,
        routeTableId: routeTable.id,
      });
      privateSubnets.push(privateSubnet);
    });
    this.publicSubnets = { subnets: publicSubnets, subnetIds: publicSubnets.map((s) => s.id) };
    this.privateSubnets = { subnets: privateSubnets, subnetIds: privateSubnets.map((s) => s.id) };

    this.flowLogGroupName = `/aws/vpc/${name}/flow-logs`;
    const logGroup = new CloudwatchLogGroup(this, 'FlowLogGroup', {
      name: this.flowLogGroupName,
      retentionInDays,
      kmsKeyId: props.logEncryptionKey.keyArn,
    });
    const role = new IamRole(this, 'FlowLogRole', {
      name: truncateName(`${name}-vpc-flow-logs`, 64),
      description: `Delivers the VPC flow logs of ${name} to CloudWatch Logs`,
      assumeRolePolicy: serviceTrustPolicy('vpc-flow-logs.amazonaws.com', {
        StringEquals: { 'aws:SourceAccount': props.account },
        ArnLike: { 'aws:SourceArn': `arn:aws:ec2:${props.region}:${props.account}:vpc-flow-log/*` },
      }),
    });
    new IamRolePolicy(this, 'FlowLogRolePolicy', {
      name: 'deliver-flow-logs',
      role: role.id,
      policy: policyDocument([
        {
          sid: 'WriteFlowLogs',
          actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          resources: [logGroup.arn, `${logGroup.arn}:log-stream:*`],
        },
        { sid: 'DescribeFlowLogGroup', actions: ['logs:DescribeLogGroups'], resources: [logGroup.arn] },
      ]),
    });
    new FlowLog(this, 'FlowLog', {
      vpcId: this.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: name },
    });
  }
}

/** The zone letter in upper case for construct ids: `ap-east-1a` → `A`. */
function zoneId(zone: string): string {
  return zone.slice(-1).toUpperCase();
}
