/** Whether an environment counts as production for the risk rules. */

const PRODUCTION_NAME = /^(prod|production)$|^(prod|production)[-_.]|[-_.](prod|production)$/i;

/** Production by name: `prod`, `production`, `prod-eu`, `eu-prod`… Used when no definitions say otherwise. */
export function isProductionName(name: string): boolean {
  return PRODUCTION_NAME.test(name);
}

/**
 * Production-ness of `name`: the definitions' tier when known (`tiers` maps environment name to
 * tier), else the name.
 */
export function isProduction(name: string, tiers: ReadonlyMap<string, string>): boolean {
  const tier = tiers.get(name);
  return tier === undefined ? isProductionName(name) : tier === 'production';
}
