import type { AccountFreshness, CostFreshness } from '@internal/cost-common';
import type { CostReads } from '../../database/CostStore';
import { VIEW } from '../costViews';
import { addDays, monthOf } from '../dates';
import type { ForecastPeriod } from '../types';
import { daysBetween, monthsOf } from './numbers';
import type { Snapshot } from './snapshot';
import type { MonthTotals } from './types';

/**
 * The figures several views are made of, each read once per snapshot: freshness, account names,
 * every product's months, the forecast periods and the run-rate split.
 */

/** How fresh each account's figures are: read from the refresh history, never memoised. */
export async function freshness(store: CostReads): Promise<CostFreshness> {
  const [history, names] = await Promise.all([
    store.refreshHistory('usage'),
    store.accountNames(),
  ]);
  const accounts: AccountFreshness[] = history.map(h => ({
    accountId: h.scope,
    accountName:
      h.scope === 'organization'
        ? 'management account (all accounts)'
        : names[h.scope],
    lastSuccessAt: h.lastSuccessAt,
    lastError:
      h.latest.status === 'failed'
        ? {
            at: h.latest.finishedAt ?? h.latest.startedAt,
            code: h.latest.errorCode ?? 'Error',
            message: h.latest.errorMessage ?? '',
          }
        : undefined,
    stale: h.latest.status === 'failed',
  }));
  const successes = accounts
    .map(a => a.lastSuccessAt)
    .filter((t): t is string => Boolean(t))
    .sort();
  return { refreshedAt: successes[successes.length - 1], accounts };
}

export function sharedFreshness(snap: Snapshot): Promise<CostFreshness> {
  return snap.get('freshness', () => freshness(snap.store));
}

export function accountNames(snap: Snapshot): Promise<Record<string, string>> {
  return snap.get('accountNames', () => snap.store.accountNames());
}

/** The shared pools' names (`product` tag values whose spend is split over the products). */
export function pools(snap: Snapshot): Set<string> {
  return new Set(snap.options.sharedRules.map(r => r.pool));
}

export function productMonths(
  snap: Snapshot,
): Promise<Map<string, MonthTotals>> {
  return snap.get('productMonths', () => loadProductMonths(snap));
}

/** product -> month -> direct amount, from the per-account view (every dollar once). */
async function loadProductMonths(
  snap: Snapshot,
): Promise<Map<string, MonthTotals>> {
  const from = monthsOf(snap.today).historyFrom;
  const [rows, sharedAccounts] = await Promise.all([
    snap.store.totalsByKey1(VIEW.productAccount, 'MONTHLY', from),
    snap.store.totalsByKey1(VIEW.sharedAccount, 'MONTHLY', from),
  ]);
  const byProduct = new Map<string, MonthTotals>();
  // A shared account's whole spend is a pool named after it (see settings: sharedAccountPool).
  for (const r of [
    ...rows,
    ...sharedAccounts.map(a => ({ ...a, key1: `account:${a.key1}` })),
  ]) {
    let months = byProduct.get(r.key1);
    if (!months) byProduct.set(r.key1, (months = new Map()));
    const month = monthOf(r.period_start);
    const entry = months.get(month) ?? { amount: 0, provisional: false };
    entry.amount += r.amount;
    entry.provisional = entry.provisional || r.provisional;
    months.set(month, entry);
  }
  return byProduct;
}

export function forecasts(snap: Snapshot): Promise<ForecastPeriod[]> {
  return snap.get('forecasts', () => snap.store.forecasts());
}

/**
 * AWS's forecast of this month from today to its end. A forecast fetched on an earlier day of the
 * month (the forecast refreshes daily) is cut to the days still ahead, so the days since, now in
 * month-to-date, are not counted twice. Accounts fetched on different days are cut and summed.
 */
export function restOfMonth(
  periods: ForecastPeriod[],
  today: string,
): ForecastPeriod | undefined {
  const current = periods.filter(
    p =>
      monthOf(p.start) === monthOf(today) && p.start <= today && today < p.end,
  );
  if (current.length === 0) return undefined;
  const rest = { start: today, end: current[0].end, mean: 0, low: 0, high: 0 };
  for (const period of current) {
    const share =
      daysBetween(today, period.end) / daysBetween(period.start, period.end);
    rest.mean += period.mean * share;
    rest.low += period.low * share;
    rest.high += period.high * share;
  }
  return rest;
}

export async function forecastRemainder(
  snap: Snapshot,
): Promise<number | undefined> {
  return restOfMonth(await forecasts(snap), snap.today)?.mean;
}

export function runRateShares(snap: Snapshot): Promise<Map<string, number>> {
  return snap.get('runRateShares', () => loadRunRateShares(snap));
}

/** Each product's share of the last 7 days of daily cost: how the month's forecast is split. */
async function loadRunRateShares(snap: Snapshot): Promise<Map<string, number>> {
  const rows = await snap.store.totalsByKey1(
    VIEW.productService,
    'DAILY',
    addDays(monthsOf(snap.today).today, -8),
  );
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(r.key1, (sums.get(r.key1) ?? 0) + r.amount);
  const total = [...sums.values()].reduce((a, b) => a + b, 0);
  return new Map([...sums].map(([p, v]) => [p, total === 0 ? 0 : v / total]));
}
