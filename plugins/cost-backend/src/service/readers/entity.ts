import type {
  CostBreakdownLine,
  EntityCost,
  MonthlyAmount,
} from '@internal/cost-common';
import type { FactRow } from '../../database/CostStore';
import { VIEW } from '../costViews';
import { monthOf } from '../dates';
import { breakdown } from './breakdown';
import { coverageIndex, coverageOfSums } from './coverage';
import { sharedFreshness } from './figures';
import { change, monthsOf, round } from './numbers';
import type { Snapshot } from './snapshot';

export type CostEntityKind = 'system' | 'component' | 'group';

/** A team's spend per product, last full month and month to date, from its rows. */
function teamBreakdown(snap: Snapshot, rows: FactRow[]): CostBreakdownLine[] {
  const { lastFullMonth, currentMonth } = monthsOf(snap.today);
  const recent = rows.filter(r => r.period_start >= `${lastFullMonth}-01`);
  const products = [...new Set(recent.map(r => r.key1))];
  const sumFor = (p: string, month: string) =>
    recent
      .filter(r => r.key1 === p && monthOf(r.period_start) === month)
      .reduce((s, r) => s + r.amount, 0);
  const systems = snap.catalog.systems;
  return products
    .map(p => ({
      key: p,
      label: systems.get(p)?.title,
      lastFullMonth: round(sumFor(p, lastFullMonth)),
      monthToDate: round(sumFor(p, currentMonth)),
    }))
    .sort((a, b) => b.lastFullMonth - a.lastFullMonth);
}

/** What an entity's spend is broken down by: a product's services, a service's AWS services, a team's products. */
function entityBreakdown(
  snap: Snapshot,
  kind: CostEntityKind,
  name: string,
  rows: FactRow[],
): Promise<CostBreakdownLine[]> | CostBreakdownLine[] {
  if (kind === 'system') return breakdown(snap, VIEW.productService, name);
  if (kind === 'component')
    return breakdown(snap, VIEW.serviceAwsService, name);
  return teamBreakdown(snap, rows);
}

/** Per month: the entity's amount, and whether any of it is still provisional. */
function byMonthOf(rows: FactRow[]) {
  const byMonth = new Map<string, { amount: number; provisional: boolean }>();
  for (const r of rows) {
    const month = monthOf(r.period_start);
    const entry = byMonth.get(month) ?? { amount: 0, provisional: false };
    entry.amount += r.amount;
    entry.provisional = entry.provisional || r.provisional;
    byMonth.set(month, entry);
  }
  return byMonth;
}

/** A catalog entity's cost (a product System, a service Component, a team Group), read per request. */
export async function entity(
  snap: Snapshot,
  kind: CostEntityKind,
  name: string,
  entityRef: string,
): Promise<EntityCost> {
  const { lastFullMonth, previousMonth, currentMonth, historyFrom } = monthsOf(
    snap.today,
  );
  const { options } = snap;
  const tagKey = {
    system: options.productTag,
    component: options.serviceTag,
    group: options.teamTag,
  }[kind];
  const view = {
    system: VIEW.productAccount,
    component: VIEW.productService,
    group: VIEW.productTeam,
  }[kind];
  const rows = await snap.store.facts(
    view,
    'MONTHLY',
    kind === 'system'
      ? { from: historyFrom, key1: name }
      : { from: historyFrom, key2: name },
  );
  if (rows.length === 0) {
    return {
      mapped: false,
      entityRef,
      tagKey,
      tagValue: name,
      reason: `not mapped: no AWS spend carries the tag ${tagKey}=${name}; add ${tagKey}=${name} to its AWS resources (Terraform default_tags) and it appears after the next refresh`,
    };
  }
  const byMonth = byMonthOf(rows);
  const monthly: MonthlyAmount[] = [...byMonth.entries()]
    .sort()
    .map(([month, v]) => ({
      month,
      amount: round(v.amount),
      provisional: v.provisional,
    }));
  const amountIn = (month: string) => byMonth.get(month)?.amount ?? 0;
  const breakdownLines = await entityBreakdown(snap, kind, name, rows);
  const [coverage, freshness] = await Promise.all([
    coverageIndex(snap),
    sharedFreshness(snap),
  ]);
  const sums =
    kind === 'group' ? coverage.byTeam.get(name) : coverage.byService.get(name);
  return {
    mapped: true,
    entityRef,
    kind,
    currency: options.currency,
    freshness,
    lastFullMonth,
    currentMonth,
    lastFullMonthAmount: round(amountIn(lastFullMonth)),
    monthToDate: round(amountIn(currentMonth)),
    monthOverMonthPercent: change(
      amountIn(lastFullMonth),
      amountIn(previousMonth),
    ),
    monthly,
    breakdown: breakdownLines,
    tagCoverage:
      kind === 'system' || !sums?.measured ? undefined : coverageOfSums(sums),
  };
}
