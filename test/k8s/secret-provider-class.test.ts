import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { synthesize } from '../../synth/synthesize';
import { CLUSTER_OBJECTS_FILE } from '../../k8s/object-scope';
import { PRUNE_ALLOWLIST } from '../../pipelines/prune-allowlist';
import { kubernetesFiles, tempDir } from '../support/synth';
import { AWS_SECRETS_MOUNT_PATH, jmesPathOfKey } from '../../k8s';
import { validateKubernetesObject as validate } from '../../testing';
import { containerOf, environmentOf, find, has, synthEnvironment, definitionsWith } from './helpers';

const API = 'company-api';
const WEB = 'company-web';

/** Staging's company-api reading a JSON key of a Secrets Manager secret, a whole secret and an SSM parameter. */
function withAwsSecrets(input: any): void {
  const staging = input.environments.find((e: any) => e.name === 'staging');
  const arn = `arn:aws:secretsmanager:${staging.region}:${staging.account}:secret:fixture/db-Zx98Yw`;
  staging.services[API] = {
    secretEnv: {
      DB_PASSWORD: { secretsManager: { arn, key: 'password' } },
      DB_USER: { secretsManager: { arn, key: 'user-name' } },
      LICENSE: { secretsManager: { arn: `arn:aws:secretsmanager:${staging.region}:${staging.account}:secret:fixture/license-Qw12Er` } },
      API_TOKEN: { ssmParameter: { name: '/fixture/api/token' } },
      LEGACY: { secretName: 'legacy', key: 'token' },
    },
  };
}

describe('SecretProviderClass of a service reading AWS secrets', () => {
  const defs = definitionsWith(withAwsSecrets);
  const staging = environmentOf(defs, 'staging');
  const objects = synthEnvironment(defs, 'staging');
  const spc = find(objects, 'SecretProviderClass', `${API}-aws-secrets`);
  const deployment = find(objects, 'Deployment', API);
  const pod = deployment.spec.template.spec;
  const container = containerOf(deployment);
  const arn = `arn:aws:secretsmanager:${staging.region}:${staging.account}:secret:fixture/db-Zx98Yw`;

  test('names exactly the definition\'s ARNs, with JMESPath entries for the JSON keys, through Pod Identity in the env\'s region', () => {
    expect(spc.metadata.namespace).toBe(API);
    expect(spc.spec.provider).toBe('aws');
    expect(spc.spec.parameters.region).toBe(staging.region);
    expect(spc.spec.parameters.usePodIdentity).toBe('true');
    expect(parse(spc.spec.parameters.objects)).toEqual([
      {
        objectName: arn,
        objectType: 'secretsmanager',
        objectAlias: 'aws-object-1',
        jmesPath: [
          { path: 'password', objectAlias: 'DB_PASSWORD' },
          { path: '"user-name"', objectAlias: 'DB_USER' },
        ],
      },
      { objectName: `arn:aws:secretsmanager:${staging.region}:${staging.account}:secret:fixture/license-Qw12Er`, objectType: 'secretsmanager', objectAlias: 'aws-object-2' },
      { objectName: `arn:aws:ssm:${staging.region}:${staging.account}:parameter/fixture/api/token`, objectType: 'ssmparameter', objectAlias: 'aws-object-3' },
    ]);
  });

  test('syncs each AWS variable into one Secret whose keys are the variable names', () => {
    expect(spc.spec.secretObjects).toEqual([
      {
        secretName: `${API}-aws-secrets`,
        type: 'Opaque',
        data: [
          { objectName: 'DB_PASSWORD', key: 'DB_PASSWORD' },
          { objectName: 'DB_USER', key: 'DB_USER' },
          { objectName: 'aws-object-2', key: 'LICENSE' },
          { objectName: 'aws-object-3', key: 'API_TOKEN' },
        ],
      },
    ]);
  });

  test('mounts the CSI volume read-only and reads each variable from the synced Secret, the Kubernetes Secret form unchanged', () => {
    expect(pod.volumes).toContainEqual({
      name: 'aws-secrets',
      csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: spc.metadata.name } },
    });
    expect(container.volumeMounts).toContainEqual({ name: 'aws-secrets', mountPath: AWS_SECRETS_MOUNT_PATH, readOnly: true });
    const ref = (name: string) => container.env.find((e: any) => e.name === name).valueFrom.secretKeyRef;
    expect(ref('DB_PASSWORD')).toEqual({ name: spc.spec.secretObjects[0].secretName, key: 'DB_PASSWORD', optional: false });
    expect(ref('API_TOKEN')).toEqual({ name: spc.spec.secretObjects[0].secretName, key: 'API_TOKEN', optional: false });
    expect(ref('LEGACY')).toEqual({ name: 'legacy', key: 'token', optional: false });
    expect(container.env.map((e: any) => e.name)).toEqual(['LOG_LEVEL', 'DB_PASSWORD', 'DB_USER', 'LICENSE', 'API_TOKEN', 'LEGACY']);
  });

  test('keeps the restricted security context', () => {
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('validates strictly against the vendored CRD schema, and every other object against its OpenAPI schema', () => {
    for (const obj of objects) expect(() => validate(obj)).not.toThrow();
    expect(() => validate({ ...spc, spec: { ...spc.spec, secretObject: [] } })).toThrow(/: spec\.secretObject: unknown field 'secretObject'/);
    expect(() => validate({ ...spc, spec: { ...spc.spec, parameters: { objects: [] } } })).toThrow(/: spec\.parameters\.objects: must be string/);
  });

  test('renders no SecretProviderClass, volume or mount for a service without AWS references', () => {
    expect(has(objects, 'SecretProviderClass', `${WEB}-aws-secrets`)).toBe(false);
    const web = find(objects, 'Deployment', WEB).spec.template.spec;
    expect(web.volumes.map((v: any) => v.name)).toEqual(['tmp']);
  });

  test('quotes JSON keys that are not JMESPath identifiers', () => {
    expect(jmesPathOfKey('password')).toBe('password');
    expect(jmesPathOfKey('db.password')).toBe('"db.password"');
    expect(jmesPathOfKey('2fa')).toBe('"2fa"');
  });
});

describe('who applies a SecretProviderClass', () => {
  test('it goes to the cluster output (apply role): the deploy role’s AmazonEKSEditPolicy covers no custom resources', () => {
    const out = join(tempDir(), 'dist');
    synthesize(definitionsWith(withAwsSecrets), { outDir: out, environments: ['staging'] });
    const files = kubernetesFiles(out, 'staging');
    const holding = files.filter((file) => readFileSync(join(out, file), 'utf8').includes('kind: SecretProviderClass'));
    expect(holding).toEqual([`staging/kubernetes/${CLUSTER_OBJECTS_FILE}`]);
    expect(PRUNE_ALLOWLIST.some((kind) => kind.endsWith('/SecretProviderClass'))).toBe(false);
  });
});
