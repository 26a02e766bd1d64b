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

# The brokers' IAM (SASL) addresses, for the pods (ssm.tf writes them into the Helm values).
data "aws_msk_bootstrap_brokers" "main" {
  cluster_arn = var.msk_cluster_arn
}
{% if values.dr.replicated %}

variable "recovery_msk_cluster_arn" {
  description = "ARN of the platform's MSK cluster in ${{ values.recoveryRegion }}, which holds the replicated topic (MSK Replicator) the warm standby reads."
  type        = string
}

data "aws_msk_bootstrap_brokers" "recovery" {
  provider    = aws.recovery
  cluster_arn = var.recovery_msk_cluster_arn
}
{% endif %}
{% endif %}
{% if values.source == 'sqs' %}

# What the consumer's pods may do with the queues (attached to its IRSA role, iam.tf).
# ${{ 'In both regions: the standby in ' ~ values.recoveryRegion ~ ' reads its own queue (queue.tf).' if values.dr.replicated else 'One region.' }}
data "aws_iam_policy_document" "consumer" {
  statement {
    sid       = "ConsumeEvents"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.main.arn${{ ', aws_sqs_queue.recovery.arn' if values.dr.replicated else '' }}]
  }

  statement {
    sid       = "DeadLetter"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq.arn${{ ', aws_sqs_queue.recovery_dlq.arn' if values.dr.replicated else '' }}]
  }

  statement {
    sid       = "QueueKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.main.arn${{ ', local.recovery_kms_key_arn' if values.dr.replicated else '' }}]
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

# What the consumer's pods may do (attached to its IRSA role, iam.tf): IAM access control of MSK, limited to its topics and its consumer group.
data "aws_iam_policy_document" "consumer" {
  # WriteDataIdempotently: kafkajs's idempotent producer (the dead-letter writes) initialises a
  # producer id on the cluster; without it the consumer cannot start.
  statement {
    sid       = "Connect"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"]
    resources = [var.msk_cluster_arn${{ ', var.recovery_msk_cluster_arn' if values.dr.replicated else '' }}]
  }

  statement {
    sid       = "ConsumeEvents"
    actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]
    resources = [for prefix in local.msk_topic_prefixes : "${prefix}/${var.kafka_topic}"]
  }

  statement {
    sid       = "DeadLetter"
    actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"]
    resources = [for prefix in local.msk_topic_prefixes : "${prefix}/${local.name}.dlq"]
  }

  statement {
    sid       = "ConsumerGroup"
    actions   = ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"]
    resources = [for prefix in local.msk_group_prefixes : "${prefix}/${local.name}"]
  }
}

locals {
  # The cluster in each region the consumer runs in.
  msk_cluster_arns = [var.msk_cluster_arn${{ ', var.recovery_msk_cluster_arn' if values.dr.replicated else '' }}]
  # arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid> -> topic/<name>/<uuid>, group/<name>/<uuid>
  msk_topic_prefixes = [for arn in local.msk_cluster_arns : replace(arn, ":cluster/", ":topic/")]
  msk_group_prefixes = [for arn in local.msk_cluster_arns : replace(arn, ":cluster/", ":group/")]
}
{% endif %}

resource "aws_iam_policy" "consumer" {
  name        = "${local.name}-consumer"
  description = "${local.name}: read the payment events, write the dead letters"
  policy      = data.aws_iam_policy_document.consumer.json
}

output "consumer_policy_arn" {
  description = "The consumer's event-source policy (attached to its IRSA role)."
  value       = aws_iam_policy.consumer.arn
}
