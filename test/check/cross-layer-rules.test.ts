import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synthesize } from '../../synth/synthesize';
import { CROSS_LAYER_IMAGE_RULES, imageFromOwnRegistry, repositoryInTerraform } from '../../policy/rules/cross-layer-images';
import { CROSS_LAYER_IDENTITY_RULES, ciRoleCanDeploy, serviceAccountRoleExists, workloadRoleBinding } from '../../policy/rules/cross-layer-identity';
import { CROSS_LAYER_CLUSTER_RULES, capacityAtMaxScale, hpaNeedsMetricsServer, networkPoliciesEnforced, zoneSpread } from '../../policy/rules/cross-layer-cluster';
import { applyingIdentityCoversObjects } from '../../policy/rules/cross-layer-kubernetes-access';
import { AUTO_MODE_NETWORK_POLICY_CONFIG_MAP, ciApplyRoleArn, ciDeployRoleArn, cpuMillicores, memoryMiB, type Definitions } from '../../config';
import { describeNodes, largestAutoModeNodes } from '../../k8s/cluster-capacity';
import { tempDir } from '../support/synth';
import { demandAtMaxScale, exampleWithCompute, fixtureNode } from '../support/compute-fixtures';
import { findingsOf, fixtureContext, resources } from './rule-fixtures';

type Compute = 'auto-mode' | 'node-groups';
const MODES: readonly Compute[] = ['node-groups', 'auto-mode'];
/** The example with prod on each compute mode, and where its prod output was synthesized. */
const outputs = new Map<Compute, { definitions: Definitions; out: string }>();
beforeAll(() => {
  for (const compute of MODES) {
    const definitions = exampleWithCompute('prod', compute);
    const out = join(tempDir(), 'dist');
    synthesize(definitions, { outDir: out, environments: ['prod'] });
    outputs.set(compute, { definitions, out });
  }
});

/** The synthesized prod output of the example with prod on `compute`, deep-copied so a test may change it. */
function prodOutput(compute: Compute): { terraform: any; kubernetes: any[] } {
  const { out } = outputs.get(compute)!;
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  const terraform = JSON.parse(readFileSync(join(out, manifest.environments.prod.terraform[0]), 'utf8'));
  const kubernetes = manifest.environments.prod.kubernetes.flatMap((f: string) => parseAllDocuments(readFileSync(join(out, f), 'utf8')).map((d) => d.toJS()));
  return { terraform, kubernetes };
}
const prodOf = (compute: Compute) => outputs.get(compute)!.definitions.environments.find((e) => e.name === 'prod')!;
const ofType = (tf: any, type: string): any[] => Object.values(tf.resource[type] ?? {});
const addressesOf = (tf: any, type: string): string[] => Object.keys(tf.resource[type] ?? {}).map((n) => `${type}.${n}`);
const find = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const run = (rule: Parameters<typeof findingsOf>[0], o: { terraform: any; kubernetes: any[] }) => findingsOf(rule, fixtureContext({ terraform: o.terraform, kubernetes: o.kubernetes }));
const scalingOf = (group: any) => (Array.isArray(group.scaling_config) ? group.scaling_config[0] : group.scaling_config);

