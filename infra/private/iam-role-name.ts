/** IAM role names: at most 64 characters of letters, digits and `+=,.@_-`. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * Throws when `roleName` is not a name IAM accepts, naming the construct path and the rule.
 * @param where the construct path, e.g. `this.node.path`
 */
export function assertIamRoleName(where: string, roleName: string): void {
  if (!ROLE_NAME.test(roleName)) {
    throw new Error(`${where}: 'roleName' (${JSON.stringify(roleName)}) is not a valid IAM role name; use at most 64 letters, digits and +=,.@_-`);
  }
}
