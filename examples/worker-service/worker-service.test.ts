/**
 * The worker in Kubernetes: the objects CompanyChart adds next to deploykit's web services, their
 * security and wiring (ServiceAccount, queue URL, egress), schema validity and the worker's errors.
 */
import { Testing } from 'cdk8s';
import { defineEnvironments, stackName, type Definitions } from '../../config';
import { validateKubernetesObject } from '../../testing';
import { envInputOf, useAutoMode, useNodeGroups } from '../../test/support/synth';
import { CompanyChart } from './company-chart';
import { companyDefinitions, companyDefinitionsInput, companyWorkers } from './company-definitions';
import { queueUrl } from './naming';
import { WorkerService } from './worker-service';

function synthCompanyChart(envName: string, defs: Definitions = companyDefinitions(), imageTag?: string): any[] {
  const environment = defs.environments.find((e) => e.name === envName);
  if (!environment) throw new Error(`no environment ${envName}`);
  const chart = new CompanyChart(Testing.app(), stackName(defs.system, environment), {
    definitions: defs,
    environment,
    imageTag,
    workers: companyWorkers,
  });
  return Testing.synth(chart);
}

function find(objects: readonly any[], kind: string, name: string): any {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

/** Definitions whose worker has `change` applied to its catalogue entry, then `mutate` applied to the input. */
function withWorker(change: Record<string, unknown>, mutate: (input: any) => void = () => {}): Definitions {
  const input: any = structuredClone(companyDefinitionsInput);
  Object.assign(input.services['company-worker'], change);
  mutate(input);
  return defineEnvironments(input);
}


describe('WorkerService in CompanyChart', () => {
  const prod = synthCompanyChart('prod');
  const workerObjects = prod.filter((o) => o.metadata.namespace === 'company-worker' || o.metadata.name === 'company-worker');
  const deployment = find(prod, 'Deployment', 'company-worker');
  const pod = deployment.spec.template.spec;
  const container = pod.containers.find((c: any) => c.name === 'worker');

  test('renders the worker as Namespace, default deny, ServiceAccount, egress policy, Deployment, HPA and PDB, and no Service', () => {
    expect(workerObjects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/company-worker',
      'NetworkPolicy/default-deny',
      'ServiceAccount/company-worker',
      'NetworkPolicy/company-worker-allow-egress',
      'Deployment/company-worker',
      'HorizontalPodAutoscaler/company-worker',
      'PodDisruptionBudget/company-worker',
    ]);
  });

  test('still renders the web services through deploykit, and no WebService for the worker', () => {
    expect(find(prod, 'Service', 'company-web').metadata.namespace).toBe('company-web');
    expect(find(prod, 'Deployment', 'company-api').metadata.namespace).toBe('company-api');
    expect(prod.filter((o) => o.kind === 'Service' && o.metadata.namespace === 'company-worker')).toEqual([]);
  });

  test('runs as the ServiceAccount named by serviceAccountName(), which mounts no token and names the workload role', () => {
    const account = find(workerObjects, 'ServiceAccount', 'company-worker');
    expect(account.automountServiceAccountToken).toBe(false);
    expect(account.metadata.annotations).toEqual({ 'deploykit.io/iam-role-arn': 'arn:aws:iam::333333333333:role/company-prod-company-worker' });
    expect(pod.serviceAccountName).toBe('company-worker');
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('tells the worker the URL of the queue the Terraform layer creates', () => {
    const defs = companyDefinitions();
    const env = defs.environments.find((e) => e.name === 'prod')!;
    const worker = env.services.find((s) => s.name === 'company-worker')!;
    expect(container.env[0]).toEqual({ name: 'QUEUE_URL', value: queueUrl(defs.system, env, worker) });
    expect(container.env[0].value).toBe('https://sqs.ap-east-1.amazonaws.com/333333333333/company-prod-company-worker');
  });

  test('runs with the restricted security context, requests and limits and a read-only root file system', () => {
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(container.image).toBe('333333333333.dkr.ecr.ap-east-1.amazonaws.com/company-worker:1.0.3');
  });

  test('probes the health endpoints on the named health port, the only port it declares', () => {
    expect(container.ports).toEqual([{ name: 'health', containerPort: 8081, protocol: 'TCP' }]);
    expect(container.startupProbe.httpGet).toEqual({ path: '/startupz', port: 'health', scheme: 'HTTP' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health', scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'health', scheme: 'HTTP' });
  });

  test('spreads pods over zones (best effort) and nodes (strict)', () => {
    expect(pod.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 'DoNotSchedule'],
    ]);
  });

  test('scales the Deployment on CPU with autoscaling/v2 and leaves the replica count to the HPA', () => {
    const hpa = find(workerObjects, 'HorizontalPodAutoscaler', 'company-worker');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'company-worker' },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    });
    expect(deployment.spec.replicas).toBeUndefined();
  });

  test('runs a fixed replica count and no HPA where autoscaling is off (dev)', () => {
    const dev = synthCompanyChart('dev');
    expect(find(dev, 'Deployment', 'company-worker').spec.replicas).toBe(1);
    expect(dev.some((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'company-worker')).toBe(false);
  });

  test('allows one voluntary eviction at a time, selecting exactly the worker pods', () => {
    const pdb = find(workerObjects, 'PodDisruptionBudget', 'company-worker');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: deployment.spec.selector.matchLabels }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'company-worker', 'app.kubernetes.io/instance': 'company-worker-prod' });
  });

  test('denies all traffic, then allows egress only to DNS, the Pod Identity agent and HTTPS to the SQS endpoint in the VPC', () => {
    expect(find(workerObjects, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const egress = find(workerObjects, 'NetworkPolicy', 'company-worker-allow-egress').spec;
    const prodVpcCidr = companyDefinitions().environments.find((e) => e.name === 'prod')!.network.vpcCidr;
    expect(egress.policyTypes).toEqual(['Egress']);
    expect(egress.egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      },
      { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 80 }] },
      { to: [{ ipBlock: { cidr: prodVpcCidr } }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
  });

  test('labels every worker object with the environment labels the pipeline prunes by', () => {
    for (const obj of workerObjects) {
      expect(obj.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'deploykit',
        'app.kubernetes.io/part-of': 'company',
        'deploykit.io/environment': 'prod',
      });
    }
  });

  test.each(['dev', 'staging', 'prod'])('every object of the extended %s chart validates against its official schema', (envName) => {
    for (const obj of synthCompanyChart(envName)) {
      expect(() => validateKubernetesObject(obj)).not.toThrow();
    }
  });

  test('fails when the worker defines an Ingress or accepts connections from other namespaces', () => {
    const defs = withWorker({ ingress: { host: 'worker.example.com' }, ingressFromNamespaces: ['company-web'] });
    expect(() => synthCompanyChart('staging', defs)).toThrow(
      [
        'invalid environment definitions (2 problems):',
        '  - staging.services.company-worker.ingress: is set, but a worker receives no traffic; remove it or run the service as a WebService',
        '  - staging.services.company-worker.ingressFromNamespaces: (["company-web"]) is not empty, but a worker accepts no connections; remove it',
      ].join('\n'),
    );
  });

  test("fails when the worker declares ports besides its health port", () => {
    const defs = withWorker({ additionalPorts: [{ name: 'metrics', containerPort: 9090 }] });
    expect(() => synthCompanyChart('prod', defs)).toThrow(
      "prod.services.company-worker.additionalPorts: (metrics) is not empty, but a worker declares only its health port ('containerPort'); remove them",
    );
  });

  test('fails when the image tag is latest outside development', () => {
    const defs = companyDefinitions();
    const environment = defs.environments.find((e) => e.name === 'staging')!;
    const service = environment.services.find((s) => s.name === 'company-worker')!;
    expect(() => new WorkerService(Testing.chart(), 'worker', { system: defs.system, environment, service, imageTag: 'latest' })).toThrow(
      `staging.services.company-worker.image: 'tag' ("latest") is refused in a staging environment; pin a release tag or pass --image-tag <commit-sha>`,
    );
  });

  test("fails when the workers' maximum replicas do not fit in the node groups, naming the worker", () => {
    const defs = withWorker({ autoscaling: { minReplicas: 2, maxReplicas: 40 } }, (input) => useNodeGroups(envInputOf(input, 'staging')));
    expect(() => synthCompanyChart('staging', defs)).toThrow(/staging\.services: .*company-worker 40 × 250m/);
  });

  test('accepts as many worker replicas as the HPA allows in Auto Mode, where no maxSize bounds the nodes', () => {
    const defs = withWorker({ autoscaling: { minReplicas: 2, maxReplicas: 40 } }, (input) => useAutoMode(envInputOf(input, 'staging')));
    expect(find(synthCompanyChart('staging', defs), 'HorizontalPodAutoscaler', 'company-worker').spec.maxReplicas).toBe(40);
  });
});
