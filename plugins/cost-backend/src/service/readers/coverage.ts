import type { CostOverview, TagCoverage } from '@internal/cost-common';
import { VIEW } from '../costViews';
import { monthOf } from '../dates';
import { monthsOf, percent, round } from './numbers';
import type { Snapshot } from './snapshot';

/** How much spend carries the required tags: of the overview, a team and a service. */

export interface CoverageSums {
  covered: number;
  total: number;
  /** Whether any total line was seen (an entity without one has no coverage to show). */
  measured?: boolean;
}

/** Per team and per service: tag-covered and total spend of one month. */
export interface CoverageIndex {
  byTeam: Map<string, CoverageSums>;
  byService: Map<string, CoverageSums>;
}

export function coverageOfSums({ covered, total }: CoverageSums): TagCoverage {
  return {
    coveredPercent: percent(covered, total),
    coveredAmount: round(covered),
    totalAmount: round(total),
  };
}

function coverageOf(
  covered: Array<{ amount: number }>,
  total: Array<{ amount: number }>,
): TagCoverage {
  const c = covered.reduce((s, r) => s + r.amount, 0);
  const t = total.reduce((s, r) => s + r.amount, 0);
  return coverageOfSums({ covered: c, total: t });
}

/** Tag coverage of the last full month per team and per service, summed once per snapshot. */
export function coverageIndex(snap: Snapshot): Promise<CoverageIndex> {
  return snap.get('coverage', async () => {
    const month = monthsOf(snap.today).lastFullMonth;
    const from = `${month}-01`;
    const [covered, total] = await Promise.all([
      snap.store.facts(VIEW.coveredTeamService, 'MONTHLY', { from }),
      snap.store.facts(VIEW.teamService, 'MONTHLY', { from }),
    ]);
    const index: CoverageIndex = { byTeam: new Map(), byService: new Map() };
    const add = (
      map: Map<string, CoverageSums>,
      key: string,
      field: 'covered' | 'total',
      amount: number,
    ) => {
      let sums = map.get(key);
      if (!sums) map.set(key, (sums = { covered: 0, total: 0 }));
      sums[field] += amount;
      if (field === 'total') sums.measured = true;
    };
    for (const [rows, field] of [
      [covered, 'covered'],
      [total, 'total'],
    ] as const) {
      for (const r of rows) {
        if (monthOf(r.period_start) !== month) continue;
        add(index.byTeam, r.key1, field, r.amount);
        add(index.byService, r.key2, field, r.amount);
      }
    }
    return index;
  });
}

/** The overview's tag coverage of the last full month: overall and per team (summed per team in SQL). */
export async function teamCoverage(
  snap: Snapshot,
): Promise<CostOverview['tagCoverage']> {
  const { lastFullMonth } = monthsOf(snap.today);
  const [coveredByTeam, totalByTeam] = await Promise.all([
    snap.store.totalsByKey1(
      VIEW.coveredTeamService,
      'MONTHLY',
      `${lastFullMonth}-01`,
    ),
    snap.store.totalsByKey1(VIEW.teamService, 'MONTHLY', `${lastFullMonth}-01`),
  ]);
  const inLastMonth = (r: { period_start: string }) =>
    monthOf(r.period_start) === lastFullMonth;
  const covered = coveredByTeam.filter(inLastMonth);
  const total = totalByTeam.filter(inLastMonth);
  const coverageByTeam = new Map<string, CoverageSums>();
  for (const [rows, field] of [
    [covered, 'covered'],
    [total, 'total'],
  ] as const) {
    for (const r of rows) {
      const sums = coverageByTeam.get(r.key1) ?? { covered: 0, total: 0 };
      sums[field] += r.amount;
      coverageByTeam.set(r.key1, sums);
    }
  }
  const teams = [...new Set(total.map(r => r.key1))];
  return {
    overall: coverageOf(covered, total),
    byTeam: teams
      .map(team => ({
        team,
        entityRef: snap.catalog.groups.get(team)?.ref,
        ...coverageOfSums(coverageByTeam.get(team) ?? { covered: 0, total: 0 }),
      }))
      .sort((a, b) => a.coveredPercent - b.coveredPercent),
  };
}
