/**
 * The diff report: what changed between two synth outputs, per environment and layer. This is the
 * stable JSON schema `deploykit diff --format json` prints (`schemaVersion` 1); the Markdown and
 * text renderings are views of it.
 */

/** The layer an item belongs to. */
export type Layer = 'terraform' | 'kubernetes';

/** What happened to an item (a Terraform block or a Kubernetes object). */
export type ItemAction = 'added' | 'removed' | 'changed' | 'moved';

/** What happened to one field of a changed item. */
export type FieldAction = 'added' | 'removed' | 'changed';

/** One field-level change; values are JSON, secrets already masked as `"(sensitive)"`. */
export interface FieldChange {
  /** Path of the field: `vpc_config.endpoint_public_access`, `spec.template.spec.containers[web].image`. */
  readonly path: string;
  readonly action: FieldAction;
  /** Value before; absent when the field was added. */
  readonly before?: unknown;
  /** Value after; absent when the field was removed. */
  readonly after?: unknown;
}

/** A risk the change carries, from one rule of the risk table. */
export interface RiskFlag {
  /** Stable rule id, e.g. `replaces-stateful-resource`. */
  readonly rule: string;
  /** One-line reason a reviewer can act on. */
  readonly reason: string;
}

/** One added, removed, changed or moved item. */
export interface ItemChange {
  readonly layer: Layer;
  /**
   * Terraform: the address (`aws_eks_cluster.EksCluster_Resource_1234`, `data.aws_iam_policy_document.Trust`,
   * `provider.aws`, `terraform.backend.s3`, `output.vpc_id`). Kubernetes: `kind/namespace/name`, or
   * `kind/name` for cluster-scoped objects.
   */
  readonly address: string;
  /** Terraform resource type (`aws_vpc`), block kind (`provider`, `backend`), or the Kubernetes kind. */
  readonly type: string;
  readonly action: ItemAction;
  /** The previous address of a moved item. */
  readonly movedFrom?: string;
  /** Field changes of a changed (or moved and changed) item; empty for added and removed items. */
  readonly fields: readonly FieldChange[];
  /** Risk flags; empty when the change is routine. */
  readonly risks: readonly RiskFlag[];
}

/** Counts of one environment or of the whole report. */
export interface ChangeCounts {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly moved: number;
  /** Items carrying at least one risk flag. */
  readonly risky: number;
}

/** The comparison of one environment. */
export interface EnvironmentDiff {
  readonly name: string;
  /** Whether the environment is treated as production (from the definitions, else from its name). */
  readonly production: boolean;
  /** `added`/`removed` when the environment exists on one side only. */
  readonly status: 'added' | 'removed' | 'compared';
  readonly counts: ChangeCounts;
  /** Sorted by address. */
  readonly terraform: readonly ItemChange[];
  /** Sorted by address. */
  readonly kubernetes: readonly ItemChange[];
}

/** The whole report. */
export interface DiffReport {
  readonly schemaVersion: 1;
  /** What was compared: the base and head directories or git refs as given. */
  readonly base: string;
  readonly head: string;
  /** In the head output's manifest order (the definitions' order), then environments only the base has. */
  readonly environments: readonly EnvironmentDiff[];
  readonly totals: ChangeCounts;
}

/** True when the report holds no change at all. */
export function hasChanges(report: DiffReport): boolean {
  return report.environments.some((env) => env.terraform.length + env.kubernetes.length > 0);
}

/** Sums counts. */
export function addCounts(list: readonly ChangeCounts[]): ChangeCounts {
  return list.reduce(
    (sum, c) => ({
      added: sum.added + c.added,
      removed: sum.removed + c.removed,
      changed: sum.changed + c.changed,
      moved: sum.moved + c.moved,
      risky: sum.risky + c.risky,
    }),
    { added: 0, removed: 0, changed: 0, moved: 0, risky: 0 },
  );
}

/** Counts the items of an environment. */
export function countItems(items: readonly ItemChange[]): ChangeCounts {
  const count = (action: ItemAction) => items.filter((i) => i.action === action).length;
  return {
    added: count('added'),
    removed: count('removed'),
    changed: count('changed'),
    moved: count('moved'),
    risky: items.filter((i) => i.risks.length > 0).length,
  };
}
