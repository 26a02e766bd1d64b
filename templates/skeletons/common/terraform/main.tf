{% set needs = values.dr.needs %}
{% set recoveryKey = values.dr.replicated %}
# ${{ values.name }}: DR ${{ values.tier }} (${{ values.dr.title }}): RTO ${{ values.dr.rtoMinutes }} min, RPO ${{ values.dr.rpoMinutes }} min.
# What these files build follows the tier's required controls (app-config drReadiness.tiers in the
# portal); the DR readiness scorecard checks the same controls against the running estate.
# By concern: main.tf (key, secrets), database.tf or dynamodb.tf, queue.tf, alerts.tf, logs.tf, backup.tf.

locals {
  name = var.service
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# ---------------------------------------------------------------------------------------------
# Encryption: one customer-managed key for its data, queues, secrets, logs, alerts and backups.
# ---------------------------------------------------------------------------------------------

{% macro keyPolicy(name, region) %}
# Key policy: the account administers the key through IAM policies (the roles that use it are
# granted kms:* actions there); CloudWatch Logs may use it only for this service's log groups
# (encryption context, PCI 10.5.1); CloudWatch alarms may publish to the encrypted alerts topic.
data "aws_iam_policy_document" "${{ name }}" {
  statement {
    sid       = "AccountAdministersThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsForThisServicesLogGroups"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.${{ region }}}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values = [
        "arn:${data.aws_partition.current.partition}:logs:${var.${{ region }}}:${data.aws_caller_identity.current.account_id}:log-group:/${local.name}/*",
        "arn:${data.aws_partition.current.partition}:logs:${var.${{ region }}}:${data.aws_caller_identity.current.account_id}:log-group:/aws/rds/cluster/${local.name}-*",
        # The WAF's log group (dns.tf: WAF logs only to groups named aws-waf-logs-*).
        "arn:${data.aws_partition.current.partition}:logs:${var.${{ region }}}:${data.aws_caller_identity.current.account_id}:log-group:aws-waf-logs-${local.name}",
      ]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsPublishToTheAlertsTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }
}{% endmacro %}
${{ keyPolicy('kms_main', 'primary_region') }}

resource "aws_kms_key" "main" {
  description             = "${local.name}: data, queues, secrets, logs, alerts and backups"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms_main.json
{% if needs.kmsMultiRegion %}
  # Multi-Region, so replicas and backup copies can be decrypted in ${{ values.recoveryRegion }} (control kms-multi-region).
  multi_region = true
{% endif %}
}

resource "aws_kms_alias" "main" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.main.key_id
}
{% if needs.kmsMultiRegion %}

${{ keyPolicy('kms_recovery', 'recovery_region') }}

resource "aws_kms_replica_key" "recovery" {
  provider = aws.recovery

  description             = "${local.name}: replica of the service key in ${var.recovery_region}"
  primary_key_arn         = aws_kms_key.main.arn
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms_recovery.json
}

resource "aws_kms_alias" "recovery" {
  provider = aws.recovery

  name          = "alias/${local.name}"
  target_key_id = aws_kms_replica_key.recovery.key_id
}

locals {
  recovery_kms_key_arn = aws_kms_replica_key.recovery.arn
}
{% elif recoveryKey %}

${{ keyPolicy('kms_recovery', 'recovery_region') }}

# The tier runs in the recovery region without a multi-Region key: a separate key there.
resource "aws_kms_key" "recovery" {
  provider = aws.recovery

  description             = "${local.name}: recovery-region copies"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms_recovery.json
}

locals {
  recovery_kms_key_arn = aws_kms_key.recovery.arn
}
{% endif %}

# ---------------------------------------------------------------------------------------------
# Secrets
# ---------------------------------------------------------------------------------------------

# Application secrets (e.g. webhook signing keys), set by the team after the first apply.
resource "aws_secretsmanager_secret" "app" {
  name                    = "${local.name}/app"
  description             = "${local.name}: application secrets"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 30
{% if needs.secretReplication %}

  # Replicated so the service can start in ${{ values.recoveryRegion }} (control secrets-replicated).
  replica {
    region     = var.recovery_region
    kms_key_id = local.recovery_kms_key_arn
  }
{% endif %}
}
