/**
 * A loopback AWS endpoint over a deterministic demo estate, for the embedded default and for
 * integration tests and benchmarks. Production never uses it.
 */
export { startAwsLocal, ADMIN_PREFIX, SERVICES } from './server/AwsLocalServer';
export type { AwsLocal, AwsLocalOptions } from './server/AwsLocalServer';
export type { CallStatsSnapshot, OperationCounts } from './server/stats';
export type { FaultPatch, FaultSettings } from './server/faults';
export { faultsFromEnv, FaultSettingsError } from './server/faults';
export {
  DemoEstate,
  DEFAULT_SEED_FILE,
  DEFAULT_CATALOG_FILE,
  SHARED_PRODUCT,
} from './estate/DemoEstate';
export type {
  CostSeries,
  EstateResource,
  EstateOptions,
  EstateAnomaly,
} from './estate/DemoEstate';
export {
  EstateSeedError,
  DR_GAP_KINDS,
  DEFAULT_AWS_CONFIG,
} from './estate/seed';
export type {
  DemoAccount,
  EstateSeed,
  DrGapKind,
  DrGapSeed,
  AwsConfigSeed,
  AwsConfigGapReason,
} from './estate/seed';
export type { DrGap, DrUnreadable, ProtectedResource } from './estate/dr';
export {
  COPY_JOB_HISTORY_DAYS,
  backupJobMinutes,
  newestBackupStart,
} from './services/backup';
export { COST_AND_USAGE_PAGE_ROWS } from './services/costExplorer';
export { awsLocalClientConfig, LOCAL_CREDENTIALS } from './clientConfig';
export {
  writeCurExport,
  curTagColumnKey,
  curLineItemType,
  DEFAULT_CUR_EXPORT_NAME,
} from './exports/curExport';
export type { CurExportOptions, CurExportResult } from './exports/curExport';
export { ATHENA_MAX_RESULTS } from './services/athena';
export { DEFAULT_ATHENA_CATALOG } from './services/athena/engine';
export type { AthenaCatalog } from './services/athena/engine';
