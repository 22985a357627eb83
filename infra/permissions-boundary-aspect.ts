/**
 * Attaches the account's permissions boundary to every `aws_iam_role` of a stack, including the
 * roles a team's own constructs add: the CI apply role may create and change roles only with it
 * (see `infra/bootstrap/apply-role-policy.ts`), so a role without it would fail at apply time.
 */
import { IamRole, type IAspect } from './vendor/terraform';
import type { IConstruct } from 'constructs';

/** Sets `permissions_boundary` on every IAM role; a role with another boundary is an error. */
export class PermissionsBoundaryAspect implements IAspect {
  /** @param boundaryArn the ARN from `permissionsBoundaryArn(system, env)` */
  constructor(private readonly boundaryArn: string) {}

  /** Visits one construct of the stack. */
  public visit(node: IConstruct): void {
    if (!(node instanceof IamRole)) return;
    const current = node.permissionsBoundaryInput;
    if (current === undefined) {
      node.permissionsBoundary = this.boundaryArn;
    } else if (current !== this.boundaryArn) {
      throw new Error(
        `${node.node.path}: 'permissionsBoundary' (${JSON.stringify(current)}) is not the account's boundary; remove it (deploykit sets ${this.boundaryArn}) — the CI apply role can create roles only with that boundary`,
      );
    }
  }
}
