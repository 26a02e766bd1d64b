{% set needs = values.dr.needs %}
{% if values.datastore == 'dynamodb' %}
# ---------------------------------------------------------------------------------------------
{% if values.source %}
# DynamoDB: the consumer's processed-message claims (keys, not payments: they expire).
{% else %}
# DynamoDB: payments (kept: never expire, never destroyed by Terraform) apart from the idempotency
# keys (expire)${{ ' and the transactional outbox' if values.queue else '' }}.
{% endif %}
# Every table: point-in-time recovery (control dynamodb-pitr), deletion protection, the service key.
# ---------------------------------------------------------------------------------------------
{% macro table(name, suffix, ttl, retained, comment) %}
# ${{ comment }}
resource "aws_dynamodb_table" "${{ name }}" {
  name                        = ${{ ('"${local.name}' ~ suffix ~ '"') if suffix else 'local.name' }}
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
{% if ttl %}

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }
{% endif %}

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
{% if retained %}

  lifecycle {
    # Payments are records kept per the data-classification policy: a plan that would delete the
    # table fails instead.
    prevent_destroy = true
  }
{% endif %}
}{% endmacro %}
{% if values.source %}

${{ table('main', '', true, false, 'Processed-message claims (DYNAMODB_TABLE): expire (TTL expiresAt) after the longest redelivery window.') }}
{% else %}

${{ table('payments', '-payments', false, true, 'Payments (DYNAMODB_PAYMENTS_TABLE): no TTL attribute, retained.') }}

${{ table('idempotency', '-idempotency', true, false, 'Idempotency keys (DYNAMODB_IDEMPOTENCY_TABLE): the key and the payment id only; expire (TTL expiresAt).') }}
{% if values.queue %}

${{ table('outbox', '-outbox', false, false, 'Transactional outbox (DYNAMODB_OUTBOX_TABLE): events written with the payment, published to SQS by the relay, then deleted.') }}
{% endif %}
{% endif %}
{% endif %}
