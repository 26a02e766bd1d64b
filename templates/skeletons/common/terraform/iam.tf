{% set needs = values.dr.needs %}
{% set aurora = values.datastore == 'aurora-postgresql' %}
{% set replicated = values.dr.replicated %}
{% set sqs = values.queue or values.source == 'sqs' %}
# ${{ values.name }}: who may do what. Pods get short-lived credentials through IRSA (one role per
# region the service runs in, trusted by that region's EKS cluster for this service account only);
# GitHub Actions gets them through OIDC. No long-lived keys anywhere.

variable "eks_oidc_provider_arn" {
  description = "IAM OIDC provider of the EKS cluster in the primary region (aws iam list-open-id-connect-providers), arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>."
  type        = string
}

variable "eks_cluster_name" {
  description = "Name of the EKS cluster in the primary region (the deploy role gets access to the ${{ values.systemName }} namespace only)."
  type        = string
}
{% if replicated %}

variable "recovery_eks_oidc_provider_arn" {
  description = "IAM OIDC provider of the EKS cluster in the recovery region."
  type        = string
}

variable "recovery_eks_cluster_name" {
  description = "Name of the EKS cluster in the recovery region."
  type        = string
}
{% endif %}

variable "github_owner" {
  description = "GitHub organisation that owns the ${{ values.name }} repository (trust of the deploy and CI roles)."
  type        = string
}

locals {
  # The Kubernetes namespace is the product (catalog System) name; the service account is the service's.
  namespace = ${{ values.systemName | dump }}

{% if aurora %}
  # IAM database authentication as the application role, never the master user: on each cluster
  # ${{ 'of the global database (DATABASE_HOST is the global writer endpoint, which follows the writer)' if needs.auroraGlobalCluster else 'the service has' }}.
  app_db_users = [
    "arn:${data.aws_partition.current.partition}:rds-db:${var.primary_region}:${data.aws_caller_identity.current.account_id}:dbuser:${aws_rds_cluster.primary.cluster_resource_id}/${local.database_app_user}",
{% if needs.auroraGlobalCluster %}
    "arn:${data.aws_partition.current.partition}:rds-db:${var.recovery_region}:${data.aws_caller_identity.current.account_id}:dbuser:${aws_rds_cluster.secondary.cluster_resource_id}/${local.database_app_user}",
{% endif %}
  ]

{% endif %}
  # Where the service runs: the primary region${{ ', and the recovery region (warm standby, DR ' ~ values.tier ~ ')' if replicated else '' }}.
  # Each region's pods get their own role, which reaches that region's copies only.
  app_regions = {
    (var.primary_region) = {
      oidc_provider_arn = var.eks_oidc_provider_arn
      kms_key_arn       = aws_kms_key.main.arn
{% if aurora %}
      db_users          = local.app_db_users
{% endif %}
{% if values.queue %}
      queues = [aws_sqs_queue.main.arn]
{% endif %}
    }
{% if replicated %}
    (var.recovery_region) = {
      oidc_provider_arn = var.recovery_eks_oidc_provider_arn
      kms_key_arn       = local.recovery_kms_key_arn
{% if aurora %}
      db_users          = ${{ 'local.app_db_users' if needs.auroraGlobalCluster else '[]' }}
{% endif %}
{% if values.queue %}
      queues = [aws_sqs_queue.recovery.arn]
{% endif %}
    }
{% endif %}
  }
}

