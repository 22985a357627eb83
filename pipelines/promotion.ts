/**
 * The promotion rules, independent of the CI system: which environments deploy on a merge to the
 * default branch, which on a release tag behind a manual approval, and in which order.
 */
import type { Definitions, EnvironmentDefinition } from '../config';

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
export function deploymentTargets(defs: Definitions): DeploymentTarget[] {
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
