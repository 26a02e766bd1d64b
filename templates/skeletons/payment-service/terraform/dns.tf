{% set needs = values.dr.needs %}
{% set replicated = values.dr.replicated %}
{% set failover = needs.route53Failover %}
{% set manual = values.dr.failoverMode != 'automatic' %}
# ${{ values.name }}: the public edge, when the service has a public hostname (the form's "public hostname"):
# TLS certificate, WAF and DNS in every region the service runs in.
{% if values.publicHostname %}
# Each region also answers on its own name (<region>.${{ values.publicHostname }}): the Ingress
# serves it and the certificate covers it, so Route 53 health checks reach that region with a
# Host header and SNI the Ingress matches.
{% if failover %}
# Failover mode of DR ${{ values.tier }}: ${{ 'MANUAL. The primary record follows a failover switch (a health check with no children) that the incident commander inverts; the deep health checks only alarm.' if manual else 'AUTOMATIC. The primary record follows the deep health check of ' ~ values.primaryRegion ~ ': when it fails, Route 53 answers with ' ~ values.recoveryRegion ~ '.' }}
{% endif %}

variable "public_zone_id" {
  description = ${{ ('Route 53 public hosted zone that holds ' ~ values.publicHostname ~ '.') | dump }}
  type        = string
}

# The load balancers exist once the first release's Ingress is deployed (AWS Load Balancer
# Controller): apply without them first, deploy, then set them and apply again.
variable "primary_lb_dns_name" {
  description = "DNS name of the load balancer the Ingress created in the primary region (kubectl get ingress -n ${{ values.systemName }} ${{ values.name }})."
  type        = string
  default     = null
}

variable "primary_lb_zone_id" {
  description = "Canonical hosted zone id of that load balancer (aws elbv2 describe-load-balancers --query 'LoadBalancers[].CanonicalHostedZoneId')."
  type        = string
  default     = null
}
{% if replicated %}

variable "recovery_lb_dns_name" {
  description = "DNS name of the load balancer the Ingress created in the recovery region."
  type        = string
  default     = null
}

variable "recovery_lb_zone_id" {
  description = "Canonical hosted zone id of the recovery load balancer."
  type        = string
  default     = null
}
{% endif %}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes from one IP address above which the WAF blocks it."
  type        = number
  default     = 2000
}

locals {
  public_hostname = ${{ values.publicHostname | dump }}
  regional_hostnames = {
    (var.primary_region) = "${var.primary_region}.${local.public_hostname}"
{% if replicated %}
    (var.recovery_region) = "${var.recovery_region}.${local.public_hostname}"
{% endif %}
  }
  # The hosts the Ingress of each region serves (ssm.tf: ingress.hosts).
  ingress_hosts = { for region, hostname in local.regional_hostnames : region => [local.public_hostname, hostname] }
}

# ---------------------------------------------------------------------------------------------
# TLS: one certificate per region (ACM is regional), covering the public and the regional names.
# ---------------------------------------------------------------------------------------------

