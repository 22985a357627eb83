/**
 * Kubernetes resource quantities (`250m`, `0.5`, `512Mi`, `1G`), the subset deploykit accepts for
 * container CPU and memory, and their conversion to comparable numbers.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

/** CPU: whole or decimal cores (`1`, `0.5`) or millicores (`250m`). */
export const CPU_QUANTITY_REGEX = /^(\d+m|\d+(\.\d{1,3})?)$/;

/** Memory: bytes with an optional binary (`Ki`…`Ei`) or decimal (`k`, `M`…`E`) suffix. */
export const MEMORY_QUANTITY_REGEX = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

const MEMORY_FACTORS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** Millicores of a CPU quantity (`250m` → 250, `1.5` → 1500). */
export function cpuMillicores(quantity: string): number {
  if (!CPU_QUANTITY_REGEX.test(quantity)) throw new RangeError(`not a CPU quantity: ${JSON.stringify(quantity)}`);
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

/** Bytes of a memory quantity (`512Mi` → 536870912). */
export function memoryBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(quantity);
  if (!match || !MEMORY_QUANTITY_REGEX.test(quantity)) {
    throw new RangeError(`not a memory quantity: ${JSON.stringify(quantity)}`);
  }
  return Number(match[1]) * MEMORY_FACTORS[match[2]];
}

/** Mebibytes of a memory quantity, rounded up (`1Gi` → 1024). */
export function memoryMiB(quantity: string): number {
  return Math.ceil(memoryBytes(quantity) / 2 ** 20);
}
