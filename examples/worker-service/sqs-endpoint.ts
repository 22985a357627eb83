/**
 * `SqsEndpoint`: an interface VPC endpoint for SQS in the private subnets, so workers reach SQS
 * inside the VPC (their NetworkPolicy allows HTTPS to the VPC only, not the internet).
 */
import { SecurityGroup, VpcEndpoint, VpcSecurityGroupIngressRule } from '../../infra/vendor/terraform';
import { Construct } from 'constructs';

/** Props of {@link SqsEndpoint}. */
export interface SqsEndpointProps {
  /** Name prefix of the security group, e.g. the stack name. */
  readonly name: string;
  /** AWS region (names the endpoint service `com.amazonaws.<region>.sqs`). */
  readonly region: string;
  /** The VPC. */
  readonly vpcId: string;
  /** CIDR of the VPC: the only source allowed to reach the endpoint. */
  readonly vpcCidr: string;
  /** Subnets the endpoint has a network interface in (the private subnets). */
  readonly subnetIds: readonly string[];
}

/** An SQS interface endpoint with private DNS, reachable on HTTPS from the VPC only. */
export class SqsEndpoint extends Construct {
  /** The underlying `aws_vpc_endpoint` (escape hatch). */
  public readonly resource: VpcEndpoint;
  /** The endpoint's security group. */
  public readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: SqsEndpointProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: `${props.name}-sqs-endpoint`,
      description: `SQS interface endpoint of ${props.name}: HTTPS from the VPC`,
      vpcId: props.vpcId,
    });
    new VpcSecurityGroupIngressRule(this, 'HttpsFromVpc', {
      securityGroupId: this.securityGroup.id,
      description: 'HTTPS from the VPC (SQS API calls of the workers)',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: props.vpcCidr,
    });
    this.resource = new VpcEndpoint(this, 'Resource', {
      vpcId: props.vpcId,
      serviceName: `com.amazonaws.${props.region}.sqs`,
      vpcEndpointType: 'Interface',
      privateDnsEnabled: true,
      subnetIds: [...props.subnetIds],
      securityGroupIds: [this.securityGroup.id],
    });
  }
}
