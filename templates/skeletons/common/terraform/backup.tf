{% set needs = values.dr.needs %}
{% set aurora = values.datastore == 'aurora-postgresql' %}
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
{% if needs.backupVaultLock %}

# Vault Lock in compliance mode (control backup-vault-locked): after 3 days nobody, the root user
# included, can delete a recovery point before ${{ values.dr.backupRetentionDays }} days or shorten the lock, so a compromised
# account cannot destroy the backups (ransomware, insider). Until then `terraform destroy` still works.
{% for vault in (['primary', 'recovery'] if needs.backupCopyCrossRegion else ['primary']) %}

resource "aws_backup_vault_lock_configuration" "${{ vault }}" {
{% if vault == 'recovery' %}
  provider = aws.recovery

{% endif %}
  backup_vault_name   = aws_backup_vault.${{ vault }}.name
  min_retention_days  = ${{ values.dr.backupRetentionDays }}
  max_retention_days  = 365
  changeable_for_days = 3
}
{% endfor %}
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
