import { SloStatus } from '@internal/slo-common';
import { compareMissingLast, SortDirection } from '@internal/platform-react';
import { sloLabel } from '../../format';
import { BURN_STATUS } from '../BurnStatusChip/BurnStatusChip';

export type SloSortKey = 'slo' | 'budget' | 'status';

/** Budget left, or undefined when nothing was measured (never read as a full budget). */
export function budgetOf(slo: SloStatus): number | undefined {
  return slo.hasData ? slo.budget?.remaining : undefined;
}

function severity(slo: SloStatus): number {
  return BURN_STATUS[slo.burn.status].severity;
}

/** Least budget first; SLOs without data last. */
function byBudget(a: SloStatus, b: SloStatus, sign: number): number {
  return compareMissingLast(budgetOf(a), budgetOf(b), sign);
}

const byName = (a: SloStatus, b: SloStatus) =>
  sloLabel(a).localeCompare(sloLabel(b));

/**
 * Sorted copy. `status` descending is worst first (page, ticket, no data, ok), then least budget
 * left; `budget` ascending is least left first. SLOs without data go last on budget either way.
 */
export function sortSlos(
  slos: SloStatus[],
  key: SloSortKey,
  direction: SortDirection,
): SloStatus[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...slos].sort((a, b) => {
    if (key === 'slo') {
      return sign * byName(a, b);
    }
    if (key === 'status') {
      return (
        sign * (severity(a) - severity(b)) || byBudget(a, b, 1) || byName(a, b)
      );
    }
    return byBudget(a, b, sign) || severity(b) - severity(a) || byName(a, b);
  });
}

/** The direction a column sorts in on its first click: the worst SLOs on top. */
export const FIRST_DIRECTION: Record<SloSortKey, SortDirection> = {
  slo: 'asc',
  budget: 'asc',
  status: 'desc',
};
