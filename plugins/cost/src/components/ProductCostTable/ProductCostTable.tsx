import { useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableFooter from '@mui/material/TableFooter';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ProductCostSummary } from '@internal/cost-common';
import { productRouteRef } from '../../routes';
import { entityName, formatAmount, formatPercent } from '../../format';
import { MonthOverMonth } from '../MonthOverMonth/MonthOverMonth';
import { CostSparkline } from '../CostSparkline/CostSparkline';
import { NumberCell, wholeWords } from '@internal/platform-react';

export type ProductSortKey =
  | 'product'
  | 'lastFullMonth'
  | 'monthToDate'
  | 'forecastMonth'
  | 'monthOverMonthPercent'
  | 'sharePercent'
  | 'sharedLastFullMonth';

export type SortDirection = 'asc' | 'desc';

export function productLabel(product: ProductCostSummary): string {
  return product.title ?? product.product;
}

/** Sorted copy; products without a figure (no forecast, no month before) go last either way. */
export function sortProducts(
  products: ProductCostSummary[],
  key: ProductSortKey,
  direction: SortDirection,
): ProductCostSummary[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...products].sort((a, b) => {
    if (key === 'product') {
      return sign * productLabel(a).localeCompare(productLabel(b));
    }
    const x = a[key];
    const y = b[key];
    if (x === undefined || x === null) {
      return y === undefined || y === null ? 0 : 1;
    }
    if (y === undefined || y === null) {
      return -1;
    }
    return sign * (x - y);
  });
}

/** A catalog ref from a name or a ref, e.g. `ledger-team` -> `group:default/ledger-team`. */
export function asEntityRef(value: string, kind: string): string {
  if (value.includes(':')) {
    return value;
  }
  return `${kind}:${value.includes('/') ? value : `default/${value}`}`;
}

const COLUMNS: Array<{
  key: ProductSortKey;
  label: string;
  numeric: boolean;
  hint?: string;
}> = [
  { key: 'product', label: 'Product', numeric: false },
  {
    key: 'lastFullMonth',
    label: 'Last full month',
    numeric: true,
    hint: 'Direct cost: spend carrying the product tag',
  },
  { key: 'monthToDate', label: 'Month to date', numeric: true },
  {
    key: 'forecastMonth',
    label: 'Forecast',
    numeric: true,
    hint: "AWS forecast for this month's direct cost",
  },
  { key: 'monthOverMonthPercent', label: 'vs month before', numeric: true },
  {
    key: 'sharePercent',
    label: 'Share',
    numeric: true,
    hint: 'Share of all direct product cost, last full month',
  },
  {
    key: 'sharedLastFullMonth',
    label: 'Shared cost allocated',
    numeric: true,
    hint: 'Shared spend split to this product by the allocation rules; not included in the direct figures',
  },
];

const ALL = '';

// Ten columns: narrower cell padding than the theme's so the table fits beside the sidebar.
const compact = { '& td, & th': { ...wholeWords['& td, & th'], px: 1.25 } };

function distinct(values: Array<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))].sort((a, b) =>
    entityName(a).localeCompare(entityName(b)),
  );
}

const ProductCell = (props: { product: ProductCostSummary }) => {
  const { product } = props;
  const productLink = useRouteRef(productRouteRef);
  return (
    <Stack
      direction="row"
      spacing={1}
      alignItems="center"
      flexWrap="wrap"
      useFlexGap
    >
      <Link
        component={RouterLink}
        to={productLink({ product: product.product })}
        fontWeight={500}
      >
        {productLabel(product)}
      </Link>
      {!product.entityRef && (
        <Tooltip
          describeChild
          title={`No System named "${product.product}" in the catalog: correct the product tag on its AWS resources, or register the System.`}
        >
          <Chip
            size="small"
            color="warning"
            label={'not in catalog \u2014 fix the product tag'}
          />
        </Tooltip>
      )}
    </Stack>
  );
};

const SortableHeader = (props: {
  column: (typeof COLUMNS)[number];
  sortKey: ProductSortKey;
  direction: SortDirection;
  onSort: (key: ProductSortKey) => void;
}) => {
  const { column, sortKey, direction, onSort } = props;
  const active = column.key === sortKey;
  let ariaSort: 'ascending' | 'descending' | undefined;
  if (active) {
    ariaSort = direction === 'asc' ? 'ascending' : 'descending';
  }
  return (
    <TableCell
      align={column.numeric ? 'right' : 'left'}
      sortDirection={active ? direction : false}
      aria-sort={ariaSort}
    >
      <Tooltip
        title={column.hint ?? ''}
        disableHoverListener={!column.hint}
        describeChild
      >
        <TableSortLabel
          active={active}
          direction={active ? direction : 'desc'}
          onClick={() => onSort(column.key)}
        >
          {column.label}
        </TableSortLabel>
      </Tooltip>
    </TableCell>
  );
};

/**
 * The lead's table: one line per product, sortable by every figure, filterable by domain,
 * owner team and name, with the total of what is shown.
 */
/** A select over entity refs (domains, teams) with an "all" choice. */
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

