/** The annotation on a Component that names its DR tier, e.g. `tier-0`. */
export const DR_TIER_ANNOTATION = 'payments-platform/dr-tier';

/**
 * The annotation on a Component naming its public hostname (e.g. `pay.example.com`): the DR
 * scan checks Route 53 health checks and failover routing for it.
 */
export const DR_PUBLIC_HOSTNAME_ANNOTATION =
  'payments-platform/public-hostname';

/** The annotation on a Resource naming its AWS resource type in the Tagging API's form, e.g. `rds:cluster`. */
export const AWS_RESOURCE_TYPE_ANNOTATION =
  'payments-platform/aws-resource-type';

/**
 * The annotation on a Resource naming the AWS resource it is (its identifier or name without
 * the environment suffix), when that differs from the entity's name.
 */
export const AWS_RESOURCE_NAME_ANNOTATION =
  'payments-platform/aws-resource-name';