describe('cross-layer rules', () => {
  test('the fixtures run prod on the compute mode they name', () => {
    expect(addressesOf(prodOutput('node-groups').terraform, 'aws_eks_node_group').length).toBeGreaterThan(0);
    const auto = prodOutput('auto-mode').terraform;
    expect(addressesOf(auto, 'aws_eks_node_group')).toEqual([]);
    expect(ofType(auto, 'aws_eks_cluster').map((c) => (Array.isArray(c.compute_config) ? c.compute_config[0] : c.compute_config)?.enabled)).toEqual([true]);
  });

  test.each(MODES.flatMap((compute) => [...CROSS_LAYER_IMAGE_RULES, ...CROSS_LAYER_IDENTITY_RULES, ...CROSS_LAYER_CLUSTER_RULES].map((r) => [r.id, compute, r] as const)))(
    '%s passes on the synthesized example with prod on %s',
    (_id, compute, rule) => {
      expect(run(rule, prodOutput(compute))).toEqual([]);
    },
  );

  test('a Deployment pulling from another account is reported, and so is a missing repository', () => {
    const o = prodOutput('node-groups');
    const web = find(o.kubernetes, 'Deployment', 'company-web');
    web.spec.template.spec.containers[0].image = '999999999999.dkr.ecr.ap-east-1.amazonaws.com/company-web:1.4.2';
    expect(run(imageFromOwnRegistry, o)).toEqual([
      { target: 'Deployment/company-web/company-web', value: '999999999999.dkr.ecr.ap-east-1.amazonaws.com/company-web:1.4.2' },
      { target: 'Deployment/company-web/company-web', value: '999999999999.dkr.ecr.ap-east-1.amazonaws.com/company-web:1.4.2' },
    ]);
    for (const r of ofType(o.terraform, 'aws_ecr_repository')) if (r.name === 'company-api') r.name = 'renamed';
    expect(run(repositoryInTerraform, o)).toEqual([{ target: 'Deployment/company-api/company-api', value: '333333333333.dkr.ecr.ap-east-1.amazonaws.com/company-api' }]);
  });

  test('a ServiceAccount naming a role Terraform does not create is reported', () => {
    const o = prodOutput('node-groups');
    for (const r of ofType(o.terraform, 'aws_iam_role')) if (r.name === 'company-prod-company-web') r.name = 'company-prod-web-renamed';
    expect(run(serviceAccountRoleExists, o)).toEqual([{ target: 'ServiceAccount/company-web/company-web', value: 'arn:aws:iam::333333333333:role/company-prod-company-web' }]);
  });

  test('a pod identity association for another namespace is reported', () => {
    const o = prodOutput('node-groups');
    const assoc = ofType(o.terraform, 'aws_eks_pod_identity_association').find((a) => a.namespace === 'company-web');
    assoc.namespace = 'other';
    expect(run(workloadRoleBinding, o)).toEqual([
      { target: 'ServiceAccount/company-web/company-web', value: 'no association' },
      { target: 'ServiceAccount/company-web/company-web', value: 'other/company-web' },
    ]);
  });

  test('a CI deploy role without edit access to a service namespace is reported', () => {
    const o = prodOutput('node-groups');
    const association = ofType(o.terraform, 'aws_eks_access_policy_association').find((a) => a.principal_arn.endsWith('-deploy'));
    association.access_scope.namespaces = association.access_scope.namespaces.filter((ns: string) => ns !== 'company-api');
    expect(run(ciRoleCanDeploy, o)).toEqual([{ target: `aws_eks_access_entry ${association.principal_arn}`, value: 'company-api' }]);
    for (const [name, entry] of Object.entries<any>(o.terraform.resource.aws_eks_access_entry)) {
      if (entry.principal_arn === association.principal_arn) delete o.terraform.resource.aws_eks_access_entry[name];
    }
    expect(run(ciRoleCanDeploy, o)).toEqual([{ target: `aws_eks_access_entry ${association.principal_arn}`, value: 'missing' }]);
  });

  test('node groups too small for the workloads at max replicas are reported', () => {
    const o = prodOutput('node-groups');
    const [group, ...others] = ofType(o.terraform, 'aws_eks_node_group');
    expect(others).toEqual([]);
    // One node short of the CPU the workloads and the Cluster Autoscaler request at max replicas.
    const demand = demandAtMaxScale(prodOf('node-groups'));
    const node = fixtureNode();
    const nodes = Math.ceil(demand.cpu / node.cpu) - 1;
    Object.assign(scalingOf(group), { min_size: 0, desired_size: 0, max_size: nodes });
    const findings = run(capacityAtMaxScale, o);
    expect(findings.map((f) => f.value)).toEqual([
      `cpu ${demand.cpu}m > ${nodes * node.cpu}m`,
      ...(demand.memory > nodes * node.memory ? [`memory ${demand.memory}Mi > ${nodes * node.memory}Mi`] : []),
    ]);
    expect(findings.map((f) => f.target)).toEqual(findings.map(() => addressesOf(o.terraform, 'aws_eks_node_group')[0]));
  });

  test('with node groups, a pod larger than the largest node is reported, counting its init containers as the scheduler does', () => {
    const o = prodOutput('node-groups');
    const pod = find(o.kubernetes, 'Deployment', 'company-api').spec.template.spec;
    const node = fixtureNode();
    const memory = memoryMiB(pod.containers[0].resources.requests.memory);
    // An init container as large as the node: it runs before the app container, so the pod still fits.
    pod.initContainers = [{ name: 'migrate', image: pod.containers[0].image, resources: { requests: { cpu: `${node.cpu}m`, memory: `${memory}Mi` } } }];
    expect(run(capacityAtMaxScale, o).filter((f) => f.target.startsWith('Deployment/'))).toEqual([]);
    pod.initContainers[0].resources.requests.cpu = `${node.cpu + 1}m`;
    expect(run(capacityAtMaxScale, o).filter((f) => f.target.startsWith('Deployment/'))).toEqual([
      { target: 'Deployment/company-api/company-api', value: `${node.cpu + 1}m/${memory}Mi per pod` },
    ]);
  });

  describe('on EKS Auto Mode (no node groups, no maxSize)', () => {
    const nodes = largestAutoModeNodes();
    const largestCpu = Math.max(...nodes.map((n) => n.node.cpuMillicores));
    /** The prod output with company-api's pod spec changed by `edit`, and the findings of DK-X-006 on it. */
    function withApiPod(edit: (pod: any, memory: number) => void) {
      const o = prodOutput('auto-mode');
      const pod = find(o.kubernetes, 'Deployment', 'company-api').spec.template.spec;
      const memory = memoryMiB(pod.containers[0].resources.requests.memory);
      edit(pod, memory);
      return [...capacityAtMaxScale.check(fixtureContext({ terraform: o.terraform, kubernetes: o.kubernetes }))];
    }

    test('passes when every pod fits on a node the general-purpose pool launches, however many replicas', () => {
      const o = prodOutput('auto-mode');
      for (const hpa of o.kubernetes.filter((x) => x.kind === 'HorizontalPodAutoscaler')) hpa.spec.maxReplicas = 1000;
      expect(run(capacityAtMaxScale, o)).toEqual([]);
      // An init container as large as the largest node runs before the app container: the pod still fits.
      expect(withApiPod((pod, memory) => (pod.initContainers = [{ name: 'migrate', resources: { requests: { cpu: `${largestCpu}m`, memory: `${memory}Mi` } } }]))).toEqual([]);
    });

    test('fails on a pod larger than the largest node the general-purpose pool launches, with the exact finding', () => {
      const [cluster] = addressesOf(prodOutput('auto-mode').terraform, 'aws_eks_cluster');
      const findings = withApiPod((pod) => (pod.containers[0].resources.requests.cpu = `${largestCpu + 1}m`));
      const memory = memoryMiB(find(prodOutput('auto-mode').kubernetes, 'Deployment', 'company-api').spec.template.spec.containers[0].resources.requests.memory);
      expect(findings).toEqual([
        {
          target: 'Deployment/company-api/company-api',
          value: `${largestCpu + 1}m/${memory}Mi per pod`,
          message: `one pod requests more than any node EKS Auto Mode's general-purpose node pool of ${cluster} launches (largest allocatable: ${describeNodes(nodes)})`,
          file: 'prod/kubernetes/fixture.yaml',
        },
      ]);
    });

    test('counts a sidecar (init container with restartPolicy Always) beside the app container', () => {
      const findings = withApiPod((pod, memory) => {
        const app = cpuMillicores(pod.containers[0].resources.requests.cpu);
        pod.initContainers = [{ name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: `${largestCpu - app + 1}m`, memory: `${memory}Mi` } } }];
      });
      expect(findings.map((f) => [f.target, f.value])).toEqual([['Deployment/company-api/company-api', expect.stringMatching(new RegExp(`^${largestCpu + 1}m/\\d+Mi per pod$`))]]);
    });

    test('does not apply when the cluster has no general-purpose node pool (its NodePools are the team\'s)', () => {
      const o = prodOutput('auto-mode');
      for (const c of ofType(o.terraform, 'aws_eks_cluster')) (Array.isArray(c.compute_config) ? c.compute_config[0] : c.compute_config).node_pools = ['system'];
      find(o.kubernetes, 'Deployment', 'company-api').spec.template.spec.containers[0].resources.requests.cpu = `${largestCpu + 1}m`;
      expect(run(capacityAtMaxScale, o)).toEqual([]);
    });
  });

  test('a replicated Deployment without zone spread, or a node group in one zone, is reported', () => {
    const o = prodOutput('node-groups');
    delete find(o.kubernetes, 'Deployment', 'company-api').spec.template.spec.topologySpreadConstraints;
    const [group] = ofType(o.terraform, 'aws_eks_node_group');
    group.subnet_ids = group.subnet_ids.slice(0, 1);
    const [address] = addressesOf(o.terraform, 'aws_eks_node_group');
    expect(run(zoneSpread, o)).toEqual([
      { target: 'Deployment/company-api/company-api', value: 'no zone spread' },
      { target: address, value: '["ap-east-1a"]' },
    ]);
  });

  test('on EKS Auto Mode, a replicated Deployment without zone spread is reported', () => {
    const o = prodOutput('auto-mode');
    delete find(o.kubernetes, 'Deployment', 'company-api').spec.template.spec.topologySpreadConstraints;
    expect(run(zoneSpread, o)).toEqual([{ target: 'Deployment/company-api/company-api', value: 'no zone spread' }]);
  });

  test.each(MODES)('HPAs without the metrics-server add-on are reported (prod on %s)', (compute) => {
    const o = prodOutput(compute);
    for (const [name, addon] of Object.entries<any>(o.terraform.resource.aws_eks_addon)) if (addon.addon_name === 'metrics-server') delete o.terraform.resource.aws_eks_addon[name];
    expect(run(hpaNeedsMetricsServer, o)).toEqual([
      { target: 'HorizontalPodAutoscaler/company-api/company-api', value: 'no metrics-server add-on' },
      { target: 'HorizontalPodAutoscaler/company-web/company-web', value: 'no metrics-server add-on' },
    ]);
  });

  test('with node groups, NetworkPolicies on a cluster whose vpc-cni add-on does not enforce them are reported', () => {
    const o = prodOutput('node-groups');
    const [name, addon] = Object.entries<any>(o.terraform.resource.aws_eks_addon).find(([, a]) => a.addon_name === 'vpc-cni')!;
    expect(JSON.parse(addon.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    delete addon.configuration_values;
    expect(run(networkPoliciesEnforced, o)).toEqual([{ target: `aws_eks_addon.${name}`, value: 'configuration_values missing' }]);
    addon.configuration_values = JSON.stringify({ enableNetworkPolicy: 'false' });
    expect(run(networkPoliciesEnforced, o)).toEqual([{ target: `aws_eks_addon.${name}`, value: 'configuration_values = {"enableNetworkPolicy":"false"}' }]);
  });

  test('on EKS Auto Mode, NetworkPolicies without the ConfigMap that switches enforcement on are reported', () => {
    const o = prodOutput('auto-mode');
    const { namespace, name, key } = AUTO_MODE_NETWORK_POLICY_CONFIG_MAP;
    const [cluster] = addressesOf(o.terraform, 'aws_eks_cluster');
    const configMap = o.kubernetes.find((x) => x.kind === 'ConfigMap' && x.metadata.namespace === namespace && x.metadata.name === name);
    expect(configMap.data).toEqual({ [key]: 'true' });
    configMap.data[key] = 'false';
    expect(run(networkPoliciesEnforced, o)).toEqual([{ target: cluster, value: `${key} = "false"` }]);
    o.kubernetes.splice(o.kubernetes.indexOf(configMap), 1);
    expect(run(networkPoliciesEnforced, o)).toEqual([{ target: cluster, value: `no ConfigMap ${namespace}/${name}` }]);
  });
});

