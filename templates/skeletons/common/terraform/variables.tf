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
{% endif %}
{% endif %}
