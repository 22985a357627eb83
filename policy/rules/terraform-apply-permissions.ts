/**
 * Terraform rule on the CI apply identity: every resource type an environment's Terraform manages is
 * one the apply role was granted the IAM actions for (`RESOURCE_TYPE_ACTIONS` plus the team's
 * `applyPermissions`), so a new construct cannot reach `terraform apply` with a permission the role lacks.
 */
import { ciApplyRoleName } from '../../config';
import { RESOURCE_TYPE_ACTIONS, uncoveredResourceTypes } from '../../infra/bootstrap/apply-permissions';
import type { EnvironmentRule } from '../types';

export const resourceTypesWithinApplyRole: EnvironmentRule = {
  id: 'DK-TF-030',
  name: 'ResourceTypesWithinApplyRole',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: "Every Terraform resource type is within the CI apply role's permissions (RESOURCE_TYPE_ACTIONS plus applyPermissions)",
  fix: "export applyPermissions from the definitions module with the type and the IAM actions Terraform's AWS provider calls to create, read, update, tag and delete it (e.g. { aws_lambda_function: ['lambda:CreateFunction', 'lambda:GetFunction', …] }), then re-run deploykit bootstrap so the apply role gets them",
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html',
  *check({ terraform: tf, system, env, applyPermissions = {} }) {
    const table = { ...RESOURCE_TYPE_ACTIONS, ...applyPermissions };
    const role = ciApplyRoleName(system, env);
    for (const type of uncoveredResourceTypes(tf.resourceTypes(), table)) {
      const addresses = tf.ofType(type).map((r) => r.address);
      yield {
        target: addresses[0],
        value: type,
        message: `${addresses.join(', ')} ${addresses.length === 1 ? 'is' : 'are'} of type ${type}, which neither RESOURCE_TYPE_ACTIONS nor applyPermissions covers, so ${role} may not create ${addresses.length === 1 ? 'it' : 'them'}`,
      };
    }
  },
};

export const TERRAFORM_APPLY_PERMISSION_RULES: readonly EnvironmentRule[] = [resourceTypesWithinApplyRole];
