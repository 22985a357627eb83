/**
 * IAM role names: at most 64 characters of letters, digits and `+=,.@_-`.
 * @internal
 */
import type { IConstruct } from 'constructs';
import { propIssue, type ValidationIssue } from '../../config';

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** The problem with a construct's `roleName` prop, if IAM would refuse it (none when it is valid). */
export function iamRoleNameIssues(construct: IConstruct, roleName: string, field = 'roleName'): ValidationIssue[] {
  return ROLE_NAME.test(roleName)
    ? []
    : [propIssue(construct, { field, value: roleName, rule: 'is not a valid IAM role name', fix: 'use at most 64 letters, digits and +=,.@_-' })];
}
