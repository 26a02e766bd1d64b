import type { DrillKind, DrillOutcome, FailoverDrill } from './drills';
import type { ApiCallRecord, CollectionGap } from './facts';
import type {
  CheckStatus,
  ControlDefinition,
  ControlResult,
  ReadinessLevel,
  ServiceScore,
  Waiver,
} from './results';

/**
 * The DR readiness backend's HTTP API (mounted at /api/dr-readiness), as the frontend and
 * auditors' tools read it. Times are ISO strings.
 */

/**
 * A scan: one pass over the configured accounts x regions (or one service, on demand, or the
 * services no scan had covered yet).
 */
export interface ScanSummary {
  id: string;
  /**
   * `scheduled` (every service), `rescan` (one service, on demand) or `catch-up` (services in the
   * catalog with a DR tier that no scan had covered yet, e.g. new ones, scanned soon after they appear).
   */
  trigger: 'scheduled' | 'rescan' | 'catch-up';
  /** For a rescan: the service it covered. */
  entityRef?: string;
  /** For a rescan or a catch-up: the services it covered. */
  entityRefs?: string[];
  startedAt: string;
  finishedAt?: string;
  /** `running`, `completed` (possibly with gaps), `failed` (nothing stored), `interrupted`. */
  status: 'running' | 'completed' | 'failed' | 'interrupted';
  /** AWS calls made, by `service:Operation`. */
  calls: Record<string, number>;
  servicesScanned: number;
  resourcesScanned: number;
  /** Accounts x regions that could not be read; their services' controls say `error`. */
  gaps: CollectionGap[];
  error?: string;
  /** For a rescan: who asked for it. */
  requestedBy?: string;
}

/** Tier as shown to users. */
export interface TierView {
  id: string;
  title: string;
  rtoMinutes: number;
  rpoMinutes: number;
  /** The controls the tier requires, with their catalogue titles (a service not scanned yet has no results to name them). */
  controls: Array<{ id: string; title: string; weight: number }>;
}

/** One cell of the scorecard grid: a service x control. */
export interface ScorecardCell {
  status: CheckStatus;
  summary: string;
  fix?: string;
  /** The active waiver, when the control is waived (the status stays what the scan found). */
  waiver?: Pick<Waiver, 'id' | 'reason' | 'approver' | 'expiresAt'>;
}

export interface ScorecardRow {
  entityRef: string;
  name: string;
  title?: string;
  /** Product (System) and team (owner Group) names. */
  product?: string;
  team?: string;
  tier: string;
  /** The tier id on the component when it names no configured tier (the row then has no score). */
  unknownTier?: boolean;
  score: ServiceScore;
  /** Keyed by control id; controls the tier does not require are absent. */
  cells: Record<string, ScorecardCell>;
  /** Score per completed scan, oldest first (up to 30 points). */
  trend: Array<{ at: string; score: number | null }>;
  scannedAt?: string;
}

/** GET /scorecard?team=&product=&tier= */
export interface ScorecardResponse {
  generatedAt: string;
  lastScan?: ScanSummary;
  tiers: TierView[];
  controls: ControlDefinition[];
  rows: ScorecardRow[];
  /** Services in the catalog with a DR tier that no completed scan has covered yet. */
  notYetScanned: number;
}

/** A control's result for one service as the DR tab shows it. */
export interface ControlResultView extends ControlResult {
  title: string;
  area: string;
  weight: number;
  /** SHA-256 (hex) of the canonical JSON of this result's evidence (see `evidenceDocument`). */
  evidenceHash: string;
  scannedAt: string;
  waiver?: Waiver;
}

/** GET /services/:namespace/:name */
export interface ServiceDetailResponse {
  entityRef: string;
  name: string;
  title?: string;
  product?: string;
  team?: string;
  tier: TierView;
  score: ServiceScore;
  results: ControlResultView[];
  /** Every waiver on record for the service, expired and revoked ones included. */
  waivers: Waiver[];
  scan?: ScanSummary;
  /** When a rescan of this service may next be asked for (rate limit), if not now. */
  rescanAvailableAt?: string;
  /** The newest succeeded failover drill against the tier's RTO and drill window (live, not as of the scan). */
  measuredRto?: MeasuredRto;
}