describe('DK-X-010 NetworkPoliciesEnforced', () => {
  const POLICY = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'company-web' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
  const CLUSTER = { name: 'company-prod', vpc_config: [{ endpoint_public_access: false }] };
  const check = (terraform: Record<string, unknown>, kubernetes: any[] = [POLICY]) => findingsOf(networkPoliciesEnforced, fixtureContext({ terraform, kubernetes }));

  test('passes when the vpc-cni add-on enables network policy', () => {
    const addon = { cluster_name: 'company-prod', addon_name: 'vpc-cni', configuration_values: '{"enableNetworkPolicy":"true"}' };
    expect(check(resources({ aws_eks_cluster: { C: CLUSTER }, aws_eks_addon: { Cni: addon } }))).toEqual([]);
  });

  test('fails when the vpc-cni add-on has no configuration_values, with the exact finding', () => {
    const tf = resources({ aws_eks_cluster: { C: CLUSTER }, aws_eks_addon: { Cni: { cluster_name: 'company-prod', addon_name: 'vpc-cni' } } });
    expect([...networkPoliciesEnforced.check(fixtureContext({ terraform: tf, kubernetes: [POLICY] }))]).toEqual([
      {
        target: 'aws_eks_addon.Cni',
        value: 'configuration_values missing',
        message: 'the vpc-cni add-on does not set enableNetworkPolicy to "true"; 1 NetworkPolicies (NetworkPolicy/company-web/default-deny) would be accepted and ignored',
      },
    ]);
  });

  test('fails on a cluster without a vpc-cni add-on; passes without NetworkPolicies', () => {
    expect(check(resources({ aws_eks_cluster: { C: CLUSTER } }))).toEqual([{ target: 'aws_eks_cluster.C', value: 'no vpc-cni add-on' }]);
    expect(check(resources({ aws_eks_cluster: { C: CLUSTER } }), [])).toEqual([]);
  });

  describe('on EKS Auto Mode', () => {
    const AUTO_MODE = resources({ aws_eks_cluster: { C: { ...CLUSTER, compute_config: [{ enabled: true }] } } });
    const { namespace, name, key, value } = AUTO_MODE_NETWORK_POLICY_CONFIG_MAP;
    const configMap = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });

    test('passes with the ConfigMap that switches the network policy controller on, and needs no vpc-cni add-on', () => {
      expect(namespace).toBe('kube-system');
      expect(check(AUTO_MODE, [POLICY, configMap({ [key]: value })])).toEqual([]);
    });

    test('fails without the ConfigMap, with the exact finding', () => {
      expect([...networkPoliciesEnforced.check(fixtureContext({ terraform: AUTO_MODE, kubernetes: [POLICY] }))]).toEqual([
        {
          target: 'aws_eks_cluster.C',
          value: 'no ConfigMap kube-system/amazon-vpc-cni',
          message:
            'the cluster runs EKS Auto Mode, which enforces NetworkPolicies only when the ConfigMap kube-system/amazon-vpc-cni sets enable-network-policy-controller: "true"; 1 NetworkPolicies (NetworkPolicy/company-web/default-deny) would be accepted and ignored',
        },
      ]);
    });

    test('fails when the ConfigMap does not set the key to "true", or sits in another namespace', () => {
      expect(check(AUTO_MODE, [POLICY, configMap({ [key]: 'false' })])).toEqual([{ target: 'aws_eks_cluster.C', value: `${key} = "false"` }]);
      const elsewhere = { ...configMap({ [key]: value }), metadata: { name, namespace: 'default' } };
      expect(check(AUTO_MODE, [POLICY, elsewhere])).toEqual([{ target: 'aws_eks_cluster.C', value: 'no ConfigMap kube-system/amazon-vpc-cni' }]);
    });
  });
});