resource "aws_acm_certificate" "main" {
  domain_name               = local.public_hostname
  subject_alternative_names = values(local.regional_hostnames)
  validation_method         = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

# The same names in the same account share their validation records.
resource "aws_route53_record" "certificate_validation" {
  for_each = { for option in aws_acm_certificate.main.domain_validation_options : option.domain_name => option }

  zone_id         = var.public_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "main" {
  certificate_arn         = aws_acm_certificate.main.arn
  validation_record_fqdns = [for record in aws_route53_record.certificate_validation : record.fqdn]
}
{% if replicated %}

resource "aws_acm_certificate" "recovery" {
  provider = aws.recovery

  domain_name               = local.public_hostname
  subject_alternative_names = values(local.regional_hostnames)
  validation_method         = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_acm_certificate_validation" "recovery" {
  provider = aws.recovery

  certificate_arn         = aws_acm_certificate.recovery.arn
  validation_record_fqdns = [for record in aws_route53_record.certificate_validation : record.fqdn]
}
{% endif %}

# ---------------------------------------------------------------------------------------------
# WAF (PCI 6.4.2): AWS managed rules and a rate limit in front of every public Ingress, logged
# (Authorization and Cookie redacted) to a KMS-encrypted log group.
# ---------------------------------------------------------------------------------------------
{% macro managedRules(rules) %}
{% for rule in rules %}

  rule {
    name     = "${{ rule[0] }}"
    priority = ${{ loop.index * 10 }}

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "${{ rule[0] }}"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${local.name}-${{ rule[1] }}"
      sampled_requests_enabled   = true
    }
  }
{% endfor %}
{%- endmacro %}
{% macro webAcl(name, logGroup, provider, keyArn) %}

resource "aws_cloudwatch_log_group" "${{ logGroup }}" {
{% if provider %}
  provider = ${{ provider }}

{% endif %}
  # WAF logs only to log groups named aws-waf-logs-*.
  name              = "aws-waf-logs-${local.name}"
  kms_key_id        = ${{ keyArn }}
  retention_in_days = var.log_retention_days
}

resource "aws_wafv2_web_acl" "${{ name }}" {
{% if provider %}
  provider = ${{ provider }}

{% endif %}
  name        = local.name
  description = "${local.name}: ${local.public_hostname}"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }
${{ managedRules([['AWSManagedRulesCommonRuleSet', 'common'], ['AWSManagedRulesKnownBadInputsRuleSet', 'known-bad-inputs'], ['AWSManagedRulesSQLiRuleSet', 'sqli']]) }}
  rule {
    name     = "rate-limit"
    priority = 100

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${local.name}-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = local.name
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_logging_configuration" "${{ name }}" {
{% if provider %}
  provider = ${{ provider }}

{% endif %}
  resource_arn            = aws_wafv2_web_acl.${{ name }}.arn
  log_destination_configs = [aws_cloudwatch_log_group.${{ logGroup }}.arn]

  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

  redacted_fields {
    single_header {
      name = "cookie"
    }
  }
}
{%- endmacro %}
${{ webAcl('main', 'waf', '', 'aws_kms_key.main.arn') }}
{% if replicated %}
${{ webAcl('recovery', 'recovery_waf', 'aws.recovery', 'local.recovery_kms_key_arn') }}
{% endif %}

# ---------------------------------------------------------------------------------------------
# DNS: ${{ values.publicHostname }}
# ---------------------------------------------------------------------------------------------
{% macro regionalRecord(name, region, prefix) %}

resource "aws_route53_record" "${{ name }}" {
  count = var.${{ prefix }}_lb_dns_name == null ? 0 : 1

  zone_id = var.public_zone_id
  name    = local.regional_hostnames[var.${{ region }}]
  type    = "A"

  alias {
    name                   = var.${{ prefix }}_lb_dns_name
    zone_id                = var.${{ prefix }}_lb_zone_id
    evaluate_target_health = true
  }
}
{%- endmacro %}

# Each region's own name: what its health check probes.
${{ regionalRecord('regional_primary', 'primary_region', 'primary') }}
{% if replicated %}
${{ regionalRecord('regional_recovery', 'recovery_region', 'recovery') }}
{% endif %}
{% if failover %}
{% macro deepCheck(name, region) %}

# /healthz/deep answers 200 only when the datastore does; probed by the region's own name over
# HTTPS (SNI and Host match the Ingress and the certificate).
resource "aws_route53_health_check" "${{ name }}" {
  fqdn              = local.regional_hostnames[var.${{ region }}]
  port              = 443
  type              = "HTTPS"
  resource_path     = "/healthz/deep"
  enable_sni        = true
  request_interval  = 10
  failure_threshold = 3
  measure_latency   = true

  tags = {
    Name = "${local.name}-${var.${{ region }}}-deep"
  }
}
{%- endmacro %}
${{ deepCheck('primary', 'primary_region') }}
${{ deepCheck('recovery', 'recovery_region') }}
{% if manual %}

# The failover switch: a calculated health check with no children and a threshold of 0, so it is
# healthy until the incident commander inverts it (docs/runbook-dr.md):
#   aws route53 update-health-check --health-check-id <terraform output failover_switch_health_check_id> --inverted
# Terraform ignores the inversion, so an apply during an incident does not fail back.
resource "aws_route53_health_check" "failover_switch" {
  type                   = "CALCULATED"
  child_health_threshold = 0
  child_healthchecks     = []

  tags = {
    Name = "${local.name}-failover-switch"
  }

  lifecycle {
    ignore_changes = [invert_healthcheck]
  }
}
{% endif %}

# Failover records (control route53-failover): ${{ 'the switch decides for the primary; the target health of its load balancer is not evaluated, so nothing fails over on its own' if manual else 'the primary answers while its deep health check passes' }}.
resource "aws_route53_record" "primary" {
  count = var.primary_lb_dns_name == null ? 0 : 1

  zone_id         = var.public_zone_id
  name            = local.public_hostname
  type            = "A"
  set_identifier  = "${local.name}-primary"
  health_check_id = aws_route53_health_check.${{ 'failover_switch' if manual else 'primary' }}.id

  failover_routing_policy {
    type = "PRIMARY"
  }

  alias {
    name                   = var.primary_lb_dns_name
    zone_id                = var.primary_lb_zone_id
    evaluate_target_health = ${{ 'false' if manual else 'true' }}
  }
}

resource "aws_route53_record" "secondary" {
  count = var.recovery_lb_dns_name == null ? 0 : 1

  zone_id         = var.public_zone_id
  name            = local.public_hostname
  type            = "A"
  set_identifier  = "${local.name}-secondary"
  health_check_id = aws_route53_health_check.recovery.id

  failover_routing_policy {
    type = "SECONDARY"
  }

  alias {
    name                   = var.recovery_lb_dns_name
    zone_id                = var.recovery_lb_zone_id
    evaluate_target_health = true
  }
}

# ---------------------------------------------------------------------------------------------
# Health check alarms. Route 53 publishes HealthCheckStatus in us-east-1 only, and an alarm
# notifies topics of its own region: a topic there, encrypted, subscribed to the on-call endpoint.
# ---------------------------------------------------------------------------------------------

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = {
{% for key, value in values.terraformTags %}
      ${{ key | dump }}{% for i in range(0, 19 - (key | length)) %} {% endfor %} = ${{ value | dump }}
{% endfor %}
    }
  }
}

