/**
 * The apply identity's identity policy: exactly the actions the environment stacks' resource types
 * need ({@link actionsFor}), limited to the environment's region; IAM writes only on the roles the
 * environment's Terraform names (`managedRoleNamePrefixes`) and only with the permissions boundary
 * attached; the Terraform state object and its lock file; and explicit denies that keep the apply
 * role from loosening its own limits (the boundary, the CI roles).
 */
import {
  MANAGED_BY,
  managedRoleNamePrefixes,
  permissionsBoundaryArn,
  stateKey,
  type Definitions,
  type EnvironmentDefinition,
} from '../../config';
import type { PolicyStatement } from '../policy-statement';
import { iamRoleArn, s3BucketArn, s3ObjectArn } from '../private/arn';
import { actionsFor, BOUNDARY_CONDITIONED_ACTIONS, RESOURCE_TYPE_ACTIONS, type ResourceTypeActions } from './apply-permissions';

/** IAM actions the apply role may call on the roles the environment's Terraform names (prefixes), without a further condition. */
export const ROLE_IAM_ACTIONS: readonly string[] = [
  'iam:DeleteRole',
  'iam:GetRole',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:ListInstanceProfilesForRole',
  'iam:ListRolePolicies',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];

/** Services the environment stacks pass their roles to (`iam:PassedToService`). */
export const PASSED_TO_SERVICES: readonly string[] = [
  'eks.amazonaws.com',
  'ec2.amazonaws.com',
  'vpc-flow-logs.amazonaws.com',
  'pods.eks.amazonaws.com',
];

/** Service-linked roles EKS creates on first use of a cluster or node group (`iam:AWSServiceName`). */
export const EKS_SERVICE_LINKED_ROLE_SERVICES: readonly string[] = ['eks.amazonaws.com', 'eks-nodegroup.amazonaws.com'];

/** IAM actions that change a role; denied on the CI roles (`deploykit-*`). */
export const ROLE_WRITE_ACTIONS: readonly string[] = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
];

/** Actions that would change the permissions boundary policy; denied to the apply role. */
export const BOUNDARY_POLICY_WRITE_ACTIONS: readonly string[] = [
  'iam:CreatePolicyVersion',
  'iam:DeletePolicy',
  'iam:DeletePolicyVersion',
  'iam:SetDefaultPolicyVersion',
];

const PASS_ROLE = 'iam:PassRole';
const CREATE_SERVICE_LINKED_ROLE = 'iam:CreateServiceLinkedRole';

/** Every IAM action the apply role can be granted; any other `iam:` action in a resource-type table is an error. */
const GRANTABLE_IAM_ACTIONS = new Set([...ROLE_IAM_ACTIONS, ...BOUNDARY_CONDITIONED_ACTIONS, PASS_ROLE, CREATE_SERVICE_LINKED_ROLE]);

/**
 * The resource-type table the apply role is built from: deploykit's {@link RESOURCE_TYPE_ACTIONS}
 * plus a definitions module's `applyPermissions`.
 * @throws Error naming the type and action when the extension asks for an IAM action outside the role-scoped set
 */
export function mergeApplyPermissions(extension: ResourceTypeActions = {}): ResourceTypeActions {
  for (const [type, actions] of Object.entries(extension)) {
    for (const action of actions) {
      if (action.startsWith('iam:') && !GRANTABLE_IAM_ACTIONS.has(action)) {
        throw new Error(
          `applyPermissions.${type}: '${action}' is not allowed for the apply role; it may only write IAM roles named by the environment, with the permissions boundary (${[...GRANTABLE_IAM_ACTIONS].sort().join(', ')})`,
        );
      }
    }
  }
  const merged: Record<string, readonly string[]> = { ...RESOURCE_TYPE_ACTIONS };
  for (const [type, actions] of Object.entries(extension)) merged[type] = [...new Set([...(merged[type] ?? []), ...actions])];
  return merged;
}

/** The apply role's identity policy for `env`, from the resource-type table (see {@link mergeApplyPermissions}). */
export function applyRoleStatements(
  defs: Definitions,
  env: EnvironmentDefinition,
  table: ResourceTypeActions = RESOURCE_TYPE_ACTIONS,
): PolicyStatement[] {
  const { account } = env;
  const all = actionsFor(Object.keys(table), table);
  const iam = all.filter((a) => a.startsWith('iam:'));
  const unknownIam = iam.filter((a) => !GRANTABLE_IAM_ACTIONS.has(a));
  if (unknownIam.length > 0) {
    throw new Error(`apply permissions: ${unknownIam.join(', ')} cannot be granted to the apply role; remove them from the resource-type table`);
  }
  const services = all.filter((a) => !a.startsWith('iam:'));
  const managedRoles = managedRoleNamePrefixes(defs.system, env).map((prefix) => iamRoleArn(account, `${prefix}*`));
  const boundary = permissionsBoundaryArn(defs.system, env);
  const key = stateKey(defs.system, env);
  const conditioned = iam.filter((a) => BOUNDARY_CONDITIONED_ACTIONS.includes(a));
  const plain = iam.filter((a) => ROLE_IAM_ACTIONS.includes(a));
  const ciRoles = iamRoleArn(account, `${MANAGED_BY}-*`);

  const statements: PolicyStatement[] = [
    {
      sid: 'ManageEnvironmentResources',
      actions: services,
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': env.region } },
    },
  ];
  if (plain.length > 0) statements.push({ sid: 'ManageEnvironmentRoles', actions: plain, resources: managedRoles });
  if (conditioned.length > 0) {
    statements.push({
      sid: 'WriteEnvironmentRolesWithBoundary',
      actions: conditioned,
      resources: managedRoles,
      conditions: { StringEquals: { 'iam:PermissionsBoundary': boundary } },
    });
  }
  if (iam.includes(PASS_ROLE)) {
    statements.push({
      sid: 'PassEnvironmentRoles',
      actions: [PASS_ROLE],
      resources: managedRoles,
      conditions: { StringEquals: { 'iam:PassedToService': [...PASSED_TO_SERVICES] } },
    });
  }
  if (iam.includes(CREATE_SERVICE_LINKED_ROLE)) {
    statements.push({
      sid: 'CreateEksServiceLinkedRoles',
      actions: [CREATE_SERVICE_LINKED_ROLE],
      resources: [iamRoleArn(account, 'aws-service-role/*')],
      conditions: { StringEquals: { 'iam:AWSServiceName': [...EKS_SERVICE_LINKED_ROLE_SERVICES] } },
    });
  }
  statements.push(
    { sid: 'ReadWriteTerraformState', actions: ['s3:GetObject', 's3:PutObject'], resources: [s3ObjectArn(env.state.bucket, key)] },
    {
      sid: 'LockTerraformState',
      actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      resources: [s3ObjectArn(env.state.bucket, `${key}.tflock`)],
    },
    {
      sid: 'ListTerraformState',
      actions: ['s3:ListBucket'],
      resources: [s3BucketArn(env.state.bucket)],
      conditions: { StringEquals: { 's3:prefix': [key, `${key}.tflock`] } },
    },
    { sid: 'DenyChangingTheBoundary', effect: 'Deny', actions: [...BOUNDARY_POLICY_WRITE_ACTIONS], resources: [boundary] },
    { sid: 'DenyRemovingBoundaries', effect: 'Deny', actions: ['iam:DeleteRolePermissionsBoundary'], resources: ['*'] },
    { sid: 'DenyChangingCiRoles', effect: 'Deny', actions: [...ROLE_WRITE_ACTIONS], resources: [ciRoles] },
  );
  return statements;
}
