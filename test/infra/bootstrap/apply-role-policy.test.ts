import { Testing } from '../../../infra/vendor/terraform';
import { bootstrapStackName, ciApplyRoleName, managedRoleNamePrefixes, permissionsBoundaryArn, stateKey, type EnvironmentDefinition } from '../../../config';
import { actionsFor, BOUNDARY_CONDITIONED_ACTIONS, RESOURCE_TYPE_ACTIONS } from '../../../infra/bootstrap/apply-permissions';
import { applyRoleStatements, mergeApplyPermissions } from '../../../infra/bootstrap/apply-role-policy';
import { BootstrapStack } from '../../../infra/bootstrap/bootstrap-stack';
import { companyApplyPermissions } from '../../../examples/worker-service/apply-permissions';
import { exampleDefs } from '../../support/synth';
import { policyOf, resourcesOf, synthStack } from '../../../testing';

const defs = exampleDefs();

/** The apply role's policy statements as synthesized by the bootstrap stack of the environment's account. */
function synthesizedApplyPolicy(env: EnvironmentDefinition, applyPermissions = {}): any[] {
  const stack = new BootstrapStack(Testing.app(), bootstrapStackName(defs.system, env.account), { definitions: defs, account: env.account, applyPermissions });
  const json = synthStack(stack);
  const [roleName] = Object.entries(resourcesOf(json, 'aws_iam_role')).find(([, r]) => r.name === ciApplyRoleName(defs.system, env))!;
  const policy = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find((p) => p.role === `\${aws_iam_role.${roleName}.id}`)!;
  return policyOf(policy).Statement;
}

/** Whether an IAM action pattern (`iam:*`, `iam:Put*`) matches an action. */
function matches(pattern: string, action: string): boolean {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action);
}

const IAM_WRITES = ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:PutRolePermissionsBoundary'];

