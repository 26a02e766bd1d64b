import { useState } from 'react';
import TableCell from '@mui/material/TableCell';
import TableSortLabel from '@mui/material/TableSortLabel';
import Tooltip from '@mui/material/Tooltip';

export type SortDirection = 'asc' | 'desc';

/** Which column a table is sorted by, and how to sort it by another. */
export interface SortState<K extends string> {
  sortKey: K;
  direction: SortDirection;
  /** The column's header was clicked: reverse it, or sort by it in its first direction. */
  sortBy: (key: K) => void;
}

/**
 * A table's sorting: a click on the sorted column reverses it, a click on another sorts by that
 * one in `firstDirection(key)` (e.g. names A to Z, amounts largest first).
 */
export function useSort<K extends string>(
  initialKey: K,
  initialDirection: SortDirection,
  firstDirection: (key: K) => SortDirection,
): SortState<K> {
  const [sortKey, setSortKey] = useState<K>(initialKey);
  const [direction, setDirection] = useState<SortDirection>(initialDirection);
  const sortBy = (key: K) => {
    if (key === sortKey) {
      setDirection(direction === 'asc' ? 'desc' : 'asc');
    } else {
      setSortKey(key);
      setDirection(firstDirection(key));
    }
  };
  return { sortKey, direction, sortBy };
}

/**
 * Optional numbers compared for sorting: `sign` 1 ascending, -1 descending; missing ones go
 * last either way.
 */
export function compareMissingLast(
  x: number | null | undefined,
  y: number | null | undefined,
  sign: number,
): number {
  if (x === undefined || x === null) {
    return y === undefined || y === null ? 0 : 1;
  }
  if (y === undefined || y === null) {
    return -1;
  }
  return sign * (x - y);
}

/** A column header that sorts the table, saying how it is sorted (aria-sort) to screen readers. */
export function SortableHeader<K extends string>(props: {
  column: K;
  label: string;
  sort: SortState<K>;
  /** What the column holds, as a tooltip. */
  hint?: string;
  align?: 'left' | 'right';
  /** The arrow's direction while the table is sorted by another column. */
  idleDirection?: SortDirection;
}) {
  const { column, label, sort, hint, align, idleDirection = 'desc' } = props;
  const active = column === sort.sortKey;
  let ariaSort: 'ascending' | 'descending' | undefined;
  if (active) {
    ariaSort = sort.direction === 'asc' ? 'ascending' : 'descending';
  }
  const sortLabel = (
    <TableSortLabel
      active={active}
      direction={active ? sort.direction : idleDirection}
      onClick={() => sort.sortBy(column)}
    >
      {label}
    </TableSortLabel>
  );
  return (
    <TableCell
      align={align}
      sortDirection={active ? sort.direction : false}
      aria-sort={ariaSort}
    >
      {hint ? (
        <Tooltip title={hint} describeChild>
          {sortLabel}
        </Tooltip>
      ) : (
        sortLabel
      )}
    </TableCell>
  );
}
