/**
 * The restricted pod template from plain values: what `WebService` runs and what
 * `restrictedPodTemplate()` renders for a service definition. Public (exported from `k8s/index.ts`)
 * for workload kinds built without deploykit's definitions.
 * @see docs/kubernetes.md
 */
import { JsonPatch } from 'cdk8s';
import { IntOrString, Quantity, type Container, type EnvVar, type PodTemplateSpec, type Probe, type Volume, type VolumeMount } from './kube-api';

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

/** CPU and memory of one container, as Kubernetes quantities. */
export interface ContainerResourceAmounts {
  /** CPU, e.g. `250m` (millicores) or `0.5` (cores). */
  readonly cpu: string;
  /** Memory, e.g. `512Mi`. */
  readonly memory: string;
}

/** Requests and limits of one container (requests ≤ limits). */
export interface ContainerResources {
  /** What the scheduler reserves. */
  readonly requests: ContainerResourceAmounts;
  /** What the container may use at most. */
  readonly limits: ContainerResourceAmounts;
}

/** When an HTTP probe runs and how often it may fail. */
export interface ProbeTiming {
  /**
   * Seconds between two probes.
   * @default - 5 for the startup and readiness probes, 15 for the liveness probe
   */
  readonly periodSeconds?: number;
  /**
   * Consecutive failures after which the probe fails (startup: the container is restarted;
   * readiness: the pod leaves the Service; liveness: the container is restarted).
   * @default - 24 for the startup probe (2 minutes to start), 3 for the others
   */
  readonly failureThreshold?: number;
  /**
   * Seconds one probe may take.
   * @default 2
   */
  readonly timeoutSeconds?: number;
  /**
   * Seconds after the container starts before the first probe.
   * @default 0
   */
  readonly initialDelaySeconds?: number;
}

/** Default timing of the startup probe: 5 s period × 24 failures = 2 minutes to start. */
export const STARTUP_PROBE_TIMING: Required<ProbeTiming> = { periodSeconds: 5, failureThreshold: 24, timeoutSeconds: 2, initialDelaySeconds: 0 };
/** Default timing of the readiness probe. */
export const READINESS_PROBE_TIMING: Required<ProbeTiming> = { periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 2, initialDelaySeconds: 0 };
/** Default timing of the liveness probe. */
export const LIVENESS_PROBE_TIMING: Required<ProbeTiming> = { periodSeconds: 15, failureThreshold: 3, timeoutSeconds: 2, initialDelaySeconds: 0 };

/** The HTTP probes of the main container, all on its named HTTP port. */
export interface HttpHealthChecks {
  /** Path of the readiness probe. */
  readonly readinessPath: string;
  /** Path of the liveness probe. */
  readonly livenessPath: string;
  /**
   * Path of the startup probe.
   * @default - no startup probe
   */
  readonly startupPath?: string;
  /**
   * Timing of the readiness probe, over {@link READINESS_PROBE_TIMING}.
   * @default READINESS_PROBE_TIMING
   */
  readonly readinessTiming?: ProbeTiming;
  /**
   * Timing of the liveness probe, over {@link LIVENESS_PROBE_TIMING}.
   * @default LIVENESS_PROBE_TIMING
   */
  readonly livenessTiming?: ProbeTiming;
  /**
   * Timing of the startup probe, over {@link STARTUP_PROBE_TIMING}.
   * @default STARTUP_PROBE_TIMING
   */
  readonly startupTiming?: ProbeTiming;
}

/** A container run to completion before the main one, restricted alike and running the same image. */
export interface RestrictedInitContainer {
  /** Container name, not the main container's. */
  readonly name: string;
  /**
   * Executable and arguments.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: readonly string[];
  /**
   * Arguments.
   * @default - the image's CMD
   */
  readonly args?: readonly string[];
  /** Its variables, in order. */
  readonly env: readonly EnvVar[];
  /** Its requests and limits. */
  readonly resources: ContainerResources;
}

/** Props of {@link restrictedPod} and {@link restrictedPodPatches}: every value resolved. */
export interface RestrictedPodProps {
  /** Pod labels; they must include the selector labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Labels selecting the workload's pods (the topology spread constraints count them). */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** ServiceAccount the pods run as (its token is not mounted). */
  readonly serviceAccountName: string;
  /** Image reference of the main and init containers. */
  readonly image: string;
  /** Name of the main container. */
  readonly containerName: string;
  /** Name of the main port (the probes target it). */
  readonly portName: string;
  /** The main port. */
  readonly containerPort: number;
  /** Further named ports of the main container, in order. */
  readonly additionalPorts: readonly { readonly name: string; readonly containerPort: number }[];
  /** Variables of the main container, in order. */
  readonly env: readonly EnvVar[];
  /** Requests and limits of the main container. */
  readonly resources: ContainerResources;
  /** Init containers, in order. */
  readonly initContainers: readonly RestrictedInitContainer[];
  /** Volumes besides the writable `/tmp` one. */
  readonly volumes: readonly Volume[];
  /** Mounts in every container besides `/tmp`. */
  readonly volumeMounts: readonly VolumeMount[];
  /** Seconds Kubernetes waits for the pod to stop. */
  readonly terminationGracePeriodSeconds: number;
  /** The HTTP probes. */
  readonly health: HttpHealthChecks;
  /** Seconds the preStop hook pauses; 0 for no hook. */
  readonly preStopSleepSeconds: number;
  /** How the pause runs: the kubelet's `sleep` action (added by {@link restrictedPodPatches}) or `/bin/sleep`. */
  readonly preStopHandler: 'sleep' | 'exec';
}

