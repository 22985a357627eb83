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
  type AwsSecretKind,
  type AwsSecretReference,
  type EnvironmentDefinition,
  type SecretScope,
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
 * Where one secret environment variable's value comes from: exactly one of a Kubernetes Secret or an
 * AWS secret (Secrets Manager secret or SSM parameter, delivered by the Secrets Store CSI Driver).
 */
export interface SecretEnvSource {
  /** A key of a Kubernetes Secret in the workload's namespace, created by something else. */
  readonly kubernetesSecret?: { readonly name: string; readonly key: string };
  /**
   * A Secrets Manager secret or an SSM Parameter Store parameter by its full ARN; `jsonKey` selects a
   * top-level key of a JSON secret. The workload's IAM role must be allowed to read it.
   */
  readonly awsSecret?: { readonly kind: AwsSecretKind; readonly arn: string; readonly jsonKey?: string };
}

/**
 * The `secretEnv` of a service definition as {@link SecretEnvSource}s, in definition order: SSM
 * parameters given by name get the environment's region and account.
 */
export function secretEnvSources(environment: SecretScope, service: Pick<ServiceDefinition, 'secretEnv'>): Record<string, SecretEnvSource> {
  const aws = new Map(awsSecretReferences(environment, service).map((ref) => [ref.variable, ref]));
  const sources: Record<string, SecretEnvSource> = {};
  for (const [variable, ref] of Object.entries(service.secretEnv)) {
    const awsRef = aws.get(variable);
    if (ref.secretName !== undefined && ref.key !== undefined) sources[variable] = { kubernetesSecret: { name: ref.secretName, key: ref.key } };
    else if (awsRef) sources[variable] = { awsSecret: { kind: awsRef.kind, arn: awsRef.arn, ...(awsRef.jsonKey !== undefined ? { jsonKey: awsRef.jsonKey } : {}) } };
  }
  return sources;
}

/** The AWS references among `secretEnv`, in its order. */
export function awsSecretReferencesOf(secretEnv: Readonly<Record<string, SecretEnvSource>>): AwsSecretReference[] {
  return Object.entries(secretEnv).flatMap(([variable, source]) =>
    source.awsSecret
      ? [{ variable, kind: source.awsSecret.kind, arn: source.awsSecret.arn, ...(source.awsSecret.jsonKey !== undefined ? { jsonKey: source.awsSecret.jsonKey } : {}) }]
      : [],
  );
}

/** Props of {@link awsSecretProviderClass}. */
export interface AwsSecretProviderClassProps {
  /** Name of the SecretProviderClass and of the Secret it syncs (`<workload>-aws-secrets`). */
  readonly name: string;
  /** Namespace of both, the workload's. */
  readonly namespaceName: string;
  /** AWS region ASCP reads the secrets in. */
  readonly region: string;
  /** The variables read from AWS, in order. */
  readonly references: readonly AwsSecretReference[];
  /**
   * Labels of the SecretProviderClass.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A SecretProviderClass, or undefined without references: provider `aws`, the region, EKS Pod
 * Identity (`usePodIdentity: "true"`, the workload role), the objects ({@link ascpObjects}), and one
 * synced Opaque Secret of the same name whose keys are the variable names.
 */
export function awsSecretProviderClass(props: AwsSecretProviderClassProps): SecretProviderClassManifest | undefined {
  const refs = props.references;
  if (refs.length === 0) return undefined;
  const objects = ascpObjects(refs);
  return {
    apiVersion: SECRET_PROVIDER_CLASS_API_VERSION,
    kind: 'SecretProviderClass',
    metadata: { name: props.name, namespace: props.namespaceName, labels: { ...props.labels } },
    spec: {
      provider: 'aws',
      parameters: {
        region: props.region,
        usePodIdentity: 'true',
        objects: stringify(objects, { lineWidth: 0 }),
      },
      secretObjects: [
        {
          secretName: props.name,
          type: 'Opaque',
          data: refs.map((ref) => ({ objectName: fileOf(ref, objects), key: ref.variable })),
        },
      ],
    },
  };
}

/**
 * The SecretProviderClass of a service (`<service>-aws-secrets` in its namespace), or undefined when
 * it reads nothing from AWS: {@link awsSecretProviderClass} with the environment's region.
 */
export function secretProviderClassManifest(
  environment: EnvironmentDefinition,
  service: ServiceDefinition,
  labels: Readonly<Record<string, string>> = {},
): SecretProviderClassManifest | undefined {
  return awsSecretProviderClass({
    name: awsSecretsObjectName(service),
    namespaceName: namespaceName(service),
    region: environment.region,
    references: awsSecretReferences(environment, service),
    labels,
  });
}

/** The pod volume and container mount of a service's AWS secrets; empty when there are none. */
export interface AwsSecretsPodParts {
  readonly volumes: readonly Volume[];
  readonly volumeMounts: readonly VolumeMount[];
}

/**
 * What the pod needs for the AWS secrets of the SecretProviderClass `secretProviderClassName`: the
 * CSI volume (read-only) and its read-only mount at {@link AWS_SECRETS_MOUNT_PATH}. The mount is what
 * makes the driver fetch and sync, so it stays even though the variables read the synced Secret.
 */
export function awsSecretsVolume(secretProviderClassName: string): AwsSecretsPodParts {
  return {
    volumes: [{ name: AWS_SECRETS_VOLUME_NAME, csi: { driver: SECRETS_STORE_CSI_DRIVER, readOnly: true, volumeAttributes: { secretProviderClass: secretProviderClassName } } }],
    volumeMounts: [{ name: AWS_SECRETS_VOLUME_NAME, mountPath: AWS_SECRETS_MOUNT_PATH, readOnly: true }],
  };
}

/**
 * What the pod needs for a service's AWS secrets ({@link awsSecretsVolume}); empty when it reads none.
 */
export function awsSecretsPodParts(environment: EnvironmentDefinition, service: ServiceDefinition): AwsSecretsPodParts {
  const refs = awsSecretReferences(environment, service);
  if (refs.length === 0) return { volumes: [], volumeMounts: [] };
  return awsSecretsVolume(awsSecretsObjectName(service));
}

/**
 * Secret variables in `secretEnv` order, each a `secretKeyRef`: a Kubernetes Secret source to its own
 * Secret and key, an AWS source to the Secret the CSI driver syncs (`syncedSecretName`, key = the
 * variable).
 */
export function secretEnvVarsOf(secretEnv: Readonly<Record<string, SecretEnvSource>>, syncedSecretName: string): EnvVar[] {
  return Object.entries(secretEnv).map(([name, source]) => ({
    name,
    valueFrom: {
      secretKeyRef: source.kubernetesSecret
        ? { name: source.kubernetesSecret.name, key: source.kubernetesSecret.key, optional: false }
        : { name: syncedSecretName, key: name, optional: false },
    },
  }));
}

/**
 * The `secretEnv` variables of a service in definition order ({@link secretEnvVarsOf}; the synced
 * Secret is `<service>-aws-secrets`).
 */
export function secretEnvVars(service: ServiceDefinition): EnvVar[] {
  const sources = Object.entries(service.secretEnv).map(([name, ref]): [string, SecretEnvSource] => [
    name,
    ref.secretName !== undefined && ref.key !== undefined ? { kubernetesSecret: { name: ref.secretName, key: ref.key } } : {},
  ]);
  return secretEnvVarsOf(Object.fromEntries(sources), awsSecretsObjectName(service));
}
