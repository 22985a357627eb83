/** Cross-layer rules: each service's Deployment runs its image from the environment's own ECR repository, which Terraform creates. */
import { namespaceName, registryHost, repositoryName, repositoryUrl, type EnvironmentDefinition } from '../../config';
import { CLUSTER_AUTOSCALER_RELEASES, clusterAutoscalerImage } from '../../k8s/cluster-autoscaler-versions';
import { containersOf, podTemplateOf, targetOf } from '../kubernetes-objects';
import type { EnvironmentRule } from '../types';
import { isClusterComponentObject } from './kubernetes-metadata';
import { parseImage } from './kubernetes-workloads';

/** The upstream images deploykit pins for its cluster components in this environment (the Cluster Autoscaler of the cluster's minor). */
function pinnedComponentImages(env: EnvironmentDefinition): string[] {
  const version = env.cluster.kubernetesVersion;
  return Object.prototype.hasOwnProperty.call(CLUSTER_AUTOSCALER_RELEASES, version) ? [clusterAutoscalerImage(version)] : [];
}

export const imageFromOwnRegistry: EnvironmentRule = {
  id: 'DK-X-001',
  name: 'ImageFromEnvironmentRegistry',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title: "Each service's Deployment runs the image from the environment's own ECR repository (repositoryUrl); cluster components run only their pinned upstream image",
  fix: "build the image reference with repositoryUrl(env, service) from config/naming.ts; never hard-code another account's registry",
  upstream: [{ tool: 'Polaris', id: 'trusted registries (custom)' }],
  helpUri: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/Repositories.html',
  *check({ kubernetes, env }) {
    const deployments = kubernetes.ofKind('Deployment');
    for (const service of env.services) {
      const expected = repositoryUrl(env, service);
      const ns = namespaceName(service);
      const inNamespace = deployments.filter((d) => d.metadata.namespace === ns);
      const running = inNamespace.some((d) => containersOf(podTemplateOf(d)?.spec ?? {}).some((c) => c.image && parseImage(c.image).repository === expected));
      if (!running) {
        const images = inNamespace.flatMap((d) => containersOf(podTemplateOf(d)?.spec ?? {}).map((c) => c.image ?? 'missing'));
        yield { target: `Deployment/${ns}/${service.name}`, value: images.length ? images.join(', ') : 'no Deployment', message: `no Deployment in namespace ${ns} runs ${expected}` };
      }
    }
    const host = registryHost(env);
    const pinned = pinnedComponentImages(env);
    for (const d of deployments) {
      const component = isClusterComponentObject(d);
      for (const c of containersOf(podTemplateOf(d)?.spec ?? {})) {
        if (component && c.image !== undefined && pinned.includes(c.image)) continue;
        if (c.image && !parseImage(c.image).repository.startsWith(`${host}/`)) {
          yield { target: targetOf(d), value: c.image, message: `container ${c.name} pulls from outside the environment's registry ${host}`, file: kubernetes.fileOf(d) };
        }
      }
    }
  },
};

export const repositoryInTerraform: EnvironmentRule = {
  id: 'DK-X-002',
  name: 'RepositoryInTerraform',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title: "The ECR repository every service deploys from exists in the environment's Terraform",
  fix: 'create an aws_ecr_repository named repositoryName(service) in the environment stack',
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/Repositories.html',
  *check({ terraform: tf, env }) {
    const names = new Set(tf.ofType('aws_ecr_repository').map((r) => r.values.name));
    for (const service of env.services) {
      const name = repositoryName(service);
      if (!names.has(name)) yield { target: `Deployment/${namespaceName(service)}/${service.name}`, value: repositoryUrl(env, service), message: `no aws_ecr_repository named ${name} in the ${env.name} Terraform` };
    }
  },
};

export const CROSS_LAYER_IMAGE_RULES: readonly EnvironmentRule[] = [imageFromOwnRegistry, repositoryInTerraform];
