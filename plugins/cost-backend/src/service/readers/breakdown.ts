import type { CostBreakdownLine } from '@internal/cost-common';
import { monthOf } from '../dates';
import { monthsOf, round } from './numbers';
import type { Snapshot } from './snapshot';

/**
 * One product's (or service's) spend in a view by its second key, last full month and month to
 * date, largest first; `labels` names keys (account names).
 */
export async function breakdown(
  snap: Snapshot,
  view: string,
  key1: string,
  labels: Record<string, string> = {},
): Promise<CostBreakdownLine[]> {
  const { lastFullMonth, currentMonth } = monthsOf(snap.today);
  const rows = await snap.store.facts(view, 'MONTHLY', {
    from: `${lastFullMonth}-01`,
    key1,
  });
  const sums = new Map<
    string,
    { lastFullMonth: number; monthToDate: number }
  >();
  for (const r of rows) {
    let line = sums.get(r.key2);
    if (!line) sums.set(r.key2, (line = { lastFullMonth: 0, monthToDate: 0 }));
    const month = monthOf(r.period_start);
    if (month === lastFullMonth) line.lastFullMonth += r.amount;
    else if (month === currentMonth) line.monthToDate += r.amount;
  }
  return [...sums]
    .map(([key, v]) => ({
      key,
      label: labels[key],
      lastFullMonth: round(v.lastFullMonth),
      monthToDate: round(v.monthToDate),
    }))
    .sort(
      (a, b) =>
        b.lastFullMonth - a.lastFullMonth || b.monthToDate - a.monthToDate,
    );
}