describe('DK-X-009 ApplyingIdentityCoversObjects', () => {
  const ctx = fixtureContext();
  const APPLY = ciApplyRoleArn(ctx.system, ctx.env);
  const DEPLOY = ciDeployRoleArn(ctx.system, ctx.env);
  const NAMESPACE = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'company-web' } };
  const SERVICE_ACCOUNT = (namespace: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'company-web', namespace } });
  const association = (principal: string, policy: string, scope: Record<string, unknown>) => ({
    cluster_name: 'company-prod',
    principal_arn: principal,
    policy_arn: `arn:aws:eks::aws:cluster-access-policy/${policy}`,
    access_scope: [scope],
  });
  /** Access entries of both CI roles; the deploy association references its entry, the apply association names the ARN literally. */
  function access(applyPolicy: string, applyScope: Record<string, unknown>, deployNamespaces: string[]) {
    return resources({
      aws_eks_access_entry: { Apply: { cluster_name: 'company-prod', principal_arn: APPLY, type: 'STANDARD' }, Deploy: { cluster_name: 'company-prod', principal_arn: DEPLOY, type: 'STANDARD' } },
      aws_eks_access_policy_association: {
        Apply: association(APPLY, applyPolicy, applyScope),
        Deploy: association('${aws_eks_access_entry.Deploy.principal_arn}', 'AmazonEKSEditPolicy', { type: 'namespace', namespaces: deployNamespaces }),
      },
    });
  }
  const check = (terraform: Record<string, unknown>, kubernetes: any[]) => findingsOf(applyingIdentityCoversObjects, fixtureContext({ terraform, kubernetes }));

  test('passes when the apply role is cluster admin at cluster scope and the deploy role covers every namespace', () => {
    expect(check(access('AmazonEKSClusterAdminPolicy', { type: 'cluster' }, ['company-web']), [NAMESPACE, SERVICE_ACCOUNT('company-web')])).toEqual([]);
  });

  test('fails on a Namespace whose applying identity has only a namespace-scoped policy, with the exact finding', () => {
    const tf = access('AmazonEKSEditPolicy', { type: 'namespace', namespaces: ['company-web'] }, ['company-web']);
    expect([...applyingIdentityCoversObjects.check(fixtureContext({ terraform: tf, kubernetes: [NAMESPACE, SERVICE_ACCOUNT('company-web')] }))]).toEqual([
      {
        target: 'Namespace/company-web',
        value: 'AmazonEKSEditPolicy (namespace: company-web)',
        message:
          'Namespace/company-web is in the cluster output (cluster-scoped or in a system namespace), so cluster.k8s.yaml applies it as deploykit-company-prod-apply, whose access policies (AmazonEKSEditPolicy (namespace: company-web)) do not include AmazonEKSClusterAdminPolicy at cluster scope',
        file: 'prod/kubernetes/cluster.k8s.yaml',
      },
    ]);
  });

  test("reports a namespace outside the deploy role's namespaces once, on that namespace's file", () => {
    const tf = access('AmazonEKSClusterAdminPolicy', { type: 'cluster' }, ['company-web']);
    const objects = [NAMESPACE, SERVICE_ACCOUNT('company-web'), SERVICE_ACCOUNT('company-api'), { ...SERVICE_ACCOUNT('company-api'), metadata: { name: 'other', namespace: 'company-api' } }];
    const [finding, ...rest] = [...applyingIdentityCoversObjects.check(fixtureContext({ terraform: tf, kubernetes: objects }))];
    expect(rest).toEqual([]);
    expect(finding).toEqual({
      target: 'prod/kubernetes/namespaces/company-api.k8s.yaml',
      value: 'AmazonEKSEditPolicy (namespace: company-web)',
      message: '2 object(s) in namespace company-api are applied as deploykit-company-prod-deploy, whose access policies (AmazonEKSEditPolicy (namespace: company-web)) do not let it write in company-api',
      file: 'prod/kubernetes/namespaces/company-api.k8s.yaml',
    });
  });

  test('a deploy role scoped to the cluster covers every namespace; a view-only policy covers none', () => {
    const tf: any = access('AmazonEKSClusterAdminPolicy', { type: 'cluster' }, []);
    tf.resource.aws_eks_access_policy_association.Deploy.access_scope = [{ type: 'cluster' }];
    expect(check(tf, [SERVICE_ACCOUNT('company-api')])).toEqual([]);
    tf.resource.aws_eks_access_policy_association.Deploy.policy_arn = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
    expect(check(tf, [SERVICE_ACCOUNT('company-api')])).toEqual([{ target: 'prod/kubernetes/namespaces/company-api.k8s.yaml', value: 'AmazonEKSViewPolicy (cluster)' }]);
  });

  test('an association whose principal has no access entry does not count; neither does a missing association', () => {
    const tf: any = access('AmazonEKSClusterAdminPolicy', { type: 'cluster' }, ['company-web']);
    delete tf.resource.aws_eks_access_entry.Apply;
    expect(check(tf, [NAMESPACE])).toEqual([{ target: 'Namespace/company-web', value: 'no aws_eks_access_entry' }]);
    expect(check(resources({}), [NAMESPACE, SERVICE_ACCOUNT('company-web')])).toEqual([
      { target: 'Namespace/company-web', value: 'no access policy association' },
      { target: 'prod/kubernetes/namespaces/company-web.k8s.yaml', value: 'no access policy association' },
    ]);
  });

  test('follows principal_arn references through the access entry to the role it names', () => {
    const tf: any = access('AmazonEKSClusterAdminPolicy', { type: 'cluster' }, ['company-web']);
    tf.resource.aws_iam_role = { DeployRole: { name: DEPLOY.split('/').pop() } };
    tf.resource.aws_eks_access_entry.Deploy.principal_arn = '${aws_iam_role.DeployRole.arn}';
    expect(check(tf, [SERVICE_ACCOUNT('company-web')])).toEqual([]);
    tf.resource.aws_iam_role.DeployRole.name = 'someone-else';
    expect(check(tf, [SERVICE_ACCOUNT('company-web')])).toEqual([{ target: 'prod/kubernetes/namespaces/company-web.k8s.yaml', value: 'no access policy association' }]);
  });
});
