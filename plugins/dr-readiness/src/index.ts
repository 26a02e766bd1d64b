/**
 * DR readiness in the portal: the scorecard page and the DR tab of Components, for apps on the
 * legacy frontend system. Apps on the new frontend system install `@internal/dr-readiness/alpha`.
 *
 * @packageDocumentation
 */
export {
  drReadinessPlugin,
  DrReadinessPage,
  EntityDrContent,
  hasDrTier,
} from './plugin';
export { drReadinessApiRef, DrReadinessClient } from './api/DrReadinessApi';
export type {
  DrReadinessApi,
  ScorecardFilters,
  EvidenceScope,
  EvidenceFormat,
  DownloadedFile,
} from './api/DrReadinessApi';
