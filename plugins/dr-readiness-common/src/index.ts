/**
 * DR readiness vocabulary shared by the frontend and the backend: tiers, facts collected from
 * AWS, control results, waivers, permissions, annotations and the API's types. The engine (the
 * controls' checks, tier policy, scoring, evidence hashing) is @internal/dr-readiness-node.
 *
 * @packageDocumentation
 */
export {
  DR_TIER_ANNOTATION,
  DR_PUBLIC_HOSTNAME_ANNOTATION,
  AWS_RESOURCE_TYPE_ANNOTATION,
  AWS_RESOURCE_NAME_ANNOTATION,
} from './annotations';
export type {
  DrTier,
  DrTierPolicy,
  DrPolicy,
  DrFailoverMode,
  ReadinessThresholds,
} from './tiers';
export { DR_FAILOVER_MODES } from './tiers';
export {
  MAX_WAIVER_DAYS,
  MIN_WAIVER_REASON_LENGTH,
  MAX_WAIVER_REASON_LENGTH,
} from './waivers';
export * from './drills';
export * from './facts';
export * from './results';
export * from './api';
export * from './permissions';
