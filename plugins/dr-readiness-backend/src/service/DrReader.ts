import { NotFoundError } from '@backstage/errors';
import {
  activeWaivers,
  ControlResultView,
  DR_CONTROLS,
  DrTierPolicy,
  EvidencePack,
  EvidenceRecord,
  findDrTier,
  ScanSummary,
  ScorecardResponse,
  ScorecardRow,
  scoreService,
  ServiceDetailResponse,
  ServiceHistoryResponse,
  TierView,
  Waiver,
} from '@internal/dr-readiness-common';
import { createHash } from 'node:crypto';
import type { DrStore, StoredResult } from '../database/DrStore';
import { VersionedMemo } from '@internal/platform-node';
import {
  isValidAt,
  ScorecardEntry,
  ScorecardFilter,
  ScorecardView,
} from './scorecardView';
import type { DrService, DrServiceDirectory } from './serviceDirectory';
import type { DrSettings } from './settings';

const TREND_POINTS = 30;
const HASH_ALGORITHM =
  'SHA-256 (hex) over canonicalJson(evidenceDocument(record)): object keys sorted, no whitespace';

const tierView = (tier: DrTierPolicy): TierView => ({
  id: tier.id,
  title: tier.title,
  rtoMinutes: tier.rtoMinutes,
  rpoMinutes: tier.rpoMinutes,
  controls: tier.controls.map(c => ({ id: c.id, weight: c.weight })),
});

/** What the scans stored that the scorecard shows, as of one scan version. */
interface Scanned {
  resultsOf: Map<string, StoredResult[]>;
  trendOf: Map<string, Array<{ scannedAt: string; score: number | null }>>;
  lastScan?: ScanSummary;
  computedAt: number;
  validUntil: number;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(item);
  }
  return groups;
}

/** Answers the API from the database (and the catalog): a page view never calls AWS. */
export class DrReader {
  private readonly now: () => Date;
  private readonly views = new VersionedMemo<ScorecardView>(2, (view, now) =>
    view.isValidAt(now),
  );
  private readonly scanned = new VersionedMemo<Scanned>(2, (scanned, now) =>
    isValidAt(scanned, now),
  );
  private servicesFingerprint?: { services: DrService[]; digest: string };

