{% set needs = values.dr.needs %}
{% set aurora = values.datastore == 'aurora-postgresql' %}
{% set dynamodb = values.datastore == 'dynamodb' %}
{% set replicateData = (aurora and needs.auroraGlobalCluster) or (dynamodb and needs.dynamodbGlobalTable) %}
{% set recoveryKey = replicateData or needs.secretReplication or needs.backupCopyCrossRegion %}
{% set multiAz = 'rds-multi-az' in (values.dr.controls | join(',', 'id')) %}
# ${{ values.name }}: DR ${{ values.tier }} (${{ values.dr.title }}): RTO ${{ values.dr.rtoMinutes }} min, RPO ${{ values.dr.rpoMinutes }} min.
# What this file builds follows the tier's required controls (app-config drReadiness.tiers in the
# portal); the DR readiness scorecard checks the same controls against the running estate.

locals {
  name = var.service
}

# ---------------------------------------------------------------------------------------------
# Encryption: one customer-managed key for its data, queues, secrets and backups.
# ---------------------------------------------------------------------------------------------

resource "aws_kms_key" "main" {
  description             = "${local.name}: data, queues, secrets and backups"
  enable_key_rotation     = true
  deletion_window_in_days = 30
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

resource "aws_kms_replica_key" "recovery" {
  provider = aws.recovery

  description             = "${local.name}: replica of the service key in ${var.recovery_region}"
  primary_key_arn         = aws_kms_key.main.arn
  deletion_window_in_days = 30
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

# The tier replicates without a multi-Region key: a separate key in the recovery region.
resource "aws_kms_key" "recovery" {
  provider = aws.recovery

  description             = "${local.name}: recovery-region copies"
  enable_key_rotation     = true
  deletion_window_in_days = 30
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
{% if aurora %}

# ---------------------------------------------------------------------------------------------
# Aurora PostgreSQL
# ---------------------------------------------------------------------------------------------

# The master password never enters the state: generated for this run only, written to the
# secret and the cluster through write-only attributes. Rotate it with Secrets Manager rotation.
ephemeral "aws_secretsmanager_random_password" "db_master" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "db_master" {
  name                    = "${local.name}/aurora-master"
  description             = "${local.name}: Aurora master credentials"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 30
{% if needs.secretReplication %}

  replica {
    region     = var.recovery_region
    kms_key_id = local.recovery_kms_key_arn
  }
{% endif %}
}

resource "aws_secretsmanager_secret_version" "db_master" {
  secret_id                = aws_secretsmanager_secret.db_master.id
  secret_string_wo         = jsonencode({ username = "app_admin", password = ephemeral.aws_secretsmanager_random_password.db_master.random_password })
  secret_string_wo_version = 1
}
{% if needs.auroraGlobalCluster %}

# Global database: storage-level replication to ${{ values.recoveryRegion }}, typically under a second of lag (control rds-global-or-replica).
resource "aws_rds_global_cluster" "main" {
  global_cluster_identifier = local.name
  engine                    = "aurora-postgresql"
  engine_version            = var.aurora_engine_version
  database_name             = replace(local.name, "-", "_")
  storage_encrypted         = true
  deletion_protection       = true
}
{% endif %}

resource "aws_rds_cluster" "primary" {
  cluster_identifier = "${local.name}-${var.primary_region}"
  engine             = "aurora-postgresql"
  engine_version     = var.aurora_engine_version

{% if needs.auroraGlobalCluster %}
  # Writer of the global database (the database is created by the global cluster).
  global_cluster_identifier = aws_rds_global_cluster.main.id
{% else %}
  database_name = replace(local.name, "-", "_")
{% endif %}

  master_username                     = "app_admin"
  master_password_wo                  = ephemeral.aws_secretsmanager_random_password.db_master.random_password
  master_password_wo_version          = 1
  db_subnet_group_name                = var.db_subnet_group_name
  vpc_security_group_ids              = var.db_security_group_ids
  iam_database_authentication_enabled = true

  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.main.arn
  deletion_protection             = true
  backup_retention_period         = ${{ values.dr.backupRetentionDays }}
  preferred_backup_window         = "02:00-03:00"
  preferred_maintenance_window    = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot           = true
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${local.name}-final"
  enabled_cloudwatch_logs_exports = ["postgresql"]
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.main.arn
{% if needs.auroraGlobalCluster %}

  lifecycle {
    # A managed failover of the global database swaps roles; Terraform must not fight it.
    ignore_changes = [global_cluster_identifier, replication_source_identifier]
  }
{% endif %}
}

resource "aws_rds_cluster_instance" "primary" {
  # ${{ 'Two instances in different AZs (control rds-multi-az).' if multiAz else 'One instance: the tier accepts an AZ outage as a restore.' }}
  count = ${{ 2 if multiAz else 1 }}

  identifier                   = "${local.name}-${var.primary_region}-${count.index + 1}"
  cluster_identifier           = aws_rds_cluster.primary.id
  engine                       = aws_rds_cluster.primary.engine
  engine_version               = aws_rds_cluster.primary.engine_version
  instance_class               = var.aurora_instance_class
  db_subnet_group_name         = var.db_subnet_group_name
  publicly_accessible          = false
  auto_minor_version_upgrade   = true
  performance_insights_enabled = true
}
{% if needs.auroraGlobalCluster %}

resource "aws_rds_cluster" "secondary" {
  provider = aws.recovery

  cluster_identifier        = "${local.name}-${var.recovery_region}"
  engine                    = aws_rds_global_cluster.main.engine
  engine_version            = aws_rds_global_cluster.main.engine_version
  global_cluster_identifier = aws_rds_global_cluster.main.id
  db_subnet_group_name      = var.recovery_db_subnet_group_name
  vpc_security_group_ids    = var.recovery_db_security_group_ids

  storage_encrypted               = true
  kms_key_id                      = local.recovery_kms_key_arn
  deletion_protection             = true
  backup_retention_period         = ${{ values.dr.backupRetentionDays }}
  copy_tags_to_snapshot           = true
  skip_final_snapshot             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]

  depends_on = [aws_rds_cluster_instance.primary]

  lifecycle {
    ignore_changes = [global_cluster_identifier, replication_source_identifier]
  }
}

resource "aws_rds_cluster_instance" "secondary" {
  provider = aws.recovery
  # As many as the primary, so the recovery region keeps the same capacity after a failover.
  count = ${{ 2 if multiAz else 1 }}

  identifier                 = "${local.name}-${var.recovery_region}-${count.index + 1}"
  cluster_identifier         = aws_rds_cluster.secondary.id
  engine                     = aws_rds_cluster.secondary.engine
  engine_version             = aws_rds_cluster.secondary.engine_version
  instance_class             = var.aurora_instance_class
  db_subnet_group_name       = var.recovery_db_subnet_group_name
  publicly_accessible        = false
  auto_minor_version_upgrade = true
}
{% endif %}
{% endif %}
{% if dynamodb %}

# ---------------------------------------------------------------------------------------------
# DynamoDB
# ---------------------------------------------------------------------------------------------

resource "aws_dynamodb_table" "main" {
  name                        = local.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = true
{% if needs.dynamodbGlobalTable %}
  # Global tables replicate through the stream.
  stream_enabled   = true
  stream_view_type = "NEW_AND_OLD_IMAGES"
{% endif %}

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

{% if values.source %}
  # Processed-message (idempotency) records expire after the longest redelivery window.
{% else %}
  # Idempotency records expire; payments do not carry the attribute.
{% endif %}
  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  # Restore to any second of the last 35 days (control dynamodb-pitr); on for every tier.
  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.main.arn
  }
{% if needs.dynamodbGlobalTable %}

  # Global table replica in ${{ values.recoveryRegion }} (control dynamodb-global-table).
  replica {
    region_name            = var.recovery_region
    kms_key_arn            = local.recovery_kms_key_arn
    point_in_time_recovery = true
    propagate_tags         = true
  }
{% endif %}
}
{% endif %}
{% if values.queue or values.source == 'sqs' %}

# ---------------------------------------------------------------------------------------------
{% if values.source == 'sqs' %}
# SQS: the payment events this consumer reads, with a dead-letter queue. The consumer retries
# in process (MAX_ATTEMPTS) and sends what fails to the DLQ itself; the redrive policy is the net
# for messages a crashing consumer never finishes.
{% else %}
# SQS: accepted payments for asynchronous processing, with a dead-letter queue.
{% endif %}
# ---------------------------------------------------------------------------------------------

resource "aws_sqs_queue" "dlq" {
  name                              = "${local.name}-dlq"
  message_retention_seconds         = 1209600
  kms_master_key_id                 = aws_kms_key.main.arn
  kms_data_key_reuse_period_seconds = 300
}

resource "aws_sqs_queue" "main" {
  name                              = local.name
  visibility_timeout_seconds        = 60
  message_retention_seconds         = 345600
  receive_wait_time_seconds         = 20
  kms_master_key_id                 = aws_kms_key.main.arn
  kms_data_key_reuse_period_seconds = 300

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.main.arn]
  })
}

