import { useMemo } from 'react';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableFooter from '@mui/material/TableFooter';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { ProductCostSummary } from '@internal/cost-common';
import {
  EmptyTableRow,
  RowFilterBar,
  SortableHeader,
  SortState,
  useRowFilters,
  useSort,
  wholeWords,
} from '@internal/platform-react';
import {
  PRODUCT_COLUMNS,
  PRODUCT_FILTERS,
  productWords,
  ProductSortKey,
  sortProducts,
} from './products';
import { ProductRow, ProductTotalsRow } from './ProductRow';

// Ten columns: narrower cell padding than the theme's so the table fits beside the sidebar.
const compact = { '& td, & th': { ...wholeWords['& td, & th'], px: 1.25 } };

const ColumnHeader = (props: {
  column: (typeof PRODUCT_COLUMNS)[number];
  sort: SortState<ProductSortKey>;
}) => (
  <SortableHeader
    column={props.column.key}
    label={props.column.label}
    hint={props.column.hint}
    align={props.column.numeric ? 'right' : 'left'}
    sort={props.sort}
  />
);

const ProductTableHead = (props: { sort: SortState<ProductSortKey> }) => (
  <TableHead>
    <TableRow>
      <ColumnHeader column={PRODUCT_COLUMNS[0]} sort={props.sort} />
      <TableCell>Domain</TableCell>
      <TableCell>Owner team</TableCell>
      {PRODUCT_COLUMNS.slice(1, 5).map(column => (
        <ColumnHeader key={column.key} column={column} sort={props.sort} />
      ))}
      <TableCell>6 months</TableCell>
      {PRODUCT_COLUMNS.slice(5).map(column => (
        <ColumnHeader key={column.key} column={column} sort={props.sort} />
      ))}
    </TableRow>
  </TableHead>
);

/**
 * The lead's table: one line per product, sortable by every figure, filterable by domain,
 * owner team and name, with the total of what is shown.
 */
export const ProductCostTable = (props: {
  products: ProductCostSummary[];
  currency: string;
}) => {
  const { products, currency } = props;
  const sort = useSort<ProductSortKey>('lastFullMonth', 'desc', key =>
    key === 'product' ? 'asc' : 'desc',
  );
  const filters = useRowFilters(products, PRODUCT_FILTERS, productWords);
  const { sortKey, direction } = sort;
  const shown = useMemo(
    () => sortProducts(filters.apply(products), sortKey, direction),
    [products, filters, sortKey, direction],
  );

  return (
    <Stack spacing={2}>
      <RowFilterBar
        idPrefix="cost"
        textLabel="Filter products"
        filters={filters}
      />
      <TableContainer>
        <Table size="small" sx={compact} aria-label="Cost per product">
          <ProductTableHead sort={sort} />
          <TableBody>
            {shown.map(product => (
              <ProductRow
                key={product.product}
                product={product}
                currency={currency}
              />
            ))}
            {shown.length === 0 && (
              <EmptyTableRow columns={10}>
                {products.length === 0
                  ? 'No product cost recorded yet.'
                  : 'No product matches these filters.'}
              </EmptyTableRow>
            )}
          </TableBody>
          {shown.length > 1 && (
            <TableFooter>
              <ProductTotalsRow shown={shown} currency={currency} />
            </TableFooter>
          )}
        </Table>
      </TableContainer>
    </Stack>
  );
};
