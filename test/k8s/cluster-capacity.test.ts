import { defineEnvironments } from '../../config';
import { allocatable, clusterCapacityIssues, instanceTypeCapacity } from '../../k8s';
import { envInputOf, exampleInput, useNodeGroups } from '../support/synth';
import { definitionsWith, environmentOf } from './helpers';

/**
 * Staging on the fixture node groups (general: m6i.large, at most 4), running exactly company-web
 * (250m / 256Mi, at most 4 replicas) and company-api (500m / 512Mi, at most 6), whatever the example
 * defines; `mutate` then changes the raw input.
 */
function staging(mutate: (input: any) => void) {
  const input = exampleInput();
  Object.assign(input.services['company-web'], {
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    autoscaling: { minReplicas: 2, maxReplicas: 4, targetCpuUtilizationPercent: 50 },
  });
  Object.assign(input.services['company-api'], {
    resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 50 },
  });
  const env = useNodeGroups(envInputOf(input, 'staging'));
  env.services = { 'company-web': {}, 'company-api': {} };
  mutate(input);
  return environmentOf(defineEnvironments(input), 'staging');
}
const stagingOf = (input: any) => envInputOf(input, 'staging');

describe('allocatable', () => {
  test('subtracts kube-reserved, the eviction threshold and the DaemonSet reservation from a 2-vCPU node', () => {
    expect(allocatable('m6i.large')).toEqual({ cpuMillicores: 1680, memoryMiB: 7218 });
    expect(allocatable('t3.large')).toEqual({ cpuMillicores: 1680, memoryMiB: 7152 });
  });

  test('reserves a smaller share of each further core on larger nodes', () => {
    expect(allocatable('m6i.xlarge')).toEqual({ cpuMillicores: 3670, memoryMiB: 15091 });
    expect(allocatable('m6i.4xlarge')?.cpuMillicores).toBe(15640);
  });

  test('knows nothing about an instance type missing from the table', () => {
    expect(allocatable('x9.huge')).toBeUndefined();
    expect(instanceTypeCapacity('toString')).toBeUndefined();
  });
});

describe('clusterCapacityIssues', () => {
  test('finds no problem in any environment of the example', () => {
    for (const env of definitionsWith().environments) expect(clusterCapacityIssues(env)).toEqual([]);
  });

  test('fails when the services at maxReplicas need more CPU than the node groups at maxSize offer', () => {
    const env = staging((input) => (input.services['company-api'].autoscaling.maxReplicas = 20));
    expect(clusterCapacityIssues(env)).toEqual([
      {
        path: 'staging.services',
        message:
          `'resources.requests.cpu' × maximum replicas summed over the services and the Cluster Autoscaler is 11100m (company-web 4 × 250m, company-api 20 × 500m, cluster-autoscaler 1 × 100m), ` +
          `more than the 6720m allocatable CPU of the node groups at 'maxSize' (general 4 × m6i.large at 1680m); raise maxSize, use larger instance types, or lower maxReplicas or requests`,
      },
    ]);
  });

  test('fails when the services at maxReplicas need more memory than the node groups at maxSize offer', () => {
    const env = staging((input) => {
      input.services['company-api'].resources = { requests: { cpu: '100m', memory: '6Gi' }, limits: { cpu: '1', memory: '6Gi' } };
    });
    expect(clusterCapacityIssues(env)).toEqual([
      {
        path: 'staging.services',
        message:
          `'resources.requests.memory' × maximum replicas summed over the services and the Cluster Autoscaler is 38488Mi (company-web 4 × 256Mi, company-api 6 × 6Gi, cluster-autoscaler 1 × 600Mi), ` +
          `more than the 28872Mi allocatable memory of the node groups at 'maxSize' (general 4 × m6i.large at 7218Mi); raise maxSize, use larger instance types, or lower maxReplicas or requests`,
      },
    ]);
  });

  test('counts fixed replicas when a service has no autoscaling', () => {
    const env = staging((input) => {
      stagingOf(input).services['company-api'] = { autoscaling: null, replicas: 13 };
    });
    expect(clusterCapacityIssues(env).map((i) => i.message)).toEqual([expect.stringContaining('is 7600m (company-web 4 × 250m, company-api 13 × 500m, cluster-autoscaler 1 × 100m)')]);
  });

  test('fails when one pod asks for more than the largest node offers', () => {
    const env = staging((input) => {
      input.services['company-api'].resources = { requests: { cpu: '2', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } };
      stagingOf(input).cluster.nodeGroups.general.maxSize = 20;
    });
    expect(clusterCapacityIssues(env)).toEqual([
      {
        path: 'staging.services.company-api',
        message: `'resources.requests.cpu' ("2") is more than the 1680m allocatable CPU of the largest node (m6i.large in node group general); lower the request or use a larger instance type`,
      },
    ]);
  });

  test('plans with the smallest instance type of a group, because the autoscaler may launch any of them', () => {
    const env = staging((input) => {
      stagingOf(input).cluster.nodeGroups.general.instanceTypes = ['m6i.xlarge', 't3.medium'];
      input.services['company-api'].autoscaling.maxReplicas = 12;
    });
    expect(clusterCapacityIssues(env).map((i) => i.message)).toEqual([expect.stringContaining('(general 4 × t3.medium at 1680m)')]);
  });

  test('adds up every node group', () => {
    const env = staging((input) => {
      input.services['company-api'].autoscaling.maxReplicas = 20;
      stagingOf(input).cluster.nodeGroups.extra = { instanceTypes: ['c6i.xlarge'], minSize: 0, desiredSize: 0, maxSize: 2 };
    });
    expect(clusterCapacityIssues(env)).toEqual([]);
  });

  test('fails when an instance type is not in the table, naming the node group and the fix', () => {
    const env = staging((input) => (stagingOf(input).cluster.nodeGroups.general.instanceTypes = ['m6i.large', 'x9.huge']));
    expect(clusterCapacityIssues(env)).toEqual([
      {
        path: 'staging.cluster.nodeGroups.general',
        message: `'instanceTypes[1]' ("x9.huge") is not in deploykit's instance type table, so the services' fit cannot be checked; use a listed type such as "m6i.large" or add it to INSTANCE_TYPES in k8s/instance-types.ts`,
      },
    ]);
  });
});
