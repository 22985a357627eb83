/**
 * Every built-in rule of `deploykit check`, in id order. Rule groups load only when `check` runs;
 * `synth` never pays for them.
 */
import type { Rule } from './types';

/** All built-in rules, sorted by id. */
export function builtInRules(): readonly Rule[] {
  const rules: Rule[] = [
    ...require('./rules/terraform-eks').TERRAFORM_EKS_RULES,
    ...require('./rules/terraform-node-groups').TERRAFORM_NODE_GROUP_RULES,
    ...require('./rules/terraform-ecr').TERRAFORM_ECR_RULES,
    ...require('./rules/terraform-kms').TERRAFORM_KMS_RULES,
    ...require('./rules/terraform-security-groups').TERRAFORM_SECURITY_GROUP_RULES,
    ...require('./rules/terraform-iam').TERRAFORM_IAM_RULES,
    ...require('./rules/terraform-state').TERRAFORM_STATE_RULES,
    ...require('./rules/terraform-logging').TERRAFORM_LOGGING_RULES,
    ...require('./rules/terraform-apply-permissions').TERRAFORM_APPLY_PERMISSION_RULES,
    ...require('./rules/kubernetes-metadata').KUBERNETES_METADATA_RULES,
    ...require('./rules/kubernetes-workloads').KUBERNETES_WORKLOAD_RULES,
    ...require('./rules/kubernetes-security').KUBERNETES_SECURITY_RULES,
    ...require('./rules/kubernetes-services').KUBERNETES_SERVICE_RULES,
    ...require('./rules/kubernetes-scaling').KUBERNETES_SCALING_RULES,
    ...require('./rules/kubernetes-network-policies').KUBERNETES_NETWORK_POLICY_RULES,
    ...require('./rules/ci-pipelines').CI_RULES,
    ...require('./rules/ci-runners').CI_RUNNER_RULES,
    ...require('./rules/cross-layer-images').CROSS_LAYER_IMAGE_RULES,
    ...require('./rules/cross-layer-identity').CROSS_LAYER_IDENTITY_RULES,
    ...require('./rules/cross-layer-cluster').CROSS_LAYER_CLUSTER_RULES,
    ...require('./rules/cross-layer-kubernetes-access').CROSS_LAYER_KUBERNETES_ACCESS_RULES,
    ...require('./rules/cross-layer-compute').CROSS_LAYER_COMPUTE_RULES,
    ...require('./rules/observability').OBSERVABILITY_RULES,
    ...require('./rules/cross-layer-secrets').CROSS_LAYER_SECRET_RULES,
  ];
  const order = (id: string) => {
    const [, layer, n] = /^DK-([A-Z0-9]+)-(\d+)$/.exec(id) ?? [];
    return `${['TF', 'K8S', 'CI', 'X', 'CHK'].indexOf(layer)}-${n}`;
  };
  return rules.sort((a, b) => (order(a.id) < order(b.id) ? -1 : order(a.id) > order(b.id) ? 1 : 0));
}