describe.each(defs.environments.map((e) => [e.name, e] as const))('the apply role of %s', (_name, env) => {
  const statements = synthesizedApplyPolicy(env);
  const allows = statements.filter((s) => s.Effect === 'Allow');
  const boundary = permissionsBoundaryArn(defs.system, env);
  const prefixed = managedRoleNamePrefixes(defs.system, env).map((p) => `arn:aws:iam::${env.account}:role/${p}*`);

  test('cannot create or change a role or its policies without the permissions boundary', () => {
    for (const action of IAM_WRITES) {
      const granting = allows.filter((s) => [s.Action].flat().some((a: string) => matches(a, action)));
      expect({ action, granted: granting.length > 0 }).toEqual({ action, granted: true });
      for (const s of granting) {
        expect({ action, condition: s.Condition?.StringEquals?.['iam:PermissionsBoundary'] }).toEqual({ action, condition: boundary });
        expect({ action, resources: [s.Resource].flat() }).toEqual({ action, resources: prefixed });
      }
    }
  });

  test('allows no IAM action on "*", none on the CI roles, and no iam:CreatePolicy', () => {
    for (const s of allows) {
      const iam = [s.Action].flat().filter((a: string) => a.startsWith('iam:'));
      if (iam.length === 0) continue;
      const resources = [s.Resource].flat();
      expect({ sid: s.Sid, star: resources.includes('*') }).toEqual({ sid: s.Sid, star: false });
      for (const r of resources) expect(r).not.toMatch(/:role\/deploykit-/);
      for (const a of iam) expect(matches(a, 'iam:CreatePolicy') || matches(a, 'iam:CreatePolicyVersion')).toBe(false);
    }
  });

  test('denies changing the boundary policy, removing boundaries and writing the CI roles', () => {
    const denies = statements.filter((s) => s.Effect === 'Deny');
    const denied = (action: string, resource: string) => denies.some((s) => [s.Action].flat().some((a: string) => matches(a, action)) && [s.Resource].flat().includes(resource));
    for (const action of ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion']) expect(denied(action, boundary)).toBe(true);
    expect(denied('iam:DeleteRolePermissionsBoundary', '*')).toBe(true);
    for (const action of ['iam:PutRolePolicy', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy', 'iam:DeleteRole']) {
      expect(denied(action, `arn:aws:iam::${env.account}:role/deploykit-*`)).toBe(true);
    }
  });

  test('passes only the environment roles, only to the services the stacks pass them to', () => {
    const pass = allows.filter((s) => [s.Action].flat().includes('iam:PassRole'));
    expect(pass).toHaveLength(1);
    expect([pass[0].Resource].flat()).toEqual(prefixed);
    expect(pass[0].Condition).toEqual({ StringEquals: { 'iam:PassedToService': ['eks.amazonaws.com', 'ec2.amazonaws.com', 'vpc-flow-logs.amazonaws.com', 'pods.eks.amazonaws.com'] } });
    const linked = allows.filter((s) => [s.Action].flat().includes('iam:CreateServiceLinkedRole'));
    expect(linked.map((s) => s.Condition)).toEqual([{ StringEquals: { 'iam:AWSServiceName': ['eks.amazonaws.com', 'eks-nodegroup.amazonaws.com'] } }]);
  });

  test("grants every non-IAM action of the environment stacks' resource types, in the environment's region only", () => {
    const regional = allows.filter((s) => [s.Action].flat().some((a: string) => !a.startsWith('iam:') && !a.startsWith('s3:')));
    expect(regional).toHaveLength(1);
    expect(regional[0].Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': env.region } });
    expect(regional[0].Action).toEqual(actionsFor(Object.keys(RESOURCE_TYPE_ACTIONS)).filter((a) => !a.startsWith('iam:')));
  });

  test('grants managing the ingress rules that admit the runner networks to the cluster API', () => {
    const regional = allows.find((s) => [s.Action].flat().includes('ec2:CreateVpc'));
    expect(regional.Action).toEqual(
      expect.arrayContaining([
        'ec2:AuthorizeSecurityGroupIngress',
        'ec2:RevokeSecurityGroupIngress',
        'ec2:DescribeSecurityGroupRules',
        'ec2:ModifySecurityGroupRules',
        'ec2:DescribeSecurityGroups',
        'ec2:CreateTags',
      ]),
    );
  });

  test('reads and writes its state object and lock file only', () => {
    const key = stateKey(defs.system, env);
    const s3 = allows.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
    expect(s3.flatMap((s) => [s.Resource].flat()).sort()).toEqual(
      [`arn:aws:s3:::${env.state.bucket}/${key}`, `arn:aws:s3:::${env.state.bucket}/${key}.tflock`, `arn:aws:s3:::${env.state.bucket}`].sort(),
    );
  });
});

describe('apply permissions of a definitions module', () => {
  const env = defs.environments[0];

  test("merge the team's resource types into the apply role", () => {
    const statements = synthesizedApplyPolicy(env, companyApplyPermissions);
    const regional = statements.find((s) => s.Sid === 'ManageEnvironmentResources');
    expect(regional.Action).toEqual(expect.arrayContaining(['sqs:CreateQueue', 'ec2:CreateSecurityGroup', 'ec2:CreateVpcEndpoint']));
    expect(regional.Action).toEqual(expect.arrayContaining(actionsFor(['aws_vpc', 'aws_eks_cluster']).filter((a) => !a.startsWith('iam:'))));
  });

  test('refuse IAM actions outside the role-scoped set, naming the type and the action', () => {
    expect(() => mergeApplyPermissions({ aws_iam_policy: ['iam:CreatePolicy'] })).toThrow(
      /^applyPermissions\.aws_iam_policy: 'iam:CreatePolicy' is not allowed for the apply role; it may only write IAM roles named by the environment, with the permissions boundary \(/,
    );
  });

  test('keep the boundary condition on role writes they ask for', () => {
    const table = mergeApplyPermissions({ aws_iam_role: ['iam:PutRolePolicy'] });
    const writes = applyRoleStatements(defs, env, table).filter((s) => s.actions.some((a) => BOUNDARY_CONDITIONED_ACTIONS.includes(a)));
    expect(writes.map((s) => s.conditions)).toEqual([{ StringEquals: { 'iam:PermissionsBoundary': permissionsBoundaryArn(defs.system, env) } }]);
  });
});
