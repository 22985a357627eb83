/**
 * The Cluster Autoscaler release deploykit runs for each Kubernetes minor version. The autoscaler
 * embeds the scheduler of one Kubernetes minor version to simulate where pods fit, so its minor must
 * equal the cluster's; the patch is the newest release of that minor (upstream tags
 * `cluster-autoscaler-<minor>.<patch>` of kubernetes/autoscaler, images on registry.k8s.io).
 * Every version in `SUPPORTED_EKS_VERSIONS` needs an entry; adding an EKS version means adding a
 * row here too (a test asserts it).
 * @see https://github.com/kubernetes/autoscaler/tree/master/cluster-autoscaler#releases
 */
import { ValidationError } from '../config';

/** Registry path of the Cluster Autoscaler image (without tag). */
export const CLUSTER_AUTOSCALER_IMAGE_REPOSITORY = 'registry.k8s.io/autoscaling/cluster-autoscaler';

/** Kubernetes minor version → the Cluster Autoscaler release (`<minor>.<patch>`) of that minor. */
export const CLUSTER_AUTOSCALER_RELEASES: Readonly<Record<string, string>> = {
  '1.32': '1.32.7',
  '1.33': '1.33.6',
  '1.34': '1.34.5',
  '1.35': '1.35.2',
  '1.36': '1.36.1',
};

/**
 * The pinned Cluster Autoscaler image for a cluster's Kubernetes minor version,
 * e.g. `registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.2`.
 * @param kubernetesVersion the cluster's minor version, e.g. `1.35`
 * @param where field path for the error, e.g. `prod.cluster.kubernetesVersion`
 * @throws ValidationError when the table has no release for that minor
 */
export function clusterAutoscalerImage(kubernetesVersion: string, where = 'cluster.kubernetesVersion'): string {
  const release = Object.prototype.hasOwnProperty.call(CLUSTER_AUTOSCALER_RELEASES, kubernetesVersion) ? CLUSTER_AUTOSCALER_RELEASES[kubernetesVersion] : undefined;
  if (release === undefined) {
    throw new ValidationError([
      {
        path: where,
        message: `'kubernetesVersion' (${JSON.stringify(kubernetesVersion)}) has no Cluster Autoscaler release in CLUSTER_AUTOSCALER_RELEASES (the autoscaler's minor must equal the cluster's); add the newest cluster-autoscaler-${kubernetesVersion}.x release to k8s/cluster-autoscaler-versions.ts or use compute "auto-mode"`,
      },
    ]);
  }
  return `${CLUSTER_AUTOSCALER_IMAGE_REPOSITORY}:v${release}`;
}
