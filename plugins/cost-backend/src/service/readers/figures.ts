import type {
  AccountFreshness,
  CostForecast,
  CostFreshness,
} from '@internal/cost-common';
import type { CostReads } from '../../database/CostStore';
import { VIEW } from '../costViews';
import { addDays, monthOf, monthStart } from '../dates';
import type { ForecastPeriod } from '../types';
import { daysBetween, monthsOf } from './numbers';
import type { Snapshot } from './snapshot';
import type { MonthTotals } from './types';

/**
 * The figures several views are made of, each read once per snapshot: freshness, account names,
 * every product's months, the forecast periods and the run-rate split.
 */

/** How fresh each account's figures are: read from the refresh history, never memoised. */
export async function freshness(
  store: CostReads,
  today: string,
): Promise<CostFreshness> {
  const [history, names, months] = await Promise.all([
    store.refreshHistory('usage'),
    store.accountNames(),
    store.monthsRead(),
  ]);
  const gaps = monthGaps(months, monthsOf(today).lastFullMonth);
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
    missingMonths: gaps.get(h.scope),
    lastRefresh: {
      awsCalls: h.latest.awsCalls,
      queries: h.latest.queries,
      bytesScanned: h.latest.bytesScanned,
    },
  }));
  const successes = accounts
    .map(a => a.lastSuccessAt)
    .filter((t): t is string => Boolean(t))
    .sort();
  return { refreshedAt: successes[successes.length - 1], accounts };
}

/**
 * Per scope, the months from its first month read to the last full month that it has no figures
 * for: it failed while they were readable (the current month is left out: its first refresh of
 * the month may not have run yet). The next successful refresh re-reads them while Cost Explorer
 * still keeps them.
 */
function monthGaps(
  months: Array<{ scope: string; month: string }>,
  lastFullMonth: string,
): Map<string, string[]> {
  const byScope = new Map<string, Set<string>>();
  for (const m of months) {
    const set = byScope.get(m.scope) ?? new Set<string>();
    set.add(m.month);
    byScope.set(m.scope, set);
  }
  const gaps = new Map<string, string[]>();
  for (const [scope, set] of byScope) {
    const missing: string[] = [];
    for (
      let day = `${[...set].sort()[0]}-01`;
      monthOf(day) <= lastFullMonth;
      day = monthStart(day, 1)
    ) {
      if (!set.has(monthOf(day))) missing.push(monthOf(day));
    }
    if (missing.length > 0) gaps.set(scope, missing);
  }
  return gaps;
}

export function sharedFreshness(snap: Snapshot): Promise<CostFreshness> {
  return snap.get('freshness', () => freshness(snap.store, snap.today));
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
  const rest = {
    start: today,
    end: current[0].end,
    mean: 0,
    low: 0,
    high: 0,
    scopes: current.reduce((n, p) => n + (p.scopes ?? 1), 0),
  };
  for (const period of current) {
    const share =
      daysBetween(today, period.end) / daysBetween(period.start, period.end);
    rest.mean += period.mean * share;
    rest.low += period.low * share;
    rest.high += period.high * share;
  }
  return rest;
}

/**
 * AWS gives an 80% interval per forecast request. Read per account, each account has its own, and
 * adding the bounds up is not an 80% interval of the total: it is one only if every account
 * misses its forecast the same way at once, and wider otherwise. Say so rather than pass it off.
 */
export function forecastRangeMeaning(
  accounts: number,
): NonNullable<CostForecast['range']> {
  if (accounts <= 1)
    return {
      level: 80,
      basis: 'organization',
      accounts,
      meaning:
        "AWS's 80% prediction interval for the whole bill, from one forecast of the management account",
    };
  return {
    level: 80,
    basis: 'accounts-summed',
    accounts,
    meaning:
      `The sum of ${accounts} accounts' own 80% intervals (cost.accounts reads each account on its own): ` +
      "at least as wide as the organisation's 80% interval, since AWS does not say how the accounts move together. " +
      "Read the management account (no cost.accounts) for AWS's own interval of the whole bill",
  };
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
