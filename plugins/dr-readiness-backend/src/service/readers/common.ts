import { NotFoundError } from '@backstage/errors';
import {
  DrTierPolicy,
  ServiceScore,
  TierView,
  Waiver,
} from '@internal/dr-readiness-common';
import { findDrControl, scoreService } from '@internal/dr-readiness-node';
import type { DrStore, StoredResult } from '../../database/DrStore';
import type { DrService, DrServiceDirectory } from '../serviceDirectory';
import type { DrSettings } from '../settings';

/** What every reader reads from: the store, the catalog's services and the settings, at the backend's now. */
export interface ReaderOptions {
  store: DrStore;
  services: DrServiceDirectory;
  settings: DrSettings;
  now: () => Date;
}

export const tierView = (tier: DrTierPolicy): TierView => ({
  id: tier.id,
  title: tier.title,
  rtoMinutes: tier.rtoMinutes,
  rpoMinutes: tier.rpoMinutes,
  controls: tier.controls.map(c => ({
    id: c.id,
    title: findDrControl(c.id)?.title ?? c.id,
    weight: c.weight,
  })),
});

export { groupBy } from '../../groupBy';

/** The service behind an entity ref, or a 404 that says why. */
export async function serviceOf(
  services: DrServiceDirectory,
  entityRef: string,
): Promise<DrService> {
  const service = (await services({ entityRef })).find(
    s => s.entityRef === entityRef,
  );
  if (!service) {
    throw new NotFoundError(
      `${entityRef} is not a Component with the payments-platform/dr-tier annotation; add the annotation (tier-0..tier-3) to its catalog-info.yaml to include it in DR readiness`,
    );
  }
  return service;
}

/** The score as of now: waivers added since the scan count, expired ones stop counting. */
export function scoreAsOf(
  settings: DrSettings,
  stored: StoredResult[],
  tier: DrTierPolicy | undefined,
  waivers: Waiver[],
  now: Date,
): ServiceScore {
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
    settings.levels,
  );
}
