import type { Waiver } from '@internal/dr-readiness-common';
import type { DrStore } from '../database/DrStore';
import type { DemoWaiverSetting } from './settings';

const DAY_MS = 86_400_000;

/**
 * Keeps the demo's waivers (`drReadiness.demo.waivers`) recorded relative to `now`, so the demo
 * shows a waived control and an expired waiver whatever the day it starts or has run for. Each
 * is recorded as requested by its `recordedBy` and approved by its `approver` the same day. A
 * demo waiver is known by its entity, control and reason:
 * - an active one (`expiresInDays` > 0) is recorded again once none of its unrevoked waivers is
 *   still valid for half its term, so one is always counting;
 * - an expired one (`expiresInDays` < 0) is recorded once, with both times in the past;
 * - a revoked one is left revoked: the demo respects what a user did.
 * Returns the waivers recorded. Runs inside the scheduled scan (one replica at a time).
 */
export async function recordDemoWaivers(
  store: DrStore,
  demo: DemoWaiverSetting[],
  now: Date,
): Promise<Waiver[]> {
  if (demo.length === 0) return [];
  const existing = await store.waivers([
    ...new Set(demo.map(d => d.entityRef)),
  ]);
  const at = now.getTime();
  const recorded: Waiver[] = [];
  for (const setting of demo) {
    const same = existing.filter(
      w =>
        w.entityRef === setting.entityRef &&
        w.controlId === setting.controlId &&
        w.reason === setting.reason,
    );
    if (same.some(w => w.revokedAt)) continue;
    const expiresAt = (w: Waiver) => Date.parse(w.expiresAt);
    const satisfied =
      setting.expiresInDays > 0
        ? same.some(
            w => expiresAt(w) - at > (setting.expiresInDays * DAY_MS) / 2,
          )
        : same.some(w => expiresAt(w) <= at);
    if (satisfied) continue;
    // Requested by `recordedBy` and approved by `approver` (never the same person) that day.
    const recordedAt = new Date(
      at - setting.recordedDaysAgo * DAY_MS,
    ).toISOString();
    recorded.push(
      await store.addWaiver({
        entityRef: setting.entityRef,
        controlId: setting.controlId,
        reason: setting.reason,
        status: 'approved',
        approver: setting.approver,
        approvedAt: recordedAt,
        expiresAt: new Date(at + setting.expiresInDays * DAY_MS).toISOString(),
        createdBy: setting.recordedBy,
        createdAt: recordedAt,
      }),
    );
  }
  return recorded;
}
