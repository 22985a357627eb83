/**
 * The restricted pod template of a service: what every workload kind deploykit renders (and every
 * kind a platform team adds) runs its pods with. Public (exported from `k8s/index.ts`).
 * @see docs/kubernetes.md
 */
import { JsonPatch } from 'cdk8s';
import {
  imageReference,
  serviceAccountName,
  type EnvironmentDefinition,
  type ServiceDefinition,
  type SystemDefinition,
} from '../config';
import { IntOrString, Quantity, type Container, type EnvVar, type PodTemplateSpec, type Probe } from './kube-api';
import { awsSecretsPodParts, secretEnvVars } from './secret-provider-class';
import { selectorLabels, workloadLabels } from './workload-labels';

/** User and group id the pods run as (≥ 10000, clear of host users). */
export const POD_USER_ID = 10001;
/** Name of the main container and of its HTTP port. */
export const HTTP_PORT_NAME = 'http';
/** Where the writable scratch volume is mounted, so a read-only root file system still works. */
export const TMP_MOUNT_PATH = '/tmp';
/** The namespaced sysctl that sets the first port a process without `CAP_NET_BIND_SERVICE` may bind. */
export const UNPRIVILEGED_PORT_START_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';
/** The kernel's default first unprivileged port: binding below it needs a capability the pods drop. */
export const DEFAULT_UNPRIVILEGED_PORT_START = 1024;

/**
 * The pod sysctls that let a non-root container without capabilities bind its ports: when a port is
 * below 1024, `net.ipv4.ip_unprivileged_port_start` set to the lowest port (a namespaced "safe" sysctl,
 * Kubernetes 1.22+, allowed by the Pod Security Standards "baseline" and "restricted"); none otherwise.
 * @see https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/#safe-and-unsafe-sysctls
 */
export function unprivilegedPortSysctls(containerPorts: readonly number[]): { name: string; value: string }[] {
  const lowest = Math.min(...containerPorts);
  return lowest < DEFAULT_UNPRIVILEGED_PORT_START ? [{ name: UNPRIVILEGED_PORT_START_SYSCTL, value: String(lowest) }] : [];
}

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

/** Options of {@link restrictedPodTemplatePatches}. */
export interface PodTemplatePatchOptions {
  /**
   * JSON pointer of the pod template inside the workload object.
   * @default "/spec/template" (Deployment, StatefulSet, DaemonSet, Job)
   */
  readonly templatePath?: string;
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
  const { system, environment: env, service: svc, imageTag } = props;
  const selector = selectorLabels(env, svc);
  const portName = props.portName ?? HTTP_PORT_NAME;
  const ports = [{ name: portName, containerPort: svc.containerPort }, ...svc.additionalPorts.map((p) => ({ name: p.name, containerPort: p.containerPort }))];
  const preStopSeconds = preStopSleepSeconds(props);
  const awsSecrets = awsSecretsPodParts(env, svc);
  const sysctls = unprivilegedPortSysctls(ports.map((p) => p.containerPort));
  const containerName = props.containerName ?? HTTP_PORT_NAME;
  const image = imageReference(env, svc, imageTag, props.imageDigest);
  for (const init of svc.initContainers) {
    if (init.name === containerName) {
      throw new Error(`${env.name}.services.${svc.name}.initContainers: 'name' (${JSON.stringify(init.name)}) is the name of the main container; give the init container another name`);
    }
  }
  const secretEnv = secretEnvVars(svc);
  return {
    metadata: { labels: { ...(props.labels ?? workloadLabels(system, env, svc, imageTag)) } },
    spec: {
      serviceAccountName: serviceAccountName(svc),
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: svc.terminationGracePeriodSeconds,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: POD_USER_ID,
        runAsGroup: POD_USER_ID,
        fsGroup: POD_USER_ID,
        seccompProfile: { type: 'RuntimeDefault' },
        // Ports below 1024 without CAP_NET_BIND_SERVICE (dropped with ALL): lower the pod's first unprivileged port.
        sysctls: sysctls.length > 0 ? sysctls : undefined,
      },
      topologySpreadConstraints: [
        // Best effort across zones: a zone short of capacity must not leave pods Pending.
        { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector }, matchLabelKeys: ['pod-template-hash'] },
        // Strict across nodes, so one node failure takes at most one extra replica; tainted and cordoned nodes do not count.
        { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector }, matchLabelKeys: ['pod-template-hash'], nodeTaintsPolicy: 'Honor' },
      ],
      volumes: [{ name: 'tmp', emptyDir: {} }, ...awsSecrets.volumes],
      initContainers:
        svc.initContainers.length > 0
          ? svc.initContainers.map((init) => ({
              ...restrictedContainer({
                name: init.name,
                image,
                env: [...(props.additionalEnv ?? []), ...plainEnv({ ...svc.env, ...init.env }), ...secretEnv],
                resources: init.resources ?? svc.resources,
                volumeMounts: awsSecrets.volumeMounts,
              }),
              command: init.command ? [...init.command] : undefined,
              args: init.args ? [...init.args] : undefined,
            }))
          : undefined,
      containers: [
        {
          ...restrictedContainer({
            name: containerName,
            image,
            env: [...(props.additionalEnv ?? []), ...plainEnv(svc.env), ...secretEnv],
            resources: svc.resources,
            volumeMounts: awsSecrets.volumeMounts,
          }),
          ports: ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })),
          startupProbe: svc.health.startupProbe
            ? httpProbe(svc.health.startupPath ?? svc.health.readinessPath, portName, { periodSeconds: 5, failureThreshold: 24 })
            : undefined,
          readinessProbe: httpProbe(svc.health.readinessPath, portName, { periodSeconds: 5, failureThreshold: 3 }),
          livenessProbe: httpProbe(svc.health.livenessPath, portName, { periodSeconds: 15, failureThreshold: 3 }),
          lifecycle:
            preStopSeconds > 0 && svc.preStopHandler === 'exec'
              ? { preStop: { exec: { command: ['/bin/sleep', String(preStopSeconds)] } } }
              : undefined,
        },
      ],
    },
  };
}

