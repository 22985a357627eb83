# Plan-time checks of the prod stack with a mocked AWS provider (no credentials, no AWS calls).
# test/infra/terraform-test.test.ts copies this file into tests/ next to the synthesized
# dist/prod/terraform/cdk.tf.json and runs `terraform test`. The addresses below are the ones
# test/infra/environment-stack.test.ts pins. prod runs on EKS Auto Mode (cluster.compute "auto-mode"):
# a cluster role and the `<cluster>-auto-node` role of its nodes, no node groups.

mock_provider "aws" {
  mock_resource "aws_iam_role" {
    defaults = {
      arn       = "arn:aws:iam::333333333333:role/mock-role"
      unique_id = "AROAMOCKMOCKMOCKMOCK1"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:ap-east-1:333333333333:key/00000000-0000-4000-8000-000000000000"
      key_id = "00000000-0000-4000-8000-000000000000"
    }
  }
  mock_resource "aws_eks_cluster" {
    defaults = {
      arn      = "arn:aws:eks:ap-east-1:333333333333:cluster/company-prod"
      endpoint = "https://0123456789ABCDEF.gr7.ap-east-1.eks.amazonaws.com"
    }
  }
  mock_resource "aws_ecr_repository" {
    defaults = {
      arn            = "arn:aws:ecr:ap-east-1:333333333333:repository/mock"
      repository_url = "333333333333.dkr.ecr.ap-east-1.amazonaws.com/mock"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:ap-east-1:333333333333:log-group:mock"
    }
  }
}