/** Options of {@link restrictedPodPatches}. */
export interface PodTemplatePatchOptions {
  /**
   * JSON pointer of the pod template inside the workload object.
   * @default "/spec/template" (Deployment, StatefulSet, DaemonSet, Job)
   */
  readonly templatePath?: string;
}

/**
 * The restricted pod template: the ServiceAccount without a mounted token, non-root user
 * {@link POD_USER_ID} with `RuntimeDefault` seccomp (and {@link unprivilegedPortSysctls} when a port
 * is below 1024), spread over zones (best effort) and nodes (strict), a writable `/tmp` volume under a
 * read-only root file system, the init containers, and the main container with its named ports,
 * env, requests and limits, HTTP probes, no privileges or capabilities, and the `exec` preStop pause.
 * The `sleep` preStop action comes from {@link restrictedPodPatches}.
 */
export function restrictedPod(props: RestrictedPodProps): PodTemplateSpec {
  const { portName, health } = props;
  const ports = [{ name: portName, containerPort: props.containerPort }, ...props.additionalPorts.map((p) => ({ name: p.name, containerPort: p.containerPort }))];
  const sysctls = unprivilegedPortSysctls(ports.map((p) => p.containerPort));
  const selector = props.selectorLabels;
  return {
    metadata: { labels: { ...props.labels } },
    spec: {
      serviceAccountName: props.serviceAccountName,
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
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
        { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...selector } }, matchLabelKeys: ['pod-template-hash'] },
        // Strict across nodes, so one node failure takes at most one extra replica; tainted and cordoned nodes do not count.
        { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { ...selector } }, matchLabelKeys: ['pod-template-hash'], nodeTaintsPolicy: 'Honor' },
      ],
      volumes: [{ name: 'tmp', emptyDir: {} }, ...props.volumes],
      initContainers:
        props.initContainers.length > 0
          ? props.initContainers.map((init) => ({
              ...restrictedContainer({ name: init.name, image: props.image, env: init.env, resources: init.resources, volumeMounts: props.volumeMounts }),
              command: init.command ? [...init.command] : undefined,
              args: init.args ? [...init.args] : undefined,
            }))
          : undefined,
      containers: [
        {
          ...restrictedContainer({ name: props.containerName, image: props.image, env: props.env, resources: props.resources, volumeMounts: props.volumeMounts }),
          ports: ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: 'TCP' })),
          startupProbe: health.startupPath !== undefined ? httpProbe(health.startupPath, portName, STARTUP_PROBE_TIMING, health.startupTiming) : undefined,
          readinessProbe: httpProbe(health.readinessPath, portName, READINESS_PROBE_TIMING, health.readinessTiming),
          livenessProbe: httpProbe(health.livenessPath, portName, LIVENESS_PROBE_TIMING, health.livenessTiming),
          lifecycle:
            props.preStopSleepSeconds > 0 && props.preStopHandler === 'exec'
              ? { preStop: { exec: { command: ['/bin/sleep', String(props.preStopSleepSeconds)] } } }
              : undefined,
        },
      ],
    },
  };
}

/**
 * The JSON patches that complete {@link restrictedPod} on the rendered workload object: today the
 * `sleep` preStop action (Kubernetes 1.30+), which the 1.28 typed API would drop. Empty when there is
 * nothing to add.
 */
export function restrictedPodPatches(props: Pick<RestrictedPodProps, 'preStopSleepSeconds' | 'preStopHandler'>, options: PodTemplatePatchOptions = {}): JsonPatch[] {
  const seconds = props.preStopSleepSeconds;
  if (seconds === 0 || props.preStopHandler !== 'sleep') return [];
  const templatePath = options.templatePath ?? '/spec/template';
  return [JsonPatch.add(`${templatePath}/spec/containers/0/lifecycle`, { preStop: { sleep: { seconds } } })];
}

/** What differs between the containers of a pod built by {@link restrictedContainer}. */
interface RestrictedContainerOptions {
  readonly name: string;
  readonly image: string;
  readonly env: readonly EnvVar[];
  readonly resources: ContainerResources;
  /** Mounts besides the writable `/tmp` (e.g. the read-only CSI volume of the AWS secrets). */
  readonly volumeMounts: readonly VolumeMount[];
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
    volumeMounts: [{ name: 'tmp', mountPath: TMP_MOUNT_PATH }, ...options.volumeMounts],
  };
}

function httpProbe(path: string, portName: string, defaults: Required<ProbeTiming>, timing: ProbeTiming = {}): Probe {
  return {
    httpGet: { path, port: IntOrString.fromString(portName), scheme: 'HTTP' },
    initialDelaySeconds: timing.initialDelaySeconds ?? defaults.initialDelaySeconds,
    timeoutSeconds: timing.timeoutSeconds ?? defaults.timeoutSeconds,
    successThreshold: 1,
    periodSeconds: timing.periodSeconds ?? defaults.periodSeconds,
    failureThreshold: timing.failureThreshold ?? defaults.failureThreshold,
  };
}

/** Plain variables in the record's order. */
export function plainEnvVars(env: Readonly<Record<string, string>>): EnvVar[] {
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}
