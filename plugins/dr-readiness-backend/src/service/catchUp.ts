import { DrTierPolicy, ScanSummary } from '@internal/dr-readiness-common';
import { findDrTier } from '@internal/dr-readiness-node';
import type { DrService } from './serviceDirectory';

/** What a catch-up run found: the services it scans now, and why the others wait. */
export interface CatchUpPlan {
  /** Tiered services without results, most critical tier first, at most `maxServices`. */
  due: DrService[];
  /** Tiered services without results left for a later run (over `maxServices`). */
  later: DrService[];
  /** Services without results that a running or recently failed targeted scan covers. */
  waiting: DrService[];
}

/**
 * Which services a catch-up scans: those in the catalog with a configured tier that no completed
 * scan has results for (new since the last scheduled scan, or added while the catalog was still
 * loading when it ran). A service is left out while a rescan or catch-up of it is running (younger
 * than the task timeout), and for `retryMs` after one that failed or was interrupted, so a service
 * AWS cannot be read for is not scanned again every run. Pure: the caller reads the catalog and
 * the store.
 */
export function planCatchUp(options: {
  services: DrService[];
  tiers: DrTierPolicy[];
  scanned: ReadonlySet<string>;
  /** Scans started in the last max(timeoutMs, retryMs). */
  recentScans: ScanSummary[];
  now: Date;
  timeoutMs: number;
  retryMs: number;
  maxServices: number;
}): CatchUpPlan {
  const now = options.now.getTime();
  const held = new Set<string>();
  for (const scan of options.recentScans) {
    if (scan.trigger === 'scheduled') continue;
    const age = now - Date.parse(scan.startedAt);
    const busy = scan.status === 'running' && age < options.timeoutMs;
    const failedLately =
      (scan.status === 'failed' || scan.status === 'interrupted') &&
      age < options.retryMs;
    if (busy || failedLately)
      for (const ref of scan.entityRefs ?? []) held.add(ref);
  }
  const tierRank = new Map(options.tiers.map((tier, i) => [tier.id, i]));
  const unscanned = options.services
    .filter(
      s =>
        findDrTier(options.tiers, s.tier) && !options.scanned.has(s.entityRef),
    )
    .sort(
      (a, b) =>
        tierRank.get(a.tier)! - tierRank.get(b.tier)! ||
        a.entityRef.localeCompare(b.entityRef),
    );
  const ready = unscanned.filter(s => !held.has(s.entityRef));
  return {
    due: ready.slice(0, options.maxServices),
    later: ready.slice(options.maxServices),
    waiting: unscanned.filter(s => held.has(s.entityRef)),
  };
}
