variable "service" {
  description = "The service (catalog Component) name; prefixes every resource name."
  type        = string
  default     = ${{ values.name | dump }}
}

variable "primary_region" {
  description = "Region the service runs in."
  type        = string
  default     = ${{ values.primaryRegion | dump }}
}

variable "recovery_region" {
  description = "Region the service recovers to (DR ${{ values.tier }})."
  type        = string
  default     = ${{ values.recoveryRegion | dump }}
}
{% if values.datastore == 'aurora-postgresql' %}

variable "aurora_engine_version" {
  description = "Aurora PostgreSQL engine version (the same in both regions of a global database)."
  type        = string
  default     = "16.6"
}

variable "aurora_instance_class" {
  description = "Instance class of the Aurora writer and readers."
  type        = string
  default     = "db.r6g.large"
}

variable "db_subnet_group_name" {
  description = "DB subnet group of the platform VPC in the primary region (private subnets, at least two AZs)."
  type        = string
}

variable "db_security_group_ids" {
  description = "Security groups of the Aurora cluster in the primary region (allow 5432 from the EKS node and pod security groups)."
  type        = list(string)
}
{% if values.dr.needs.auroraGlobalCluster %}

variable "recovery_db_subnet_group_name" {
  description = "DB subnet group of the platform VPC in the recovery region."
  type        = string
}

variable "recovery_db_security_group_ids" {
  description = "Security groups of the Aurora secondary cluster in the recovery region."
  type        = list(string)
}

variable "rotation_subnet_ids" {
  description = "Private subnets (primary region) for the master secret's rotation function: they reach the cluster and Secrets Manager (VPC endpoint or NAT)."
  type        = list(string)
}

variable "rotation_security_group_ids" {
  description = "Security groups of the rotation function (egress to the cluster on 5432 and to Secrets Manager on 443; allowed in by the cluster's security group)."
  type        = list(string)
}
{% endif %}
{% endif %}

variable "alerts_endpoint" {
  description = "Where the alerts topic sends alarms: the on-call endpoint, e.g. a PagerDuty CloudWatch integration URL (https) or the team's address (email)."
  type        = string
  sensitive   = true
}

variable "alerts_protocol" {
  description = "SNS protocol of alerts_endpoint: https (PagerDuty, Opsgenie), email, ..."
  type        = string
  default     = "https"
}

variable "log_retention_days" {
  description = "Retention of the service's log groups, in days (PCI DSS 10.5.1: at least a year)."
  type        = number
  default     = 400

  validation {
    condition     = var.log_retention_days >= 365 && contains([365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be at least 365 and a CloudWatch Logs retention value (365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}
