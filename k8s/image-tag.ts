/**
 * The image tag a workload runs, checked: set, and not `latest` outside development.
 * Public (exported from `k8s/index.ts`) so every workload kind refuses the same tags.
 * @see docs/kubernetes.md
 */
import { ValidationError, imageTag, type EnvironmentDefinition, type ServiceDefinition } from '../config';

/** Options of {@link resolveImageTag}. */
export interface ResolveImageTagOptions {
  /** The environment the workload runs in; its `tier` decides whether `latest` is allowed. */
  readonly environment: EnvironmentDefinition;
  /** The service as this environment runs it; its `image.tag` is the fallback. */
  readonly service: ServiceDefinition;
  /**
   * Image tag to run (the commit SHA in CI).
   * @default - the service's `image.tag`
   */
  readonly imageTag?: string;
}

/**
 * The image tag to run: the `imageTag` override, else the service's `image.tag`.
 * @throws ValidationError at `<env>.services.<service>.image` when no tag is set, or when the tag is
 *   `latest` in an environment whose tier is not `development`.
 */
export function resolveImageTag(options: ResolveImageTagOptions): string {
  const { environment: env, service: svc } = options;
  const path = `${env.name}.services.${svc.name}.image`;
  const tag = imageTag(svc, options.imageTag);
  if (tag === undefined) {
    throw new ValidationError([{ path, message: `'tag' is not set and no image tag was given; pass --image-tag <commit-sha> or pin image.tag` }]);
  }
  if (tag === 'latest' && env.tier !== 'development') {
    throw new ValidationError([
      { path, message: `'tag' ("latest") is refused in a ${env.tier} environment; pin a release tag or pass --image-tag <commit-sha>` },
    ]);
  }
  return tag;
}
