import type { SloDefinition } from '@internal/slo-common';

/**
 * When the SLO's current window began at `now`: `now` minus the length for rolling windows, the
 * start of the calendar period (UTC) for calendar ones. The backend's evaluation and the demo's
 * story checks share it, so both count the same events.
 */
export function windowStart(slo: SloDefinition, now: Date): Date {
  const w = slo.window;
  if (w.kind === 'rolling') return new Date(now.getTime() - w.seconds * 1000);
  const d = new Date(now);
  // Calendar periods in UTC: close enough for weekly and monthly budgets; the zone shifts the edge by hours.
  if (w.unit === 'month' || w.unit === 'quarter' || w.unit === 'year') {
    const months = { month: 1, quarter: 3, year: 12 }[w.unit] * w.count;
    const index = d.getUTCFullYear() * 12 + d.getUTCMonth();
    const startIndex = index - (index % months);
    return new Date(Date.UTC(Math.floor(startIndex / 12), startIndex % 12, 1));
  }
  if (w.unit === 'week') {
    const monday = Date.UTC(
      d.getUTCFullYear(),
      d.getUTCMonth(),
      d.getUTCDate() - ((d.getUTCDay() + 6) % 7),
    );
    return new Date(monday);
  }
  return new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()),
  );
}
