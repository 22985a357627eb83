/** Terraform rules for ECR repositories: immutable tags, scanning, KMS, a valid lifecycle policy. */
import { block, blocks, show, type TerraformConfig, type TerraformResource } from '../terraform-config';
import type { EnvironmentRule } from '../types';

const ECR_DOC = 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/';

/** The lifecycle policies of a repository. */
export function lifecyclePoliciesOf(tf: TerraformConfig, repo: TerraformResource): TerraformResource[] {
  return tf.ofType('aws_ecr_lifecycle_policy').filter((p) => tf.refersTo(p.values.repository, repo));
}

export const ecrImmutableTags: EnvironmentRule = {
  id: 'DK-TF-010',
  name: 'EcrImmutableTags',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'ECR repositories have immutable tags',
  fix: 'set image_tag_mutability = "IMMUTABLE"',
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_51' },
    { tool: 'Trivy', id: 'AVD-AWS-0031' },
  ],
  helpUri: `${ECR_DOC}image-tag-mutability.html`,
  *check({ terraform: tf }) {
    for (const r of tf.ofType('aws_ecr_repository')) {
      const value = r.values.image_tag_mutability ?? 'MUTABLE';
      if (value !== 'IMMUTABLE') yield { target: r.address, value: show(value), message: "'image_tag_mutability' lets a pushed tag be overwritten" };
    }
  },
};

export const ecrScanOnPush: EnvironmentRule = {
  id: 'DK-TF-011',
  name: 'EcrScanOnPush',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'ECR repositories scan images on push',
  fix: 'set image_scanning_configuration { scan_on_push = true } (or a registry scanning configuration)',
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_163' },
    { tool: 'Trivy', id: 'AVD-AWS-0030' },
  ],
  helpUri: `${ECR_DOC}image-scanning.html`,
  *check({ terraform: tf }) {
    const registryScanning = tf.ofType('aws_ecr_registry_scanning_configuration').some((c) => blocks(c.values.rule).length > 0);
    if (registryScanning) return;
    for (const r of tf.ofType('aws_ecr_repository')) {
      const value = block(r.values.image_scanning_configuration).scan_on_push;
      if (value !== true) yield { target: r.address, value: show(value), message: "'image_scanning_configuration.scan_on_push' is off" };
    }
  },
};

export const ecrKmsEncryption: EnvironmentRule = {
  id: 'DK-TF-012',
  name: 'EcrKmsEncryption',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'ECR repositories are encrypted with KMS',
  fix: 'set encryption_configuration { encryption_type = "KMS", kms_key = <aws_kms_key>.arn }',
  upstream: [
    { tool: 'Checkov', id: 'CKV_AWS_136' },
    { tool: 'Trivy', id: 'AVD-AWS-0033' },
  ],
  helpUri: `${ECR_DOC}encryption-at-rest.html`,
  *check({ terraform: tf }) {
    for (const r of tf.ofType('aws_ecr_repository')) {
      const value = block(r.values.encryption_configuration).encryption_type ?? 'AES256';
      if (value !== 'KMS') yield { target: r.address, value: show(value), message: "'encryption_configuration.encryption_type' is not KMS" };
    }
  },
};

export const ecrLifecyclePolicyPresent: EnvironmentRule = {
  id: 'DK-TF-013',
  name: 'EcrLifecyclePolicyPresent',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'ECR repositories have a lifecycle policy',
  fix: 'add an aws_ecr_lifecycle_policy for the repository that expires untagged and old images',
  upstream: [],
  helpUri: `${ECR_DOC}LifecyclePolicies.html`,
  *check({ terraform: tf }) {
    for (const r of tf.ofType('aws_ecr_repository')) {
      if (lifecyclePoliciesOf(tf, r).length === 0) yield { target: r.address, value: 'missing', message: 'the repository has no aws_ecr_lifecycle_policy' };
    }
  },
};