resource "aws_cloudwatch_metric_alarm" "dlq_not_empty" {
  alarm_name          = "${local.name}-dlq-not-empty"
  alarm_description   = "Messages reached the dead-letter queue of ${local.name}: inspect, fix, then redrive."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
}
{% endif %}

# ---------------------------------------------------------------------------------------------
# AWS Backup: every tier (control backup-protected), selected by the taxonomy tags.
# ---------------------------------------------------------------------------------------------

resource "aws_backup_vault" "primary" {
  name        = local.name
  kms_key_arn = aws_kms_key.main.arn
}
{% if needs.backupCopyCrossRegion %}

resource "aws_backup_vault" "recovery" {
  provider = aws.recovery

  name        = local.name
  kms_key_arn = local.recovery_kms_key_arn
}
{% endif %}

resource "aws_backup_plan" "main" {
  name = local.name

  rule {
    rule_name         = "${{ 'hourly' if values.dr.rpoMinutes < 1440 else 'twice-daily' }}"
    target_vault_name = aws_backup_vault.primary.name
    # ${{ 'Replication carries the RPO; hourly recovery points guard against corruption that replicates too.' if values.dr.rpoMinutes < 1440 else 'Every 12 hours, so the newest recovery point is always within the ' ~ values.dr.rpoMinutes ~ '-minute RPO (control backup-recovery-point-age).' }}
    schedule                 = "${{ 'cron(0 * * * ? *)' if values.dr.rpoMinutes < 1440 else 'cron(0 0/12 * * ? *)' }}"
    start_window             = 60
    completion_window        = 180
    enable_continuous_backup = false

    lifecycle {
      delete_after = ${{ values.dr.backupRetentionDays }}
    }
{% if needs.backupCopyCrossRegion %}

    # Copies in ${{ values.recoveryRegion }} survive the loss of the primary region (control backup-copy-cross-region).
    copy_action {
      destination_vault_arn = aws_backup_vault.recovery.arn

      lifecycle {
        delete_after = ${{ values.dr.backupRetentionDays }}
      }
    }
{% endif %}
  }
}

