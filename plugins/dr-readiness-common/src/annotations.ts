/** The annotation on a Component that names its DR tier, e.g. `tier-0`. */
export const DR_TIER_ANNOTATION = 'payments-platform/dr-tier';

/**
 * The annotation on a Component naming its public hostname (e.g. `pay.example.com`): the DR
 * scan checks Route 53 health checks and failover routing for it.
 */
export const DR_PUBLIC_HOSTNAME_ANNOTATION =
  'payments-platform/public-hostname';
