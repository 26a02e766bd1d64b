/**
 * DR readiness shared by the catalog, the scaffolder and the DR plugins: tiers, facts collected
 * from AWS, the controls (pure checks over those facts), scoring, waivers and the API's types.
 *
 * @packageDocumentation
 */
export {
  DR_TIER_ANNOTATION,
  DR_PUBLIC_HOSTNAME_ANNOTATION,
} from './annotations';
export {
  readDrTiers,
  readDrPolicy,
  readReadinessThresholds,
  findDrTier,
  DrTierConfigError,
  DEFAULT_READINESS_THRESHOLDS,
} from './tiers';
export type {
  DrTier,
  DrTierPolicy,
  DrPolicy,
  ReadinessThresholds,
} from './tiers';
export {
  DR_CONTROLS,
  DR_CONTROL_IDS,
  findDrControl,
  unknownControlMessage,
} from './controls';
export {
  evaluateControls,
  evaluateControl,
  dedupeCalls,
  formatMinutes,
  CHECKED_CONTROL_IDS,
} from './checks';
export {
  scoreService,
  activeWaivers,
  waiverProblems,
  MAX_WAIVER_DAYS,
  MIN_WAIVER_REASON_LENGTH,
  MAX_WAIVER_REASON_LENGTH,
  normaliseEntityRef,
} from './scoring';
export type { WaiverCheckOptions } from './scoring';
export {
  canonicalJson,
  evidenceDocument,
  evidenceCsvRows,
  formatCall,
  formatCsv,
  EVIDENCE_CSV_HEADER,
  EVIDENCE_DOCUMENT_VERSION,
} from './evidence';
export type { EvidenceInput } from './evidence';
export * from './facts';
export * from './results';
export * from './api';
export * from './permissions';
