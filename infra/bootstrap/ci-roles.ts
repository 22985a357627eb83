/**
 * The three CI identities of one environment (see `CiRoleKind`): the read-only plan role, the apply
 * role that applies the environment's Terraform within the permissions boundary, and the deploy role
 * that pushes images and describes the cluster. Each trusts only the CI tokens of
 * {@link ciTrustSubjects}.
 */
import { IamRole, IamRolePolicyAttachment, type ITerraformDependable } from '../vendor/terraform';
import { Construct } from 'constructs';
import { ciRoleName, type CiRoleKind, type Definitions, type EnvironmentDefinition } from '../../config';
import type { PolicyStatement } from '../policy-statement';
import { awsManagedPolicyArn } from '../private/arn';
import { InlinePolicy } from '../private/inline-policy';
import { RESOURCE_TYPE_ACTIONS, type ResourceTypeActions } from './apply-permissions';
import { applyRoleStatements } from './apply-role-policy';
import { ciTrustPolicy } from './ci-trust';
import { deployRoleStatements } from './deploy-permissions';
import { PLAN_VIEW_ONLY_POLICY, planRoleStatements } from './plan-permissions';

/** Props of {@link CiRoles}. */
export interface CiRolesProps {
  /** The resolved definitions (CI systems, promotion rules). */
  readonly definitions: Definitions;
  /** The environment whose identities these are. */
  readonly environment: EnvironmentDefinition;
  /**
   * Resource-type table of the apply role's actions (deploykit's plus a definitions module's `applyPermissions`).
   * @default RESOURCE_TYPE_ACTIONS
   */
  readonly applyPermissions?: ResourceTypeActions;
  /**
   * What the roles wait for: the OIDC providers their trust policies name.
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** One CI identity: its role and the statements of its inline policy. */
export interface CiRole {
  /** The `aws_iam_role`. */
  readonly resource: IamRole;
  /** The statements of its inline policy, as written. */
  readonly statements: readonly PolicyStatement[];
}

const DESCRIPTIONS: Record<CiRoleKind, string> = {
  plan: 'read Terraform state and describe resources for review plans and drift checks; writes nothing',
  apply: 'apply the Terraform and cluster-scoped Kubernetes objects, within the permissions boundary',
  deploy: 'push images, pull promoted images, apply namespaced Kubernetes objects',
};

/** The plan, apply and deploy roles of one environment. */
export class CiRoles extends Construct {
  /** The roles by kind. */
  public readonly roles: Readonly<Record<CiRoleKind, CiRole>>;

  constructor(scope: Construct, id: string, props: CiRolesProps) {
    super(scope, id);
    const { definitions: defs, environment: env } = props;
    const statements: Record<CiRoleKind, PolicyStatement[]> = {
      plan: planRoleStatements(defs, env),
      apply: applyRoleStatements(defs, env, props.applyPermissions ?? RESOURCE_TYPE_ACTIONS),
      deploy: deployRoleStatements(defs, env),
    };
    const ids: Record<CiRoleKind, string> = { plan: 'PlanRole', apply: 'ApplyRole', deploy: 'DeployRole' };
    const roles = {} as Record<CiRoleKind, CiRole>;
    for (const kind of ['plan', 'apply', 'deploy'] as const) {
      const resource = new IamRole(this, ids[kind], {
        name: ciRoleName(defs.system, env, kind),
        description: `CI ${kind} identity of ${env.name}: ${DESCRIPTIONS[kind]}`,
        assumeRolePolicy: ciTrustPolicy(defs, env, kind),
        maxSessionDuration: 3600,
        dependsOn: [...(props.dependsOn ?? [])],
      });
      const policy = new InlinePolicy(this, `${ids[kind]}Policy`, resource.id, `ci-${kind}`);
      for (const statement of statements[kind]) policy.add(statement);
      roles[kind] = { resource, statements: policy.all };
    }
    new IamRolePolicyAttachment(this, 'PlanRoleViewOnlyAccess', { role: roles.plan.resource.name, policyArn: awsManagedPolicyArn(PLAN_VIEW_ONLY_POLICY) });
    this.roles = roles;
  }
}
