import type { TeamCoverageTrend } from '@internal/cost-common';
import type { CostReads } from '../../database/CostStore';
import { VIEW } from '../costViews';
import { monthOf, monthStart } from '../dates';
import { percent } from './numbers';
import type { CatalogDirectory } from './types';

/**
 * Per team, the share of its spend carrying every required tag in each of the last `months`
 * full months (the current month is partial, so it is left out). Summed in SQL per team.
 */
export async function teamCoverageTrend(
  store: Pick<CostReads, 'totalsByKey1'>,
  catalog: CatalogDirectory,
  today: string,
  months = 6,
): Promise<TeamCoverageTrend> {
  const from = monthStart(today, -months);
  const current = monthOf(today);
  const [covered, total] = await Promise.all([
    store.totalsByKey1(VIEW.coveredTeamService, 'MONTHLY', from),
    store.totalsByKey1(VIEW.teamService, 'MONTHLY', from),
  ]);
  const monthList = Array.from({ length: months }, (_, i) =>
    monthOf(monthStart(today, i - months)),
  );
  const sums = new Map<
    string,
    Map<string, { covered: number; total: number }>
  >();
  for (const [rows, field] of [
    [covered, 'covered'],
    [total, 'total'],
  ] as const) {
    for (const row of rows) {
      const month = monthOf(row.period_start);
      if (month === current) continue;
      // Spend with no team tag is no team's coverage: it is the unallocated report's.
      if (!row.key1) continue;
      let byMonth = sums.get(row.key1);
      if (!byMonth) sums.set(row.key1, (byMonth = new Map()));
      const entry = byMonth.get(month) ?? { covered: 0, total: 0 };
      entry[field] += row.amount;
      byMonth.set(month, entry);
    }
  }
  return {
    months: monthList,
    teams: [...sums.entries()]
      .map(([team, byMonth]) => ({
        team,
        entityRef: catalog.groups.get(team)?.ref,
        coveredPercent: monthList.map(month => {
          const entry = byMonth.get(month);
          return entry && entry.total > 0
            ? percent(entry.covered, entry.total)
            : undefined;
        }),
      }))
      .sort((a, b) => a.team.localeCompare(b.team)),
  };
}
