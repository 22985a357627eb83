/**
 * Compares two Terraform configurations item by item. A resource whose address disappeared while
 * a resource of the same type and identical body appeared is reported as moved (a renamed construct
 * id), not as a removal plus an addition; references to moved addresses are followed, so a renamed
 * VPC does not hide the move of the subnets that point at it.
 */
import { diffFields, METADATA_KEY } from './field-diff';
import type { RawChange } from './raw-change';
import type { TerraformItem, TerraformItems } from './terraform-items';

/** Every added, removed, moved and changed item, sorted by address. */
export function diffTerraform(base: TerraformItems, head: TerraformItems): RawChange[] {
  const removed = [...base.items.keys()].filter((a) => !head.items.has(a)).sort();
  const added = [...head.items.keys()].filter((a) => !base.items.has(a)).sort();
  const moves = detectMoves(base.items, head.items, removed, added);
  const rewrite = referenceRewriter(moves);
  const declared = new Set(head.moved.map((m) => `${m.from}\u0000${m.to}`));
  const changes: RawChange[] = [];

  for (const [address, item] of head.items) {
    const previous = base.items.get(address);
    if (previous) {
      const fields = diffFields(rewrite(previous.body), item.body);
      if (fields.length > 0) changes.push({ layer: 'terraform', address, type: item.type, action: 'changed', before: previous.body, after: item.body, fields });
    }
  }
  for (const [from, to] of moves) {
    const item = head.items.get(to) as TerraformItem;
    changes.push({
      layer: 'terraform',
      address: to,
      type: item.type,
      action: 'moved',
      movedFrom: from,
      moveDeclared: declared.has(`${from}\u0000${to}`),
      before: base.items.get(from)?.body,
      after: item.body,
      fields: [],
    });
  }
  const movedFrom = new Set(moves.keys());
  const movedTo = new Set(moves.values());
  for (const address of removed.filter((a) => !movedFrom.has(a))) {
    const item = base.items.get(address) as TerraformItem;
    changes.push({ layer: 'terraform', address, type: item.type, action: 'removed', before: item.body, fields: [] });
  }
  for (const address of added.filter((a) => !movedTo.has(a))) {
    const item = head.items.get(address) as TerraformItem;
    changes.push({ layer: 'terraform', address, type: item.type, action: 'added', after: item.body, fields: [] });
  }
  return changes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Old address → new address of every moved resource. */
function detectMoves(
  baseItems: ReadonlyMap<string, TerraformItem>,
  headItems: ReadonlyMap<string, TerraformItem>,
  removed: readonly string[],
  added: readonly string[],
): Map<string, string> {
  const moves = new Map<string, string>();
  let pendingRemoved = removed.filter((a) => baseItems.get(a)?.resource);
  let pendingAdded = added.filter((a) => headItems.get(a)?.resource);
  // Each round follows the references of the moves found so far; it ends when a round finds none.
  for (;;) {
    const rewrite = referenceRewriter(moves);
    const byBody = new Map<string, string[]>();
    for (const address of pendingAdded) {
      const item = headItems.get(address) as TerraformItem;
      const key = `${item.type}\u0000${canonicalJson(item.body)}`;
      byBody.set(key, [...(byBody.get(key) ?? []), address]);
    }
    let found = 0;
    for (const address of pendingRemoved) {
      const item = baseItems.get(address) as TerraformItem;
      const candidates = byBody.get(`${item.type}\u0000${canonicalJson(rewrite(item.body))}`);
      const target = candidates?.shift();
      if (target) {
        moves.set(address, target);
        found++;
      }
    }
    if (found === 0) return moves;
    pendingRemoved = pendingRemoved.filter((a) => !moves.has(a));
    const taken = new Set(moves.values());
    pendingAdded = pendingAdded.filter((a) => !taken.has(a));
  }
}

/** Rewrites references (`${aws_vpc.Old.id}`, `depends_on: ["aws_vpc.Old"]`) to moved addresses. */
function referenceRewriter(moves: ReadonlyMap<string, string>): (body: unknown) => unknown {
  if (moves.size === 0) return (body) => body;
  const escaped = [...moves.keys()].sort((a, b) => b.length - a.length).map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\w.-])(${escaped.join('|')})(?![\\w-])`, 'g');
  return (body) => JSON.parse(JSON.stringify(body ?? null).replace(pattern, (address) => moves.get(address) ?? address)) as unknown;
}

/** JSON with sorted keys and without cdktf metadata: equal bodies give equal strings. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).filter((k) => k !== METADATA_KEY).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
