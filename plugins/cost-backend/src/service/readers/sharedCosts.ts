import type { Snapshot } from './snapshot';
import type { MonthTotals, SharedCostRule } from './types';

/** Shared pools split over the catalog's products, month by month, by each pool's rule. */
export function allocateShared(
  rules: SharedCostRule[],
  byProduct: Map<string, MonthTotals>,
  products: string[],
  month: string,
): Map<string, number> {
  const allocated = new Map<string, number>(products.map(p => [p, 0]));
  const direct = new Map(
    products.map(p => [p, byProduct.get(p)?.get(month)?.amount ?? 0]),
  );
  const directTotal = [...direct.values()].reduce((a, b) => a + b, 0);
  for (const rule of rules) {
    const pool = byProduct.get(rule.pool)?.get(month)?.amount ?? 0;
    if (pool === 0 || products.length === 0) continue;
    for (const product of products) {
      let share = 0;
      if (rule.split === 'even') share = pool / products.length;
      else if (rule.split === 'proportional')
        share =
          directTotal === 0 ? 0 : (pool * direct.get(product)!) / directTotal;
      else share = (pool * (rule.percentages?.[product] ?? 0)) / 100;
      allocated.set(product, allocated.get(product)! + share);
    }
  }
  return allocated;
}

/** Each catalog product's share of the shared pools in `month`, once per snapshot. */
export function sharedAllocation(
  snap: Snapshot,
  byProduct: Map<string, MonthTotals>,
  month: string,
): Promise<Map<string, number>> {
  return snap.get(`shared:${month}`, async () =>
    allocateShared(
      snap.options.sharedRules,
      byProduct,
      [...snap.catalog.systems.keys()],
      month,
    ),
  );
}
