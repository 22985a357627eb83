/**
 * What the cluster output holds per compute mode: the Cluster Autoscaler with managed node groups;
 * the Auto Mode IngressClasses and network policy switch with EKS Auto Mode. Fixtures are built here
 * (one environment switched to Auto Mode, one with node groups), never the example's current mode.
 */
import { Testing } from 'cdk8s';
import { CLUSTER_AUTOSCALER, clusterComponentRoleArn, clusterName, SUPPORTED_EKS_VERSIONS, type Definitions } from '../../config';
import {
  AUTO_MODE_ALB_CONTROLLER,
  CLUSTER_AUTOSCALER_RELEASES,
  clusterAutoscalerImage,
  clusterCapacityIssues,
  clusterAutoscalerProps,
  EnvironmentChart,
  isClusterOutput,
} from '../../k8s';
import { splitByScope } from '../../k8s/object-scope';
import { validateKubernetesObject as validate } from '../../testing';
import { configIssues, containerOf, definitionsWith, environmentOf, find, has, synthEnvironment } from './helpers';

const ENV = 'staging';
const envIndex = (input: any) => input.environments.findIndex((e: any) => e.name === ENV);

/** The example with staging on EKS Auto Mode (no node groups) and an internet-facing Ingress on company-web. */
function autoModeDefinitions(mutate: (input: any) => void = () => {}): Definitions {
  return definitionsWith((input) => {
    const env = input.environments[envIndex(input)];
    delete env.cluster.nodeGroups;
    env.cluster.compute = 'auto-mode';
    env.services['company-web'] = {
      ...env.services['company-web'],
      ingress: { host: 'web.example.com', scheme: 'internet-facing', certificateArn: 'arn:aws:acm:ap-east-1:222222222222:certificate/11111111-1111-4111-8111-111111111111' },
    };
    mutate(input);
  });
}

/** The example with staging on two explicit node groups. */
function nodeGroupDefinitions(mutate: (input: any) => void = () => {}): Definitions {
  return definitionsWith((input) => {
    const env = input.environments[envIndex(input)];
    env.cluster.compute = 'node-groups';
    env.cluster.kubernetesVersion = '1.34';
    env.cluster.name = 'fixture-cluster';
    env.cluster.nodeGroups = {
      general: { instanceTypes: ['m6i.xlarge'], minSize: 2, desiredSize: 2, maxSize: 6 },
      spare: { instanceTypes: ['m6i.xlarge'], minSize: 0, desiredSize: 0, maxSize: 2 },
    };
    mutate(input);
  });
}

