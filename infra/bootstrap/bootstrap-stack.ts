/**
 * The once-per-account bootstrap (the `cdk bootstrap` convention): everything an environment stack
 * needs to exist before its first `terraform apply`, for every environment of the definitions in one
 * AWS account. An administrator applies it (`deploykit bootstrap`); the environment stacks then run
 * as the CI identities it creates and create no IAM identity of their own beyond bounded roles.
 * - the Terraform state buckets the environments name (`state.bucket`, in `state.region`);
 * - the OIDC providers of the CI systems;
 * - the permissions boundary every role of the environment stacks carries;
 * - per environment, the plan, apply and deploy roles (`ciRoleName`).
 *
 * Its own state starts local (`backend: 'local'`, a `terraform.tfstate` next to `cdk.tf.json`) since
 * the bucket does not exist yet; after the first apply, `backend: 's3'` moves it into the account's
 * first state bucket (`terraform init -migrate-state`). See docs/first-day.md.
 */
import { AwsProvider, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from '../vendor/terraform';
import type { Construct } from 'constructs';
import {
  MANAGED_BY,
  autoModeNodeRoleName,
  bootstrapStackName,
  permissionsBoundaryName,
  type Definitions,
  type EnvironmentDefinition,
} from '../../config';
import { sidFrom } from '../policy-statement';
import { iamRoleArn } from '../private/arn';
import type { ResourceTypeActions } from './apply-permissions';
import { mergeApplyPermissions } from './apply-role-policy';
import { CiOidcProviders } from './ci-oidc-providers';
import { oidcIssuers } from './ci-trust';
import { CiRoles } from './ci-roles';
import { PermissionsBoundary } from './permissions-boundary';
import { StateBucket } from './state-bucket';

/** Where the bootstrap stack keeps its own state. */
export type BootstrapBackend = 'local' | 's3';

/** Props of {@link BootstrapStack}. */
export interface BootstrapStackProps {
  /** The resolved definitions. */
  readonly definitions: Definitions;
  /** The AWS account to bootstrap; at least one environment must live in it. */
  readonly account: string;
  /**
   * A definitions module's `applyPermissions`: IAM actions by Terraform resource type for the
   * resources a team's own constructs add; merged into the apply roles, and their services allowed
   * under the permissions boundary.
   * @default {}
   */
  readonly applyPermissions?: ResourceTypeActions;
  /**
   * Where the stack's own state lives: `local` (first apply, the bucket does not exist yet) or `s3`
   * (the account's first state bucket, key {@link bootstrapStateKey}).
   * @default "local"
   */
  readonly backend?: BootstrapBackend;
}

/** The AWS accounts of the definitions' environments, in first-appearance order. */
export function bootstrapAccounts(defs: Definitions): string[] {
  return [...new Set(defs.environments.map((e) => e.account))];
}

/** The state object key of an account's bootstrap stack in its state bucket: `<system>/bootstrap/terraform.tfstate`. */
export function bootstrapStateKey(defs: Definitions): string {
  return `${defs.system.name}/bootstrap/terraform.tfstate`;
}

/** The bootstrap stack of one account. */
export class BootstrapStack extends TerraformStack {
  /** The environments of the definitions in this account. */
  public readonly environments: readonly EnvironmentDefinition[];
  /** State buckets by bucket name. */
  public readonly stateBuckets: ReadonlyMap<string, StateBucket>;
  /** The OIDC providers of the CI systems. */
  public readonly oidcProviders: CiOidcProviders;
  /** The permissions boundary policy. */
  public readonly permissionsBoundary: PermissionsBoundary;
  /** The CI roles by environment name; empty when `ci` configures neither GitLab nor GitHub. */
  public readonly ciRoles: ReadonlyMap<string, CiRoles>;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const { definitions: defs, account } = props;
    const system = defs.system;
    const envs = defs.environments.filter((e) => e.account === account);
    if (envs.length === 0) {
      throw new Error(
        `${bootstrapStackName(system, account)}: 'account' (${JSON.stringify(account)}) has no environment; use one of ${bootstrapAccounts(defs).join(', ')}`,
      );
    }
    this.environments = envs;
    const table = mergeApplyPermissions(props.applyPermissions);
    const tags = { system: system.name, 'managed-by': MANAGED_BY, 'deploykit-stack': 'bootstrap' };

    const region = envs[0].region;
    const primary = new AwsProvider(this, 'aws', { region, allowedAccountIds: [account], defaultTags: [{ tags }] });
    const providers = new Map<string, AwsProvider>([[region, primary]]);
    const providerFor = (bucketRegion: string): AwsProvider => {
      let provider = providers.get(bucketRegion);
      if (!provider) {
        provider = new AwsProvider(this, `aws-${bucketRegion}`, { region: bucketRegion, alias: bucketRegion, allowedAccountIds: [account], defaultTags: [{ tags }] });
        providers.set(bucketRegion, provider);
      }
      return provider;
    };

    const buckets = new Map<string, StateBucket>();
    for (const env of envs) {
      const name = env.state.bucket;
      const existing = buckets.get(name);
      if (existing) {
        const first = envs.find((e) => e.state.bucket === name)!;
        if (first.state.region !== env.state.region) {
          throw new Error(
            `${env.name}.state.region: (${JSON.stringify(env.state.region)}) differs from ${first.name}.state.region (${JSON.stringify(first.state.region)}) for the same bucket ${JSON.stringify(name)}; a bucket lives in one region, use the same state.region`,
          );
        }
        continue;
      }
      // Construct ids are a contract: `StateBucket<Name>` fixes the bucket's Terraform addresses.
      buckets.set(
        name,
        new StateBucket(this, `StateBucket${sidFrom(name)}`, {
          bucketName: name,
          provider: env.state.region === region ? undefined : providerFor(env.state.region),
        }),
      );
    }
    this.stateBuckets = buckets;

    const backend = props.backend ?? 'local';
    if (backend === 's3') {
      const s3 = new S3Backend(this, { bucket: envs[0].state.bucket, key: bootstrapStateKey(defs), region: envs[0].state.region, encrypt: true });
      s3.addOverride('use_lockfile', true);
    } else {
      new LocalBackend(this, { path: 'terraform.tfstate' });
    }

    this.oidcProviders = new CiOidcProviders(this, 'OidcProviders', { issuers: oidcIssuers(defs) });
    const extensionServices = Object.values(props.applyPermissions ?? {})
      .flat()
      .map((action) => action.split(':')[0]);
    this.permissionsBoundary = new PermissionsBoundary(this, 'PermissionsBoundary', {
      policyName: permissionsBoundaryName(system),
      account,
      stateBuckets: [...buckets.keys()],
      additionalServices: [...new Set(extensionServices)],
      // Every environment's, whatever its compute mode today: switching to Auto Mode needs no new bootstrap.
      autoModeNodeRoleArns: envs.map((env) => iamRoleArn(account, autoModeNodeRoleName(system, env))),
    });

    const roles = new Map<string, CiRoles>();
    if (defs.ci.gitlab || defs.ci.github) {
      for (const env of envs) {
        roles.set(
          env.name,
          new CiRoles(this, `CiRoles${sidFrom(env.name)}`, {
            definitions: defs,
            environment: env,
            applyPermissions: table,
            dependsOn: this.oidcProviders.all,
          }),
        );
      }
    }
    this.ciRoles = roles;

    // Output names are snake_case: read them with `terraform output <name>`.
    new TerraformOutput(this, 'ci_role_arns', {
      value: Object.fromEntries(
        [...roles].map(([env, r]) => [env, { plan: r.roles.plan.resource.arn, apply: r.roles.apply.resource.arn, deploy: r.roles.deploy.resource.arn }]),
      ),
      description: 'CI role ARNs by environment and kind (plan, apply, deploy)',
    });
    new TerraformOutput(this, 'state_bucket_names', { value: [...buckets.keys()], description: 'Terraform state buckets of the environments' });
    new TerraformOutput(this, 'permissions_boundary_arn', {
      value: this.permissionsBoundary.resource.arn,
      description: 'Permissions boundary every role of the environment stacks carries',
    });
  }
}