# Trust: only this service's service account, in its namespace, on that region's cluster.
data "aws_iam_policy_document" "app_trust" {
  for_each = local.app_regions

  statement {
    sid     = "ServiceAccount"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [each.value.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${element(split("oidc-provider/", each.value.oidc_provider_arn), 1)}:sub"
      values   = ["system:serviceaccount:${local.namespace}:${local.name}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${element(split("oidc-provider/", each.value.oidc_provider_arn), 1)}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

# What the pods may do: their own data in their own region, nothing else (no secrets: the
# database password is an IAM token, the master secret is the migration Job's alone).
data "aws_iam_policy_document" "app" {
  for_each = local.app_regions
{% if aurora %}

  dynamic "statement" {
    for_each = length(each.value.db_users) > 0 ? [each.value.db_users] : []
    content {
      sid       = "ConnectAsTheAppUser"
      actions   = ["rds-db:connect"]
      resources = statement.value
    }
  }
{% elif values.source %}

  # Processed-message claims: conditional writes and reads; no Scan, no table administration.
  statement {
    sid       = "ClaimMessages"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"]
    resources = [replace(aws_dynamodb_table.main.arn, ":${var.primary_region}:", ":${each.key}:")]
  }
{% else %}

  # Payments are kept (data-classification policy): written and read, never deleted.
  statement {
    sid       = "Payments"
    actions   = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:Query"]
    resources = [replace(aws_dynamodb_table.payments.arn, ":${var.primary_region}:", ":${each.key}:")]
  }

  # Idempotency keys: claimed with a conditional write, released when a request fails.
  statement {
    sid       = "IdempotencyKeys"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"]
    resources = [replace(aws_dynamodb_table.idempotency.arn, ":${var.primary_region}:", ":${each.key}:")]
  }
{% if values.queue %}

  # Transactional outbox: written with the payment, read and cleared by the relay.
  statement {
    sid     = "Outbox"
    actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem", "dynamodb:Query", "dynamodb:Scan"]
    resources = [
      replace(aws_dynamodb_table.outbox.arn, ":${var.primary_region}:", ":${each.key}:"),
      "${replace(aws_dynamodb_table.outbox.arn, ":${var.primary_region}:", ":${each.key}:")}/index/*",
    ]
  }
{% endif %}
{% endif %}
{% if values.queue %}

  # The outbox relay publishes accepted payments to the region's own queue.
  statement {
    sid       = "PublishPayments"
    actions   = ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"]
    resources = each.value.queues
  }
{% endif %}

  statement {
    sid       = "ServiceKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [each.value.kms_key_arn]
  }
}

resource "aws_iam_role" "app" {
  for_each = local.app_regions

  name                 = "${local.name}-${each.key}"
  description          = "${local.name} pods in ${each.key} (IRSA: ${local.namespace}/${local.name})"
  assume_role_policy   = data.aws_iam_policy_document.app_trust[each.key].json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "app" {
  for_each = local.app_regions

  name   = "${local.name}-app"
  role   = aws_iam_role.app[each.key].id
  policy = data.aws_iam_policy_document.app[each.key].json
}
{% if values.source %}

# The event source (consumer.tf): read the events, write the dead letters.
resource "aws_iam_role_policy_attachment" "consumer" {
  for_each = local.app_regions

  role       = aws_iam_role.app[each.key].name
  policy_arn = aws_iam_policy.consumer.arn
}
{% endif %}
{% if aurora %}

# ---------------------------------------------------------------------------------------------
# The migration Job (Helm hook, primary region only: the writer): the only identity that reads
# the master secret. It creates the application role (rds_iam, DML only) and runs the migrations.
# ---------------------------------------------------------------------------------------------

data "aws_iam_policy_document" "migrate_trust" {
  statement {
    sid     = "MigrationServiceAccount"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.eks_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${element(split("oidc-provider/", var.eks_oidc_provider_arn), 1)}:sub"
      values   = ["system:serviceaccount:${local.namespace}:${local.name}-migrate"]
    }

    condition {
      test     = "StringEquals"
      variable = "${element(split("oidc-provider/", var.eks_oidc_provider_arn), 1)}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "migrate" {
  statement {
    sid       = "MasterSecret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [local.database_master_secret_arn]
  }

  statement {
    sid       = "MasterSecretKey"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.main.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.primary_region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "migrate" {
  name                 = "${local.name}-migrate"
  description          = "${local.name} migration Job in ${var.primary_region} (IRSA: ${local.namespace}/${local.name}-migrate)"
  assume_role_policy   = data.aws_iam_policy_document.migrate_trust.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "migrate" {
  name   = "${local.name}-migrate"
  role   = aws_iam_role.migrate.id
  policy = data.aws_iam_policy_document.migrate.json
}
{% endif %}

# ---------------------------------------------------------------------------------------------
# GitHub Actions (OIDC; the account's provider for token.actions.githubusercontent.com is the
# platform's, created once per account). CI pushes the scanned image from main; the deploy job
# (environment "production", protected) promotes it by digest and runs Helm.
# ---------------------------------------------------------------------------------------------

data "aws_iam_openid_connect_provider" "github" {
  url = "https://token.actions.githubusercontent.com"
}

locals {
  github_repository = "${var.github_owner}/${local.name}"
  ecr_repositories = [
    aws_ecr_repository.main.arn,
{% if replicated %}
    aws_ecr_repository.recovery.arn,
{% endif %}
  ]
}

data "aws_iam_policy_document" "deploy_trust" {
  statement {
    sid     = "ProductionEnvironment"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [data.aws_iam_openid_connect_provider.github.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${local.github_repository}:environment:production"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  # Pull the scanned image and copy it by digest to ${{ 'the recovery region' if replicated else 'nowhere else' }}; never a rebuild.
  statement {
    sid = "PromoteImage"
    actions = [
      "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability",
      "ecr:DescribeImages", "ecr:DescribeImageScanFindings",
      "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
    ]
    resources = local.ecr_repositories
  }

  statement {
    sid     = "FindTheClusters"
    actions = ["eks:DescribeCluster"]
    resources = [
      "arn:${data.aws_partition.current.partition}:eks:${var.primary_region}:${data.aws_caller_identity.current.account_id}:cluster/${var.eks_cluster_name}",
{% if replicated %}
      "arn:${data.aws_partition.current.partition}:eks:${var.recovery_region}:${data.aws_caller_identity.current.account_id}:cluster/${var.recovery_eks_cluster_name}",
{% endif %}
    ]
  }

  # The Helm values Terraform writes (ssm.tf), in each region.
  statement {
    sid       = "HelmValues"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:${data.aws_partition.current.partition}:ssm:*:${data.aws_caller_identity.current.account_id}:parameter/${local.name}/*"]
  }

  statement {
    sid       = "ImageKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.main.arn{% if replicated %}, local.recovery_kms_key_arn{% endif %}]
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${local.name}-deploy"
  description          = "${local.name}: GitHub Actions deploy (${local.github_repository}, environment production)"
  assume_role_policy   = data.aws_iam_policy_document.deploy_trust.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "deploy" {
  name   = "${local.name}-deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

data "aws_iam_policy_document" "ci_trust" {
  statement {
    sid     = "MainBranch"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [data.aws_iam_openid_connect_provider.github.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${local.github_repository}:ref:refs/heads/main"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

# CI on main pushes the image it built and scanned (and its signature and SBOM) to the primary repository.
data "aws_iam_policy_document" "ci" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushImage"
    actions = [
      "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:DescribeImages",
      "ecr:DescribeImageScanFindings", "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload",
    ]
    resources = [aws_ecr_repository.main.arn]
  }

  statement {
    sid       = "ImageKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.main.arn]
  }
}

resource "aws_iam_role" "ci" {
  name                 = "${local.name}-ci"
  description          = "${local.name}: GitHub Actions CI on main (${local.github_repository})"
  assume_role_policy   = data.aws_iam_policy_document.ci_trust.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy" "ci" {
  name   = "${local.name}-ci"
  role   = aws_iam_role.ci.id
  policy = data.aws_iam_policy_document.ci.json
}

# Kubernetes access of the deploy role: edit rights in the ${{ values.systemName }} namespace only
# (EKS access entries; the cluster's authentication mode must include API).
resource "aws_eks_access_entry" "deploy" {
  cluster_name  = var.eks_cluster_name
  principal_arn = aws_iam_role.deploy.arn
}

resource "aws_eks_access_policy_association" "deploy" {
  cluster_name  = var.eks_cluster_name
  principal_arn = aws_eks_access_entry.deploy.principal_arn
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"

  access_scope {
    type       = "namespace"
    namespaces = [local.namespace]
  }
}
{% if replicated %}

resource "aws_eks_access_entry" "deploy_recovery" {
  provider = aws.recovery

  cluster_name  = var.recovery_eks_cluster_name
  principal_arn = aws_iam_role.deploy.arn
}

resource "aws_eks_access_policy_association" "deploy_recovery" {
  provider = aws.recovery

  cluster_name  = var.recovery_eks_cluster_name
  principal_arn = aws_eks_access_entry.deploy_recovery.principal_arn
  policy_arn    = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"

  access_scope {
    type       = "namespace"
    namespaces = [local.namespace]
  }
}
{% endif %}

output "app_role_arns" {
  description = "IRSA role of the pods, per region (serviceAccount.roleArn; also in the SSM helm-values parameter)."
  value       = { for region, role in aws_iam_role.app : region => role.arn }
}
{% if aurora %}

output "migrate_role_arn" {
  description = "IRSA role of the migration Job (migrations.roleArn)."
  value       = aws_iam_role.migrate.arn
}
{% endif %}

output "deploy_role_arn" {
  description = "The deploy workflow's role: the repository's AWS_DEPLOY_ROLE_ARN secret (gh secret set AWS_DEPLOY_ROLE_ARN --env production)."
  value       = aws_iam_role.deploy.arn
}

output "ci_role_arn" {
  description = "CI's role on main (pushes, signs and attests the image): the repository's AWS_IMAGE_ROLE_ARN secret (gh secret set AWS_IMAGE_ROLE_ARN)."
  value       = aws_iam_role.ci.arn
}
