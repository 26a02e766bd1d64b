import type { Config } from '@backstage/config';
import {
  DRILL_KINDS,
  type DrillKind,
  type FailoverDrill,
} from '@internal/dr-readiness-common';
import type { DrStore } from '../database/DrStore';

const DAY_MS = 86_400_000;

/** One failover drill of the demo: it ended `endedDaysAgo` before now and took `durationMinutes`. */
export interface DemoDrillSetting {
  entityRef: string;
  kind: DrillKind;
  endedDaysAgo: number;
  durationMinutes: number;
  recordedBy: string;
  notes: string;
  link?: string;
}

/** Reads `drReadiness.demo.drills`; problems are pushed with their keys. */
export function readDemoDrills(
  config: Config,
  problems: string[],
): DemoDrillSetting[] {
  return (config.getOptionalConfigArray('drReadiness.demo.drills') ?? []).map(
    (entry, i) => {
      const key = `drReadiness.demo.drills[${i}]`;
      const text = (field: string, example: string) => {
        const value = entry.getOptional(field);
        if (typeof value === 'string' && value.trim() !== '')
          return value.trim();
        problems.push(
          `${key}.${field} must be a non-empty string, e.g. ${example}`,
        );
        return '';
      };
      const number = (field: string, min: number, max: number) => {
        const value = entry.getOptional(field);
        if (typeof value === 'number' && value >= min && value <= max)
          return value;
        problems.push(
          `${key}.${field} must be a number from ${min} to ${max} (got ${JSON.stringify(
            value ?? null,
          )})`,
        );
        return min;
      };
      const kind = entry.getOptionalString('kind');
      if (!DRILL_KINDS.includes(kind as DrillKind))
        problems.push(
          `${key}.kind must be one of ${DRILL_KINDS.join(
            ', ',
          )} (got ${JSON.stringify(kind ?? null)})`,
        );
      return {
        entityRef: text('entityRef', 'component:default/ledger-writer'),
        kind: kind as DrillKind,
        endedDaysAgo: number('endedDaysAgo', 1, 3650),
        durationMinutes: number('durationMinutes', 1, 7 * 1440),
        recordedBy: text('recordedBy', 'user:default/maya.cohen'),
        notes: text('notes', 'what the drill rehearsed'),
        ...(entry.getOptionalString('link')
          ? { link: entry.getOptionalString('link') }
          : {}),
      };
    },
  );
}

/**
 * Keeps the demo's failover drills (`drReadiness.demo.drills`) recorded relative to `now`, so the
 * demo shows a measured RTO that passes and one that is too old on any day. A demo drill is known
 * by its service, kind and notes:
 * - a recent one (`endedDaysAgo` at most half the oldest tier window) is recorded again once none
 *   of its kind ended within twice `endedDaysAgo`, so the newest stays recent;
 * - an old one is recorded once: it only gets older.
 * Returns the drills recorded. Runs inside the scheduled scan (one replica at a time).
 */
export async function recordDemoDrills(
  store: DrStore,
  demo: DemoDrillSetting[],
  now: Date,
): Promise<FailoverDrill[]> {
  if (demo.length === 0) return [];
  const existing = await store.drills([...new Set(demo.map(d => d.entityRef))]);
  const at = now.getTime();
  const recorded: FailoverDrill[] = [];
  for (const setting of demo) {
    const same = existing.filter(
      d =>
        d.entityRef === setting.entityRef &&
        d.kind === setting.kind &&
        d.notes === setting.notes,
    );
    const recentEnough = same.some(
      d =>
        Date.parse(d.endedAt) <= at &&
        at - Date.parse(d.endedAt) <= 2 * setting.endedDaysAgo * DAY_MS,
    );
    if (recentEnough) continue;
    const endedAt = new Date(at - setting.endedDaysAgo * DAY_MS);
    recorded.push(
      await store.addDrill({
        entityRef: setting.entityRef,
        kind: setting.kind,
        startedAt: new Date(
          endedAt.getTime() - setting.durationMinutes * 60_000,
        ).toISOString(),
        endedAt: endedAt.toISOString(),
        durationMinutes: setting.durationMinutes,
        outcome: 'succeeded',
        notes: setting.notes,
        ...(setting.link ? { link: setting.link } : {}),
        recordedBy: setting.recordedBy,
        recordedAt: endedAt.toISOString(),
      }),
    );
  }
  return recorded;
}
