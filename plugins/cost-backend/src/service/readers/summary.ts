import type { ProductCostSummary, UnitCost } from '@internal/cost-common';
import { monthOf, monthStart } from '../dates';
import { pools } from './figures';
import { change, monthsOf, percent, round } from './numbers';
import { allocateShared } from './sharedCosts';
import { spreadCharges } from './charges';
import type { Snapshot } from './snapshot';
import { budgetSetting, budgetStatus } from '../budgets';
import { unitCostFromPrometheus, type UnitMonths } from './unitMonths';
import type { MonthTotals, UnitMetric } from './types';

/** What a product's summary line is relative to (see summaryContext). */
export interface SummaryContext {
  names: string[];
  sharedLast: Map<string, number>;
  directLastTotal: number;
  sparkMonths: string[];
  /** Charges `cost.chargeSpread` spreads, per product, last full month (see withSpreadCharges). */
  chargesLast?: Map<string, number>;
}

/** What a product's summary line needs besides its own months: the forecast and its split. */
export interface SummaryInputs {
  context: SummaryContext;
  byProduct: Map<string, MonthTotals>;
  forecastRemainder: number | undefined;
  shares: Map<string, number>;
  /** Units read from Prometheus per product and month (unit metrics with a query). */
  unitMonths?: UnitMonths;
}

/**
 * The products a summary list covers (a pool only on its own page), and what their figures are
 * relative to: the shared pools' split and the total direct spend of the last full month.
 */
export function summaryContext(
  snap: Snapshot,
  byProduct: Map<string, MonthTotals>,
  pool?: string,
): SummaryContext {
  const catalog = snap.catalog;
  const { lastFullMonth } = monthsOf(snap.today);
  const poolNames = pools(snap);
  const names = [
    ...new Set([...catalog.systems.keys(), ...byProduct.keys()]),
  ].filter(p => p !== '' && (!poolNames.has(p) || p === pool));
  const catalogProducts = names.filter(p => catalog.systems.has(p));
  const sharedLast = allocateShared(
    snap.options.sharedRules,
    byProduct,
    catalogProducts,
    lastFullMonth,
  );
  const directLastTotal = names.reduce(
    (sum, p) => sum + (byProduct.get(p)?.get(lastFullMonth)?.amount ?? 0),
    0,
  );
  const sparkMonths = Array.from({ length: 6 }, (_, i) =>
    monthOf(monthStart(`${lastFullMonth}-01`, i - 5)),
  );
  return { names, sharedLast, directLastTotal, sparkMonths };
}

/** The summary context of the overview, or of a shared pool's own page, once per snapshot. */
export function summaryContextFor(
  snap: Snapshot,
  byProduct: Map<string, MonthTotals>,
  pool?: string,
): Promise<SummaryContext> {
  return snap.get(`summaryContext:${pool ?? ''}`, async () =>
    withSpreadCharges(snap, byProduct, summaryContext(snap, byProduct, pool)),
  );
}

/** The context with each catalog product's share of the spread charges, when any are spread. */
export async function withSpreadCharges(
  snap: Snapshot,
  byProduct: Map<string, MonthTotals>,
  context: SummaryContext,
): Promise<SummaryContext> {
  if ((snap.options.chargeSpread ?? []).length === 0) return context;
  const chargesLast = await spreadCharges(
    snap,
    byProduct,
    context.names.filter(p => snap.catalog.systems.has(p)),
    monthsOf(snap.today).lastFullMonth,
  );
  return { ...context, chargesLast };
}

function unitCost(
  unitMetrics: UnitMetric[],
  product: string,
  history: Array<{ month: string; total: number }>,
  months: { lastFullMonth: string; currentMonth: string },
  unitMonths?: UnitMonths,
): UnitCost | undefined {
  const metric = unitMetrics.find(m => m.product === product);
  if (!metric) return undefined;
  if (metric.query !== undefined)
    // Units up to the start of today against the month's cost so far, which AWS has up to then.
    return unitCostFromPrometheus(
      metric,
      history.filter(h => h.month <= months.currentMonth),
      unitMonths?.get(product) ?? new Map(),
      months.currentMonth,
    );
  const monthly = history.filter(h => h.month <= months.lastFullMonth);
  const unitsIn = (month: string) =>
    metric.monthly[month] ?? metric.everyMonth ?? 0;
  const trend = monthly
    .filter(m => unitsIn(m.month) > 0)
    .map(m => ({
      month: m.month,
      units: unitsIn(m.month),
      costPerThousand: round((m.total / unitsIn(m.month)) * 1000),
    }));
  return trend.length > 0 ? { metric: metric.metric, trend } : undefined;
}

/** One product's line of the overview (and the head of its page). */
export function summaryOf(
  snap: Snapshot,
  product: string,
  inputs: SummaryInputs,
): ProductCostSummary {
  const { context, byProduct, forecastRemainder, shares } = inputs;
  const { lastFullMonth, previousMonth, currentMonth } = monthsOf(snap.today);
  const { sharedLast, directLastTotal, sparkMonths } = context;
  const months = byProduct.get(product) ?? new Map();
  const last = months.get(lastFullMonth)?.amount ?? 0;
  const mtd = months.get(currentMonth)?.amount ?? 0;
  const system = snap.catalog.systems.get(product);
  const history = [...months.entries()].sort().map(([month, v]) => ({
    month,
    total:
      v.amount + (month === lastFullMonth ? sharedLast.get(product) ?? 0 : 0),
  }));
  const forecastMonth =
    forecastRemainder === undefined
      ? undefined
      : mtd + forecastRemainder * (shares.get(product) ?? 0);
  const budget = budgetSetting(product, snap.options.budgets, system);
  return {
    product,
    entityRef: system?.ref,
    title: system?.title,
    domain: system?.domain,
    owner: system?.owner,
    sharedPool: pools(snap).has(product) || undefined,
    lastFullMonth: round(last),
    monthToDate: round(mtd),
    forecastMonth:
      forecastMonth === undefined ? undefined : round(forecastMonth),
    monthOverMonthPercent: change(last, months.get(previousMonth)?.amount ?? 0),
    sparkline: sparkMonths.map(month => ({
      month,
      amount: round(months.get(month)?.amount ?? 0),
      provisional: Boolean(months.get(month)?.provisional),
    })),
    sharePercent: percent(last, directLastTotal),
    sharedLastFullMonth: round(sharedLast.get(product) ?? 0),
    chargesLastFullMonth: context.chargesLast
      ? round(context.chargesLast.get(product) ?? 0)
      : undefined,
    unitCost: unitCost(
      snap.options.unitMetrics,
      product,
      history,
      { lastFullMonth, currentMonth },
      inputs.unitMonths,
    ),
    budget:
      budget && 'monthly' in budget
        ? budgetStatus({
            ...budget,
            today: snap.today,
            monthToDate: mtd,
            forecastMonth,
          })
        : undefined,
    budgetProblem: budget && 'problem' in budget ? budget.problem : undefined,
  };
}