export const ProductCostTable = (props: {
  products: ProductCostSummary[];
  currency: string;
}) => {
  const { products, currency } = props;
  const [sortKey, setSortKey] = useState<ProductSortKey>('lastFullMonth');
  const [direction, setDirection] = useState<SortDirection>('desc');
  const [domain, setDomain] = useState(ALL);
  const [team, setTeam] = useState(ALL);
  const [text, setText] = useState('');

  const domains = useMemo(
    () => distinct(products.map(p => p.domain)),
    [products],
  );
  const teams = useMemo(() => distinct(products.map(p => p.owner)), [products]);

  const shown = useMemo(() => {
    const needle = text.trim().toLocaleLowerCase('en-US');
    const filtered = products.filter(
      p =>
        (domain === ALL || p.domain === domain) &&
        (team === ALL || p.owner === team) &&
        (!needle ||
          p.product.toLocaleLowerCase('en-US').includes(needle) ||
          productLabel(p).toLocaleLowerCase('en-US').includes(needle)),
    );
    return sortProducts(filtered, sortKey, direction);
  }, [products, domain, team, text, sortKey, direction]);

  const sortBy = (key: ProductSortKey) => {
    if (key === sortKey) {
      setDirection(direction === 'asc' ? 'desc' : 'asc');
    } else {
      setSortKey(key);
      setDirection(key === 'product' ? 'asc' : 'desc');
    }
  };

  const sum = (pick: (p: ProductCostSummary) => number | undefined) =>
    shown.reduce((total, p) => total + (pick(p) ?? 0), 0);
  const amount = (value: number | undefined) =>
    value === undefined ? '\u2014' : formatAmount(value, currency);

  return (
    <Stack spacing={2}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <TextField
          size="small"
          label="Filter products"
          value={text}
          onChange={event => setText(event.target.value)}
        />
        <EntityFilter
          id="cost-domain-filter"
          label="Domain"
          allLabel="All domains"
          value={domain}
          options={domains}
          onChange={setDomain}
        />
        <EntityFilter
          id="cost-team-filter"
          label="Owner team"
          allLabel="All teams"
          value={team}
          options={teams}
          onChange={setTeam}
        />
      </Stack>
      <TableContainer>
        <Table size="small" sx={compact} aria-label="Cost per product">
          <TableHead>
            <TableRow>
              <SortableHeader
                column={COLUMNS[0]}
                sortKey={sortKey}
                direction={direction}
                onSort={sortBy}
              />
              <TableCell>Domain</TableCell>
              <TableCell>Owner team</TableCell>
              {COLUMNS.slice(1, 5).map(column => (
                <SortableHeader
                  key={column.key}
                  column={column}
                  sortKey={sortKey}
                  direction={direction}
                  onSort={sortBy}
                />
              ))}
              <TableCell>6 months</TableCell>
              {COLUMNS.slice(5).map(column => (
                <SortableHeader
                  key={column.key}
                  column={column}
                  sortKey={sortKey}
                  direction={direction}
                  onSort={sortBy}
                />
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {shown.map(product => (
              <TableRow key={product.product} hover>
                <TableCell>
                  <ProductCell product={product} />
                </TableCell>
                <TableCell>
                  {product.domain ? (
                    <EntityRefLink
                      entityRef={asEntityRef(product.domain, 'domain')}
                    />
                  ) : (
                    '\u2014'
                  )}
                </TableCell>
                <TableCell>
                  {product.owner ? (
                    <EntityRefLink
                      entityRef={asEntityRef(product.owner, 'group')}
                    />
                  ) : (
                    '\u2014'
                  )}
                </TableCell>
                <NumberCell>{amount(product.lastFullMonth)}</NumberCell>
                <NumberCell>{amount(product.monthToDate)}</NumberCell>
                <NumberCell>{amount(product.forecastMonth)}</NumberCell>
                <NumberCell>
                  <MonthOverMonth percent={product.monthOverMonthPercent} />
                </NumberCell>
                <TableCell>
                  <CostSparkline
                    months={product.sparkline}
                    currency={currency}
                  />
                </TableCell>
                <NumberCell>{formatPercent(product.sharePercent)}</NumberCell>
                <NumberCell>{amount(product.sharedLastFullMonth)}</NumberCell>
              </TableRow>
            ))}
            {shown.length === 0 && (
              <TableRow>
                <TableCell colSpan={10}>
                  <Typography
                    variant="body2"
                    color="text.secondary"
                    sx={{ py: 2 }}
                  >
                    {products.length === 0
                      ? 'No product cost recorded yet.'
                      : 'No product matches these filters.'}
                  </Typography>
                </TableCell>
              </TableRow>
            )}
          </TableBody>
          {shown.length > 1 && (
            <TableFooter>
              <TableRow
                sx={{
                  '& td': {
                    color: 'text.primary',
                    fontWeight: 500,
                    fontSize: '0.875rem',
                  },
                }}
              >
                <TableCell colSpan={3}>
                  Total of the {shown.length} products shown
                </TableCell>
                <NumberCell>{amount(sum(p => p.lastFullMonth))}</NumberCell>
                <NumberCell>{amount(sum(p => p.monthToDate))}</NumberCell>
                <NumberCell>
                  {shown.every(p => p.forecastMonth === undefined)
                    ? '\u2014'
                    : amount(sum(p => p.forecastMonth))}
                </NumberCell>
                <TableCell colSpan={2} />
                <NumberCell>
                  {formatPercent(sum(p => p.sharePercent))}
                </NumberCell>
                <NumberCell>
                  {amount(sum(p => p.sharedLastFullMonth))}
                </NumberCell>
              </TableRow>
            </TableFooter>
          )}
        </Table>
      </TableContainer>
    </Stack>
  );
};
