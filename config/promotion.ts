/**
 * The promotion rules, independent of the CI system: which environments deploy on a push to the
 * default branch, which on a release tag behind a manual approval, in which order, and which
 * environment's verified images a release-tag environment promotes. The pipelines and the Terraform
 * layer (cross-account image pulls) both read them from here.
 */
import type { Definitions, EnvironmentDefinition } from './types';

/** What starts an environment's deploy. */
export type DeployTrigger = 'default-branch' | 'release-tag';

/** Release tags that make production environments deployable: `vX.Y.Z`. */
export const RELEASE_TAG_REGEX = /^v\d+\.\d+\.\d+$/;

/** One environment's place in the promotion flow. */
export interface DeploymentTarget {
  readonly environment: EnvironmentDefinition;
  /** `default-branch` for non-production environments, `release-tag` for production ones. */
  readonly trigger: DeployTrigger;
  /** Whether a person must approve the apply (production tier or `deploy.approval: manual`). */
  readonly manualApproval: boolean;
  /** The environment of the same trigger deployed just before; its verify must succeed first. */
  readonly after: EnvironmentDefinition | undefined;
}

/** Whether an environment deploys only from a release tag behind a manual approval. */
export function requiresManualApproval(env: EnvironmentDefinition): boolean {
  return env.tier === 'production' || env.deploy.approval === 'manual';
}

/** Every environment's deployment target, in definition order. */
export function deploymentTargets(defs: Pick<Definitions, 'environments'>): DeploymentTarget[] {
  const previous = new Map<DeployTrigger, EnvironmentDefinition>();
  return defs.environments.map((environment) => {
    const manualApproval = requiresManualApproval(environment);
    const trigger: DeployTrigger = manualApproval ? 'release-tag' : 'default-branch';
    const target = { environment, trigger, manualApproval, after: previous.get(trigger) };
    previous.set(trigger, environment);
    return target;
  });
}

/** Every service any environment runs, by name, in first-appearance order. */
export function servicesToBuild(defs: Definitions): string[] {
  const names = new Set<string>();
  for (const env of defs.environments) for (const service of env.services) names.add(service.name);
  return [...names];
}

/**
 * The environment whose verified images a release-tag environment deploys: the last default-branch
 * environment before it in definition order (staging before prod). A release tag promotes the image
 * digests that environment verified instead of rebuilding. Undefined for default-branch environments
 * and when no default-branch environment precedes it (then the release pipeline builds the images).
 */
export function promotionSource(defs: Pick<Definitions, 'environments'>, env: EnvironmentDefinition): EnvironmentDefinition | undefined {
  const targets = deploymentTargets(defs);
  const index = targets.findIndex((t) => t.environment.name === env.name);
  if (index < 0 || targets[index].trigger !== 'release-tag') return undefined;
  return targets
    .slice(0, index)
    .reverse()
    .find((t) => t.trigger === 'default-branch')?.environment;
}

/** The release-tag environments that promote `env`'s verified images (see {@link promotionSource}). */
export function promotionTargets(defs: Pick<Definitions, 'environments'>, env: EnvironmentDefinition): EnvironmentDefinition[] {
  return defs.environments.filter((target) => promotionSource(defs, target)?.name === env.name);
}

/**
 * The services whose images a release-tag pipeline still builds: those of release-tag environments
 * without a promotion source. Environments with one promote the verified digests instead.
 */
export function servicesBuiltOnReleaseTags(defs: Definitions): Set<string> {
  const names = new Set<string>();
  for (const target of deploymentTargets(defs)) {
    if (target.trigger !== 'release-tag' || promotionSource(defs, target.environment)) continue;
    for (const service of target.environment.services) names.add(service.name);
  }
  return names;
}
