import {
  ScanSummary,
  ScorecardRow,
  Waiver,
} from '@internal/dr-readiness-common';
import {
  activeWaivers,
  DR_CONTROLS,
  findDrTier,
} from '@internal/dr-readiness-node';
import { VersionedMemo } from '@internal/platform-node';
import { createHash } from 'node:crypto';
import type { StoredResult, TrendPoint } from '../../database/DrStore';
import { isValidAt, ScorecardEntry, ScorecardView } from '../scorecardView';
import type { DrService } from '../serviceDirectory';
import { groupBy, ReaderOptions, scoreAsOf, tierView } from './common';

const TREND_POINTS = 30;

/** What the scans stored that the scorecard shows, as of one scan version. */
interface Scanned {
  resultsOf: Map<string, StoredResult[]>;
  trendOf: Map<string, TrendPoint[]>;
  lastScan?: ScanSummary;
  computedAt: number;
  validUntil: number;
}

/**
 * The scorecard of every service, worked out once per version of its data and reused: every
 * call first reads the store's version (scans finished and waivers recorded or revoked, by any
 * replica) and the catalog's services; a view made for the same versions is reused until a
 * waiver in it expires or a trend point leaves the history window. What scans stored (cells,
 * trends, the last scan) is kept per scan version, so a waiver change only rescores.
 */
export class ScorecardReader {
  private readonly views = new VersionedMemo<ScorecardView>(2, (view, now) =>
    view.isValidAt(now),
  );
  private readonly scanned = new VersionedMemo<Scanned>(2, (scanned, now) =>
    isValidAt(scanned, now),
  );
  private servicesFingerprint?: { services: DrService[]; digest: string };

  constructor(private readonly options: ReaderOptions) {}

  async view(): Promise<ScorecardView> {
    const { store, services: directory } = this.options;
    const now = this.options.now().getTime();
    // The version is read before any data, so what is kept under a version is never older than it.
    const [version, services] = await Promise.all([
      store.scorecardVersion(),
      directory(),
    ]);
    const key = `${version.scans}|${version.waivers}|${this.fingerprint(
      services,
    )}`;
    return this.views.get(key, now, async () => {
      const [scanned, waivers] = await Promise.all([
        this.scanned.get(version.scans, now, () =>
          this.loadScanned(new Date(now)),
        ),
        store.waivers(),
      ]);
      return this.buildView(services, scanned, waivers, new Date(now));
    });
  }

  /** A digest of the catalog's services, worked out again only when the directory hands out a new list. */
  private fingerprint(services: DrService[]): string {
    if (this.servicesFingerprint?.services !== services) {
      this.servicesFingerprint = {
        services,
        digest: createHash('sha256')
          .update(JSON.stringify(services))
          .digest('base64'),
      };
    }
    return this.servicesFingerprint.digest;
  }

  /** What the scans stored that the scorecard shows: each service's latest cells and its trend. */
  private async loadScanned(now: Date): Promise<Scanned> {
    const { store, settings } = this.options;
    const windowMs = settings.historyDays * 86_400_000;
    const [results, trend, lastScan] = await Promise.all([
      store.latestCells(),
      store.trendPoints(new Date(now.getTime() - windowMs), TREND_POINTS),
      store.lastScheduledScan(),
    ]);
    const trendOf = groupBy(trend, p => p.entityRef);
    // The trend changes with time alone when its oldest point leaves the window.
    let validUntil = Infinity;
    for (const points of trendOf.values())
      validUntil = Math.min(
        validUntil,
        Date.parse(points[0].scannedAt) + windowMs,
      );
    return {
      resultsOf: groupBy(results, r => r.entityRef),
      trendOf,
      lastScan,
      computedAt: now.getTime(),
      validUntil,
    };
  }

  private buildView(
    services: DrService[],
    scanned: Scanned,
    waivers: Waiver[],
    now: Date,
  ): ScorecardView {
    const { settings } = this.options;
    const active = activeWaivers(waivers, now);
    const waiversOf = groupBy(active, w => w.entityRef);
    // A waiver stops counting when it expires.
    let validUntil = scanned.validUntil;
    for (const waiver of active)
      validUntil = Math.min(validUntil, Date.parse(waiver.expiresAt));
    const entries = services.map(service =>
      this.entryOf(
        service,
        scanned,
        waiversOf.get(service.entityRef) ?? [],
        now,
      ),
    );
    return new ScorecardView({
      lastScan: scanned.lastScan,
      tiers: settings.tiers.map(tierView),
      controls: DR_CONTROLS,
      entries,
      computedAt: now.getTime(),
      validUntil,
    });
  }

  /** One service's row, with its JSON made once for the view. */
  private entryOf(
    service: DrService,
    scanned: Scanned,
    serviceWaivers: Waiver[],
    now: Date,
  ): ScorecardEntry {
    const tier = findDrTier(this.options.settings.tiers, service.tier);
    const stored = scanned.resultsOf.get(service.entityRef) ?? [];
    const row: ScorecardRow = {
      entityRef: service.entityRef,
      name: service.name,
      title: service.title,
      product: service.product,
      team: service.team,
      tier: service.tier,
      unknownTier: tier ? undefined : true,
      score: scoreAsOf(
        this.options.settings,
        stored,
        tier,
        serviceWaivers,
        now,
      ),
      cells: cellsOf(stored, serviceWaivers),
      trend: (scanned.trendOf.get(service.entityRef) ?? []).map(p => ({
        at: p.scannedAt,
        score: p.score,
      })),
      scannedAt: stored[0]?.scannedAt,
    };
    return {
      row,
      json: JSON.stringify(row),
      notYetScanned: Boolean(tier) && stored.length === 0,
    };
  }
}

/** Each control's latest status, summary and fix, with the newest active waiver of the control. */
function cellsOf(
  stored: StoredResult[],
  serviceWaivers: Waiver[],
): ScorecardRow['cells'] {
  // The newest active waiver of each control (waivers come newest first).
  const waiverOf = new Map<string, Waiver>();
  for (const waiver of serviceWaivers)
    if (!waiverOf.has(waiver.controlId)) waiverOf.set(waiver.controlId, waiver);
  const cells: ScorecardRow['cells'] = {};
  for (const { result } of stored) {
    const waiver = waiverOf.get(result.controlId);
    cells[result.controlId] = {
      status: result.status,
      summary: result.summary,
      fix: result.fix,
      waiver: waiver && {
        id: waiver.id,
        reason: waiver.reason,
        approver: waiver.approver,
        expiresAt: waiver.expiresAt,
      },
    };
  }
  return cells;
}
