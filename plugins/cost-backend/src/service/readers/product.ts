import type { ProductCostDetail } from '@internal/cost-common';
import type { FactRow } from '../../database/CostStore';
import { VIEW } from '../costViews';
import { addDays } from '../dates';
import { anomalies } from './anomalies';
import { breakdown } from './breakdown';
import { coverageIndex, coverageOfSums } from './coverage';
import {
  accountNames,
  forecastRemainder,
  pools,
  productMonths,
  runRateShares,
  sharedFreshness,
} from './figures';
import { monthsOf, round } from './numbers';
import { sharedAllocation } from './sharedCosts';
import type { Snapshot } from './snapshot';
import { summaryContextFor, summaryOf } from './summary';
import { unitMetricMonths } from './unitMonths';
import { crossedOnDay } from '../budgets';
import type { MonthTotals } from './types';

/** One product's page: computed on its first view after a refresh, then shared. */
export async function product(
  snap: Snapshot,
  name: string,
): Promise<ProductCostDetail | undefined> {
  const byProduct = await productMonths(snap);
  if (!byProduct.has(name) || name === '') return undefined;
  return snap.get(`product:${name}`, () =>
    productDetail(snap, byProduct, name),
  );
}

/** Daily amounts summed over the product's services, by day. */
function dailyOf(rows: FactRow[]): ProductCostDetail['daily'] {
  const sums = new Map<string, { amount: number; provisional: boolean }>();
  for (const r of rows) {
    const entry = sums.get(r.period_start) ?? {
      amount: 0,
      provisional: false,
    };
    entry.amount += r.amount;
    entry.provisional = entry.provisional || r.provisional;
    sums.set(r.period_start, entry);
  }
  return [...sums.entries()].sort().map(([day, v]) => ({
    day,
    amount: round(v.amount),
    provisional: v.provisional,
  }));
}

/** Direct spend per month, and (for a catalog product) its share of the shared pools. */
function monthlyOf(
  snap: Snapshot,
  byProduct: Map<string, MonthTotals>,
  name: string,
): Promise<ProductCostDetail['monthly']> {
  const months = byProduct.get(name)!;
  return Promise.all(
    [...months.entries()].sort().map(async ([month, v]) => ({
      month,
      provisional: v.provisional,
      direct: round(v.amount),
      shared: snap.catalog.systems.has(name)
        ? round((await sharedAllocation(snap, byProduct, month)).get(name) ?? 0)
        : 0,
    })),
  );
}

/** The product's breakdowns, read per page: they are one product's rows only. */
async function breakdowns(snap: Snapshot, name: string) {
  const [daily, byService, byTeam, byEnvironment, byAwsService] =
    await Promise.all([
      snap.store.facts(VIEW.productService, 'DAILY', {
        from: addDays(snap.today, -45),
        key1: name,
      }),
      breakdown(snap, VIEW.productService, name),
      breakdown(snap, VIEW.productTeam, name),
      breakdown(snap, VIEW.productEnvironment, name),
      breakdown(snap, VIEW.productAwsService, name),
    ]);
  return { daily, byService, byTeam, byEnvironment, byAwsService };
}

/** The summary with the day an already crossed budget was crossed, from the product's daily spend. */
function withBudgetCrossing(
  summary: ProductCostDetail['summary'],
  daily: FactRow[],
): ProductCostDetail['summary'] {
  if (!summary.budget?.crossed) return summary;
  return {
    ...summary,
    budget: crossedOnDay(summary.budget, dailyOf(daily)),
  };
}

async function productDetail(
  snap: Snapshot,
  byProduct: Map<string, MonthTotals>,
  name: string,
): Promise<ProductCostDetail> {
  const catalog = snap.catalog;
  const { lastFullMonth, currentMonth } = monthsOf(snap.today);
  const [
    freshness,
    remainder,
    shares,
    names,
    context,
    coverage,
    attributed,
    lines,
  ] = await Promise.all([
    sharedFreshness(snap),
    forecastRemainder(snap),
    runRateShares(snap),
    accountNames(snap),
    // A shared pool has a page too (the platform team's cost is one), marked as a pool.
    summaryContextFor(
      snap,
      byProduct,
      pools(snap).has(name) ? name : undefined,
    ),
    coverageIndex(snap),
    anomalies(snap),
    breakdowns(snap, name),
  ]);
  const byAccount = await breakdown(snap, VIEW.productAccount, name, names);
  return {
    currency: snap.options.currency,
    currencyNote: snap.money.note,
    metric: snap.options.metric,
    freshness,
    lastFullMonth,
    currentMonth,
    summary: withBudgetCrossing(
      summaryOf(snap, name, {
        context,
        byProduct,
        forecastRemainder: remainder,
        shares,
        unitMonths: await unitMetricMonths(snap),
      }),
      lines.daily,
    ),
    monthly: await monthlyOf(snap, byProduct, name),
    daily: dailyOf(lines.daily),
    byService: lines.byService,
    byTeam: lines.byTeam,
    byEnvironment: lines.byEnvironment,
    byAwsService: lines.byAwsService,
    byAccount,
    anomalies: attributed.filter(a => a.products.includes(name)),
    serviceTagCoverage: lines.byService
      .filter(s => s.key !== '')
      .map(s => ({
        service: s.key,
        entityRef: catalog.components.get(s.key)?.ref,
        ...coverageOfSums(
          coverage.byService.get(s.key) ?? { covered: 0, total: 0 },
        ),
      })),
  };
}
