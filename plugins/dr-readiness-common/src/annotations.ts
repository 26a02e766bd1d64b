/** The annotation on a Component that names its DR tier, e.g. `tier-0`. */
export const DR_TIER_ANNOTATION = 'payments-platform/dr-tier';
