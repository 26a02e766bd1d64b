import type { ChargeLine, ChargeSummary } from '@internal/cost-common';
import { chargeLabel, isTaggable } from '../chargeTypes';
import { VIEW } from '../costViews';
import { monthOf } from '../dates';
import { monthsOf, round } from './numbers';
import type { Snapshot } from './snapshot';
import type { MonthTotals } from './types';

/**
 * Charges no tag can carry (tax, support, credits, refunds, Savings Plans and RI fees, marketplace),
 * from the whole bill grouped by RECORD_TYPE x BILLING_ENTITY. They are lines of their own, in the
 * totals, never "unallocated"; `cost.chargeSpread` may spread some over products.
 */

export interface ChargeAmount {
  month: string;
  recordType: string;
  billingEntity: string;
  amount: number;
  provisional: boolean;
}

/** Every charge of the stored history, once per snapshot (the taggable usage lines left out). */
export function chargeAmounts(snap: Snapshot): Promise<ChargeAmount[]> {
  return snap.get('charges', async () => {
    const rows = await snap.store.facts(VIEW.charges, 'MONTHLY', {
      from: monthsOf(snap.today).historyFrom,
    });
    return rows
      .filter(r => !isTaggable(r.key1, r.key2))
      .map(r => ({
        month: monthOf(r.period_start),
        recordType: r.key1,
        billingEntity: r.key2,
        amount: r.amount,
        provisional: r.provisional,
      }));
  });
}

/** Month -> net charges (credits and refunds subtract). */
export async function chargeTotals(
  snap: Snapshot,
): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const c of await chargeAmounts(snap))
    totals.set(c.month, (totals.get(c.month) ?? 0) + c.amount);
  return totals;
}

function spreadRuleOf(snap: Snapshot, recordType: string) {
  return (snap.options.chargeSpread ?? []).find(r =>
    r.recordTypes.includes(recordType),
  );
}

/** The overview's charge lines: last full month and month to date, largest first by size. */
export async function chargeSummary(snap: Snapshot): Promise<ChargeSummary> {
  const { lastFullMonth, currentMonth } = monthsOf(snap.today);
  const lines = new Map<string, ChargeLine>();
  let spread = 0;
  for (const c of await chargeAmounts(snap)) {
    if (c.month !== lastFullMonth && c.month !== currentMonth) continue;
    const id = `${c.recordType}\u0000${c.billingEntity}`;
    let line = lines.get(id);
    if (!line) {
      line = {
        recordType: c.recordType,
        billingEntity: c.billingEntity,
        label: chargeLabel(c.recordType, c.billingEntity),
        lastFullMonth: 0,
        monthToDate: 0,
        provisional: false,
        spread: spreadRuleOf(snap, c.recordType)?.split,
      };
      lines.set(id, line);
    }
    if (c.month === lastFullMonth) {
      line.lastFullMonth += c.amount;
      line.provisional ||= c.provisional;
      if (line.spread) spread += c.amount;
    } else line.monthToDate += c.amount;
  }
  const list = [...lines.values()]
    .map(l => ({
      ...l,
      lastFullMonth: round(l.lastFullMonth),
      monthToDate: round(l.monthToDate),
    }))
    .filter(l => l.lastFullMonth !== 0 || l.monthToDate !== 0)
    .sort((a, b) => Math.abs(b.lastFullMonth) - Math.abs(a.lastFullMonth));
  return {
    lines: list,
    lastFullMonth: round(list.reduce((s, l) => s + l.lastFullMonth, 0)),
    monthToDate: round(list.reduce((s, l) => s + l.monthToDate, 0)),
    spreadLastFullMonth: round(spread),
  };
}

/**
 * Each product's share of the charges `cost.chargeSpread` spreads, in `month`: proportional to its
 * direct spend, or even. A credit spreads as a negative share.
 */
export async function spreadCharges(
  snap: Snapshot,
  byProduct: Map<string, MonthTotals>,
  products: string[],
  month: string,
): Promise<Map<string, number>> {
  const spread = new Map<string, number>(products.map(p => [p, 0]));
  const rules = snap.options.chargeSpread ?? [];
  if (rules.length === 0 || products.length === 0) return spread;
  const direct = new Map(
    products.map(p => [p, byProduct.get(p)?.get(month)?.amount ?? 0]),
  );
  const directTotal = [...direct.values()].reduce((a, b) => a + b, 0);
  for (const c of await chargeAmounts(snap)) {
    if (c.month !== month) continue;
    const rule = spreadRuleOf(snap, c.recordType);
    if (!rule) continue;
    for (const product of products) {
      let share = 0;
      if (rule.split === 'even') share = 1 / products.length;
      else if (directTotal !== 0) share = direct.get(product)! / directTotal;
      spread.set(product, spread.get(product)! + c.amount * share);
    }
  }
  return spread;
}