  constructor(
    private readonly options: {
      store: DrStore;
      services: DrServiceDirectory;
      settings: DrSettings;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The service behind an entity ref, or a 404 that says why. */
  async service(entityRef: string): Promise<DrService> {
    const service = (await this.options.services({ entityRef })).find(
      s => s.entityRef === entityRef,
    );
    if (!service) {
      throw new NotFoundError(
        `${entityRef} is not a Component with the payments-platform/dr-tier annotation; add the annotation (tier-0..tier-3) to its catalog-info.yaml to include it in DR readiness`,
      );
    }
    return service;
  }

  /** The scorecard of the services matching `filter`, as of now (see `scorecardView`). */
  async scorecard(filter: ScorecardFilter): Promise<ScorecardResponse> {
    return (await this.scorecardView()).response(filter, this.now());
  }

  /**
   * The scorecard of every service, worked out once per version of its data and reused: every
   * call first reads the store's version (scans finished and waivers recorded or revoked, by any
   * replica) and the catalog's services; a view made for the same versions is reused until a
   * waiver in it expires or a trend point leaves the history window. What scans stored (cells,
   * trends, the last scan) is kept per scan version, so a waiver change only rescores.
   */
  async scorecardView(): Promise<ScorecardView> {
    const now = this.now().getTime();
    // The version is read before any data, so what is kept under a version is never older than it.
    const [version, services] = await Promise.all([
      this.options.store.scorecardVersion(),
      this.options.services(),
    ]);
    const key = `${version.scans}|${version.waivers}|${this.fingerprint(
      services,
    )}`;
    return this.views.get(key, now, async () => {
      const [scanned, waivers] = await Promise.all([
        this.scanned.get(version.scans, now, () =>
          this.loadScanned(new Date(now)),
        ),
        this.options.store.waivers(),
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
    const entries: ScorecardEntry[] = services.map(service => {
      const tier = findDrTier(settings.tiers, service.tier);
      const stored = scanned.resultsOf.get(service.entityRef) ?? [];
      const serviceWaivers = waiversOf.get(service.entityRef) ?? [];
      // The newest active waiver of each control (waivers come newest first).
      const waiverOf = new Map<string, Waiver>();
      for (const waiver of serviceWaivers)
        if (!waiverOf.has(waiver.controlId))
          waiverOf.set(waiver.controlId, waiver);
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
      const row: ScorecardRow = {
        entityRef: service.entityRef,
        name: service.name,
        title: service.title,
        product: service.product,
        team: service.team,
        tier: service.tier,
        unknownTier: tier ? undefined : true,
        score: this.score(stored, tier, serviceWaivers, now),
        cells,
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
    });
    return new ScorecardView({
      lastScan: scanned.lastScan,
      tiers: settings.tiers.map(tierView),
      controls: DR_CONTROLS,
      entries,
      computedAt: now.getTime(),
      validUntil,
    });
  }

  /** The score as of now: waivers added since the scan count, expired ones stop counting. */
  private score(
    stored: StoredResult[],
    tier: DrTierPolicy | undefined,
    waivers: Waiver[],
    now: Date,
  ) {
    if (!tier || stored.length === 0) {
      return {
        score: null,
        level: 'unknown' as const,
        reasons: [
          tier
            ? 'Not scanned yet'
            : 'Its DR tier is not one of drReadiness.tiers',
        ],
        weights: {
          passed: 0,
          failed: 0,
          errored: 0,
          waived: 0,
          notApplicable: 0,
        },
        incomplete: true,
      };
    }
    return scoreService(
      stored.map(s => s.result),
      tier,
      waivers,
      now,
      this.options.settings.levels,
    );
  }

  async detail(
    entityRef: string,
    rescanAvailableAt?: Date,
  ): Promise<ServiceDetailResponse> {
    const { store, settings } = this.options;
    const now = this.now();
    const service = await this.service(entityRef);
    const tier = findDrTier(settings.tiers, service.tier);
    if (!tier) {
      throw new NotFoundError(
        `${entityRef} has payments-platform/dr-tier "${
          service.tier
        }", which is not one of drReadiness.tiers (${settings.tiers
          .map(t => t.id)
          .join(', ')})`,
      );
    }
    const [stored, waivers] = await Promise.all([
      store.latestResults([entityRef]),
      store.waivers([entityRef]),
    ]);
    const active = activeWaivers(waivers, now);
    const order = new Map(tier.controls.map((c, i) => [c.id, i]));
    const results: ControlResultView[] = stored
      .map(({ result, evidenceHash, scannedAt }) => {
        const control = DR_CONTROLS.find(c => c.id === result.controlId);
        return {
          ...result,
          title: control?.title ?? result.controlId,
          area: control?.area ?? '',
          weight:
            tier.controls.find(c => c.id === result.controlId)?.weight ?? 0,
          evidenceHash,
          scannedAt,
          waiver: active.find(w => w.controlId === result.controlId),
        };
      })
      .sort(
        (a, b) =>
          (order.get(a.controlId) ?? 99) - (order.get(b.controlId) ?? 99),
      );
    return {
      entityRef,
      name: service.name,
      title: service.title,
      product: service.product,
      team: service.team,
      tier: tierView(tier),
      score: this.score(stored, tier, active, now),
      results,
      waivers,
      scan: stored[0] ? await store.scan(stored[0].scanId) : undefined,
      rescanAvailableAt:
        rescanAvailableAt && rescanAvailableAt > now
          ? rescanAvailableAt.toISOString()
          : undefined,
    };
  }

  async history(
    entityRef: string,
    days?: number,
  ): Promise<ServiceHistoryResponse> {
    await this.service(entityRef);
    const since = new Date(
      this.now().getTime() -
        (days ?? this.options.settings.historyDays) * 86_400_000,
    );
    const points = await this.options.store.scoreHistory([entityRef], since);
    return {
      entityRef,
      points: points.map(p => ({
        scanId: p.scanId,
        at: p.scannedAt,
        score: p.score.score,
        level: p.score.level,
        passed: p.score.weights.passed,
        failed: p.score.weights.failed,
        errored: p.score.weights.errored,
      })),
    };
  }

  /** The evidence pack of one service or of every service in a tier: latest results, hashes, calls, waivers. */
  async evidence(
    scope: { entityRef?: string; tier?: string },
    generatedBy: string,
  ): Promise<EvidencePack> {
    const { store, settings } = this.options;
    const now = this.now();
    let services: DrService[];
    if (scope.entityRef) {
      services = [await this.service(scope.entityRef)];
    } else {
      if (!findDrTier(settings.tiers, scope.tier ?? '')) {
        throw new NotFoundError(
          `tier "${
            scope.tier
          }" is not one of drReadiness.tiers (${settings.tiers
            .map(t => t.id)
            .join(', ')})`,
        );
      }
      services = (await this.options.services()).filter(
        s => s.tier === scope.tier,
      );
    }
    const byRef = new Map(services.map(s => [s.entityRef, s]));
    const [stored, waivers] = await Promise.all([
      store.latestResults([...byRef.keys()]),
      store.waivers([...byRef.keys()]),
    ]);
    const active = activeWaivers(waivers, now);
    const records: EvidenceRecord[] = stored
      .map(({ scanId, entityRef, result, evidenceHash, scannedAt }) => ({
        entityRef,
        tier: byRef.get(entityRef)!.tier,
        controlId: result.controlId,
        controlTitle:
          DR_CONTROLS.find(c => c.id === result.controlId)?.title ??
          result.controlId,
        status: result.status,
        summary: result.summary,
        scanId,
        scannedAt,
        calls: result.calls,
        facts: result.facts,
        evidenceHash,
        waiver: active.find(
          w => w.entityRef === entityRef && w.controlId === result.controlId,
        ),
      }))
      .sort(
        (a, b) =>
          a.entityRef.localeCompare(b.entityRef) ||
          a.controlId.localeCompare(b.controlId),
      );
    return {
      generatedAt: now.toISOString(),
      generatedBy,
      scope,
      hashAlgorithm: HASH_ALGORITHM,
      records,
    };
  }
}
