/**
 * Delivery of a service's AWS secrets (`secretEnv` entries with `secretsManager` or `ssmParameter`)
 * through the Secrets Store CSI Driver and its AWS provider (ASCP, the EKS add-on
 * `aws-secrets-store-csi-driver-provider`): one SecretProviderClass per service naming exactly the
 * references of {@link awsSecretReferences}, a read-only CSI volume on the pod, and a Kubernetes
 * Secret the driver syncs the values into while a pod mounts the volume, which the variables read
 * with `secretKeyRef`. Public (exported from `k8s/index.ts`).
 * @see docs/adr/0007-secrets-delivery.md
 */
import { stringify } from 'yaml';
import {
  awsSecretReferences,
  awsSecretsObjectName,
  namespaceName,
  type AwsSecretReference,
  type EnvironmentDefinition,
  type ServiceDefinition,
} from '../config';
import type { EnvVar, Volume, VolumeMount } from './kube-api';

/** API version of the SecretProviderClass kind (Secrets Store CSI Driver ≥ 1.0). */
export const SECRET_PROVIDER_CLASS_API_VERSION = 'secrets-store.csi.x-k8s.io/v1';
/** Name of the Secrets Store CSI Driver (the `csi.driver` of the volume). */
export const SECRETS_STORE_CSI_DRIVER = 'secrets-store.csi.k8s.io';
/** Name of the pod volume holding the AWS secrets. */
export const AWS_SECRETS_VOLUME_NAME = 'aws-secrets';
/** Where the AWS secrets are mounted (read-only, one file per object and variable). */
export const AWS_SECRETS_MOUNT_PATH = '/mnt/aws-secrets';

/** One entry of the AWS provider's `objects` parameter. */
export interface AscpObject {
  readonly objectName: string;
  readonly objectType: 'secretsmanager' | 'ssmparameter';
  readonly objectAlias: string;
  readonly jmesPath?: readonly { readonly path: string; readonly objectAlias: string }[];
}

/** A JMESPath selecting a top-level key: bare when it is an identifier, quoted otherwise (`"db-password"`). */
export function jmesPathOfKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
}

/**
 * The AWS provider's objects for `refs`: one per secret or parameter (by ARN, in first-reference
 * order, alias `aws-object-<n>`), with a JMESPath entry per JSON key read (alias: the variable).
 */
export function ascpObjects(refs: readonly AwsSecretReference[]): AscpObject[] {
  const objects: { objectName: string; objectType: AwsSecretReference['kind']; objectAlias: string; jmesPath: { path: string; objectAlias: string }[] }[] = [];
  for (const ref of refs) {
    let object = objects.find((o) => o.objectName === ref.arn && o.objectType === ref.kind);
    if (!object) {
      object = { objectName: ref.arn, objectType: ref.kind, objectAlias: `aws-object-${objects.length + 1}`, jmesPath: [] };
      objects.push(object);
    }
    if (ref.jsonKey !== undefined) object.jmesPath.push({ path: jmesPathOfKey(ref.jsonKey), objectAlias: ref.variable });
  }
  return objects.map(({ jmesPath, ...o }) => (jmesPath.length > 0 ? { ...o, jmesPath } : o));
}

/** The mounted file (object alias) a variable's value is in. */
function fileOf(ref: AwsSecretReference, objects: readonly AscpObject[]): string {
  if (ref.jsonKey !== undefined) return ref.variable;
  return objects.find((o) => o.objectName === ref.arn && o.objectType === ref.kind)!.objectAlias;
}

/** A SecretProviderClass as rendered (see the vendored CRD schema in the tests). */
export interface SecretProviderClassManifest {
  readonly apiVersion: string;
  readonly kind: 'SecretProviderClass';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  readonly spec: {
    readonly provider: 'aws';
    readonly parameters: Readonly<Record<string, string>>;
    readonly secretObjects: readonly { secretName: string; type: string; data: readonly { objectName: string; key: string }[] }[];
  };
}

/**
 * The SecretProviderClass of a service (`<service>-aws-secrets` in its namespace), or undefined when
 * it reads nothing from AWS: provider `aws`, the environment's region, EKS Pod Identity
 * (`usePodIdentity: "true"`, the workload role), the objects, and one synced Opaque Secret of the
 * same name whose keys are the variable names.
 */
export function secretProviderClassManifest(
  environment: EnvironmentDefinition,
  service: ServiceDefinition,
  labels: Readonly<Record<string, string>> = {},
): SecretProviderClassManifest | undefined {
  const refs = awsSecretReferences(environment, service);
  if (refs.length === 0) return undefined;
  const objects = ascpObjects(refs);
  const name = awsSecretsObjectName(service);
  return {
    apiVersion: SECRET_PROVIDER_CLASS_API_VERSION,
    kind: 'SecretProviderClass',
    metadata: { name, namespace: namespaceName(service), labels: { ...labels } },
    spec: {
      provider: 'aws',
      parameters: {
        region: environment.region,
        usePodIdentity: 'true',
        objects: stringify(objects, { lineWidth: 0 }),
      },
      secretObjects: [
        {
          secretName: name,
          type: 'Opaque',
          data: refs.map((ref) => ({ objectName: fileOf(ref, objects), key: ref.variable })),
        },
      ],
    },
  };
}

/** The pod volume and container mount of a service's AWS secrets; empty when there are none. */
export interface AwsSecretsPodParts {
  readonly volumes: readonly Volume[];
  readonly volumeMounts: readonly VolumeMount[];
}

/**
 * What the pod needs for its AWS secrets: the CSI volume (read-only, the service's
 * SecretProviderClass) and its read-only mount at {@link AWS_SECRETS_MOUNT_PATH}. The mount is what
 * makes the driver fetch and sync, so it stays even though the variables read the synced Secret
 * ({@link secretEnvVars}).
 */
export function awsSecretsPodParts(environment: EnvironmentDefinition, service: ServiceDefinition): AwsSecretsPodParts {
  const refs = awsSecretReferences(environment, service);
  if (refs.length === 0) return { volumes: [], volumeMounts: [] };
  const name = awsSecretsObjectName(service);
  return {
    volumes: [{ name: AWS_SECRETS_VOLUME_NAME, csi: { driver: SECRETS_STORE_CSI_DRIVER, readOnly: true, volumeAttributes: { secretProviderClass: name } } }],
    volumeMounts: [{ name: AWS_SECRETS_VOLUME_NAME, mountPath: AWS_SECRETS_MOUNT_PATH, readOnly: true }],
  };
}

/**
 * The `secretEnv` variables in definition order, each a `secretKeyRef`: a Kubernetes Secret reference
 * to its own Secret and key, an AWS reference to the Secret the CSI driver syncs
 * (`<service>-aws-secrets`, key = the variable).
 */
export function secretEnvVars(service: ServiceDefinition): EnvVar[] {
  const synced = awsSecretsObjectName(service);
  return Object.entries(service.secretEnv).map(([name, ref]) => ({
    name,
    valueFrom: {
      secretKeyRef:
        ref.secretName !== undefined && ref.key !== undefined
          ? { name: ref.secretName, key: ref.key, optional: false }
          : { name: synced, key: name, optional: false },
    },
  }));
}
