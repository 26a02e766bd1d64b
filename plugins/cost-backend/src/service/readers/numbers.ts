import type { FactRow } from '../../database/CostStore';
import { monthOf, monthStart } from '../dates';

/** Cents. */
export const round = (n: number) => Math.round(n * 100) / 100;

/** `part` as a percent of `whole`, to two decimals (0 of nothing). */
export const percent = (part: number, whole: number) =>
  whole === 0 ? 0 : Math.round((part / whole) * 10000) / 100;

/** The change from `before` to `now` in percent (none from nothing). */
export const change = (now: number, before: number) =>
  before === 0 ? null : Math.round(((now - before) / before) * 10000) / 100;

export const daysBetween = (from: string, to: string) =>
  (Date.parse(to) - Date.parse(from)) / 86_400_000;

export function sumBy(
  rows: FactRow[],
  key: (r: FactRow) => string,
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(key(r), (sums.get(key(r)) ?? 0) + r.amount);
  return sums;
}

/** The months a view of `today` shows. */
export function monthsOf(today: string) {
  return {
    today,
    lastFullMonth: monthOf(monthStart(today, -1)),
    previousMonth: monthOf(monthStart(today, -2)),
    currentMonth: monthOf(today),
    historyFrom: monthStart(today, -13),
  };
}