/** Problems of an ECR lifecycle policy document, per the ECR lifecycle-policy rules. */
export function lifecyclePolicyProblems(policy: unknown): string[] {
  let doc: unknown = policy;
  if (typeof policy === 'string') {
    try {
      doc = JSON.parse(policy);
    } catch {
      return policy.includes('${') ? [] : ['the policy is not valid JSON'];
    }
  }
  const rules = (doc as { rules?: unknown } | undefined)?.rules;
  if (!Array.isArray(rules) || rules.length === 0) return ["'rules' is empty or missing"];
  const problems: string[] = [];
  const priorities = new Map<number, number>();
  let anyPriority: number | undefined;
  let maxPriority = -Infinity;
  rules.forEach((raw, i) => {
    const rule = (raw ?? {}) as Record<string, unknown>;
    const at = `rules[${i}]`;
    const priority = rule.rulePriority;
    if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1) problems.push(`${at}.rulePriority (${show(priority)}) must be a whole number >= 1`);
    else {
      if (priorities.has(priority)) problems.push(`${at}.rulePriority (${priority}) is also used by rules[${priorities.get(priority)}]`);
      priorities.set(priority, i);
      maxPriority = Math.max(maxPriority, priority);
    }
    const selection = (rule.selection ?? {}) as Record<string, unknown>;
    const status = selection.tagStatus;
    const patterns = Array.isArray(selection.tagPatternList) ? selection.tagPatternList : undefined;
    const prefixes = Array.isArray(selection.tagPrefixList) ? selection.tagPrefixList : undefined;
    if (status !== 'tagged' && status !== 'untagged' && status !== 'any') problems.push(`${at}.selection.tagStatus (${show(status)}) must be "tagged", "untagged" or "any"`);
    if (status === 'tagged') {
      if (!patterns?.length && !prefixes?.length) problems.push(`${at}.selection with tagStatus "tagged" needs a non-empty tagPatternList or tagPrefixList`);
      if (patterns?.length && prefixes?.length) problems.push(`${at}.selection may set tagPatternList or tagPrefixList, not both`);
    } else if (patterns !== undefined || prefixes !== undefined) {
      problems.push(`${at}.selection sets tagPatternList/tagPrefixList with tagStatus ${show(status)}; they are allowed only with "tagged"`);
    }
    if (status === 'any') {
      if (anyPriority !== undefined) problems.push(`${at} is a second tagStatus "any" rule`);
      anyPriority = typeof priority === 'number' ? priority : NaN;
    }
    const countType = selection.countType;
    if (countType === 'sinceImagePushed') {
      if (selection.countUnit !== 'days') problems.push(`${at}.selection.countUnit (${show(selection.countUnit)}) must be "days" with sinceImagePushed`);
    } else if (countType === 'imageCountMoreThan') {
      if (selection.countUnit !== undefined) problems.push(`${at}.selection.countUnit must be omitted with imageCountMoreThan`);
    } else problems.push(`${at}.selection.countType (${show(countType)}) must be "imageCountMoreThan" or "sinceImagePushed"`);
    const count = selection.countNumber;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) problems.push(`${at}.selection.countNumber (${show(count)}) must be a whole number >= 1`);
    const action = (rule.action ?? {}) as Record<string, unknown>;
    if (action.type !== 'expire') problems.push(`${at}.action.type (${show(action.type)}) must be "expire"`);
  });
  if (anyPriority !== undefined && anyPriority !== maxPriority) {
    problems.push(`the tagStatus "any" rule (priority ${anyPriority}) must have the highest rulePriority (${maxPriority})`);
  }
  return problems;
}

export const ecrLifecyclePolicyValid: EnvironmentRule = {
  id: 'DK-TF-014',
  name: 'EcrLifecyclePolicyValid',
  scope: 'environment',
  severity: 'error',
  layer: 'terraform',
  title: 'ECR lifecycle policies follow the lifecycle-policy rules',
  fix: 'give every rule a unique rulePriority, put the tagStatus "any" rule last, and use tagPatternList/tagPrefixList only with "tagged"',
  upstream: [],
  helpUri: `${ECR_DOC}LifecyclePolicies.html#lifecycle_policy_evaluation`,
  *check({ terraform: tf }) {
    for (const p of tf.ofType('aws_ecr_lifecycle_policy')) {
      for (const problem of lifecyclePolicyProblems(p.values.policy)) yield { target: p.address, value: problem, message: `lifecycle policy: ${problem}` };
    }
  },
};

export const TERRAFORM_ECR_RULES: readonly EnvironmentRule[] = [
  ecrImmutableTags,
  ecrScanOnPush,
  ecrKmsEncryption,
  ecrLifecyclePolicyPresent,
  ecrLifecyclePolicyValid,
];
