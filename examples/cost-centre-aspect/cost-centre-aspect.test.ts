/** The cdktf aspect on a real environment stack: tags on every taggable resource, and the mandatory-setting failure. */
import { Aspects, TerraformResource, Testing } from '../../infra/vendor/terraform';
import { defineEnvironments, stackName } from '../../config';
import { EnvironmentStack } from '../../infra';
import { envInputOf, exampleInput, useAutoMode, useNodeGroups } from '../../test/support/synth';
import { CostCentreAspect } from './cost-centre-aspect';

/** The prod stack of the example, its cluster on the given compute mode. */
function prodStack(compute: 'node-groups' | 'auto-mode' = 'node-groups'): EnvironmentStack {
  const input = exampleInput();
  const prod = envInputOf(input, 'prod');
  if (compute === 'node-groups') useNodeGroups(prod);
  else useAutoMode(prod);
  const definitions = defineEnvironments(input);
  const environment = definitions.environments.find((e) => e.name === 'prod')!;
  return new EnvironmentStack(Testing.app(), stackName(definitions.system, environment), { definitions, environment });
}

function resourcesOf(stack: EnvironmentStack): TerraformResource[] {
  return stack.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource);
}

/** Taggable resource types every environment stack has, and those only one compute mode adds. */
const COMMON_TAGGABLE_TYPES = ['aws_vpc', 'aws_subnet', 'aws_eks_cluster', 'aws_ecr_repository', 'aws_iam_role', 'aws_kms_key'];
const COMPUTE_TAGGABLE_TYPES = { 'node-groups': ['aws_eks_node_group'], 'auto-mode': [] as string[] } as const;

function taggedStack(compute: 'node-groups' | 'auto-mode' = 'node-groups') {
  const stack = prodStack(compute);
  Aspects.of(stack).add(new CostCentreAspect({ costCentre: 'cc-1234' }));
  const json = JSON.parse(Testing.synth(stack, true));
  const rendered = (r: TerraformResource) => json.resource[r.terraformResourceType][r.friendlyUniqueId];
  return { stack, rendered };
}

describe.each(['node-groups', 'auto-mode'] as const)('CostCentreAspect with compute "%s"', (compute) => {
  const { stack, rendered } = taggedStack(compute);

  test('tags every resource whose type has tags with the cost centre', () => {
    const taggable = resourcesOf(stack).filter((r) => 'tagsInput' in r);
    expect(taggable.length).toBeGreaterThan(30);
    for (const resource of taggable) {
      expect([resource.node.path, rendered(resource).tags?.['cost-centre']]).toEqual([resource.node.path, 'cc-1234']);
    }
    const types = new Set(taggable.map((r) => r.terraformResourceType));
    for (const type of [...COMMON_TAGGABLE_TYPES, ...COMPUTE_TAGGABLE_TYPES[compute]]) {
      expect(types).toContain(type);
    }
  });
});

describe('CostCentreAspect', () => {
  const { stack, rendered } = taggedStack();

  test('leaves resource types without tags untouched, so the configuration stays valid', () => {
    const untaggable = resourcesOf(stack).filter((r) => !('tagsInput' in r));
    expect(untaggable.map((r) => r.terraformResourceType)).toContain('aws_iam_role_policy');
    for (const resource of untaggable) expect(rendered(resource).tags).toBeUndefined();
  });

  test("merges the cost centre into a resource's own tags", () => {
    const repository = stack.repositories.get('company-web')!;
    expect(rendered(repository.resource).tags).toEqual({ service: 'company-web', 'cost-centre': 'cc-1234' });
  });

  test('fails synth, naming the resource, when an escape hatch makes an ECR repository mutable', () => {
    const mutable = prodStack();
    const repository = mutable.repositories.get('company-api')!.resource;
    repository.addOverride('image_tag_mutability', 'MUTABLE');
    Aspects.of(mutable).add(new CostCentreAspect({ costCentre: 'cc-1234' }));
    expect(() => Testing.synth(mutable)).toThrow(
      `company-prod/RepositoryCompanyApi/Resource (aws_ecr_repository.${repository.friendlyUniqueId}): 'image_tag_mutability' ("MUTABLE") must be "IMMUTABLE", the organisation requires it; remove the override that changes it`,
    );
    expect(repository.friendlyUniqueId).toBe('RepositoryCompanyApi_2BB3A4AC');
  });

  test('fails when the cost centre is not a valid tag and label value', () => {
    expect(() => new CostCentreAspect({ costCentre: 'cost centre 7' })).toThrow(
      `'costCentre' ("cost centre 7") is not a valid label value; use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`,
    );
  });
});
