/**
 * The restricted pod template of a service: what every workload kind deploykit renders (and every
 * kind a platform team adds) runs its pods with. Public (exported from `k8s/index.ts`).
 * @see docs/kubernetes.md
 */
import type { JsonPatch } from 'cdk8s';
import {
  imageReference,
  serviceAccountName,
  type EnvironmentDefinition,
  type ServiceDefinition,
  type SystemDefinition,
} from '../config';
import type { EnvVar, PodTemplateSpec } from './kube-api';
import { HTTP_PORT_NAME, plainEnvVars, restrictedPod, restrictedPodPatches, type PodTemplatePatchOptions, type RestrictedPodProps } from './restricted-pod';
import { awsSecretsPodParts, secretEnvVars } from './secret-provider-class';
import { selectorLabels, workloadLabels } from './workload-labels';

export {
  POD_USER_ID,
  HTTP_PORT_NAME,
  TMP_MOUNT_PATH,
  UNPRIVILEGED_PORT_START_SYSCTL,
  DEFAULT_UNPRIVILEGED_PORT_START,
  unprivilegedPortSysctls,
  type PodTemplatePatchOptions,
} from './restricted-pod';

/** Props of {@link restrictedPodTemplate} and {@link restrictedPodTemplatePatches}. */
export interface RestrictedPodTemplateProps {
  /** The system the environment belongs to (its labels). */
  readonly system: SystemDefinition;
  /** The environment the pods run in (image registry, selector and labels). */
  readonly environment: EnvironmentDefinition;
  /**
   * The service as this environment runs it: image, ports, env and secret refs, resources, health
   * endpoints, termination grace and preStop pause.
   */
  readonly service: ServiceDefinition;
  /** The image tag to run, already checked (the commit SHA in CI). */
  readonly imageTag: string;
  /**
   * Digest (`sha256:…`) the image is pinned to, e.g. one promoted from the environment that verified it;
   * the image becomes `<repo>:<tag>@<digest>`.
   * @default - the tag alone
   */
  readonly imageDigest?: string;
  /**
   * Labels of the pods; they must include the selector labels.
   * @default - `workloadLabels(system, environment, service, imageTag)`
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Name of the main container; no init container may take it.
   * @default "http"
   */
  readonly containerName?: string;
  /**
   * Name of the container port serving the service's `containerPort`; the startup, readiness and
   * liveness probes (HTTP GET on the service's `health` paths) target it. The service's
   * `additionalPorts` follow it.
   * @default "http"
   */
  readonly portName?: string;
  /**
   * Environment variables set before the service's `env` and `secretEnv` (e.g. a queue URL), in the
   * main and the init containers.
   * @default - none
   */
  readonly additionalEnv?: readonly EnvVar[];
  /**
   * Whether the container pauses `preStopSleepSeconds` before SIGTERM so load balancers
   * deregister the pod first. Turn it off for a kind no load balancer sends to.
   * @default true
   */
  readonly preStop?: boolean;
}

/**
 * The pod template of a service, secure by default: its ServiceAccount without a mounted token,
 * non-root user {@link POD_USER_ID} with `RuntimeDefault` seccomp (and {@link unprivilegedPortSysctls}
 * when a port is below 1024), spread over zones (best effort)
 * and nodes (strict), a writable `/tmp` volume under a read-only root file system, the read-only CSI
 * volume of its AWS secrets (when `secretEnv` references any), the service's
 * init containers (its image, its env merged with theirs, restricted alike), and one container with
 * the service's image (`IfNotPresent`), named ports, env and `secretKeyRef` env, requests and limits,
 * HTTP probes, no privileges or capabilities, and the `exec` preStop pause.
 *
 * The `sleep` preStop action (the default `preStopHandler`) is newer than the 1.28 typed API and
 * is missing here: add {@link restrictedPodTemplatePatches} to the workload object.
 */
export function restrictedPodTemplate(props: RestrictedPodTemplateProps): PodTemplateSpec {
  return restrictedPod(restrictedPodProps(props));
}

/** The plain values {@link restrictedPod} renders for a service definition. */
function restrictedPodProps(props: RestrictedPodTemplateProps): RestrictedPodProps {
  const { system, environment: env, service: svc, imageTag } = props;
  const containerName = props.containerName ?? HTTP_PORT_NAME;
  for (const init of svc.initContainers) {
    if (init.name === containerName) {
      throw new Error(`${env.name}.services.${svc.name}.initContainers: 'name' (${JSON.stringify(init.name)}) is the name of the main container; give the init container another name`);
    }
  }
  const awsSecrets = awsSecretsPodParts(env, svc);
  const secretEnv = secretEnvVars(svc);
  const additionalEnv = props.additionalEnv ?? [];
  return {
    labels: props.labels ?? workloadLabels(system, env, svc, imageTag),
    selectorLabels: selectorLabels(env, svc),
    serviceAccountName: serviceAccountName(svc),
    image: imageReference(env, svc, imageTag, props.imageDigest),
    containerName,
    portName: props.portName ?? HTTP_PORT_NAME,
    containerPort: svc.containerPort,
    additionalPorts: svc.additionalPorts,
    env: [...additionalEnv, ...plainEnvVars(svc.env), ...secretEnv],
    resources: svc.resources,
    initContainers: svc.initContainers.map((init) => ({
      name: init.name,
      command: init.command,
      args: init.args,
      env: [...additionalEnv, ...plainEnvVars({ ...svc.env, ...init.env }), ...secretEnv],
      resources: init.resources ?? svc.resources,
    })),
    volumes: awsSecrets.volumes,
    volumeMounts: awsSecrets.volumeMounts,
    terminationGracePeriodSeconds: svc.terminationGracePeriodSeconds,
    health: {
      readinessPath: svc.health.readinessPath,
      livenessPath: svc.health.livenessPath,
      startupPath: svc.health.startupProbe ? (svc.health.startupPath ?? svc.health.readinessPath) : undefined,
    },
    ...preStopPause(props),
  };
}

/** The preStop pause of a service's pods: its `preStopSleepSeconds` (0 with `preStop: false`) and handler. */
function preStopPause(props: RestrictedPodTemplateProps): Pick<RestrictedPodProps, 'preStopSleepSeconds' | 'preStopHandler'> {
  return { preStopSleepSeconds: (props.preStop ?? true) ? props.service.preStopSleepSeconds : 0, preStopHandler: props.service.preStopHandler };
}

/**
 * The JSON patches that complete {@link restrictedPodTemplate} on the rendered workload object:
 * today the `sleep` preStop action (Kubernetes 1.30+), which the 1.28 typed API would drop. Empty
 * when there is nothing to add. Usage: `deployment.addJsonPatch(...restrictedPodTemplatePatches(props))`.
 */
export function restrictedPodTemplatePatches(props: RestrictedPodTemplateProps, options: PodTemplatePatchOptions = {}): JsonPatch[] {
  return restrictedPodPatches(preStopPause(props), options);
}
