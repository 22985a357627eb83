/** Terraform rules for the state backend: encrypted, locked, one state object per environment. */
import type { ProjectRule, EnvironmentRule } from '../types';
import { show } from '../terraform-config';

const S3_BACKEND_DOC = 'https://developer.hashicorp.com/terraform/language/backend/s3';

export const stateEncrypted: EnvironmentRule = {
  id: 'DK-TF-023',
  name: 'StateBackendEncrypted',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'The S3 state backend encrypts the state',
  fix: 'set encrypt = true (and kms_key_id for a customer-managed key) on the s3 backend',
  upstream: [],
  helpUri: S3_BACKEND_DOC,
  *check({ terraform: tf, env }) {
    const backend = tf.backend;
    if (!backend) {
      yield { target: 'terraform.backend', value: 'missing', message: `no remote state backend is configured for ${env.name}; state would stay on the machine running Terraform` };
      return;
    }
    if (backend.type === 's3' && backend.config.encrypt !== true && !backend.config.kms_key_id) {
      yield { target: 'terraform.backend.s3', value: `encrypt = ${show(backend.config.encrypt)}`, message: "the s3 backend's 'encrypt' is off" };
    }
  },
};

export const stateLocked: EnvironmentRule = {
  id: 'DK-TF-024',
  name: 'StateBackendLocked',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'The S3 state backend locks the state (use_lockfile or dynamodb_table)',
  fix: 'set use_lockfile = true on the s3 backend (dynamodb_table is deprecated since Terraform 1.11)',
  upstream: [],
  helpUri: S3_BACKEND_DOC,
  *check({ terraform: tf }) {
    const backend = tf.backend;
    if (backend?.type === 's3' && backend.config.use_lockfile !== true && !backend.config.dynamodb_table) {
      yield { target: 'terraform.backend.s3', value: `use_lockfile = ${show(backend.config.use_lockfile)}`, message: 'two concurrent applies could corrupt the state: the s3 backend has no lock' };
    }
  },
};

export const stateKeysUnique: ProjectRule = {
  id: 'DK-TF-025',
  name: 'StateKeysUnique',
  scope: 'project',
  severity: 'error',
  layer: 'terraform',
  title: 'Every environment keeps its state in its own object (bucket + key)',
  fix: "give each environment its own 'state.key' (default '<system>/<env>/terraform.tfstate') or bucket",
  upstream: [],
  helpUri: S3_BACKEND_DOC,
  *check({ environments }) {
    const seen = new Map<string, string[]>();
    for (const ctx of environments) {
      const b = ctx.terraform.backend;
      if (b?.type !== 's3') continue;
      const location = `s3://${String(b.config.bucket)}/${String(b.config.key)}`;
      seen.set(location, [...(seen.get(location) ?? []), ctx.env.name]);
    }
    for (const ctx of environments) {
      const b = ctx.terraform.backend;
      if (b?.type !== 's3') continue;
      const location = `s3://${String(b.config.bucket)}/${String(b.config.key)}`;
      const others = (seen.get(location) ?? []).filter((n) => n !== ctx.env.name);
      if (others.length > 0) {
        yield { environment: ctx.env.name, file: ctx.terraformFile, target: 'terraform.backend.s3', value: location, message: `the state object is shared with ${others.join(', ')}` };
      }
    }
  },
};

export const TERRAFORM_STATE_RULES: readonly (EnvironmentRule | ProjectRule)[] = [stateEncrypted, stateLocked, stateKeysUnique];
