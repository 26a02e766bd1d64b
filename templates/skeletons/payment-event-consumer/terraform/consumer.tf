# ${{ values.name }}: what its pods may do with the event source ${{ 'SQS queue' if values.source == 'sqs' else 'MSK topics' }}.

{% if values.source == 'msk' %}

variable "msk_cluster_arn" {
  description = "ARN of the platform's MSK cluster in the primary region (IAM access control)."
  type        = string
}

variable "kafka_topic" {
  description = "The payment events topic this consumer reads."
  type        = string
}
{% endif %}

{% if values.source == 'sqs' %}
# What the consumer's pods (IRSA role, created by the platform's workload-roles Terraform) may do.
data "aws_iam_policy_document" "consumer" {
  statement {
    sid       = "ConsumeEvents"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.main.arn]
  }

  statement {
    sid       = "DeadLetter"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq.arn]
  }

  statement {
    sid       = "QueueKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.main.arn]
  }
}
{% else %}

# ---------------------------------------------------------------------------------------------
# Amazon MSK: the payment events topic on the platform's cluster. Topics are not Terraform
# resources here: ask the platform team for (or create with kafka-topics.sh over IAM auth)
#   ${var.kafka_topic}               the events (owned by the producer)
#   ${{ values.name }}.dlq   the dead-letter topic: same partitions, retention 14 days
# The consumer group is ${{ values.name }}. A CloudWatch alarm on the DLQ topic's
# offsets (or the consumer's messages_processed_total{outcome="error"}) pages the team.
# ---------------------------------------------------------------------------------------------

# What the consumer's pods (IRSA role, created by the platform's workload-roles Terraform) may do:
# IAM access control of MSK, limited to its topics and its consumer group.
data "aws_iam_policy_document" "consumer" {
  statement {
    sid       = "Connect"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [var.msk_cluster_arn]
  }

  statement {
    sid       = "ConsumeEvents"
    actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
    resources = ["${local.msk_topic_prefix}/${var.kafka_topic}"]
  }

  statement {
    sid       = "DeadLetter"
    actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
    resources = ["${local.msk_topic_prefix}/${local.name}.dlq"]
  }

  statement {
    sid       = "ConsumerGroup"
    actions   = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"]
    resources = ["${local.msk_group_prefix}/${local.name}"]
  }
}

locals {
  # arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid> -> topic/<name>/<uuid>, group/<name>/<uuid>
  msk_topic_prefix = replace(var.msk_cluster_arn, ":cluster/", ":topic/")
  msk_group_prefix = replace(var.msk_cluster_arn, ":cluster/", ":group/")
}
{% endif %}

resource "aws_iam_policy" "consumer" {
  name        = "${local.name}-consumer"
  description = "${local.name}: read the payment events, write the dead letters"
  policy      = data.aws_iam_policy_document.consumer.json
}

output "consumer_policy_arn" {
  description = "IAM policy to attach to the consumer's IRSA role."
  value       = aws_iam_policy.consumer.arn
}