describe('compute "node-groups": the Cluster Autoscaler', () => {
  const defs = nodeGroupDefinitions();
  const env = environmentOf(defs, ENV);
  const objects = synthEnvironment(defs, ENV);
  const deployment = find(objects, 'Deployment', 'cluster-autoscaler');
  const container = containerOf(deployment, 'cluster-autoscaler');

  test('renders ServiceAccount, RBAC, Deployment, PodDisruptionBudget and NetworkPolicy in kube-system', () => {
    for (const kind of ['ServiceAccount', 'Role', 'RoleBinding', 'Deployment', 'PodDisruptionBudget', 'NetworkPolicy']) {
      expect(find(objects, kind, 'cluster-autoscaler').metadata.namespace).toBe(CLUSTER_AUTOSCALER.namespace);
    }
    for (const kind of ['ClusterRole', 'ClusterRoleBinding']) expect(find(objects, kind, 'cluster-autoscaler').metadata.namespace).toBeUndefined();
    expect(has(objects, 'IngressClass', 'alb-internet-facing')).toBe(false);
    expect(has(objects, 'ConfigMap', 'amazon-vpc-cni')).toBe(false);
  });

  test("discovers the Auto Scaling groups by the environment's cluster name", () => {
    expect(container.args).toContain(`--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${clusterName(defs.system, env)}`);
    expect(container.args).toContain('--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/fixture-cluster');
    expect(container.args).toEqual(
      expect.arrayContaining(['--cloud-provider=aws', '--balance-similar-node-groups', '--skip-nodes-with-system-pods=false', '--expander=least-waste']),
    );
    expect(container.env).toEqual([{ name: 'AWS_REGION', value: env.region }]);
  });

  test("runs the autoscaler release whose minor equals the cluster's", () => {
    const [, minor] = /:v(\d+\.\d+)\.\d+$/.exec(container.image)!;
    expect(minor).toBe(env.cluster.kubernetesVersion);
    expect(container.image).toBe(`registry.k8s.io/autoscaling/cluster-autoscaler:v${CLUSTER_AUTOSCALER_RELEASES[env.cluster.kubernetesVersion]}`);
  });

  test('the ServiceAccount is the one the Pod Identity association names, and only the pod mounts an expiring API token', () => {
    const sa = find(objects, 'ServiceAccount', CLUSTER_AUTOSCALER.serviceAccount);
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(sa.metadata.annotations['deploykit.io/iam-role-arn']).toBe(clusterComponentRoleArn(defs.system, env, CLUSTER_AUTOSCALER));
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe(CLUSTER_AUTOSCALER.serviceAccount);
    expect(pod.automountServiceAccountToken).toBe(false);
    const volume = pod.volumes.find((v: any) => v.name === 'kube-api-access');
    expect(volume.projected.sources[0]).toEqual({ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } });
    expect(container.volumeMounts).toEqual([{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }]);
  });

  test('runs restricted, system-cluster-critical, with resources and probes on its health port', () => {
    const pod = deployment.spec.template.spec;
    expect(pod.priorityClassName).toBe('system-cluster-critical');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext.runAsUser).toBeGreaterThanOrEqual(10000);
    expect(container.securityContext).toEqual({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '600Mi' }, limits: { cpu: '500m', memory: '600Mi' } });
    expect(container.ports).toEqual([{ name: 'http-metrics', containerPort: 8085, protocol: 'TCP' }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health-check', port: 'http-metrics' });
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 'http-metrics' });
    expect(pod.volumes.some((v: any) => v.hostPath)).toBe(false);
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' });
  });

  test('grants node updates and evictions cluster-wide and writes only its lease and status ConfigMap in kube-system', () => {
    const clusterRules = find(objects, 'ClusterRole', 'cluster-autoscaler').rules;
    const verbsOn = (rules: any[], group: string, resource: string) => rules.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs);
    expect(verbsOn(clusterRules, '', 'nodes')).toEqual(['get', 'list', 'watch', 'update']);
    expect(verbsOn(clusterRules, '', 'pods/eviction')).toEqual(['create']);
    expect(verbsOn(clusterRules, '', 'pods')).toEqual(['get', 'list', 'watch']);
    expect(clusterRules.some((r: any) => r.apiGroups.includes('extensions') || r.resources.includes('endpoints') || r.resources.includes('leases'))).toBe(false);
    const role = find(objects, 'Role', 'cluster-autoscaler');
    expect(role.rules.filter((r: any) => r.resourceNames)).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['cluster-autoscaler'], verbs: ['get', 'update'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['cluster-autoscaler-status'], verbs: ['get', 'update', 'delete'] },
    ]);
    for (const kind of ['ClusterRoleBinding', 'RoleBinding']) {
      expect(find(objects, kind, 'cluster-autoscaler').subjects).toEqual([{ kind: 'ServiceAccount', name: 'cluster-autoscaler', namespace: 'kube-system' }]);
    }
  });

  test('its NetworkPolicy selects only its own pods, allows DNS and HTTPS out and the health port from the VPC', () => {
    const policy = find(objects, 'NetworkPolicy', 'cluster-autoscaler');
    expect(policy.spec.podSelector).toEqual({ matchLabels: deployment.spec.selector.matchLabels });
    expect(policy.spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: env.network.vpcCidr } }], ports: [{ protocol: 'TCP', port: 8085 }] }]);
    expect(policy.spec.egress.some((r: any) => r.ports.some((p: any) => p.protocol === 'UDP' && p.port === 53))).toBe(true);
    expect(policy.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] });
    expect(objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'kube-system')).toHaveLength(1);
  });

  test('every object goes to the cluster output, none to a namespaces/kube-system file', () => {
    const autoscaler = objects.filter((o) => o.metadata.name === 'cluster-autoscaler');
    expect(autoscaler).toHaveLength(8);
    for (const o of autoscaler) expect(isClusterOutput(o)).toBe(true);
    const { cluster, namespaces } = splitByScope(objects);
    expect(namespaces.has('kube-system')).toBe(false);
    expect(cluster).toEqual(expect.arrayContaining(autoscaler));
  });

  test('every object validates against its schema', () => {
    for (const obj of objects) expect(() => validate(obj)).not.toThrow();
  });

  test('refuses to derive its props for an Auto Mode environment', () => {
    const auto = autoModeDefinitions();
    expect(() => clusterAutoscalerProps({ system: auto.system, environment: environmentOf(auto, ENV) })).toThrow(
      'staging.cluster.compute: the Cluster Autoscaler scales managed node groups; compute is "auto-mode", where EKS Auto Mode scales the nodes',
    );
  });
});

