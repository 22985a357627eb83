/**
 * The Secrets Store CSI Driver with the AWS Secrets and Configuration Provider (ASCP), as the EKS
 * managed add-on `aws-secrets-store-csi-driver-provider` (AWS ships it since November 2025; it bundles
 * the upstream driver). Secret sync is on: the driver copies the mounted values into the Kubernetes
 * Secret each SecretProviderClass names, which environment variables read with `secretKeyRef`.
 * The provider reads with each pod's own identity (EKS Pod Identity), so the add-on needs no IAM role.
 * @see docs/adr/0007-secrets-delivery.md
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/integrating_csi_driver.html
 */
import { EksAddon } from '../vendor/terraform';
import { Construct } from 'constructs';
import type { IEksCluster } from './eks-cluster';
import { NodeGroup } from './node-group';

/** Name of the EKS add-on. */
export const SECRETS_STORE_CSI_DRIVER_ADDON = 'aws-secrets-store-csi-driver-provider';

/**
 * The add-on's `configuration_values`: the bundled driver chart's `syncSecret.enabled`, off by default,
 * which lets the driver create and update the Secrets of `secretObjects`.
 */
export const SECRETS_STORE_CSI_DRIVER_CONFIGURATION: Readonly<Record<string, unknown>> = {
  'secrets-store-csi-driver': { syncSecret: { enabled: true } },
};

/** Props of {@link SecretsStoreCsiDriver}. */
export interface SecretsStoreCsiDriverProps {
  /**
   * The cluster to install the driver on: one this stack creates (its node groups, added before, are
   * waited for) or one another stack owns (`EksCluster.fromClusterAttributes`).
   */
  readonly cluster: IEksCluster;
  /**
   * Add-on version, e.g. `v3.1.3-eksbuild.1`.
   * @default - the default version EKS selects for the cluster's Kubernetes version when the add-on is
   * created (as for the other managed add-ons); upgrade it deliberately by setting this
   */
  readonly addonVersion?: string;
}

/** The `aws-secrets-store-csi-driver-provider` EKS add-on with secret sync enabled. */
export class SecretsStoreCsiDriver extends Construct {
  /** The underlying `aws_eks_addon` (escape hatch). */
  public readonly resource: EksAddon;

  constructor(scope: Construct, id: string, props: SecretsStoreCsiDriverProps) {
    super(scope, id);
    // Its DaemonSets need nodes to become healthy: wait for the node groups (none with Auto Mode).
    const nodeGroups = props.cluster.node.findAll().filter((c): c is NodeGroup => c instanceof NodeGroup);
    this.resource = new EksAddon(this, 'Resource', {
      clusterName: props.cluster.clusterName,
      addonName: SECRETS_STORE_CSI_DRIVER_ADDON,
      ...(props.addonVersion !== undefined ? { addonVersion: props.addonVersion } : {}),
      configurationValues: JSON.stringify(SECRETS_STORE_CSI_DRIVER_CONFIGURATION),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      ...(nodeGroups.length > 0 ? { dependsOn: nodeGroups.map((ng) => ng.resource) } : {}),
    });
  }
}
