/**
 * Backend helpers shared by the payments platform's plugins (cost, SLO, DR): answers for
 * organisation-wide views computed once per data version and sent without redoing the work per
 * request.
 */
export { JsonView, VersionedMemo } from './views';
export { jsonViewOf, sendJsonView } from './send';
