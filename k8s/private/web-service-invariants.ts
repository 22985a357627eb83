/**
 * Rules a WebService's objects must keep after every escape-hatch patch: probes and the Service
 * target ports the container declares, and the PodDisruptionBudget always allows an eviction.
 * Checked on the synthesized JSON, when the chart is synthesized.
 * @internal
 */

/** Synthesized Kubernetes JSON, read loosely: escape-hatch patches may have changed any field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The synthesized objects of one WebService. */
export interface WebServiceObjects {
  readonly deployment: Json;
  readonly service: Json;
  readonly podDisruptionBudget: Json;
  /** The fewest replicas the service runs. */
  readonly minReplicas: number;
}

interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
}

function declares(ports: readonly ContainerPort[], port: unknown): boolean {
  return ports.some((p) => p.name === port || p.containerPort === port);
}

function describePorts(ports: readonly ContainerPort[]): string {
  return ports.map((p) => (p.name ? `${p.name}=${p.containerPort}` : String(p.containerPort))).join(', ');
}

/**
 * Every broken rule as a message: which object and field, the value, the rule and the fix (the
 * construct path is added by whoever reports it).
 */
export function webServiceInvariantErrors(objects: WebServiceObjects): string[] {
  const errors: string[] = [];
  const containers: Json[] = objects.deployment?.spec?.template?.spec?.containers ?? [];
  const allPorts: ContainerPort[] = containers.flatMap((c) => (c.ports ?? []) as ContainerPort[]);
  for (const container of containers) {
    const ports: ContainerPort[] = container.ports ?? [];
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      const port = container[probe]?.httpGet?.port;
      if (port !== undefined && !declares(ports, port)) {
        errors.push(
          `Deployment container "${container.name}" '${probe}.httpGet.port' (${JSON.stringify(port)}) is not a port of the container (${describePorts(ports)}); point the probe at a declared port`,
        );
      }
    }
  }
  for (const port of objects.service?.spec?.ports ?? []) {
    const target = port.targetPort ?? port.port;
    if (!declares(allPorts, target)) {
      errors.push(
        `Service port "${port.name}" 'targetPort' (${JSON.stringify(target)}) is not a container port (${describePorts(allPorts)}); target a declared port`,
      );
    }
  }
  const budget = objects.podDisruptionBudget?.spec ?? {};
  const { minAvailable, maxUnavailable } = budget;
  if (maxUnavailable === 0 || maxUnavailable === '0%') {
    errors.push(
      `PodDisruptionBudget 'maxUnavailable' (${JSON.stringify(maxUnavailable)}) blocks every eviction and so every node drain; use maxUnavailable 1`,
    );
  }
  if (minAvailable === '100%' || (typeof minAvailable === 'number' && minAvailable >= objects.minReplicas)) {
    errors.push(
      `PodDisruptionBudget 'minAvailable' (${JSON.stringify(minAvailable)}) is not below the minimum replicas (${objects.minReplicas}) and blocks every eviction at minimum scale; use maxUnavailable 1 instead`,
    );
  }
  return errors;
}
