import { useMemo, useState } from 'react';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { SloStatus } from '@internal/slo-common';
import {
  asEntityRef,
  entityName,
  formatAge,
  formatTarget,
  sloLabel,
} from '../../format';
import { BudgetBar } from '../BudgetBar/BudgetBar';
import { BURN_STATUS, BurnStatusChip } from '../BurnStatusChip/BurnStatusChip';
import { NumberCell, useClock, wholeWords } from '@internal/platform-react';
import { Attainment } from '../SloCard/SloCard';
import { SloLink } from '../SloLink/SloLink';

export type SloSortKey = 'slo' | 'budget' | 'status';
export type SortDirection = 'asc' | 'desc';

/** Budget left, or undefined when nothing was measured (never read as a full budget). */
function budgetOf(slo: SloStatus): number | undefined {
  return slo.hasData ? slo.budget?.remaining : undefined;
}

function severity(slo: SloStatus): number {
  return BURN_STATUS[slo.burn.status].severity;
}

/** Least budget first; SLOs without data last. */
function byBudget(a: SloStatus, b: SloStatus, sign: number): number {
  const x = budgetOf(a);
  const y = budgetOf(b);
  if (x === undefined) {
    return y === undefined ? 0 : 1;
  }
  if (y === undefined) {
    return -1;
  }
  return sign * (x - y);
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
const FIRST_DIRECTION: Record<SloSortKey, SortDirection> = {
  slo: 'asc',
  budget: 'asc',
  status: 'desc',
};

const ALL = '';

function distinct(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))].sort((a, b) =>
    entityName(a).localeCompare(entityName(b)),
  );
}

const SortableHeader = (props: {
  column: SloSortKey;
  label: string;
  sortKey: SloSortKey;
  direction: SortDirection;
  onSort: (key: SloSortKey) => void;
}) => {
  const { column, label, sortKey, direction, onSort } = props;
  const active = column === sortKey;
  let ariaSort: 'ascending' | 'descending' | undefined;
  if (active) {
    ariaSort = direction === 'asc' ? 'ascending' : 'descending';
  }
  return (
    <TableCell sortDirection={active ? direction : false} aria-sort={ariaSort}>
      <TableSortLabel
        active={active}
        direction={active ? direction : FIRST_DIRECTION[column]}
        onClick={() => onSort(column)}
      >
        {label}
      </TableSortLabel>
    </TableCell>
  );
};

/** A select over products or teams with an "all" choice. */
const EntityFilter = (props: {
  id: string;
  label: string;
  allLabel: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
}) => (
  <FormControl size="small" sx={{ minWidth: 180 }}>
    <InputLabel id={props.id} shrink>
      {props.label}
    </InputLabel>
    <Select
      labelId={props.id}
      label={props.label}
      value={props.value}
      onChange={event => props.onChange(event.target.value)}
      displayEmpty
      notched
    >
      <MenuItem value={ALL}>{props.allLabel}</MenuItem>
      {props.options.map(option => (
        <MenuItem key={option} value={option}>
          {entityName(option)}
        </MenuItem>
      ))}
    </Select>
  </FormControl>
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
  const [sortKey, setSortKey] = useState<SloSortKey>('status');
  const [direction, setDirection] = useState<SortDirection>('desc');
  const [product, setProduct] = useState(ALL);
  const [team, setTeam] = useState(ALL);
  const [text, setText] = useState('');

  const products = useMemo(() => distinct(slos.map(s => s.product)), [slos]);
  const teams = useMemo(() => distinct(slos.map(s => s.team)), [slos]);

  const shown = useMemo(() => {
    const needle = text.trim().toLocaleLowerCase('en-US');
    const filtered = slos.filter(
      s =>
        (product === ALL || s.product === product) &&
        (team === ALL || s.team === team) &&
        (!needle ||
          [sloLabel(s), s.name, entityName(s.entityRef)].some(value =>
            value.toLocaleLowerCase('en-US').includes(needle),
          )),
    );
    return sortSlos(filtered, sortKey, direction);
  }, [slos, product, team, text, sortKey, direction]);

  const sortBy = (key: SloSortKey) => {
    if (key === sortKey) {
      setDirection(direction === 'asc' ? 'desc' : 'asc');
    } else {
      setSortKey(key);
      setDirection(FIRST_DIRECTION[key]);
    }
  };

  return (
    <Stack spacing={2}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <TextField
          size="small"
          label="Filter SLOs"
          value={text}
          onChange={event => setText(event.target.value)}
        />
        <EntityFilter
          id="slo-product-filter"
          label="Product"
          allLabel="All products"
          value={product}
          options={products}
          onChange={setProduct}
        />
        <EntityFilter
          id="slo-team-filter"
          label="Team"
          allLabel="All teams"
          value={team}
          options={teams}
          onChange={setTeam}
        />
      </Stack>
      <TableContainer>
        <Table size="small" sx={wholeWords} aria-label="All SLOs">
          <TableHead>
            <TableRow>
              <SortableHeader
                column="slo"
                label="SLO"
                sortKey={sortKey}
                direction={direction}
                onSort={sortBy}
              />
              <TableCell>Service</TableCell>
              <TableCell>Product</TableCell>
              <TableCell>Team</TableCell>
              <NumberCell>Target</NumberCell>
              <NumberCell>Attainment</NumberCell>
              <SortableHeader
                column="budget"
                label="Budget remaining"
                sortKey={sortKey}
                direction={direction}
                onSort={sortBy}
              />
              <SortableHeader
                column="status"
                label="Burn status"
                sortKey={sortKey}
                direction={direction}
                onSort={sortBy}
              />
              <TableCell>Evaluated</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map(slo => (
              <TableRow key={slo.key} hover>
                <TableCell>
                  <SloLink slo={slo} />
                </TableCell>
                <TableCell>
                  <EntityRefLink entityRef={slo.entityRef} />
                </TableCell>
                <TableCell>
                  {slo.product ? (
                    <EntityRefLink
                      entityRef={asEntityRef(slo.product, 'system')}
                    />
                  ) : (
                    '\u2014'
                  )}
                </TableCell>
                <TableCell>
                  {slo.team ? (
                    <EntityRefLink entityRef={asEntityRef(slo.team, 'group')} />
                  ) : (
                    '\u2014'
                  )}
                </TableCell>
                <NumberCell>{formatTarget(slo.target)}</NumberCell>
                <NumberCell>
                  <Attainment slo={slo} />
                </NumberCell>
                <TableCell>
                  <BudgetBar
                    remaining={budgetOf(slo)}
                    exhausted={slo.budget?.exhausted}
                    width={130}
                  />
                </TableCell>
                <TableCell>
                  <BurnStatusChip
                    status={slo.burn.status}
                    message={slo.message ?? slo.burn.message}
                  />
                  {slo.burn.status === 'no-data' && (
                    // Why there is no data is what the reader needs, not only on hover.
                    <Typography
                      variant="caption"
                      color="text.secondary"
                      component="div"
                      sx={{ mt: 0.5, maxWidth: 240 }}
                    >
                      {slo.message ?? slo.burn.message}
                    </Typography>
                  )}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  <Typography
                    variant="body2"
                    color="text.secondary"
                    title={slo.evaluatedAt}
                  >
                    {formatAge(slo.evaluatedAt, now)}
                  </Typography>
                </TableCell>
              </TableRow>
            ))}
            {shown.length === 0 && (
              <TableRow>
                <TableCell colSpan={9}>
                  <Typography
                    variant="body2"
                    color="text.secondary"
                    sx={{ py: 2 }}
                  >
                    No SLO matches these filters.
                  </Typography>
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
    </Stack>
  );
};
