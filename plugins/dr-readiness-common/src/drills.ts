/**
 * Failover drills: a team fails a service over (or restores it) on purpose, times it, and records
 * it through the DR tab or the API. The newest succeeded drill is the service's measured RTO.
 */

/** What kind of recovery was rehearsed. */
export const DRILL_KINDS = [
  'region-failover',
  'aurora-global-failover',
  'dynamodb-global-failover',
  'restore-from-backup',
  'dns-failover',
] as const;
export type DrillKind = (typeof DRILL_KINDS)[number];

export const DRILL_OUTCOMES = ['succeeded', 'failed'] as const;
export type DrillOutcome = (typeof DRILL_OUTCOMES)[number];

/** A drill longer than this is a typo (minutes for hours, a wrong day), not a measurement. */
export const MAX_DRILL_MINUTES = 7 * 24 * 60;
export const MAX_DRILL_NOTES_LENGTH = 2000;

/**
 * How recent the newest succeeded drill must be when a tier does not set
 * `drReadiness.tiers[].drillWithinDays`: twice a year.
 */
export const DEFAULT_DRILL_WITHIN_DAYS = 180;

/** A recorded failover drill (never edited, never deleted). */
export interface FailoverDrill {
  id: string;
  /** Component entity ref, e.g. `component:default/ledger-writer`. */
  entityRef: string;
  kind: DrillKind;
  /** ISO times the drill started (failover began) and ended (service back in the recovery region). */
  startedAt: string;
  endedAt: string;
  /** Whole minutes from start to end, rounded up. */
  durationMinutes: number;
  outcome: DrillOutcome;
  notes?: string;
  /** Link to the drill record (runbook run, incident, ticket). */
  link?: string;
  /** The signed-in user who recorded it (their user entity ref). */
  recordedBy: string;
  recordedAt: string;
}

/** Whole minutes between two ISO times, rounded up (a 14 m 10 s drill took 15 minutes). */
export function drillMinutes(startedAt: string, endedAt: string): number {
  return Math.ceil((Date.parse(endedAt) - Date.parse(startedAt)) / 60_000);
}

/** The newest succeeded drill (by end time), or undefined. */
export function newestSucceededDrill(
  drills: FailoverDrill[],
): FailoverDrill | undefined {
  return drills
    .filter(d => d.outcome === 'succeeded')
    .reduce<FailoverDrill | undefined>(
      (newest, d) =>
        !newest || Date.parse(d.endedAt) > Date.parse(newest.endedAt)
          ? d
          : newest,
      undefined,
    );
}
