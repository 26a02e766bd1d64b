{% set needs = values.dr.needs %}
{% set queue = values.queue or values.source == 'sqs' %}
output "kms_key_arn" {
  description = "The service's KMS key."
  value       = aws_kms_key.main.arn
}
{% if values.dr.replicated %}

output "recovery_kms_key_arn" {
  description = "The service's key in the recovery region."
  value       = local.recovery_kms_key_arn
}
{% endif %}

output "app_secret_arn" {
  description = "Secrets Manager secret for application secrets."
  value       = aws_secretsmanager_secret.app.arn
}

output "alerts_topic_arn" {
  description = "SNS topic every alarm of the primary region notifies."
  value       = aws_sns_topic.alerts.arn
}
{% if values.dr.replicated %}

output "recovery_alerts_topic_arn" {
  description = "SNS topic every alarm of the recovery region notifies."
  value       = aws_sns_topic.recovery_alerts.arn
}
{% endif %}

output "log_group_name" {
  description = "Log group of the application's logs (the cluster's log agent ships the pods' stdout there)."
  value       = aws_cloudwatch_log_group.application.name
}
{% if values.datastore == 'aurora-postgresql' %}

output "database_host" {
  description = "DATABASE_HOST: ${{ 'the global writer endpoint (follows a failover)' if needs.auroraGlobalCluster else 'the writer endpoint of the cluster' }}."
  value       = local.database_host
}

output "database_name" {
  description = "DATABASE_NAME."
  value       = local.database_name
}

output "database_app_user" {
  description = "DATABASE_USER: the application's least-privilege role (IAM database authentication), created by the migration Job."
  value       = local.database_app_user
}

output "database_master_secret_arn" {
  description = "DATABASE_MASTER_SECRET_ARN: the master credentials, for the migration Job only (${{ 'rotated by Secrets Manager' if needs.auroraGlobalCluster else 'created and rotated by RDS' }})."
  value       = local.database_master_secret_arn
}

output "database_cluster_resource_id" {
  description = "Resource id of the primary cluster, for rds-db:connect (arn:aws:rds-db:<region>:<account>:dbuser:<id>/<user>)."
  value       = aws_rds_cluster.primary.cluster_resource_id
}
{% if needs.auroraGlobalCluster %}

output "recovery_database_cluster_resource_id" {
  description = "Resource id of the secondary cluster in the recovery region, for rds-db:connect there."
  value       = aws_rds_cluster.secondary.cluster_resource_id
}
{% endif %}
{% elif values.source %}

output "dynamodb_table" {
  description = "DYNAMODB_TABLE: the processed-message claims."
  value       = aws_dynamodb_table.main.name
}
{% else %}

output "dynamodb_payments_table" {
  description = "DYNAMODB_PAYMENTS_TABLE: the payments (retained)."
  value       = aws_dynamodb_table.payments.name
}

output "dynamodb_idempotency_table" {
  description = "DYNAMODB_IDEMPOTENCY_TABLE: the idempotency keys (expire)."
  value       = aws_dynamodb_table.idempotency.name
}
{% if values.queue %}

output "dynamodb_outbox_table" {
  description = "DYNAMODB_OUTBOX_TABLE: the transactional outbox."
  value       = aws_dynamodb_table.outbox.name
}
{% endif %}
{% endif %}
{% if queue %}

output "sqs_queue_url" {
  description = "SQS_QUEUE_URL in the primary region."
  value       = aws_sqs_queue.main.url
}

output "sqs_dlq_url" {
  description = "${{ 'SQS_DLQ_URL: ' if values.source else '' }}the dead-letter queue."
  value       = aws_sqs_queue.dlq.url
}
{% if values.dr.replicated %}

output "recovery_sqs_queue_url" {
  description = "SQS_QUEUE_URL in the recovery region."
  value       = aws_sqs_queue.recovery.url
}

output "recovery_sqs_dlq_url" {
  description = "${{ 'SQS_DLQ_URL' if values.source else 'The dead-letter queue' }} in the recovery region."
  value       = aws_sqs_queue.recovery_dlq.url
}
{% endif %}
{% endif %}
