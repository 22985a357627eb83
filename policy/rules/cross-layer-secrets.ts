/**
 * Cross-layer secret rules: every secret or parameter a SecretProviderClass fetches is readable by
 * the workload role of the pods that mount it (the AWS provider reads with the pod's own identity),
 * so a reference cannot reach the cluster without its grant.
 */
import { parse } from 'yaml';
import { SECRETS_MANAGER_READ_ACTIONS, SERVICE_ACCOUNT_ROLE_ANNOTATION, SSM_PARAMETER_READ_ACTIONS, ssmParameterArn } from '../../config';
import { actionMatches, policiesOfRole, type PolicyStatement } from '../iam-policy';
import { targetOf, workloadsOf, type KubernetesObject } from '../kubernetes-objects';
import type { TerraformConfig, TerraformResource } from '../terraform-config';
import type { EnvironmentRule } from '../types';

/** The CSI driver name a pod volume names to use a SecretProviderClass. */
const SECRETS_STORE_DRIVER = 'secrets-store.csi.k8s.io';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/;

/** One object the AWS provider fetches, as its `objects` parameter lists it. */
interface ProviderObject {
  readonly objectName: string;
  readonly objectType: string;
}

/** The `objects` of an AWS SecretProviderClass (a YAML list in a string); undefined when unreadable. */
function providerObjects(spc: KubernetesObject): ProviderObject[] | undefined {
  const spec = (spc.spec ?? {}) as { provider?: unknown; parameters?: Record<string, unknown> };
  const text = spec.parameters?.objects;
  if (typeof text !== 'string') return [];
  try {
    const list = parse(text) as unknown;
    if (!Array.isArray(list)) return undefined;
    return list.map((o) => ({ objectName: String((o as ProviderObject)?.objectName ?? ''), objectType: String((o as ProviderObject)?.objectType ?? '') }));
  } catch {
    return undefined;
  }
}

/** Whether an IAM resource pattern (`*` and `?` wildcards, case-sensitive like ARNs) covers `arn`. */
function resourceMatches(pattern: string, arn: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(arn);
}

/** Whether the statements allow `action` on `arn` (and no Deny statement names it). */
function allows(statements: readonly PolicyStatement[], action: string, arn: string): boolean {
  const covers = (s: PolicyStatement) => s.actions.some((a) => actionMatches(a, action)) && s.resources.some((r) => resourceMatches(r, arn));
  return statements.some((s) => s.effect === 'Allow' && covers(s)) && !statements.some((s) => s.effect === 'Deny' && covers(s));
}

function roleNamed(tf: TerraformConfig, name: string): TerraformResource | undefined {
  return tf.ofType('aws_iam_role').find((r) => r.values.name === name);
}

export const secretsGrantedToWorkloadRole: EnvironmentRule = {
  id: 'DK-X-013',
  name: 'SecretProviderClassObjectsGranted',
  scope: 'environment',
  severity: 'error',
  layer: 'cross-layer',
  title: "Every secret or parameter a SecretProviderClass fetches is readable by the workload role of the pods mounting it",
  fix: 'grant the workload role secretsmanager:GetSecretValue and secretsmanager:DescribeSecret (or ssm:GetParameters) on exactly that ARN: WorkloadIdentity.grantReadSecrets(awsSecretReferences(env, service))',
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/integrating_ascp_pod_identity.html',
  *check({ kubernetes, terraform: tf, env }) {
    const workloads = workloadsOf(kubernetes);
    for (const spc of kubernetes.ofKind('SecretProviderClass')) {
      const spec = (spc.spec ?? {}) as { provider?: unknown };
      if (spec.provider !== 'aws') continue;
      const ns = spc.metadata.namespace ?? 'default';
      const name = spc.metadata.name ?? '';
      const target = targetOf(spc);
      const file = kubernetes.fileOf(spc);
      const objects = providerObjects(spc);
      if (!objects) {
        yield { target, value: 'spec.parameters.objects', message: `${target}: spec.parameters.objects is not a YAML list of objects`, file };
        continue;
      }
      const mounting = workloads.filter(
        (w) =>
          (w.obj.metadata.namespace ?? 'default') === ns &&
          (w.pod.spec.volumes ?? []).some((v) => {
            const csi = v.csi as { driver?: unknown; volumeAttributes?: Record<string, unknown> } | undefined;
            return csi?.driver === SECRETS_STORE_DRIVER && csi.volumeAttributes?.secretProviderClass === name;
          }),
      );
      for (const { obj, pod } of mounting) {
        const accountName = pod.spec.serviceAccountName ?? 'default';
        const sa = kubernetes.find('ServiceAccount', ns, accountName);
        const match = ROLE_ARN.exec(sa?.metadata.annotations?.[SERVICE_ACCOUNT_ROLE_ANNOTATION] ?? '');
        const role = match ? roleNamed(tf, match[2]) : undefined;
        if (!role) {
          yield { target, value: `${ns}/${accountName}`, message: `${targetOf(obj)} mounts ${target} but its ServiceAccount ${ns}/${accountName} names no workload role of the ${env.name} Terraform`, file };
          continue;
        }
        const statements = policiesOfRole(tf, role).flatMap((p) => p.statements);
        for (const object of objects) {
          const ssm = object.objectType === 'ssmparameter';
          let arn = object.objectName;
          if (!arn.startsWith('arn:')) {
            if (!ssm) {
              yield { target, value: arn, message: `${target} names the secret ${JSON.stringify(arn)} by name; name it by its full ARN so the grant can be checked`, file };
              continue;
            }
            arn = ssmParameterArn(env, arn);
          }
          const actions = ssm ? SSM_PARAMETER_READ_ACTIONS : SECRETS_MANAGER_READ_ACTIONS;
          const missing = actions.filter((action) => !allows(statements, action, arn));
          if (missing.length > 0) {
            yield { target, value: arn, message: `${role.address} (the role of ${targetOf(obj)}) does not allow ${missing.join(', ')} on ${arn}`, file };
          }
        }
      }
    }
  },
};

export const CROSS_LAYER_SECRET_RULES: readonly EnvironmentRule[] = [secretsGrantedToWorkloadRole];
