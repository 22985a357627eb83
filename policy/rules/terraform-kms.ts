/** Terraform rules for KMS keys: rotation and a sane deletion window. */
import { show } from '../terraform-config';
import type { EnvironmentRule } from '../types';

export const kmsKeyRotation: EnvironmentRule = {
  id: 'DK-TF-015',
  name: 'KmsKeyRotation',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'Symmetric KMS keys rotate automatically',
  fix: 'set enable_key_rotation = true',
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_7' },
    { tool: 'Trivy', id: 'AVD-AWS-0065' },
  ],
  helpUri: 'https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html',
  *check({ terraform: tf }) {
    for (const k of tf.ofType('aws_kms_key')) {
      const spec = k.values.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT';
      if (spec === 'SYMMETRIC_DEFAULT' && k.values.enable_key_rotation !== true) {
        yield { target: k.address, value: show(k.values.enable_key_rotation), message: "'enable_key_rotation' is off" };
      }
    }
  },
};

export const kmsDeletionWindow: EnvironmentRule = {
  id: 'DK-TF-016',
  name: 'KmsDeletionWindow',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'KMS key deletion windows are 7–30 days',
  fix: 'set deletion_window_in_days between 7 and 30 (30 gives the most time to undo a mistaken deletion)',
  upstream: [],
  helpUri: 'https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html',
  *check({ terraform: tf }) {
    for (const k of tf.ofType('aws_kms_key')) {
      const days = k.values.deletion_window_in_days;
      if (days !== undefined && (typeof days !== 'number' || days < 7 || days > 30)) {
        yield { target: k.address, value: show(days), message: "'deletion_window_in_days' is outside 7–30" };
      }
    }
  },
};

export const TERRAFORM_KMS_RULES: readonly EnvironmentRule[] = [kmsKeyRotation, kmsDeletionWindow];
