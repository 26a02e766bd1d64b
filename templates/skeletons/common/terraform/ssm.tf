{% set needs = values.dr.needs %}
{% set aurora = values.datastore == 'aurora-postgresql' %}
{% set replicated = values.dr.replicated %}
{% set sqs = values.queue or values.source == 'sqs' %}
{% set public = values.publicHostname %}
# ${{ values.name }}: the Helm values only Terraform knows (role ARNs, endpoints, tables, queues${{ ', certificate, WAF' if public else '' }}),
# one SSM parameter per region the service runs in. The deploy workflow reads it
# (aws ssm get-parameter --name /${{ values.name }}/helm-values) and passes it to Helm after
# values.yaml and values-<primary|recovery>.yaml: nothing is copied by hand.
{% macro helmValues(region, recovery) %}
yamlencode({
    serviceAccount = {
      roleArn = aws_iam_role.app[${{ region }}].arn
    }
{% if aurora and not recovery %}
    # The writer: the only region whose release runs the migration Job.
    migrations = {
      enabled = true
      roleArn = aws_iam_role.migrate.arn
      env = {
        DATABASE_MASTER_SECRET_ARN = local.database_master_secret_arn
      }
    }
{% elif aurora %}
    # Never against the read-only secondary.
    migrations = {
      enabled = false
    }
{% endif %}
    env = {
      AWS_REGION = ${{ region }}
{% if aurora %}
      DATABASE_HOST = local.database_host
      DATABASE_PORT = "5432"
      DATABASE_NAME = local.database_name
      DATABASE_USER = local.database_app_user
{% elif values.source %}
      DYNAMODB_TABLE = aws_dynamodb_table.main.name
{% else %}
      DYNAMODB_PAYMENTS_TABLE    = aws_dynamodb_table.payments.name
      DYNAMODB_IDEMPOTENCY_TABLE = aws_dynamodb_table.idempotency.name
{% if values.queue %}
      DYNAMODB_OUTBOX_TABLE = aws_dynamodb_table.outbox.name
{% endif %}
{% endif %}
{% if sqs %}
      SQS_QUEUE_URL = aws_sqs_queue.${{ 'recovery' if recovery else 'main' }}.url
{% if values.source %}
      SQS_DLQ_URL = aws_sqs_queue.${{ 'recovery_dlq' if recovery else 'dlq' }}.url
{% endif %}
{% endif %}
{% if values.source == 'msk' %}
      KAFKA_BROKERS = data.aws_msk_bootstrap_brokers.${{ 'recovery' if recovery else 'main' }}.bootstrap_brokers_sasl_iam
      KAFKA_TOPIC   = var.kafka_topic
{% endif %}
    }
{% if public %}
    ingress = {
      enabled        = true
      hosts          = local.ingress_hosts[${{ region }}]
      certificateArn = aws_acm_certificate.${{ 'recovery' if recovery else 'main' }}.arn
      wafAclArn      = aws_wafv2_web_acl.${{ 'recovery' if recovery else 'main' }}.arn
    }
{% endif %}
  })
{%- endmacro %}

resource "aws_ssm_parameter" "helm_values" {
  name        = "/${local.name}/helm-values"
  description = "${local.name}: Helm values from Terraform (${var.primary_region})"
  type        = "String"
  value = ${{ helmValues('var.primary_region', false) }}
}
{% if replicated %}

resource "aws_ssm_parameter" "helm_values_recovery" {
  provider = aws.recovery

  name        = "/${local.name}/helm-values"
  description = "${local.name}: Helm values from Terraform (${var.recovery_region})"
  type        = "String"
  value = ${{ helmValues('var.recovery_region', true) }}
}
{% endif %}

output "helm_values_parameter" {
  description = "SSM parameter with the Helm values Terraform knows (the same name in every region the service runs in)."
  value       = aws_ssm_parameter.helm_values.name
}