describe('Cluster Autoscaler releases', () => {
  test.each(SUPPORTED_EKS_VERSIONS)('Kubernetes %s has an autoscaler release of the same minor', (version) => {
    expect(CLUSTER_AUTOSCALER_RELEASES[version]).toMatch(new RegExp(`^${version.replace('.', '\\.')}\\.\\d+$`));
    expect(clusterAutoscalerImage(version)).toBe(`registry.k8s.io/autoscaling/cluster-autoscaler:v${CLUSTER_AUTOSCALER_RELEASES[version]}`);
  });

  test('fails naming the field and the fix for a version without a release', () => {
    expect(configIssues(() => clusterAutoscalerImage('1.99', 'prod.cluster.kubernetesVersion'))).toEqual([
      {
        path: 'prod.cluster.kubernetesVersion',
        message: `'kubernetesVersion' ("1.99") has no Cluster Autoscaler release in CLUSTER_AUTOSCALER_RELEASES (the autoscaler's minor must equal the cluster's); add the newest cluster-autoscaler-1.99.x release to k8s/cluster-autoscaler-versions.ts or use compute "auto-mode"`,
      },
    ]);
  });
});

describe('compute "auto-mode": load balancing and network policy enforcement', () => {
  const defs = autoModeDefinitions();
  const objects = synthEnvironment(defs, ENV);

  test('renders no Cluster Autoscaler', () => {
    expect(objects.filter((o) => o.metadata.name === 'cluster-autoscaler')).toEqual([]);
  });

  test('renders the amazon-vpc-cni ConfigMap that switches network policy enforcement on', () => {
    const cm = find(objects, 'ConfigMap', 'amazon-vpc-cni');
    expect(cm.metadata.namespace).toBe('kube-system');
    expect(cm.data).toEqual({ 'enable-network-policy-controller': 'true' });
    expect(isClusterOutput(cm)).toBe(true);
  });

  test("renders an Auto Mode IngressClass with IngressClassParams for the scheme the Ingress uses, and the Ingress names it", () => {
    const ingressClass = find(objects, 'IngressClass', 'alb-internet-facing');
    expect(ingressClass.spec).toEqual({
      controller: AUTO_MODE_ALB_CONTROLLER,
      parameters: { apiGroup: 'eks.amazonaws.com', kind: 'IngressClassParams', name: 'alb-internet-facing', scope: 'Cluster' },
    });
    const params = find(objects, 'IngressClassParams', 'alb-internet-facing');
    expect(params.apiVersion).toBe('eks.amazonaws.com/v1');
    expect(params.metadata.namespace).toBeUndefined();
    expect(params.spec).toEqual({ scheme: 'internet-facing' });
    expect(has(objects, 'IngressClass', 'alb-internal')).toBe(false);
    const ingress = find(objects, 'Ingress', 'company-web');
    expect(ingress.spec.ingressClassName).toBe('alb-internet-facing');
    // The class carries the scheme; the per-service annotations Auto Mode honours stay.
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/scheme']).toBeUndefined();
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:ap-east-1:222222222222:certificate/11111111-1111-4111-8111-111111111111',
    });
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/healthcheck-path']).toBeDefined();
  });

  test('renders one class per scheme in use', () => {
    const both = synthEnvironment(
      autoModeDefinitions((input) => {
        input.environments[envIndex(input)].services['company-api'] = { ingress: { host: 'api.internal.example.com' } };
      }),
      ENV,
    );
    expect(both.filter((o) => o.kind === 'IngressClass').map((o) => o.metadata.name).sort()).toEqual(['alb-internal', 'alb-internet-facing']);
    expect(find(both, 'Ingress', 'company-api').spec.ingressClassName).toBe('alb-internal');
  });

  test('every object validates against its schema, IngressClassParams strictly', () => {
    for (const obj of objects) expect(() => validate(obj)).not.toThrow();
    const params = find(objects, 'IngressClassParams', 'alb-internet-facing');
    expect(() => validate({ ...params, spec: { ...params.spec, certificateArn: 'arn:aws:acm:x' } })).toThrow(/: spec\.certificateArn: unknown field 'certificateArn'/);
    expect(() => validate({ ...params, spec: { scheme: 'public' } })).toThrow(': spec.scheme: must be equal to one of the allowed values (["internal","internet-facing"])');
    expect(() => validate({ ...params, metadata: { ...params.metadata, namespace: 'kube-system' } })).toThrow(/: metadata\.namespace: unknown field 'namespace'/);
  });

  test('the IngressClass and its params go to the cluster output', () => {
    const { cluster } = splitByScope(objects);
    expect(cluster.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      expect.arrayContaining(['IngressClass/alb-internet-facing', 'IngressClassParams/alb-internet-facing', 'ConfigMap/amazon-vpc-cni']),
    );
  });
});

