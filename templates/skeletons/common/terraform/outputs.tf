output "kms_key_arn" {
  description = "The service's KMS key."
  value       = aws_kms_key.main.arn
}

output "app_secret_arn" {
  description = "Secrets Manager secret for application secrets."
  value       = aws_secretsmanager_secret.app.arn
}
{% if values.datastore == 'aurora-postgresql' %}

output "database_host" {
  description = "DATABASE_HOST: the writer endpoint of the primary cluster."
  value       = aws_rds_cluster.primary.endpoint
}

output "database_name" {
  description = "DATABASE_NAME."
  value       = replace(local.name, "-", "_")
}

output "database_secret_arn" {
  description = "DATABASE_SECRET_ARN: the Aurora master credentials (create a least-privilege application user from them)."
  value       = aws_secretsmanager_secret.db_master.arn
}
{% else %}

output "dynamodb_table" {
  description = "DYNAMODB_TABLE."
  value       = aws_dynamodb_table.main.name
}
{% endif %}
{% if values.queue or values.source == 'sqs' %}

output "sqs_queue_url" {
  description = "SQS_QUEUE_URL."
  value       = aws_sqs_queue.main.url
}

output "sqs_dlq_url" {
  description = "${{ 'SQS_DLQ_URL: ' if values.source else '' }}the dead-letter queue."
  value       = aws_sqs_queue.dlq.url
}
{% endif %}
