/**
 * DR readiness vocabulary shared by the catalog, the scaffolder and the DR plugins.
 *
 * @packageDocumentation
 */
export { DR_TIER_ANNOTATION } from './annotations';
export { readDrTiers, findDrTier, DrTierConfigError } from './tiers';
export type { DrTier } from './tiers';
