import { NotFoundError } from '@backstage/errors';
import {
  ControlResultView,
  DrillListResponse,
  DrTierPolicy,
  ServiceDetailResponse,
  ServiceHistoryResponse,
  Waiver,
} from '@internal/dr-readiness-common';
import {
  activeWaivers,
  DR_CONTROLS,
  findDrTier,
  measureRto,
} from '@internal/dr-readiness-node';
import type { StoredResult } from '../../database/DrStore';
import { ReaderOptions, scoreAsOf, serviceOf, tierView } from './common';

/** One service's page: its latest results with waivers and score, its history, when it may be rescanned. */
export class ServiceReader {
  constructor(private readonly options: ReaderOptions) {}

  async detail(
    entityRef: string,
    rescanAvailableAt?: Date,
  ): Promise<ServiceDetailResponse> {
    const { store, settings } = this.options;
    const now = this.options.now();
    const service = await serviceOf(this.options.services, entityRef);
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
    const [stored, waivers, drills] = await Promise.all([
      store.latestResults([entityRef]),
      store.waivers([entityRef]),
      store.drills([entityRef]),
    ]);
    const active = activeWaivers(waivers, now);
    return {
      entityRef,
      name: service.name,
      title: service.title,
      product: service.product,
      team: service.team,
      tier: tierView(tier),
      score: scoreAsOf(settings, stored, tier, active, now),
      results: resultViews(stored, tier, active),
      waivers,
      scan: stored[0] ? await store.scan(stored[0].scanId) : undefined,
      rescanAvailableAt:
        rescanAvailableAt && rescanAvailableAt > now
          ? rescanAvailableAt.toISOString()
          : undefined,
      // Live: a drill recorded since the scan shows here; the control counts it from the next scan.
      measuredRto: measureRto(drills, tier, now),
    };
  }

  /** The failover drills recorded for the service, newest first. */
  async drills(entityRef: string): Promise<DrillListResponse> {
    await serviceOf(this.options.services, entityRef);
    return { entityRef, drills: await this.options.store.drills([entityRef]) };
  }

  async history(
    entityRef: string,
    days?: number,
  ): Promise<ServiceHistoryResponse> {
    const { store, settings } = this.options;
    await serviceOf(this.options.services, entityRef);
    const since = new Date(
      this.options.now().getTime() -
        (days ?? settings.historyDays) * 86_400_000,
    );
    const points = await store.scoreHistory([entityRef], since);
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

  /** When `entityRef` may next be rescanned: its last rescan's start plus drReadiness.rescan.minIntervalSeconds. */
  async rescanAvailableAt(entityRef: string): Promise<Date | undefined> {
    const last = await this.options.store.lastRescan(entityRef);
    return last
      ? new Date(
          new Date(last.startedAt).getTime() +
            this.options.settings.rescanMinIntervalSeconds * 1000,
        )
      : undefined;
  }
}

/** The latest results as the page shows them, in the tier's order of controls. */
function resultViews(
  stored: StoredResult[],
  tier: DrTierPolicy,
  active: Waiver[],
): ControlResultView[] {
  const order = new Map(tier.controls.map((c, i) => [c.id, i]));
  return stored
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
    .sort(
      (a, b) => (order.get(a.controlId) ?? 99) - (order.get(b.controlId) ?? 99),
    );
}
