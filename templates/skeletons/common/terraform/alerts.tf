# ---------------------------------------------------------------------------------------------
# Alerts: every alarm of ${{ values.name }} notifies the alerts topic of its region, encrypted with
# the service key (whose policy lets CloudWatch publish), subscribed to the on-call endpoint
# (var.alerts_endpoint, e.g. a PagerDuty CloudWatch integration URL over https).
# ---------------------------------------------------------------------------------------------
{% macro topic(name, provider, keyArn, suffix) %}
resource "aws_sns_topic" "${{ name }}" {
{% if provider %}
  provider = ${{ provider }}

{% endif %}
  name              = "${local.name}-alerts"
  display_name      = "${local.name} alerts${{ suffix }}"
  kms_master_key_id = ${{ keyArn }}
}

resource "aws_sns_topic_subscription" "${{ name }}" {
{% if provider %}
  provider = ${{ provider }}

{% endif %}
  topic_arn              = aws_sns_topic.${{ name }}.arn
  protocol               = var.alerts_protocol
  endpoint               = var.alerts_endpoint
  endpoint_auto_confirms = var.alerts_protocol == "https"
}{% endmacro %}

${{ topic('alerts', '', 'aws_kms_key.main.arn', '') }}
{% if values.dr.replicated %}

# The recovery region's alarms (the standby's queue, database) notify a topic there: CloudWatch
# alarms publish only to a topic in their own region.
${{ topic('recovery_alerts', 'aws.recovery', 'local.recovery_kms_key_arn', ' (${var.recovery_region})') }}
{% endif %}