resource "aws_iam_role" "backup" {
  name = "${local.name}-backup"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "backup" {
  for_each = toset([
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
  ])

  role       = aws_iam_role.backup.name
  policy_arn = each.value
}

# Everything of this service in production, found by the same tags the cost and DR plugins read.
resource "aws_backup_selection" "main" {
  name         = local.name
  plan_id      = aws_backup_plan.main.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = ["*"]

  condition {
    string_equals {
      key   = "aws:ResourceTag/service"
      value = local.name
    }
    string_equals {
      key   = "aws:ResourceTag/environment"
      value = "production"
    }
  }
}
{% if needs.restoreTesting %}

# Restore tests every week, timed against the RTO (control backup-restore-tested: a restore
# newer than ${{ values.dr.restoreTestWithinDays }} days that took under ${{ values.dr.rtoMinutes }} minutes).
resource "aws_backup_restore_testing_plan" "main" {
  name                = replace(local.name, "-", "_")
  schedule_expression = "cron(0 5 ? * TUE *)"
  start_window_hours  = 24

  recovery_point_selection {
    algorithm             = "LATEST_WITHIN_WINDOW"
    include_vaults        = [aws_backup_vault.primary.arn]
    recovery_point_types  = ["SNAPSHOT"]
    selection_window_days = 7
  }
}

resource "aws_backup_restore_testing_selection" "main" {
  name                      = replace(local.name, "-", "_")
  restore_testing_plan_name = aws_backup_restore_testing_plan.main.name
  protected_resource_type   = "${{ 'Aurora' if aurora else 'DynamoDB' }}"
  iam_role_arn              = aws_iam_role.backup.arn
  validation_window_hours   = 4

  protected_resource_conditions {
    string_equals {
      key   = "aws:ResourceTag/service"
      value = local.name
    }
  }
{% if aurora %}

  # Restore into the service's own subnets and security groups, not the default VPC.
  restore_metadata_overrides = {
    dbsubnetgroupname   = var.db_subnet_group_name
    vpcsecuritygroupids = jsonencode(var.db_security_group_ids)
  }
{% endif %}
}
{% endif %}
