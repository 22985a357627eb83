/**
 * One Terraform stack per environment: provider, state backend and the environment's resources.
 * The stack only composes constructs; resource logic lives in `constructs/`.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { S3Backend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { MANAGED_BY, stateKey, type Definitions, type EnvironmentDefinition } from '../config';

/** Props of {@link EnvironmentStack}. */
export interface EnvironmentStackProps {
  /** The resolved definitions the environment belongs to. */
  readonly definitions: Definitions;
  /** The environment this stack builds. */
  readonly environment: EnvironmentDefinition;
}

/** The Terraform stack of one environment. */
export class EnvironmentStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id);
    const { definitions, environment: env } = props;
    new AwsProvider(this, 'aws', {
      region: env.region,
      allowedAccountIds: [env.account],
      defaultTags: [{ tags: { environment: env.name, system: definitions.system.name, 'managed-by': MANAGED_BY, ...env.tags } }],
    });
    const backend = new S3Backend(this, {
      bucket: env.state.bucket,
      key: stateKey(definitions.system, env),
      region: env.state.region,
      encrypt: true,
    });
    backend.addOverride('use_lockfile', true);
    new Vpc(this, 'Vpc', { cidrBlock: env.network.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true });
  }
}
