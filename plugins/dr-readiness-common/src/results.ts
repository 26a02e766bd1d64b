import type { ApiCallRecord } from './facts';

/** What one control concluded. `error` means the scan could not tell (no access, AWS error): never a fail. */
export type CheckStatus = 'pass' | 'fail' | 'not_applicable' | 'error';

/** Readiness of a service against its tier. `unknown`: nothing required could be checked. */
export type ReadinessLevel = 'ready' | 'partial' | 'not-ready' | 'unknown';

/** One resource's part in a control's result. */
export interface ResourceOutcome {
  arn: string;
  accountId: string;
  region: string;
  status: CheckStatus;
  /** One line on this resource, e.g. "backup retention 3 days, policy requires 14". */
  detail: string;
}

/** A control evaluated for one service: the status, why, the fix, and the evidence it rests on. */
export interface ControlResult {
  controlId: string;
  status: CheckStatus;
  /** One sentence an engineer understands without the evidence, e.g. "1 of 2 tables has no point-in-time recovery". */
  summary: string;
  /** What to change when the status is fail (or error), e.g. the Terraform attribute to set. */
  fix?: string;
  resources: ResourceOutcome[];
  /** The facts the check used (JSON), exactly as collected. */
  facts: unknown;
  /** The AWS API calls those facts came from. */
  calls: ApiCallRecord[];
}

/** A control as declared in the catalogue of controls. */
export interface ControlDefinition {
  id: string;
  title: string;
  /** What it checks and why it matters for recovery. */
  description: string;
  /** The AWS area it looks at, for grouping: Aurora/RDS, AWS Backup, DynamoDB, S3, ElastiCache, Route 53, KMS, Secrets Manager. */
  area: string;
  /** Auditor-recognised equivalents (AWS Config rule or Backup Audit Manager control names). */
  references: string[];
}

/** A control a tier requires, with its weight in the score. */
export interface TierControl {
  id: string;
  weight: number;
}

/**
 * A waiver: a control not counted for one service until it expires. Shown, never hidden.
 * Requested first (by anyone who reads the service's DR readiness), it counts only once a DR
 * approver other than the requester, and not of the owning team, has approved it.
 */
export interface Waiver {
  id: string;
  /** Component entity ref, e.g. `component:default/wallet-api`. */
  entityRef: string;
  controlId: string;
  reason: string;
  /** `requested`: waiting for a DR approver, not counted; `approved`: counts until it expires or is revoked. */
  status: WaiverStatus;
  /** Who approved it: the signed-in DR approver's entity ref, set when approved. */
  approver?: string;
  /** ISO time it was approved. */
  approvedAt?: string;
  /** ISO time it stops counting. */
  expiresAt: string;
  /** Who requested it (the signed-in user); never its approver. */
  createdBy: string;
  createdAt: string;
  /** Set when revoked (an approved waiver) or withdrawn (a requested one). */
  revokedAt?: string;
  revokedBy?: string;
}

export type WaiverStatus = 'requested' | 'approved';

/** A service's score: the weighted pass ratio of its tier's applicable controls. */
export interface ServiceScore {
  /** 0..1; null when no required control applied or could be checked. */
  score: number | null;
  level: ReadinessLevel;
  /** Why it is not ready, most weight first, e.g. "Point-in-time recovery (DynamoDB) fails: ...". */
  reasons: string[];
  /** Weight of controls that passed, failed, errored, were waived, did not apply. */
  weights: {
    passed: number;
    failed: number;
    errored: number;
    waived: number;
    notApplicable: number;
  };
  /** True when a control could not be checked: the score may be better or worse than shown. */
  incomplete: boolean;
}
