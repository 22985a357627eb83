/**
 * `CostCentreAspect`: a cdktf Aspect that tags every taggable Terraform resource with the cost
 * centre (merged into the resource's own tags) and fails synth when an escape hatch switched off a
 * setting the organisation requires (an ECR repository with mutable tags).
 *
 *     Aspects.of(stack).add(new CostCentreAspect({ costCentre: 'cc-1234' }));
 */
import { type IAspect, TerraformResource } from '../../infra/vendor/terraform';
import type { IConstruct } from 'constructs';
import { COST_CENTRE_KEY, checkCostCentre } from './cost-centre';

/** Props of {@link CostCentreAspect}. */
export interface CostCentreAspectProps {
  /** The cost centre every resource is tagged with, e.g. `cc-1234`. */
  readonly costCentre: string;
}

/** A resource whose provider schema has a `tags` map (the generated class then has `tagsInput`). */
type TaggableResource = TerraformResource & { tags: Record<string, string>; readonly tagsInput?: Record<string, string> };

/** Settings no team may change, by resource type: attribute → the one value allowed. */
const MANDATORY_SETTINGS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  aws_ecr_repository: { image_tag_mutability: 'IMMUTABLE' },
};

/** Tags taggable resources with the cost centre and enforces the mandatory settings. */
export class CostCentreAspect implements IAspect {
  private readonly costCentre: string;

  constructor(props: CostCentreAspectProps) {
    checkCostCentre(props.costCentre);
    this.costCentre = props.costCentre;
  }

  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    if (isTaggable(node)) {
      const own = node.tagsInput;
      node.tags = { ...(isPlainObject(own) ? own : {}), [COST_CENTRE_KEY]: this.costCentre };
    }
    checkMandatorySettings(node);
  }
}

function isTaggable(node: TerraformResource): node is TaggableResource {
  return 'tagsInput' in node;
}

function isPlainObject(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the resource as Terraform will see it, escape-hatch overrides included, and fails on a changed mandatory setting. */
function checkMandatorySettings(node: TerraformResource): void {
  const rules = MANDATORY_SETTINGS[node.terraformResourceType];
  if (!rules) return;
  const rendered = node.toTerraform().resource[node.terraformResourceType][node.friendlyUniqueId] as Record<string, unknown>;
  for (const [attribute, required] of Object.entries(rules)) {
    if (rendered[attribute] !== required) {
      throw new Error(
        `${node.node.path} (${node.terraformResourceType}.${node.friendlyUniqueId}): '${attribute}' (${JSON.stringify(rendered[attribute])}) must be ${JSON.stringify(required)}, the organisation requires it; remove the override that changes it`,
      );
    }
  }
}