/**
 * Measured RTO: the newest succeeded failover drill's duration against the tier's RTO, and its
 * age against the tier's drill window (`drillWithinDays`).
 */
export interface MeasuredRto {
  rtoMinutes: number;
  drillWithinDays: number;
  /** Undefined when no succeeded drill is recorded. */
  drill?: FailoverDrill;
  /** Whole days since the drill ended. */
  ageDays?: number;
  withinRto?: boolean;
  withinWindow?: boolean;
  /** Drills recorded for the service (succeeded or failed). */
  drillsRecorded: number;
}

/**
 * POST /services/:namespace/:name/drills: records a failover drill as the signed-in user's
 * (needs dr.drill.create on the service). A 400 names each bad field.
 */
export interface DrillRequest {
  kind: DrillKind;
  startedAt: string;
  endedAt: string;
  outcome: DrillOutcome;
  notes?: string;
  link?: string;
}

/** GET /services/:namespace/:name/drills: newest first. */
export interface DrillListResponse {
  entityRef: string;
  drills: FailoverDrill[];
}

/** GET /services/:namespace/:name/history */
export interface ServiceHistoryResponse {
  entityRef: string;
  points: Array<{
    scanId: string;
    at: string;
    score: number | null;
    level: ReadinessLevel;
    passed: number;
    failed: number;
    errored: number;
  }>;
}

/**
 * POST /services/:namespace/:name/waivers: requests a waiver (status `requested`, recorded as the
 * signed-in user's); a DR approver approves it with POST .../waivers/:id/approve.
 */
export interface WaiverRequest {
  controlId: string;
  /** Why the control cannot be met and what covers the risk (10 to 2000 characters). */
  reason: string;
  expiresAt: string;
}

/** One line of an evidence pack (GET /evidence?entityRef=... or ?tier=...; format=json|csv). */
export interface EvidenceRecord {
  entityRef: string;
  tier: string;
  controlId: string;
  controlTitle: string;
  status: CheckStatus;
  summary: string;
  scanId: string;
  scannedAt: string;
  calls: ApiCallRecord[];
  facts: unknown;
  evidenceHash: string;
  waiver?: Waiver;
  /** The path from this record's leaf to its scan's sealed results root (see EvidenceChain). */
  inclusionProof?: ProofStep[];
}

/** One step of an inclusion proof: the sibling's hash and on which side it sits. */
export interface ProofStep {
  side: 'left' | 'right';
  hash: string;
}

/** One completed scan's link in the evidence chain. */
export interface ChainLink {
  scanId: string;
  /** Its position in the chain, from 1. */
  sequence: number;
  finishedAt: string;
  /** The manifest hash of the scan before it; null for the first. */
  previousManifestHash: string | null;
  /** Merkle root of the scan's result leaves. */
  resultsRoot: string;
  resultCount: number;
  /** SHA-256 of `canonicalJson(manifest)`: version, scanId, sequence, finishedAt, previousManifestHash, resultsRoot, resultCount. */
  manifestHash: string;
}

/**
 * The chain an evidence pack carries: every link from the oldest scan its records come from to
 * the newest completed scan, so the records can be checked against what was sealed then and
 * every scan since.
 */
export interface EvidenceChain {
  links: ChainLink[];
  /** How a record's leaf, root and manifest are computed, for the auditor. */
  method: string;
}

export interface EvidencePack {
  generatedAt: string;
  generatedBy: string;
  scope: { entityRef?: string; tier?: string };
  /** How to check a hash: SHA-256 over `canonicalJson(evidenceDocument(record))`. */
  hashAlgorithm: string;
  records: EvidenceRecord[];
  chain?: EvidenceChain;
}

/** What recomputing the evidence chain found (GET /evidence/verify, the verify script). */
export interface ChainVerification {
  ok: boolean;
  /** Links checked, oldest first. */
  links: number;
  /** Links whose results were recomputed (older ones' results were pruned by retention). */
  resultsChecked: number;
  /** Records (or stored results) whose evidence hash was recomputed. */
  recordsChecked: number;
  firstBroken?: { scanId: string; sequence: number; reason: string };
}

export type { ReadinessLevel };
