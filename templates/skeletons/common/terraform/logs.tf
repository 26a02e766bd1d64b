{% set aurora = values.datastore == 'aurora-postgresql' %}
# ---------------------------------------------------------------------------------------------
# Log groups, encrypted with the service key and kept var.log_retention_days (at least a year,
# PCI DSS 10.5.1), declared before anything writes to them so they never exist unencrypted:
# the application's logs (shipped by the cluster's log agent to /${{ values.name }}/application)${{ ' and the' if aurora else '.' }}
{% if aurora %}
# Aurora PostgreSQL log (connections and pgaudit records).
{% endif %}
# ---------------------------------------------------------------------------------------------
{% macro logGroup(name, provider, logName, keyArn) %}
resource "aws_cloudwatch_log_group" "${{ name }}" {
{% if provider %}
  provider = ${{ provider }}

{% endif %}
  name              = ${{ logName }}
  kms_key_id        = ${{ keyArn }}
  retention_in_days = var.log_retention_days
}{% endmacro %}

${{ logGroup('application', '', '"/${local.name}/application"', 'aws_kms_key.main.arn') }}
{% if aurora %}

${{ logGroup('postgresql', '', '"/aws/rds/cluster/${local.primary_cluster_id}/postgresql"', 'aws_kms_key.main.arn') }}
{% endif %}
{% if values.dr.replicated %}

${{ logGroup('recovery_application', 'aws.recovery', '"/${local.name}/application"', 'local.recovery_kms_key_arn') }}
{% if aurora and values.dr.needs.auroraGlobalCluster %}

${{ logGroup('recovery_postgresql', 'aws.recovery', '"/aws/rds/cluster/${local.recovery_cluster_id}/postgresql"', 'local.recovery_kms_key_arn') }}
{% endif %}
{% endif %}
