import { NotFoundError } from '@backstage/errors';
import {
  activeWaivers,
  ControlResultView,
  DR_CONTROLS,
  DrTierPolicy,
  EvidencePack,
  EvidenceRecord,
  findDrTier,
  ScorecardResponse,
  ScorecardRow,
  scoreService,
  ServiceDetailResponse,
  ServiceHistoryResponse,
  TierView,
  Waiver,
} from '@internal/dr-readiness-common';
import type { DrStore, StoredResult } from '../database/DrStore';
import type { DrService } from './serviceDirectory';
import type { DrSettings } from './settings';

const TREND_POINTS = 30;
const HASH_ALGORITHM = 'SHA-256 (hex) over canonicalJson(evidenceDocument(record)): object keys sorted, no whitespace';

const tierView = (tier: DrTierPolicy): TierView => ({
  id: tier.id,
  title: tier.title,
  rtoMinutes: tier.rtoMinutes,
  rpoMinutes: tier.rpoMinutes,
  controls: tier.controls.map(c => ({ id: c.id, weight: c.weight })),
});

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

  constructor(
    private readonly options: {
      store: DrStore;
      services: (options?: { fresh?: boolean }) => Promise<DrService[]>;
      settings: DrSettings;
      now?: () => Date;
    },
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The service behind an entity ref, or a 404 that says why. */
  async service(entityRef: string): Promise<DrService> {
    const service =
      (await this.options.services()).find(s => s.entityRef === entityRef) ??
      (await this.options.services({ fresh: true })).find(s => s.entityRef === entityRef);
    if (!service) {
      throw new NotFoundError(
        `${entityRef} is not a Component with the payments-platform/dr-tier annotation; add the annotation (tier-0..tier-3) to its catalog-info.yaml to include it in DR readiness`,
      );
    }
    return service;
  }

  async scorecard(filter: { team?: string; product?: string; tier?: string }): Promise<ScorecardResponse> {
    const { store, settings } = this.options;
    const now = this.now();
    const services = (await this.options.services()).filter(
      s => (!filter.team || s.team === filter.team) && (!filter.product || s.product === filter.product) && (!filter.tier || s.tier === filter.tier),
    );
    const filtered = Boolean(filter.team || filter.product || filter.tier);
    const refs = services.map(s => s.entityRef);
    const [results, history, waivers, lastScan] = await Promise.all([
      store.latestCells(filtered ? refs : undefined),
      store.scoreHistory(filtered ? refs : undefined, new Date(now.getTime() - settings.historyDays * 86_400_000)),
      store.waivers(filtered ? refs : undefined),
      store.lastScheduledScan(),
    ]);
    const resultsOf = groupBy(results, r => r.entityRef);
    const historyOf = groupBy(history, h => h.entityRef);
    const waiversOf = groupBy(activeWaivers(waivers, now), w => w.entityRef);
    let notYetScanned = 0;
    const rows: ScorecardRow[] = services.map(service => {
      const tier = findDrTier(settings.tiers, service.tier);
      const stored = resultsOf.get(service.entityRef) ?? [];
      if (tier && stored.length === 0) notYetScanned += 1;
      const active = waiversOf.get(service.entityRef) ?? [];
      const cells: ScorecardRow['cells'] = {};
      for (const { result } of stored) {
        const waiver = active.find(w => w.controlId === result.controlId);
        cells[result.controlId] = {
          status: result.status,
          summary: result.summary,
          fix: result.fix,
          waiver: waiver && { id: waiver.id, reason: waiver.reason, approver: waiver.approver, expiresAt: waiver.expiresAt },
        };
      }
      return {
        entityRef: service.entityRef,
        name: service.name,
        title: service.title,
        product: service.product,
        team: service.team,
        tier: service.tier,
        unknownTier: tier ? undefined : true,
        score: this.score(stored, tier, active, now),
        cells,
        trend: (historyOf.get(service.entityRef) ?? []).slice(-TREND_POINTS).map(h => ({ at: h.scannedAt, score: h.score.score })),
        scannedAt: stored[0]?.scannedAt,
      };
    });
    return {
      generatedAt: now.toISOString(),
      lastScan,
      tiers: settings.tiers.map(tierView),
      controls: DR_CONTROLS,
      rows,
      notYetScanned,
    };
  }

  /** The score as of now: waivers added since the scan count, expired ones stop counting. */
  private score(stored: StoredResult[], tier: DrTierPolicy | undefined, waivers: Waiver[], now: Date) {
    if (!tier || stored.length === 0) {
      return {
        score: null,
        level: 'unknown' as const,
        reasons: [tier ? 'Not scanned yet' : 'Its DR tier is not one of drReadiness.tiers'],
        weights: { passed: 0, failed: 0, errored: 0, waived: 0, notApplicable: 0 },
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

  async detail(entityRef: string, rescanAvailableAt?: Date): Promise<ServiceDetailResponse> {
    const { store, settings } = this.options;
    const now = this.now();
    const service = await this.service(entityRef);
    const tier = findDrTier(settings.tiers, service.tier);
    if (!tier) {
      throw new NotFoundError(
        `${entityRef} has payments-platform/dr-tier "${service.tier}", which is not one of drReadiness.tiers (${settings.tiers.map(t => t.id).join(', ')})`,
      );
    }
    const [stored, waivers] = await Promise.all([store.latestResults([entityRef]), store.waivers([entityRef])]);
    const active = activeWaivers(waivers, now);
    const order = new Map(tier.controls.map((c, i) => [c.id, i]));
    const results: ControlResultView[] = stored
      .map(({ result, evidenceHash, scannedAt }) => {
        const control = DR_CONTROLS.find(c => c.id === result.controlId);
        return {
          ...result,
          title: control?.title ?? result.controlId,
          area: control?.area ?? '',
          weight: tier.controls.find(c => c.id === result.controlId)?.weight ?? 0,
          evidenceHash,
          scannedAt,
          waiver: active.find(w => w.controlId === result.controlId),
        };
      })
      .sort((a, b) => (order.get(a.controlId) ?? 99) - (order.get(b.controlId) ?? 99));
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
      rescanAvailableAt: rescanAvailableAt && rescanAvailableAt > now ? rescanAvailableAt.toISOString() : undefined,
    };
  }

  async history(entityRef: string, days?: number): Promise<ServiceHistoryResponse> {
    await this.service(entityRef);
    const since = new Date(this.now().getTime() - (days ?? this.options.settings.historyDays) * 86_400_000);
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
  async evidence(scope: { entityRef?: string; tier?: string }, generatedBy: string): Promise<EvidencePack> {
    const { store, settings } = this.options;
    const now = this.now();
    let services: DrService[];
    if (scope.entityRef) {
      services = [await this.service(scope.entityRef)];
    } else {
      if (!findDrTier(settings.tiers, scope.tier ?? '')) {
        throw new NotFoundError(`tier "${scope.tier}" is not one of drReadiness.tiers (${settings.tiers.map(t => t.id).join(', ')})`);
      }
      services = (await this.options.services()).filter(s => s.tier === scope.tier);
    }
    const byRef = new Map(services.map(s => [s.entityRef, s]));
    const [stored, waivers] = await Promise.all([store.latestResults([...byRef.keys()]), store.waivers([...byRef.keys()])]);
    const active = activeWaivers(waivers, now);
    const records: EvidenceRecord[] = stored
      .map(({ scanId, entityRef, result, evidenceHash, scannedAt }) => ({
        entityRef,
        tier: byRef.get(entityRef)!.tier,
        controlId: result.controlId,
        controlTitle: DR_CONTROLS.find(c => c.id === result.controlId)?.title ?? result.controlId,
        status: result.status,
        summary: result.summary,
        scanId,
        scannedAt,
        calls: result.calls,
        facts: result.facts,
        evidenceHash,
        waiver: active.find(w => w.entityRef === entityRef && w.controlId === result.controlId),
      }))
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef) || a.controlId.localeCompare(b.controlId));
    return { generatedAt: now.toISOString(), generatedBy, scope, hashAlgorithm: HASH_ALGORITHM, records };
  }
}