run "prod_plan_is_secure" {
  command = plan

  # Role ARNs are known only after apply; give the node role its real ARN during the plan, so the
  # cluster's node_role_arn can be compared with it (the mock gives every other role another ARN).
  override_resource {
    target          = aws_iam_role.Cluster_AutoModeNodeRole_FD4A8684
    override_during = plan
    values = {
      arn = "arn:aws:iam::333333333333:role/company-prod-auto-node"
    }
  }

  assert {
    condition     = length(aws_eks_cluster.Cluster_EB0386A7.encryption_config) == 1 && contains(aws_eks_cluster.Cluster_EB0386A7.encryption_config[0].resources, "secrets")
    error_message = "Kubernetes Secrets must be envelope-encrypted with KMS."
  }

  assert {
    condition     = aws_eks_cluster.Cluster_EB0386A7.vpc_config[0].endpoint_public_access == false && aws_eks_cluster.Cluster_EB0386A7.vpc_config[0].endpoint_private_access == true
    error_message = "The production API endpoint must be private only."
  }

  assert {
    condition     = length(setsubtract(["api", "audit", "authenticator", "controllerManager", "scheduler"], aws_eks_cluster.Cluster_EB0386A7.enabled_cluster_log_types)) == 0
    error_message = "All five control-plane log types must be enabled."
  }

  assert {
    condition     = aws_eks_cluster.Cluster_EB0386A7.access_config[0].authentication_mode == "API" && aws_eks_cluster.Cluster_EB0386A7.access_config[0].bootstrap_cluster_creator_admin_permissions == false
    error_message = "Access must go through access entries only, without implicit creator admin."
  }

  assert {
    condition     = alltrue([for r in [aws_ecr_repository.RepositoryCompanyWeb_0823A012, aws_ecr_repository.RepositoryCompanyApi_2BB3A4AC] : r.image_tag_mutability == "IMMUTABLE"])
    error_message = "ECR image tags must be immutable."
  }

  assert {
    condition     = alltrue([for r in [aws_ecr_repository.RepositoryCompanyWeb_0823A012, aws_ecr_repository.RepositoryCompanyApi_2BB3A4AC] : r.image_scanning_configuration[0].scan_on_push])
    error_message = "ECR must scan images on push."
  }

  assert {
    condition     = alltrue([for r in [aws_ecr_repository.RepositoryCompanyWeb_0823A012, aws_ecr_repository.RepositoryCompanyApi_2BB3A4AC] : r.encryption_configuration[0].encryption_type == "KMS"])
    error_message = "ECR repositories must be encrypted with KMS."
  }

  assert {
    condition     = alltrue([for k in [aws_kms_key.Cluster_SecretsKey_462B29B5, aws_kms_key.LogsKey_A6AB43B2, aws_kms_key.ImagesKey_954580DA] : k.enable_key_rotation && k.deletion_window_in_days >= 7 && k.deletion_window_in_days <= 30])
    error_message = "Every KMS key must rotate and have a 7–30 day deletion window."
  }

  assert {
    condition     = alltrue([for g in [aws_cloudwatch_log_group.Cluster_LogGroup_172FC6DD, aws_cloudwatch_log_group.Network_FlowLogGroup_1F868030] : g.retention_in_days == 90])
    error_message = "Log groups must keep logs for the configured 90 days."
  }

  assert {
    condition     = alltrue([for s in [aws_subnet.Network_PublicSubnetA_5B0D8380, aws_subnet.Network_PrivateSubnetA_1672077B] : s.map_public_ip_on_launch == false])
    error_message = "No subnet may assign public addresses on launch."
  }

  assert {
    condition     = alltrue([for r in [aws_iam_role.Cluster_Role_98F7AEAC, aws_iam_role.Cluster_AutoModeNodeRole_FD4A8684, aws_iam_role.Network_FlowLogRole_77F83AC2, aws_iam_role.Observability_Role_E159258A, aws_iam_role.WorkloadCompanyWeb_317E3756, aws_iam_role.WorkloadCompanyApi_CD0B54E4] : r.permissions_boundary == "arn:aws:iam::333333333333:policy/deploykit-company-boundary"])
    error_message = "Every IAM role must carry the account's permissions boundary (created by deploykit bootstrap)."
  }

  assert {
    condition     = aws_eks_cluster.Cluster_EB0386A7.compute_config[0].enabled == true && aws_eks_cluster.Cluster_EB0386A7.compute_config[0].node_role_arn == aws_iam_role.Cluster_AutoModeNodeRole_FD4A8684.arn
    error_message = "prod runs on EKS Auto Mode, its nodes with the cluster's own node role."
  }

  assert {
    condition     = aws_iam_role.Cluster_AutoModeNodeRole_FD4A8684.name == "company-prod-auto-node" && jsondecode(aws_iam_role.Cluster_AutoModeNodeRole_FD4A8684.assume_role_policy).Statement[0].Principal == { Service = "ec2.amazonaws.com" } && length(jsondecode(aws_iam_role.Cluster_AutoModeNodeRole_FD4A8684.assume_role_policy).Statement) == 1
    error_message = "The Auto Mode node role is <cluster>-auto-node and only EC2 may assume it."
  }

  assert {
    condition     = alltrue([for a in [aws_iam_role_policy_attachment.Cluster_AutoModeNodeRole_AmazonEKSWorkerNodeMinimalPolicy_7B9FF9B4, aws_iam_role_policy_attachment.Cluster_AutoModeNodeRole_AmazonEC2ContainerRegistryPullOnly_3BE8876D] : a.role == aws_iam_role.Cluster_AutoModeNodeRole_FD4A8684.name]) && toset([aws_iam_role_policy_attachment.Cluster_AutoModeNodeRole_AmazonEKSWorkerNodeMinimalPolicy_7B9FF9B4.policy_arn, aws_iam_role_policy_attachment.Cluster_AutoModeNodeRole_AmazonEC2ContainerRegistryPullOnly_3BE8876D.policy_arn]) == toset(["arn:aws:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"])
    error_message = "The Auto Mode node role gets the minimal worker policy and ECR pull only."
  }

  assert {
    condition     = aws_eks_access_policy_association.CiAccess_DeployAccessPolicy_5B84873F.access_scope[0].type == "namespace" && aws_eks_access_policy_association.CiAccess_ApplyAccessPolicy_A607FFED.access_scope[0].type == "cluster"
    error_message = "The CI deploy role edits the service namespaces only; the apply role administers the cluster."
  }
}
