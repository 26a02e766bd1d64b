{% set needs = values.dr.needs %}
# ${{ values.name }}: public DNS, when the service has a public hostname (the form's "public hostname").
{% if values.publicHostname %}

variable "public_zone_id" {
  description = ${{ ('Route 53 public hosted zone that holds ' ~ values.publicHostname ~ '.') | dump }}
  type        = string
}

variable "primary_lb_dns_name" {
  description = "DNS name of the load balancer in front of the service in the primary region (AWS Load Balancer Controller ingress)."
  type        = string
}

variable "primary_lb_zone_id" {
  description = "Canonical hosted zone id of that load balancer."
  type        = string
}
{% if values.dr.needs.route53Failover %}

variable "recovery_lb_dns_name" {
  description = "DNS name of the load balancer in front of the service in the recovery region."
  type        = string
}

variable "recovery_lb_zone_id" {
  description = "Canonical hosted zone id of the recovery load balancer."
  type        = string
}
{% endif %}
{% endif %}

{% if values.publicHostname %}

# ---------------------------------------------------------------------------------------------
# DNS: ${{ values.publicHostname }}
# ---------------------------------------------------------------------------------------------
{% if needs.route53Failover %}

# Health check on the primary region's readiness endpoint; failing it moves traffic to
# ${{ values.recoveryRegion }} without a DNS change by hand (control route53-failover).
resource "aws_route53_health_check" "primary" {
  fqdn              = var.primary_lb_dns_name
  port              = 443
  type              = "HTTPS"
  resource_path     = "/readyz"
  request_interval  = 10
  failure_threshold = 3
  measure_latency   = true

  tags = {
    Name = "${local.name}-${var.primary_region}"
  }
}

resource "aws_route53_health_check" "recovery" {
  fqdn              = var.recovery_lb_dns_name
  port              = 443
  type              = "HTTPS"
  resource_path     = "/readyz"
  request_interval  = 10
  failure_threshold = 3

  tags = {
    Name = "${local.name}-${var.recovery_region}"
  }
}

resource "aws_route53_record" "primary" {
  zone_id         = var.public_zone_id
  name            = ${{ values.publicHostname | dump }}
  type            = "A"
  set_identifier  = "${local.name}-primary"
  health_check_id = aws_route53_health_check.primary.id

  failover_routing_policy {
    type = "PRIMARY"
  }

  alias {
    name                   = var.primary_lb_dns_name
    zone_id                = var.primary_lb_zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "secondary" {
  zone_id         = var.public_zone_id
  name            = ${{ values.publicHostname | dump }}
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
{% else %}

# Single region for this tier: an alias to the primary load balancer, no failover.
resource "aws_route53_record" "main" {
  zone_id = var.public_zone_id
  name    = ${{ values.publicHostname | dump }}
  type    = "A"

  alias {
    name                   = var.primary_lb_dns_name
    zone_id                = var.primary_lb_zone_id
    evaluate_target_health = true
  }
}
{% endif %}
{% endif %}
