{% set needs = values.dr.needs %}
{% set multiAz = 'rds-multi-az' in (values.dr.controls | join(',', 'id')) %}
{% if values.datastore == 'aurora-postgresql' %}
{% set globalDb = needs.auroraGlobalCluster %}
# ---------------------------------------------------------------------------------------------
# Aurora PostgreSQL. The app connects as its own least-privilege role (${{ values.name | replace('-', '_') }}_app,
# created by the migration Job) with IAM database authentication over verified TLS; the master
# user is for that Job only.
# ---------------------------------------------------------------------------------------------

locals {
  database_name           = replace(local.name, "-", "_")
  database_app_user       = "${replace(local.name, "-", "_")}_app"
  primary_cluster_id      = "${local.name}-${var.primary_region}"
  aurora_parameter_family = "aurora-postgresql${split(".", var.aurora_engine_version)[0]}"
{% if globalDb %}
  recovery_cluster_id     = "${local.name}-${var.recovery_region}"
  # The global writer endpoint follows a managed failover or switchover to the other region.
  database_host              = aws_rds_global_cluster.main.endpoint
  database_master_secret_arn = aws_secretsmanager_secret.db_master.arn
{% else %}
  database_host              = aws_rds_cluster.primary.endpoint
  database_master_secret_arn = aws_rds_cluster.primary.master_user_secret[0].secret_arn
{% endif %}
}

{% macro parameterGroup(name, recovery) %}
resource "aws_rds_cluster_parameter_group" "${{ name }}" {
{% if recovery %}
  provider = aws.recovery

{% endif %}
  name_prefix = "${local.name}-"
  family      = local.aurora_parameter_family
  description = "${local.name}: TLS only, pgaudit, connection logging"

  # Clients must use TLS (PCI 4.2.1), 1.2 or newer.
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "ssl_min_protocol_version"
    value = "TLSv1.2"
  }

  # Audit trail of schema, role and data changes (PCI 10.2): pgaudit (CREATE EXTENSION pgaudit by
  # the migration Job), without statement parameters so no card data reaches the logs.
  parameter {
    name         = "shared_preload_libraries"
    value        = "pgaudit"
    apply_method = "pending-reboot"
  }

  parameter {
    name  = "pgaudit.log"
    value = "ddl,role,write"
  }

  parameter {
    name  = "pgaudit.log_parameter"
    value = "0"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}{% endmacro %}
${{ parameterGroup('primary', false) }}
{% if globalDb %}

# AWS manages master passwords in Secrets Manager only for clusters outside a global database, so
# here the master secret is this one: a random password that never enters the state (write-only
# attributes), rotated by Secrets Manager every 30 days and replicated to ${{ values.recoveryRegion }}.
ephemeral "aws_secretsmanager_random_password" "db_master" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "db_master" {
  name                    = "${local.name}/aurora-master"
  description             = "${local.name}: Aurora master credentials (migration Job only)"
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
  secret_id = aws_secretsmanager_secret.db_master.id
  secret_string_wo = jsonencode({
    engine   = "postgres"
    host     = aws_rds_global_cluster.main.endpoint
    port     = 5432
    dbname   = local.database_name
    username = "app_admin"
    password = ephemeral.aws_secretsmanager_random_password.db_master.random_password
  })
  secret_string_wo_version = 1
}

# AWS's single-user PostgreSQL rotation function, in the platform VPC so it reaches the cluster.
data "aws_serverlessapplicationrepository_application" "db_rotation" {
  application_id = "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser"
}

resource "aws_serverlessapplicationrepository_cloudformation_stack" "db_rotation" {
  name             = "${local.name}-db-master-rotation"
  application_id   = data.aws_serverlessapplicationrepository_application.db_rotation.application_id
  semantic_version = data.aws_serverlessapplicationrepository_application.db_rotation.semantic_version
  capabilities     = data.aws_serverlessapplicationrepository_application.db_rotation.required_capabilities

  parameters = {
    endpoint            = "https://secretsmanager.${var.primary_region}.${data.aws_partition.current.dns_suffix}"
    functionName        = "${local.name}-db-master-rotation"
    kmsKeyArn           = aws_kms_key.main.arn
    vpcSubnetIds        = join(",", var.rotation_subnet_ids)
    vpcSecurityGroupIds = join(",", var.rotation_security_group_ids)
  }
}

resource "aws_secretsmanager_secret_rotation" "db_master" {
  secret_id           = aws_secretsmanager_secret.db_master.id
  rotation_lambda_arn = aws_serverlessapplicationrepository_cloudformation_stack.db_rotation.outputs.RotationLambdaARN

  rotation_rules {
    automatically_after_days = 30
  }

  depends_on = [aws_secretsmanager_secret_version.db_master]
}

# Global database: storage-level replication to ${{ values.recoveryRegion }}, typically under a second of lag (control rds-global-or-replica).
resource "aws_rds_global_cluster" "main" {
  global_cluster_identifier = local.name
  engine                    = "aurora-postgresql"
  engine_version            = var.aurora_engine_version
  database_name             = local.database_name
  storage_encrypted         = true
  deletion_protection       = true
}
{% endif %}

resource "aws_rds_cluster" "primary" {
  cluster_identifier = local.primary_cluster_id
  engine             = "aurora-postgresql"
  engine_version     = var.aurora_engine_version

{% if globalDb %}
  # Writer of the global database (the database is created by the global cluster).
  global_cluster_identifier  = aws_rds_global_cluster.main.id
  master_username            = "app_admin"
  master_password_wo         = ephemeral.aws_secretsmanager_random_password.db_master.random_password
  master_password_wo_version = 1
{% else %}
  database_name = local.database_name
  # RDS creates the master secret in Secrets Manager, encrypts it with the service key and rotates it.
  master_username               = "app_admin"
  manage_master_user_password   = true
  master_user_secret_kms_key_id = aws_kms_key.main.arn
{% endif %}

  db_subnet_group_name                = var.db_subnet_group_name
  vpc_security_group_ids              = var.db_security_group_ids
  db_cluster_parameter_group_name     = aws_rds_cluster_parameter_group.primary.name
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

  # The log group exists first, with the service key and retention (logs.tf).
  depends_on = [aws_cloudwatch_log_group.postgresql]
{% if globalDb %}

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
{% if globalDb %}

# The secondary's own parameter group in ${{ values.recoveryRegion }}: the same TLS and audit settings after a failover.
${{ parameterGroup('secondary', true) }}

resource "aws_rds_cluster" "secondary" {
  provider = aws.recovery

  cluster_identifier        = local.recovery_cluster_id
  engine                    = aws_rds_global_cluster.main.engine
  engine_version            = aws_rds_global_cluster.main.engine_version
  global_cluster_identifier = aws_rds_global_cluster.main.id
  db_subnet_group_name      = var.recovery_db_subnet_group_name
  vpc_security_group_ids    = var.recovery_db_security_group_ids

  db_cluster_parameter_group_name     = aws_rds_cluster_parameter_group.secondary.name
  iam_database_authentication_enabled = true

  storage_encrypted               = true
  kms_key_id                      = local.recovery_kms_key_arn
  deletion_protection             = true
  backup_retention_period         = ${{ values.dr.backupRetentionDays }}
  copy_tags_to_snapshot           = true
  skip_final_snapshot             = true
  enabled_cloudwatch_logs_exports = ["postgresql"]

  depends_on = [aws_rds_cluster_instance.primary, aws_cloudwatch_log_group.recovery_postgresql]

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
