/**
 * IPv4 CIDR arithmetic used by validation and by the default subnet layout.
 * Pure functions over numbers; no networking library needed for /0–/32 IPv4 blocks.
 */

/** A parsed IPv4 CIDR block. */
export interface Ipv4Block {
  /** Network address as an unsigned 32-bit integer. */
  readonly address: number;
  /** Prefix length, 0–32. */
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Syntax of an IPv4 CIDR (`10.0.0.0/16`), as a regular expression source usable in JSON Schema. */
export const IPV4_CIDR_REGEX = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;

/** Parses `a.b.c.d/n`; returns undefined when the text is not an IPv4 CIDR. Host bits may be set. */
export function parseCidr(text: string): Ipv4Block | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  return { address, prefixLength };
}

function mask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/** Formats an address and prefix back to `a.b.c.d/n`. */
export function formatCidr(block: Ipv4Block): string {
  const a = block.address;
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}/${block.prefixLength}`;
}

/** True when no host bits are set (`10.0.0.0/16` yes, `10.0.0.1/16` no). */
export function isNetworkAddress(block: Ipv4Block): boolean {
  return (block.address & mask(block.prefixLength)) >>> 0 === block.address;
}

/** The network address of the block (`10.0.0.1/16` → `10.0.0.0/16`). */
export function networkOf(block: Ipv4Block): Ipv4Block {
  return { address: (block.address & mask(block.prefixLength)) >>> 0, prefixLength: block.prefixLength };
}

/** Number of addresses in the block. */
export function sizeOf(block: Ipv4Block): number {
  return 2 ** (32 - block.prefixLength);
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return (
    inner.prefixLength >= outer.prefixLength &&
    (inner.address & mask(outer.prefixLength)) >>> 0 === (outer.address & mask(outer.prefixLength)) >>> 0
  );
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return contains(a, b) || contains(b, a);
}

/**
 * The `index`-th sub-block with `newBits` more prefix bits, like Terraform's `cidrsubnet()`.
 * @throws RangeError when the result does not fit in the parent block.
 */
export function subnet(parent: Ipv4Block, newBits: number, index: number): Ipv4Block {
  const prefixLength = parent.prefixLength + newBits;
  if (prefixLength > 32 || index < 0 || index >= 2 ** newBits) {
    throw new RangeError(`cannot carve sub-block ${index} of /${prefixLength} from ${formatCidr(parent)}`);
  }
  return { address: (parent.address + index * 2 ** (32 - prefixLength)) >>> 0, prefixLength };
}