data "aws_iam_policy_document" "health_alerts_key" {
  statement {
    sid       = "AccountAdministersThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsPublishToTheTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "health_alerts" {
  provider = aws.us_east_1

  description             = "${local.name}: health check alerts (us-east-1)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.health_alerts_key.json
}

resource "aws_sns_topic" "health_alerts" {
  provider = aws.us_east_1

  name              = "${local.name}-health-alerts"
  display_name      = "${local.name} health checks"
  kms_master_key_id = aws_kms_key.health_alerts.arn
}

resource "aws_sns_topic_subscription" "health_alerts" {
  provider = aws.us_east_1

  topic_arn              = aws_sns_topic.health_alerts.arn
  protocol               = var.alerts_protocol
  endpoint               = var.alerts_endpoint
  endpoint_auto_confirms = var.alerts_protocol == "https"
}
{% macro healthAlarm(name, check, region) %}

resource "aws_cloudwatch_metric_alarm" "${{ name }}" {
  provider = aws.us_east_1

  alarm_name          = "${local.name}-${var.${{ region }}}-deep-health"
  alarm_description   = "${local.name} in ${var.${{ region }}}: /healthz/deep fails (the datastore does not answer). ${{ 'Failover mode manual: the incident commander decides (docs/runbook-dr.md).' if manual else 'Failover mode automatic: Route 53 moves traffic while it fails.' }}"
  namespace           = "AWS/Route53"
  metric_name         = "HealthCheckStatus"
  dimensions          = { HealthCheckId = aws_route53_health_check.${{ check }}.id }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 2
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = [aws_sns_topic.health_alerts.arn]
  ok_actions          = [aws_sns_topic.health_alerts.arn]
}
{%- endmacro %}
${{ healthAlarm('primary_health', 'primary', 'primary_region') }}
${{ healthAlarm('recovery_health', 'recovery', 'recovery_region') }}
{% if manual %}

output "failover_switch_health_check_id" {
  description = "The failover switch: invert it to move ${{ values.publicHostname }} to ${{ values.recoveryRegion }} (aws route53 update-health-check --health-check-id <id> --inverted; --no-inverted to fail back)."
  value       = aws_route53_health_check.failover_switch.id
}
{% endif %}

output "health_check_ids" {
  description = "Deep health checks per region (${{ 'alarm only' if manual else 'the primary one moves traffic' }})."
  value = {
    (var.primary_region)  = aws_route53_health_check.primary.id
    (var.recovery_region) = aws_route53_health_check.recovery.id
  }
}
{% else %}

# Single region for this tier: an alias to the primary load balancer, no failover.
resource "aws_route53_record" "main" {
  count = var.primary_lb_dns_name == null ? 0 : 1

  zone_id = var.public_zone_id
  name    = local.public_hostname
  type    = "A"

  alias {
    name                   = var.primary_lb_dns_name
    zone_id                = var.primary_lb_zone_id
    evaluate_target_health = true
  }
}
{% endif %}

output "certificate_arns" {
  description = "ACM certificates per region (ingress.certificateArn)."
  value = {
    (var.primary_region) = aws_acm_certificate.main.arn
{% if replicated %}
    (var.recovery_region) = aws_acm_certificate.recovery.arn
{% endif %}
  }
}

output "waf_acl_arns" {
  description = "WAF web ACLs per region (ingress.wafAclArn)."
  value = {
    (var.primary_region) = aws_wafv2_web_acl.main.arn
{% if replicated %}
    (var.recovery_region) = aws_wafv2_web_acl.recovery.arn
{% endif %}
  }
}
{% endif %}