/** What differs between the containers of a pod built by {@link restrictedContainer}. */
interface RestrictedContainerOptions {
  readonly name: string;
  readonly image: string;
  readonly env: readonly EnvVar[];
  readonly resources: ServiceDefinition['resources'];
  /** Mounts besides the writable `/tmp` (e.g. the read-only CSI volume of the AWS secrets). */
  readonly volumeMounts: readonly NonNullable<Container['volumeMounts']>[number][];
}

/**
 * A container restricted as every container of the pod is, main and init alike: image pulled
 * `IfNotPresent`, requests and limits, non-root, no privilege escalation, read-only root file system
 * with the writable `/tmp` mount, no capabilities. The one place that security context is written.
 */
function restrictedContainer(options: RestrictedContainerOptions): Container {
  const { requests, limits } = options.resources;
  return {
    name: options.name,
    image: options.image,
    imagePullPolicy: 'IfNotPresent',
    env: [...options.env],
    resources: {
      requests: { cpu: Quantity.fromString(requests.cpu), memory: Quantity.fromString(requests.memory) },
      limits: { cpu: Quantity.fromString(limits.cpu), memory: Quantity.fromString(limits.memory) },
    },
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [{ name: 'tmp', mountPath: TMP_MOUNT_PATH }, ...(options.volumeMounts ?? [])],
  };
}

/** Plain variables in definition order. */
function plainEnv(env: Readonly<Record<string, string>>): EnvVar[] {
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

/**
 * The JSON patches that complete {@link restrictedPodTemplate} on the rendered workload object:
 * today the `sleep` preStop action (Kubernetes 1.30+), which the 1.28 typed API would drop. Empty
 * when there is nothing to add. Usage: `deployment.addJsonPatch(...restrictedPodTemplatePatches(props))`.
 */
export function restrictedPodTemplatePatches(props: RestrictedPodTemplateProps, options: PodTemplatePatchOptions = {}): JsonPatch[] {
  const seconds = preStopSleepSeconds(props);
  if (seconds === 0 || props.service.preStopHandler !== 'sleep') return [];
  const templatePath = options.templatePath ?? '/spec/template';
  return [JsonPatch.add(`${templatePath}/spec/containers/0/lifecycle`, { preStop: { sleep: { seconds } } })];
}

/** Seconds the preStop hook pauses; 0 when there is none. */
function preStopSleepSeconds(props: RestrictedPodTemplateProps): number {
  return (props.preStop ?? true) ? props.service.preStopSleepSeconds : 0;
}

function httpProbe(path: string, portName: string, timing: { periodSeconds: number; failureThreshold: number }): Probe {
  return {
    httpGet: { path, port: IntOrString.fromString(portName), scheme: 'HTTP' },
    initialDelaySeconds: 0,
    timeoutSeconds: 2,
    successThreshold: 1,
    ...timing,
  };
}
