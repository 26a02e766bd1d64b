{% if values.queue or values.source == 'sqs' %}
{% set ageSeconds = values.dr.rpoMinutes * 60 %}
{% if ageSeconds > 3600 %}{% set ageSeconds = 3600 %}{% endif %}
{% if ageSeconds < 60 %}{% set ageSeconds = 60 %}{% endif %}
# ---------------------------------------------------------------------------------------------
{% if values.source == 'sqs' %}
# SQS: the payment events this consumer reads, with a dead-letter queue. The consumer retries
# in process (MAX_ATTEMPTS) and sends what fails to the DLQ itself; the redrive policy is the net
# for messages a crashing consumer never finishes.
{% else %}
# SQS: accepted payments for asynchronous processing (published from the outbox), with a
# dead-letter queue.
{% endif %}
{% if values.dr.replicated %}
# The same pair in ${{ values.recoveryRegion }}, so the warm standby starts (SQS_QUEUE_URL there).
{% endif %}
# Alarms notify the alerts topic of their region (alerts.tf): a message in the DLQ, and the
# oldest message older than ${{ ageSeconds }} s (the tier's ${{ values.dr.rpoMinutes }}-minute RPO, capped at an hour so a
# stuck ${{ 'consumer' if values.source else 'processor' }} pages long before the 4-day retention drops anything).
# ---------------------------------------------------------------------------------------------
{% macro queuePair(main, dlq, provider, keyArn, topic, suffix) %}
resource "aws_sqs_queue" "${{ dlq }}" {
{% if provider %}
  provider = ${{ provider }}

{% endif %}
  name                              = "${local.name}-dlq"
  message_retention_seconds         = 1209600
  kms_master_key_id                 = ${{ keyArn }}
  kms_data_key_reuse_period_seconds = 300
}

resource "aws_sqs_queue" "${{ main }}" {
{% if provider %}
  provider = ${{ provider }}

{% endif %}
  name                              = local.name
  visibility_timeout_seconds        = 60
  message_retention_seconds         = 345600
  receive_wait_time_seconds         = 20
  kms_master_key_id                 = ${{ keyArn }}
  kms_data_key_reuse_period_seconds = 300

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.${{ dlq }}.arn
    maxReceiveCount     = 5
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "${{ dlq }}" {
{% if provider %}
  provider = ${{ provider }}

{% endif %}
  queue_url = aws_sqs_queue.${{ dlq }}.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.${{ main }}.arn]
  })
}

resource "aws_cloudwatch_metric_alarm" "${{ dlq }}_not_empty" {
{% if provider %}
  provider = ${{ provider }}

{% endif %}
  alarm_name          = "${local.name}-dlq-not-empty${{ suffix }}"
  alarm_description   = "Messages reached the dead-letter queue of ${local.name}: inspect, fix, then redrive."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.${{ dlq }}.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.${{ topic }}.arn]
  ok_actions          = [aws_sns_topic.${{ topic }}.arn]
}

resource "aws_cloudwatch_metric_alarm" "${{ main }}_oldest_message_age" {
{% if provider %}
  provider = ${{ provider }}

{% endif %}
  alarm_name          = "${local.name}-oldest-message-age${{ suffix }}"
  alarm_description   = "The oldest message in ${local.name} waited over ${{ ageSeconds }} s: the ${{ 'consumer' if values.source else 'processor' }} is stuck or too slow."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.${{ main }}.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = ${{ ageSeconds }}
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.${{ topic }}.arn]
  ok_actions          = [aws_sns_topic.${{ topic }}.arn]
}{% endmacro %}

${{ queuePair('main', 'dlq', '', 'aws_kms_key.main.arn', 'alerts', '') }}
{% if values.dr.replicated %}

# ---------------------------------------------------------------------------------------------
# ${{ values.recoveryRegion }}: the standby's queue and dead-letter queue, with the replica key.
# ---------------------------------------------------------------------------------------------

${{ queuePair('recovery', 'recovery_dlq', 'aws.recovery', 'local.recovery_kms_key_arn', 'recovery_alerts', '-${var.recovery_region}') }}
{% endif %}
{% endif %}
