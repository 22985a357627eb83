/**
 * The addressable items of a cdk.tf.json: resources (`aws_vpc.Vpc`), data sources
 * (`data.aws_iam_policy_document.Trust`), providers (`provider.aws`, `provider.aws.<alias>`), the
 * backend (`terraform.backend.s3`), required providers and other `terraform` settings, outputs,
 * variables, modules and locals. cdktf metadata (`//`) is not an item.
 */
import { METADATA_KEY } from './field-diff';

/** One addressable block of the configuration. */
export interface TerraformItem {
  /** Resource type (`aws_vpc`) for resources and data sources, else the block kind (`provider`, `backend`, `output`…). */
  readonly type: string;
  /** True for managed resources (the only items that can move). */
  readonly resource: boolean;
  readonly body: unknown;
}

/** A `moved { from, to }` block. */
export interface MovedBlock {
  readonly from: string;
  readonly to: string;
}

/** The items of one or more Terraform JSON documents, by address. */
export interface TerraformItems {
  readonly items: Map<string, TerraformItem>;
  readonly moved: readonly MovedBlock[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const entries = (v: unknown): [string, unknown][] => (isRecord(v) ? Object.entries(v).filter(([k]) => k !== METADATA_KEY) : []);

/** Collects the items of the given Terraform JSON documents. */
export function terraformItems(documents: readonly Record<string, unknown>[]): TerraformItems {
  const items = new Map<string, TerraformItem>();
  const moved: MovedBlock[] = [];
  for (const doc of documents) {
    for (const [block, content] of entries(doc)) {
      switch (block) {
        case 'resource':
        case 'data':
          for (const [type, byName] of entries(content)) {
            for (const [name, body] of entries(byName)) {
              const address = block === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
              items.set(address, { type, resource: block === 'resource', body });
            }
          }
          break;
        case 'provider':
          for (const [name, configs] of entries(content)) {
            for (const config of Array.isArray(configs) ? configs : [configs]) {
              const alias = isRecord(config) && typeof config.alias === 'string' ? `.${config.alias}` : '';
              items.set(`provider.${name}${alias}`, { type: 'provider', resource: false, body: config });
            }
          }
          break;
        case 'terraform':
          for (const [setting, value] of entries(content)) {
            if (setting === 'backend' || setting === 'required_providers') {
              const kind = setting === 'backend' ? 'backend' : 'required_provider';
              for (const [name, body] of entries(value)) items.set(`terraform.${setting}.${name}`, { type: kind, resource: false, body });
            } else {
              items.set(`terraform.${setting}`, { type: 'terraform', resource: false, body: value });
            }
          }
          break;
        case 'output':
        case 'variable':
        case 'module':
          for (const [name, body] of entries(content)) items.set(`${block}.${name}`, { type: block, resource: false, body });
          break;
        case 'moved':
          for (const m of Array.isArray(content) ? content : [content]) {
            if (isRecord(m) && typeof m.from === 'string' && typeof m.to === 'string') moved.push({ from: m.from, to: m.to });
          }
          break;
        default:
          items.set(block, { type: block, resource: false, body: content });
      }
    }
  }
  return { items, moved };
}
