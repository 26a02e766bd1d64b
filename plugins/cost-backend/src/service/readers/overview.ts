import type { CostOverview } from '@internal/cost-common';
import { teamCoverage } from './coverage';
import {
  forecastRemainder,
  pools,
  productMonths,
  runRateShares,
  sharedFreshness,
} from './figures';
import { change, monthsOf, percent, round } from './numbers';
import type { Snapshot } from './snapshot';
import { summaryContext, summaryOf } from './summary';
import type { MonthTotals, ProductVisibility } from './types';

/**
 * The lead's overview is computed once per snapshot; anyone else gets their products' lines of
 * it, with the totals over those products and without the organisation-wide lines.
 */
export async function overview(
  snap: Snapshot,
  visibility: ProductVisibility,
): Promise<CostOverview> {
  const [all, byProduct] = await Promise.all([
    snap.get('overview', () => organisationOverview(snap)),
    productMonths(snap),
  ]);
  if (visibility.all) return all;
  return restrictedOverview(snap, all, byProduct, visibility.products);
}

/** The lines of the overview of `visible` products, totals over those only. */
function restrictedOverview(
  snap: Snapshot,
  all: CostOverview,
  byProduct: Map<string, MonthTotals>,
  visible: Set<string>,
): CostOverview {
  const products = all.products.filter(p => visible.has(p.product));
  const totalIn = (month: string) =>
    products.reduce(
      (s, p) => s + (byProduct.get(p.product)?.get(month)?.amount ?? 0),
      0,
    );
  return {
    ...all,
    totals: {
      lastFullMonth: round(totalIn(all.lastFullMonth)),
      monthToDate: round(totalIn(all.currentMonth)),
      forecastMonth: undefined,
      monthOverMonthPercent: change(
        totalIn(all.lastFullMonth),
        totalIn(monthsOf(snap.today).previousMonth),
      ),
    },
    products,
    monthly: all.monthly.map(m => ({
      month: m.month,
      provisional: m.provisional,
      byProduct: Object.fromEntries(
        products.map(p => [p.product, m.byProduct[p.product]]),
      ),
      shared: 0,
      unallocated: 0,
    })),
    unallocated: { lastFullMonth: 0, sharePercent: 0 },
    shared: { lastFullMonth: 0 },
    tagCoverage: {
      overall: { coveredPercent: 0, coveredAmount: 0, totalAmount: 0 },
      byTeam: [],
    },
    restricted: true,
  };
}

async function organisationOverview(snap: Snapshot): Promise<CostOverview> {
  const { lastFullMonth, previousMonth, currentMonth } = monthsOf(snap.today);
  const [byProduct, freshness, remainder, shares] = await Promise.all([
    productMonths(snap),
    sharedFreshness(snap),
    forecastRemainder(snap),
    runRateShares(snap),
  ]);
  const poolNames = pools(snap);
  const context = summaryContext(snap, byProduct);
  const products = context.names
    .map(p =>
      summaryOf(snap, p, {
        context,
        byProduct,
        forecastRemainder: remainder,
        shares,
      }),
    )
    .sort((a, b) => b.lastFullMonth - a.lastFullMonth);
  const monthsSeen = [
    ...new Set([...byProduct.values()].flatMap(m => [...m.keys()])),
  ].sort();
  const amountIn = (product: string, month: string) =>
    byProduct.get(product)?.get(month)?.amount ?? 0;
  const allProducts = [...byProduct.keys()];
  const totalIn = (month: string) =>
    allProducts.reduce((s, p) => s + amountIn(p, month), 0);
  const poolIn = (month: string) =>
    [...poolNames].reduce((s, p) => s + amountIn(p, month), 0);
  const tagCoverage = await teamCoverage(snap);
  const mtdTotal = totalIn(currentMonth);
  return {
    currency: snap.options.currency,
    metric: snap.options.metric,
    freshness,
    lastFullMonth,
    currentMonth,
    totals: {
      lastFullMonth: round(totalIn(lastFullMonth)),
      monthToDate: round(mtdTotal),
      forecastMonth:
        remainder !== undefined ? round(mtdTotal + remainder) : undefined,
      monthOverMonthPercent: change(
        totalIn(lastFullMonth),
        totalIn(previousMonth),
      ),
    },
    products,
    monthly: monthsSeen.map(month => ({
      month,
      provisional: [...byProduct.values()].some(m => m.get(month)?.provisional),
      byProduct: Object.fromEntries(
        products.map(p => [p.product, round(amountIn(p.product, month))]),
      ),
      shared: round(poolIn(month)),
      unallocated: round(amountIn('', month)),
    })),
    unallocated: {
      lastFullMonth: round(amountIn('', lastFullMonth)),
      sharePercent: percent(
        amountIn('', lastFullMonth),
        totalIn(lastFullMonth),
      ),
    },
    shared: { lastFullMonth: round(poolIn(lastFullMonth)) },
    tagCoverage,
    restricted: false,
  };
}
