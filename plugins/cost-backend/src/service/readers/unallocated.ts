import type {
  UnallocatedReport,
  UnallocatedSpend,
} from '@internal/cost-common';
import { VIEW } from '../costViews';
import { monthOf } from '../dates';
import { accountNames, productMonths } from './figures';
import { monthsOf, percent, round, sumBy } from './numbers';
import type { Snapshot } from './snapshot';
import { keysNotGroupable, tagActivation } from './tagStatus';

/** The spend of `month` missing the tag `tagKey`, by account and AWS service. */
async function missingTag(
  snap: Snapshot,
  tagKey: string,
  month: string,
  total: number,
  names: Record<string, string>,
): Promise<UnallocatedSpend> {
  const rows = (
    await snap.store.facts(VIEW.unallocated(tagKey), 'MONTHLY', {
      from: `${month}-01`,
    })
  ).filter(r => monthOf(r.period_start) === month);
  const amount = rows.reduce((s, r) => s + r.amount, 0);
  const byAccount = sumBy(rows, r => r.key1);
  const byAwsService = sumBy(rows, r => r.key2);
  return {
    tagKey,
    month,
    amount: round(amount),
    sharePercent: percent(amount, total),
    byAccount: [...byAccount]
      .sort((a, b) => b[1] - a[1])
      .map(([accountId, v]) => ({
        accountId,
        accountName: names[accountId],
        amount: round(v),
      })),
    byAwsService: [...byAwsService]
      .sort((a, b) => b[1] - a[1])
      .map(([awsService, v]) => ({ awsService, amount: round(v) })),
    lines: rows
      .filter(r => r.amount >= 0.005)
      .sort((a, b) => b.amount - a.amount)
      .map(r => ({
        accountId: r.key1,
        accountName: names[r.key1],
        awsService: r.key2,
        amount: round(r.amount),
      })),
  };
}

/** Spend missing each required tag in `month` (the last full month by default), read per request. */
export async function unallocated(
  snap: Snapshot,
  month: string | undefined,
  requiredKeys: string[],
): Promise<UnallocatedReport> {
  const target = month ?? monthsOf(snap.today).lastFullMonth;
  const [names, byProduct] = await Promise.all([
    accountNames(snap),
    productMonths(snap),
  ]);
  const total = [...byProduct.values()].reduce(
    (s, m) => s + (m.get(target)?.amount ?? 0),
    0,
  );
  // A key AWS cannot group by is "missing" on every dollar: no one must own that, it needs activating.
  const activation = await tagActivation(snap);
  const notMeasured = keysNotGroupable(activation).filter(k =>
    requiredKeys.includes(k.tagKey),
  );
  const byTagKey = await Promise.all(
    requiredKeys
      .filter(tagKey => !notMeasured.some(k => k.tagKey === tagKey))
      .map(tagKey => missingTag(snap, tagKey, target, total, names)),
  );
  return {
    currency: snap.options.currency,
    currencyNote: snap.money.note,
    month: target,
    total: round(total),
    byTagKey: byTagKey.sort((a, b) => b.amount - a.amount),
    keysNotMeasured: notMeasured,
    verified: activation.verified,
  };
}
