import type { TierControl } from './results';

/**
 * A DR tier: how fast a service must be back (RTO), how much data it may lose (RPO), and the
 * policy the DR scan holds its services to.
 *
 * The policy fields are optional in the type because the catalog and the scaffolder read tiers
 * for their RTO/RPO only (`readDrTiers`) and must keep working from a tier list that declares
 * none; the DR readiness plugin reads them through `readDrPolicy`, which requires them all.
 */
export interface DrTier {
  id: string;
  title: string;
  rtoMinutes: number;
  rpoMinutes: number;
  /** The controls this tier requires and their weights in the score (`drReadiness.tiers[].controls`). */
  controls?: TierControl[];
  /** Minimum automated backup retention of Aurora/RDS clusters, in days. */
  backupRetentionDays?: number;
  /** Maximum age, in days, of the newest successful restore (test) of each store. */
  restoreTestWithinDays?: number;
  /**
   * Maximum age, in days, of the newest succeeded failover drill (`failover-drill-within-rto`);
   * DEFAULT_DRILL_WITHIN_DAYS (180) when unset.
   */
  drillWithinDays?: number;
  /**
   * How traffic moves to the recovery region (`drReadiness.tiers[].failoverMode`): `automatic`,
   * Route 53 fails over when the primary's deep health check fails; `manual`, the incident
   * commander flips a failover switch (an inverted health check). Unset: `manual`.
   */
  failoverMode?: DrFailoverMode;
}

/** The failover modes a tier can declare. */
export const DR_FAILOVER_MODES = ['automatic', 'manual'] as const;
export type DrFailoverMode = (typeof DR_FAILOVER_MODES)[number];

/** A tier as the DR readiness plugin uses it: every policy field present. */
export type DrTierPolicy = DrTier &
  Required<
    Pick<DrTier, 'controls' | 'backupRetentionDays' | 'restoreTestWithinDays'>
  >;

/** Score thresholds for the readiness levels (`drReadiness.levels`). */
export interface ReadinessThresholds {
  /** Score (0..1) at or above which a service with nothing errored is `ready`. */
  readyAt: number;
  /** Score at or above which a service is `partial`; below it, `not-ready`. */
  partialAt: number;
}

/** Everything the DR readiness plugin reads from `drReadiness`. */
export interface DrPolicy {
  tiers: DrTierPolicy[];
  levels: ReadinessThresholds;
}
