/**
 * @internal An item change before risk evaluation and masking: it still carries the whole bodies,
 * which the risk rules read and the report never prints.
 */
import type { FieldChange, ItemAction, Layer } from './report';

export interface RawChange {
  readonly layer: Layer;
  readonly address: string;
  /** Terraform resource type or block kind; Kubernetes kind. */
  readonly type: string;
  readonly action: ItemAction;
  readonly movedFrom?: string;
  /** For a moved Terraform resource: whether a `moved` block in the new configuration declares it. */
  readonly moveDeclared?: boolean;
  /** Body before (absent when added). */
  readonly before?: unknown;
  /** Body after (absent when removed). */
  readonly after?: unknown;
  /** Unmasked field changes (changed and moved items). */
  readonly fields: readonly FieldChange[];
}
