/**
 * SLOs in the portal: the SLOs page with the weekly review, and the SLO tab of Components and
 * Systems, for apps on the legacy frontend system. Apps on the new frontend system install
 * `@internal/slo/alpha`.
 *
 * @packageDocumentation
 */
export { sloPlugin, SloPage, EntitySloContent } from './plugin';
export { sloApiRef, SloClient } from './api/SloApi';
export type { SloApi, NewReviewNote } from './api/SloApi';
