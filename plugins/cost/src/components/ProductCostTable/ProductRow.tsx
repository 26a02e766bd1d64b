import { Link as RouterLink } from 'react-router-dom';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useRouteRef } from '@backstage/core-plugin-api';
import { ProductCostSummary } from '@internal/cost-common';
import { NumberCell, OptionalEntityRefLink } from '@internal/platform-react';
import { productRouteRef } from '../../routes';
import { formatAmount, formatPercent } from '../../format';
import { CostSparkline } from '../CostSparkline/CostSparkline';
import { MonthOverMonth } from '../MonthOverMonth/MonthOverMonth';
import { productLabel } from './products';

/** An amount, or a dash for a figure the product does not have. */
function amountOf(currency: string) {
  return (value: number | undefined) =>
    value === undefined ? '\u2014' : formatAmount(value, currency);
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
      {product.budget?.overBudget && (
        <Tooltip
          describeChild
          title={`${
            product.budget.forecastMonth === undefined
              ? 'Spend so far'
              : 'Forecast for the month'
          } is ${formatPercent(
            product.budget.percentOfBudget,
          )} of its monthly budget`}
        >
          <Chip size="small" color="error" label="over budget" />
        </Tooltip>
      )}
    </Stack>
  );
};

/** One product's line: its name and links, its figures and its six months' trend. */
export const ProductRow = (props: {
  product: ProductCostSummary;
  currency: string;
}) => {
  const { product, currency } = props;
  const amount = amountOf(currency);
  return (
    <TableRow hover>
      <TableCell>
        <ProductCell product={product} />
      </TableCell>
      <TableCell>
        <OptionalEntityRefLink entity={product.domain} kind="domain" />
      </TableCell>
      <TableCell>
        <OptionalEntityRefLink entity={product.owner} kind="group" />
      </TableCell>
      <NumberCell>{amount(product.lastFullMonth)}</NumberCell>
      <NumberCell>{amount(product.monthToDate)}</NumberCell>
      <NumberCell>{amount(product.forecastMonth)}</NumberCell>
      <NumberCell>
        <MonthOverMonth percent={product.monthOverMonthPercent} />
      </NumberCell>
      <TableCell>
        <CostSparkline months={product.sparkline} currency={currency} />
      </TableCell>
      <NumberCell>{formatPercent(product.sharePercent)}</NumberCell>
      <NumberCell>
        {amount(product.sharedLastFullMonth)}
        {product.chargesLastFullMonth !== undefined && (
          // Spread charges (cost.chargeSpread) sit beside shared cost, apart from direct cost.
          <Typography variant="caption" display="block" color="text.secondary">
            {`${amount(product.chargesLastFullMonth)} charges spread`}
          </Typography>
        )}
      </NumberCell>
    </TableRow>
  );
};

/** The sums of the products shown (a forecast only where one is known). */
export const ProductTotalsRow = (props: {
  shown: ProductCostSummary[];
  currency: string;
}) => {
  const { shown, currency } = props;
  const amount = amountOf(currency);
  const sum = (pick: (p: ProductCostSummary) => number | undefined) =>
    shown.reduce((total, p) => total + (pick(p) ?? 0), 0);
  return (
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
      <NumberCell>{formatPercent(sum(p => p.sharePercent))}</NumberCell>
      <NumberCell>{amount(sum(p => p.sharedLastFullMonth))}</NumberCell>
    </TableRow>
  );
};
