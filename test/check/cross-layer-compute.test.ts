/** DK-X-011 (Ingress classes have a controller) and DK-X-012 (node groups run the Cluster Autoscaler), on fixtures built here. */
import { Testing } from 'cdk8s';
import { clusterAutoscalerInstalled, ingressClassHasController } from '../../policy/rules/cross-layer-compute';
import { builtInRules } from '../../policy/registry';
import { CLUSTER_AUTOSCALER, clusterComponentRoleName, defineEnvironments, type Definitions } from '../../config';
import { EnvironmentChart } from '../../k8s';
import { envInputOf, exampleInput, useAutoMode, useNodeGroups } from '../support/synth';
import { findingsOf, fixtureContext, resources } from './rule-fixtures';

const ENV = 'staging';

/** The example with staging on `compute` (Auto Mode: no node groups; else the fixture node groups) and an internal Ingress on company-web. */
function definitions(compute: 'auto-mode' | 'node-groups'): Definitions {
  const input = exampleInput();
  const env = envInputOf(input, ENV);
  if (compute === 'auto-mode') useAutoMode(env);
  else useNodeGroups(env);
  env.services['company-web'] = { ...env.services['company-web'], ingress: { host: 'web.internal.example.com' } };
  return defineEnvironments(input);
}

/** The synthesized objects of staging under `defs`. */
function objectsOf(defs: Definitions): Record<string, unknown>[] {
  const env = defs.environments.find((e) => e.name === ENV)!;
  return Testing.synth(new EnvironmentChart(Testing.app(), 'fixture', { definitions: defs, environment: env }));
}

describe('DK-X-011 IngressClassHasController', () => {
  test('is registered once with the next free cross-layer id', () => {
    expect(builtInRules().filter((r) => r.id === 'DK-X-011')).toEqual([ingressClassHasController]);
  });

  test('passes in Auto Mode, where the output holds the IngressClass and its IngressClassParams', () => {
    const defs = definitions('auto-mode');
    expect(findingsOf(ingressClassHasController, fixtureContext({ definitions: defs, env: ENV, kubernetes: objectsOf(defs) }))).toEqual([]);
  });

  test('fails with node groups, where no ALB controller serves the Ingress', () => {
    const defs = definitions('node-groups');
    const ctx = fixtureContext({ definitions: defs, env: ENV, kubernetes: objectsOf(defs) });
    expect(findingsOf(ingressClassHasController, ctx)).toEqual([{ target: 'Ingress/company-web/company-web', value: 'ingressClassName "alb"' }]);
    expect([...ingressClassHasController.check(ctx)][0].message).toBe(
      'compute "node-groups" runs no ALB controller and the staging output has no IngressClass alb, so no load balancer is created for the Ingress',
    );
    expect(ingressClassHasController.fix).toMatch(/^use compute "auto-mode" .*or install the AWS Load Balancer Controller/);
  });

  test('fails in Auto Mode when the IngressClass or its params are missing from the output', () => {
    const defs = definitions('auto-mode');
    const objects = objectsOf(defs);
    const withoutParams = objects.filter((o) => o.kind !== 'IngressClassParams');
    expect(findingsOf(ingressClassHasController, fixtureContext({ definitions: defs, env: ENV, kubernetes: withoutParams }))).toEqual([
      { target: 'Ingress/company-web/company-web', value: 'IngressClassParams "alb-internal" missing' },
    ]);
    const withoutClass = objects.filter((o) => o.kind !== 'IngressClass');
    expect(findingsOf(ingressClassHasController, fixtureContext({ definitions: defs, env: ENV, kubernetes: withoutClass }))).toEqual([
      { target: 'Ingress/company-web/company-web', value: 'ingressClassName "alb-internal"' },
    ]);
  });
});

describe('DK-X-012 ClusterAutoscalerInstalled', () => {
  const defs = definitions('node-groups');
  const env = defs.environments.find((e) => e.name === ENV)!;
  const roleName = clusterComponentRoleName(defs.system, env, CLUSTER_AUTOSCALER);
  const terraform = (serviceAccount: string, role = roleName) =>
    resources({
      aws_iam_role: { autoscaler: { name: role, assume_role_policy: '{}' } },
      aws_eks_pod_identity_association: {
        autoscaler: { cluster_name: 'c', namespace: 'kube-system', service_account: serviceAccount, role_arn: '${aws_iam_role.autoscaler.arn}' },
      },
    });

  test('passes when the output runs the autoscaler and Terraform binds its ServiceAccount to its role', () => {
    expect(findingsOf(clusterAutoscalerInstalled, fixtureContext({ definitions: defs, env: ENV, kubernetes: objectsOf(defs), terraform: terraform('cluster-autoscaler') }))).toEqual([]);
  });

  test('does not apply to Auto Mode', () => {
    const auto = definitions('auto-mode');
    expect(findingsOf(clusterAutoscalerInstalled, fixtureContext({ definitions: auto, env: ENV, kubernetes: objectsOf(auto) }))).toEqual([]);
  });

  test('fails when the autoscaler Deployment is missing', () => {
    const objects = objectsOf(defs).filter((o) => o.kind !== 'Deployment' || (o.metadata as any).namespace !== 'kube-system');
    expect(findingsOf(clusterAutoscalerInstalled, fixtureContext({ definitions: defs, env: ENV, kubernetes: objects, terraform: terraform('cluster-autoscaler') }))).toEqual([
      { target: 'Deployment/kube-system/cluster-autoscaler', value: 'missing' },
    ]);
  });

  test('fails when the Pod Identity association names another ServiceAccount or role', () => {
    const objects = objectsOf(defs);
    expect(findingsOf(clusterAutoscalerInstalled, fixtureContext({ definitions: defs, env: ENV, kubernetes: objects, terraform: terraform('autoscaler') }))).toEqual([
      { target: 'Deployment/kube-system/cluster-autoscaler', value: 'no association' },
    ]);
    const ctx = fixtureContext({ definitions: defs, env: ENV, kubernetes: objects, terraform: terraform('cluster-autoscaler', 'someone-else') });
    expect(findingsOf(clusterAutoscalerInstalled, ctx)).toEqual([
      { target: 'Deployment/kube-system/cluster-autoscaler', value: 'aws_eks_pod_identity_association.autoscaler' },
    ]);
    expect([...clusterAutoscalerInstalled.check(ctx)][0].message).toBe(
      `the aws_eks_pod_identity_association of kube-system/cluster-autoscaler does not name the aws_iam_role ${roleName}, which the Terraform lacks`,
    );
  });
});