describe('capacity check by compute mode', () => {
  test('node groups: the Cluster Autoscaler counts against the node groups at maxSize', () => {
    const defs = nodeGroupDefinitions((input) => {
      const env = input.environments[envIndex(input)];
      env.cluster.nodeGroups = { general: { instanceTypes: ['m6i.large'], minSize: 1, desiredSize: 1, maxSize: 1 } };
      env.services['company-web'] = { autoscaling: null, replicas: 1 };
      env.services['company-api'] = { autoscaling: null, replicas: 1 };
      input.services['company-web'].resources = { requests: { cpu: '800m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };
      input.services['company-api'].resources = { requests: { cpu: '800m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };
    });
    expect(clusterCapacityIssues(environmentOf(defs, ENV))).toEqual([
      {
        path: 'staging.services',
        message:
          `'resources.requests.cpu' × maximum replicas summed over the services and the Cluster Autoscaler is 1700m (company-web 1 × 800m, company-api 1 × 800m, cluster-autoscaler 1 × 100m), ` +
          `more than the 1680m allocatable CPU of the node groups at 'maxSize' (general 1 × m6i.large at 1680m); raise maxSize, use larger instance types, or lower maxReplicas or requests`,
      },
    ]);
  });

  test('auto mode: any number of replicas passes, because there is no maxSize', () => {
    const defs = autoModeDefinitions((input) => {
      input.services['company-api'].autoscaling.maxReplicas = 500;
    });
    expect(clusterCapacityIssues(environmentOf(defs, ENV))).toEqual([]);
  });

  test('auto mode: fails when one pod fits on no node the general-purpose pool launches, naming the quota', () => {
    const defs = autoModeDefinitions((input) => {
      input.services['company-api'].resources = { requests: { cpu: '250', memory: '2Gi' }, limits: { cpu: '250', memory: '2Gi' } };
    });
    expect(clusterCapacityIssues(environmentOf(defs, ENV))).toEqual([
      {
        path: 'staging.services.company-api',
        message:
          `'resources.requests' (cpu "250", memory "2Gi"; 250000m/2048Mi) fits on no node EKS Auto Mode's general-purpose node pool launches ` +
          `(largest allocatable: c7i.48xlarge 191200m/384454Mi, m7i.48xlarge 191200m/777670Mi, r7i.48xlarge 191200m/1564102Mi); lower the requests. ` +
          `Auto Mode has no maxSize: the account's EC2 On-Demand vCPU quota bounds the cluster at maximum scale`,
      },
    ]);
    expect(() => new EnvironmentChart(Testing.app(), 'x', { definitions: defs, environment: environmentOf(defs, ENV) })).toThrow('fits on no node');
  });

  test('auto mode: a pod needing more memory than a compute-optimised node still fits on a memory-optimised one', () => {
    const defs = autoModeDefinitions((input) => {
      input.services['company-api'].resources = { requests: { cpu: '2', memory: '1000Gi' }, limits: { cpu: '2', memory: '1000Gi' } };
    });
    expect(clusterCapacityIssues(environmentOf(defs, ENV))).toEqual([]);
  });
});
