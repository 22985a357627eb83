import { allocatable, clusterCapacityIssues, instanceTypeCapacity } from '../../k8s';
import { definitionsWith, environmentOf } from './helpers';

const staging = (mutate: (input: any) => void) => environmentOf(definitionsWith(mutate), 'staging');

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
      input.environments[1].services['company-api'] = { autoscaling: null, replicas: 13 };
    });
    expect(clusterCapacityIssues(env).map((i) => i.message)).toEqual([expect.stringContaining('is 7600m (company-web 4 × 250m, company-api 13 × 500m, cluster-autoscaler 1 × 100m)')]);
  });

  test('fails when one pod asks for more than the largest node offers', () => {
    const env = staging((input) => {
      input.services['company-api'].resources = { requests: { cpu: '2', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } };
      input.environments[1].cluster.nodeGroups.general.maxSize = 20;
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
      input.environments[1].cluster.nodeGroups.general.instanceTypes = ['m6i.xlarge', 't3.medium'];
      input.services['company-api'].autoscaling.maxReplicas = 12;
    });
    expect(clusterCapacityIssues(env).map((i) => i.message)).toEqual([expect.stringContaining('(general 4 × t3.medium at 1680m)')]);
  });

  test('adds up every node group', () => {
    const env = staging((input) => {
      input.services['company-api'].autoscaling.maxReplicas = 20;
      input.environments[1].cluster.nodeGroups.extra = { instanceTypes: ['c6i.xlarge'], minSize: 0, desiredSize: 0, maxSize: 2 };
    });
    expect(clusterCapacityIssues(env)).toEqual([]);
  });

  test('fails when an instance type is not in the table, naming the node group and the fix', () => {
    const env = staging((input) => (input.environments[1].cluster.nodeGroups.general.instanceTypes = ['m6i.large', 'x9.huge']));
    expect(clusterCapacityIssues(env)).toEqual([
      {
        path: 'staging.cluster.nodeGroups.general',
        message: `'instanceTypes[1]' ("x9.huge") is not in deploykit's instance type table, so the services' fit cannot be checked; use a listed type such as "m6i.large" or add it to INSTANCE_TYPES in k8s/instance-types.ts`,
      },
    ]);
  });
});
