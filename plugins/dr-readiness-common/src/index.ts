/**
 * DR readiness shared by the catalog, the scaffolder and the DR plugins: tiers, facts collected
 * from AWS, the controls (pure checks over those facts), scoring, waivers and the API's types.
 *
 * @packageDocumentation
 */
export { DR_TIER_ANNOTATION, DR_PUBLIC_HOSTNAME_ANNOTATION } from './annotations';
export { readDrTiers, findDrTier, DrTierConfigError } from './tiers';
export type { DrTier } from './tiers';
export * from './facts';
export * from './results';
export * from './api';
export * from './permissions';
