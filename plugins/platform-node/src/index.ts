/**
 * Backend helpers shared by the payments platform's plugins (cost, SLO, DR): the backend's one
 * clock, answers for organisation-wide views computed once per data version and sent without
 * redoing the work per request.
 */
export {
  FixedClock,
  clockServiceFactory,
  clockServiceRef,
  systemClock,
} from './clock';
export type { Clock } from './clock';
export { JsonView, VersionedMemo } from './views';
export { jsonViewOf, sendJsonView } from './send';
export { internalErrorsHidden } from './errors';
export { externalAccessRefused, isExternalAccess } from './externalAccess';
export { AUTHORIZE_BATCH, allowedOf, authorizeEach } from './permissions';
export { RateLimiter } from './rateLimit';
export { SharedBody, gzipWithTail, sendSharedJson } from './gzip';
export type { DeflatedPart } from './gzip';
export { parseInput } from './input';
export type { CallerCredentials, UserCredentials } from './credentials';
export { migrated, migratedClient } from './database';
export type { PluginMigrations } from './database';
export { platformPluginDeps } from './pluginDeps';
export { catalogTeamHasMembers } from './catalogTeams';
