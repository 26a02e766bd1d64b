import type { CostOverview, TagActivation } from '@internal/cost-common';
import { teamCoverage } from './coverage';
import {
  forecastRangeMeaning,
  forecasts,
  restOfMonth,
  pools,
  productMonths,
  runRateShares,
  sharedFreshness,
} from './figures';
import { change, monthsOf, percent, round } from './numbers';
import type { Snapshot } from './snapshot';
import { summaryContext, summaryOf, withSpreadCharges } from './summary';
import { chargeSummary, chargeTotals } from './charges';
import { coverageBasis, keysNotGroupable, tagActivation } from './tagStatus';
import { unitMetricMonths } from './unitMonths';
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
    tagActivation: undefined,
    charges: undefined,
    restricted: true,
  };
}

/** Why spend "without a product tag" is not spend to own: AWS cannot group by the product key. */
function productKeyNotMeasured(
  activation: TagActivation,
  productTag: string,
): string | undefined {
  const key = keysNotGroupable(activation).find(k => k.tagKey === productTag);
  if (!key) return undefined;
  return `AWS cannot group spend by the "${productTag}" tag (${
    {
      inactive: 'not activated',
      activating: 'activated after last month began, not backfilled',
    }[key.status as string] ?? 'never seen on a bill'
  }), so all spend shows without it. ${key.fix ?? ''}`.trim();
}

async function organisationOverview(snap: Snapshot): Promise<CostOverview> {
  const { lastFullMonth, previousMonth, currentMonth } = monthsOf(snap.today);
  const [byProduct, freshness, periods, shares] = await Promise.all([
    productMonths(snap),
    sharedFreshness(snap),
    forecasts(snap),
    runRateShares(snap),
  ]);
  const rest = restOfMonth(periods, snap.today);
  const remainder = rest?.mean;
  const poolNames = pools(snap);
  const context = await withSpreadCharges(
    snap,
    byProduct,
    summaryContext(snap, byProduct),
  );
  const unitMonths = await unitMetricMonths(snap);
  const products = context.names
    .map(p =>
      summaryOf(snap, p, {
        context,
        byProduct,
        forecastRemainder: remainder,
        shares,
        unitMonths,
      }),
    )
    .sort((a, b) => b.lastFullMonth - a.lastFullMonth);
  const monthsSeen = [
    ...new Set([...byProduct.values()].flatMap(m => [...m.keys()])),
  ].sort();
  const amountIn = (product: string, month: string) =>
    byProduct.get(product)?.get(month)?.amount ?? 0;
  const allProducts = [...byProduct.keys()];
  const [charges, chargesByMonth, activation] = await Promise.all([
    chargeSummary(snap),
    chargeTotals(snap),
    tagActivation(snap),
  ]);
  const taggableIn = (month: string) =>
    allProducts.reduce((s, p) => s + amountIn(p, month), 0);
  // The whole bill: spend tags carry plus the charges no tag can (credits and refunds subtract).
  const totalIn = (month: string) =>
    taggableIn(month) + (chargesByMonth.get(month) ?? 0);
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
      forecastRange: rest && {
        low: round(mtdTotal + rest.low),
        high: round(mtdTotal + rest.high),
        ...forecastRangeMeaning(rest.scopes ?? 1),
      },
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
      charges: round(chargesByMonth.get(month) ?? 0),
    })),
    unallocated: {
      lastFullMonth: round(amountIn('', lastFullMonth)),
      // Of the spend a tag can carry: charges are not anyone's to tag.
      sharePercent: percent(
        amountIn('', lastFullMonth),
        taggableIn(lastFullMonth),
      ),
      notMeasured: productKeyNotMeasured(activation, snap.options.productTag),
    },
    shared: { lastFullMonth: round(poolIn(lastFullMonth)) },
    tagCoverage: { ...tagCoverage, basis: coverageBasis(activation) },
    tagActivation: activation,
    charges,
    currencyNote: snap.money.note,
    restricted: false,
  };
}
