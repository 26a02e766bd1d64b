/**
 * The DR readiness engine, for the backend plugins (the DR scan, the catalog, the scaffolder):
 * the registry of controls with their checks over collected facts, tier policy read from config,
 * scoring and waivers, and evidence hashing. Types, permissions and the API's shapes are in
 * @internal/dr-readiness-common, which the frontend reads.
 *
 * @packageDocumentation
 */
export {
  DR_CONTROL_REGISTRY,
  DR_CONTROLS,
  DR_CONTROL_IDS,
  BACKUP_TYPES,
  drillWindowDays,
  measureRto,
  findDrControl,
  findRegisteredControl,
  resourceTypesFor,
  readsBucketReplication,
} from './controls';
export type {
  CheckContext,
  DrControl,
  ResourceControl,
  ServiceControl,
} from './controls';
export { closestId, unknownControlMessage } from './unknownControl';
export {
  DATA_STORE_TYPES,
  isDataStoreType,
  isDeclaredAs,
  matchDeclared,
  resourceName,
} from './declared';
export type { DeclaredMatch } from './declared';
export {
  evaluateControls,
  evaluateControl,
  dedupeCalls,
  formatMinutes,
  CHECKED_CONTROL_IDS,
} from './checks';
export {
  readDrTiers,
  readDrPolicy,
  readReadinessThresholds,
  findDrTier,
  DrTierConfigError,
  DEFAULT_READINESS_THRESHOLDS,
} from './tiers';
export {
  scoreService,
  activeWaivers,
  waiverProblems,
  normaliseEntityRef,
} from './scoring';
export type { WaiverCheckOptions } from './scoring';
export {
  canonicalJson,
  evidenceDocument,
  evidenceCsvRows,
  evidenceHash,
  EvidenceHasher,
  resultEvidence,
  formatCall,
  formatCsv,
  EVIDENCE_CSV_HEADER,
  EVIDENCE_DOCUMENT_VERSION,
} from './evidence';
export type { EvidenceInput } from './evidence';
export {
  CHAIN_METHOD,
  EVIDENCE_CHAIN_VERSION,
  inclusionProof,
  inclusionProofs,
  manifestDocument,
  resultLeaf,
  resultsRoot,
  rootFromProof,
  sealScan,
  verifyChain,
  verifyEvidencePack,
} from './evidenceChain';
