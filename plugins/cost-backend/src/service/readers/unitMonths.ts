import type { UnitCost } from '@internal/cost-common';
import { round } from './numbers';
import type { Snapshot } from './snapshot';
import type { UnitMetric } from './types';

/** What Prometheus said of a month: its units, or why there is no figure. */
export type UnitMonth = { units: number } | { units: null; reason: string };

/** Units per product and month (YYYY-MM), as the unit-metric refresh stored them. */
export type UnitMonths = Map<string, Map<string, UnitMonth>>;

/** The stored Prometheus units, read once per snapshot (the refresh bumps the data version). */
export function unitMetricMonths(snap: Snapshot): Promise<UnitMonths> {
  const load = snap.options.unitMetricMonths;
  if (!load || !snap.options.unitMetrics.some(m => m.query !== undefined))
    return Promise.resolve(new Map());
  return snap.get('unitMonths', load);
}

function noDataReason(read: UnitMonth | undefined): string {
  if (!read) return 'no data: not read from Prometheus yet';
  if (read.units === null) return `no data: ${read.reason}`;
  return 'no data: Prometheus counted 0 units';
}

/**
 * Cost per 1,000 units where Prometheus gave the units of the month; every other month is listed
 * as "no data" with the reason, never filled with a guess.
 */
export function unitCostFromPrometheus(
  metric: UnitMetric,
  monthly: Array<{ month: string; total: number }>,
  months: Map<string, UnitMonth>,
  currentMonth: string,
): UnitCost {
  const trend: UnitCost['trend'] = [];
  const noData: NonNullable<UnitCost['noData']> = [];
  for (const { month, total } of monthly) {
    const read = months.get(month);
    if (read && read.units !== null && read.units > 0)
      trend.push({
        month,
        units: read.units,
        costPerThousand: round((total / read.units) * 1000),
        ...(month === currentMonth ? { toDate: true } : {}),
      });
    // The current month without units yet is not news; a past month without them is.
    else if (month === currentMonth) continue;
    else noData.push({ month, reason: noDataReason(read) });
  }
  return { metric: metric.metric, trend, source: 'prometheus', noData };
}
