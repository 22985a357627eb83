/**
 * Cross-layer rules on the compute mode: an Ingress reaches a load balancer controller the cluster
 * runs (EKS Auto Mode's built-in ALB through deploykit's IngressClass; none with managed node
 * groups), and node-group environments run the Cluster Autoscaler under the ServiceAccount the
 * Terraform's Pod Identity association binds to its IAM role.
 */
import { CLUSTER_AUTOSCALER, clusterComponentRoleName } from '../../config';
import { AUTO_MODE_ALB_CONTROLLER } from '../../k8s/ingress-class';
import { podTemplateOf, targetOf } from '../kubernetes-objects';
import type { EnvironmentRule } from '../types';

interface IngressSpec {
  readonly ingressClassName?: string;
}
interface IngressClassSpec {
  readonly controller?: string;
  readonly parameters?: { readonly apiGroup?: string; readonly kind?: string; readonly name?: string };
}

export const ingressClassHasController: EnvironmentRule = {
  id: 'DK-X-011',
  name: 'IngressClassHasController',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title: "Every Ingress names an IngressClass a controller in the environment serves (EKS Auto Mode's eks.amazonaws.com/alb with its IngressClassParams)",
  fix: 'use compute "auto-mode" (deploykit then writes the IngressClass and IngressClassParams), or install the AWS Load Balancer Controller with its IngressClass in the cluster and suppress this finding with the reason',
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html',
  *check({ kubernetes, env }) {
    for (const ingress of kubernetes.ofKind('Ingress')) {
      const name = ((ingress.spec ?? {}) as IngressSpec).ingressClassName;
      const file = kubernetes.fileOf(ingress);
      const target = targetOf(ingress);
      if (name === undefined) {
        yield { target, value: 'no ingressClassName', message: 'the Ingress names no IngressClass, so no controller is bound to serve it', file };
        continue;
      }
      const ingressClass = kubernetes.find('IngressClass', undefined, name);
      if (env.cluster.compute === 'node-groups' && !ingressClass) {
        yield {
          target,
          value: `ingressClassName ${JSON.stringify(name)}`,
          message: `compute "node-groups" runs no ALB controller and the ${env.name} output has no IngressClass ${name}, so no load balancer is created for the Ingress`,
          file,
        };
        continue;
      }
      if (!ingressClass) {
        yield { target, value: `ingressClassName ${JSON.stringify(name)}`, message: `the ${env.name} output has no IngressClass ${name} for EKS Auto Mode's controller ${AUTO_MODE_ALB_CONTROLLER}`, file };
        continue;
      }
      const spec = (ingressClass.spec ?? {}) as IngressClassSpec;
      if (env.cluster.compute === 'auto-mode' && spec.controller !== AUTO_MODE_ALB_CONTROLLER) {
        yield { target, value: `controller ${JSON.stringify(spec.controller ?? null)}`, message: `IngressClass ${name} names controller ${String(spec.controller)}, but EKS Auto Mode serves only ${AUTO_MODE_ALB_CONTROLLER}`, file };
        continue;
      }
      const params = spec.parameters;
      if (spec.controller === AUTO_MODE_ALB_CONTROLLER && params?.kind === 'IngressClassParams' && !kubernetes.find('IngressClassParams', undefined, params.name ?? '')) {
        yield { target, value: `IngressClassParams ${JSON.stringify(params.name ?? null)} missing`, message: `IngressClass ${name} refers to IngressClassParams ${String(params.name)}, which the ${env.name} output lacks`, file };
      }
    }
  },
};

export const clusterAutoscalerInstalled: EnvironmentRule = {
  id: 'DK-X-012',
  name: 'ClusterAutoscalerInstalled',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title: 'A node-groups environment runs the Cluster Autoscaler, under the ServiceAccount a Pod Identity association binds to its IAM role',
  fix: `synthesize with compute "node-groups" (EnvironmentChart adds the ClusterAutoscaler) and create an aws_eks_pod_identity_association for ${CLUSTER_AUTOSCALER.namespace}/${CLUSTER_AUTOSCALER.serviceAccount} with the role clusterComponentRoleName(system, env, CLUSTER_AUTOSCALER)`,
  upstream: [],
  helpUri: 'https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/cloudprovider/aws/README.md',
  *check({ kubernetes, terraform: tf, env, system }) {
    if (env.cluster.compute !== 'node-groups') return;
    const { namespace, serviceAccount } = CLUSTER_AUTOSCALER;
    const deployment = kubernetes.find('Deployment', namespace, serviceAccount);
    const target = `Deployment/${namespace}/${serviceAccount}`;
    if (!deployment) {
      yield { target, value: 'missing', message: `compute "node-groups" needs the Cluster Autoscaler, but the ${env.name} output has no ${target}; the node groups would stay at their desired size` };
      return;
    }
    const file = kubernetes.fileOf(deployment);
    const podServiceAccount = podTemplateOf(deployment)?.spec.serviceAccountName ?? 'default';
    if (podServiceAccount !== serviceAccount || !kubernetes.find('ServiceAccount', namespace, serviceAccount)) {
      yield { target, value: `serviceAccountName ${JSON.stringify(podServiceAccount)}`, message: `the autoscaler must run as ServiceAccount ${namespace}/${serviceAccount}, which the output defines and Terraform binds to its IAM role`, file };
    }
    const roleName = clusterComponentRoleName(system, env, CLUSTER_AUTOSCALER);
    const role = tf.ofType('aws_iam_role').find((r) => r.values.name === roleName);
    const associations = tf.ofType('aws_eks_pod_identity_association').filter((a) => a.values.namespace === namespace && a.values.service_account === serviceAccount);
    if (associations.length === 0) {
      yield { target, value: 'no association', message: `no aws_eks_pod_identity_association in the ${env.name} Terraform binds ${namespace}/${serviceAccount}, so the autoscaler gets no AWS credentials`, file };
    } else if (!role || !associations.some((a) => tf.refersTo(a.values.role_arn, role))) {
      yield {
        target,
        value: associations.map((a) => a.address).join(', '),
        message: `the aws_eks_pod_identity_association of ${namespace}/${serviceAccount} does not name the aws_iam_role ${roleName}${role ? '' : ', which the Terraform lacks'}`,
        file,
      };
    }
  },
};

export const CROSS_LAYER_COMPUTE_RULES: readonly EnvironmentRule[] = [ingressClassHasController, clusterAutoscalerInstalled];
