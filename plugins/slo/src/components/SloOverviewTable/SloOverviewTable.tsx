import { useMemo } from 'react';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { SloStatus } from '@internal/slo-common';
import {
  EmptyTableRow,
  entityName,
  FilterFields,
  NumberCell,
  RowFilterBar,
  SortableHeader,
  SortState,
  useClock,
  useRowFilters,
  useSort,
  wholeWords,
} from '@internal/platform-react';
import { sloLabel } from '../../format';
import { SloOverviewRow } from './SloOverviewRow';
import { FIRST_DIRECTION, SloSortKey, sortSlos } from './sortSlos';

/** The filters above the table: product and team. */
const SLO_FILTERS: FilterFields<SloStatus> = {
  product: ['Product', 'All products', s => s.product],
  team: ['Team', 'All teams', s => s.team],
};

/** What the text filter looks for: the SLO's label and name, its service's name. */
const sloWords = (s: SloStatus) => [
  sloLabel(s),
  s.name,
  entityName(s.entityRef),
];

const Header = (props: {
  column: SloSortKey;
  label: string;
  sort: SortState<SloSortKey>;
}) => (
  <SortableHeader
    column={props.column}
    label={props.label}
    sort={props.sort}
    idleDirection={FIRST_DIRECTION[props.column]}
  />
);

const SloTableHead = (props: { sort: SortState<SloSortKey> }) => (
  <TableHead>
    <TableRow>
      <Header column="slo" label="SLO" sort={props.sort} />
      <TableCell>Service</TableCell>
      <TableCell>Product</TableCell>
      <TableCell>Team</TableCell>
      <NumberCell>Target</NumberCell>
      <NumberCell>Attainment</NumberCell>
      <Header column="budget" label="Budget remaining" sort={props.sort} />
      <Header column="status" label="Burn status" sort={props.sort} />
      <TableCell>Evaluated</TableCell>
    </TableRow>
  </TableHead>
);

/**
 * Every SLO with its budget and burn status, worst first; sortable by budget and status,
 * filterable by product, team and name. Each SLO links to its service's SLO tab.
 */
export const SloOverviewTable = (props: {
  slos: SloStatus[];
  /** For "evaluated N min ago"; the page's clock (useClock) by default. */
  now?: Date;
}) => {
  const clock = useClock();
  const { slos, now = clock.now() } = props;
  const sort = useSort<SloSortKey>(
    'status',
    'desc',
    key => FIRST_DIRECTION[key],
  );
  const filters = useRowFilters(slos, SLO_FILTERS, sloWords);
  const { sortKey, direction } = sort;
  const shown = useMemo(
    () => sortSlos(filters.apply(slos), sortKey, direction),
    [slos, filters, sortKey, direction],
  );

  return (
    <Stack spacing={2}>
      <RowFilterBar idPrefix="slo" textLabel="Filter SLOs" filters={filters} />
      <TableContainer>
        <Table size="small" sx={wholeWords} aria-label="All SLOs">
          <SloTableHead sort={sort} />
          <TableBody>
            {shown.map(slo => (
              <SloOverviewRow key={slo.key} slo={slo} now={now} />
            ))}
            {shown.length === 0 && (
              <EmptyTableRow columns={9}>
                No SLO matches these filters.
              </EmptyTableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
    </Stack>
  );
};
