import { Link as RouterLink } from 'react-router-dom';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useRouteRef } from '@backstage/core-plugin-api';
import { CostAnomaly } from '@internal/cost-common';
import { productRouteRef } from '../../routes';
import { formatAmount, formatDayRange, formatPercent } from '../../format';
import { NumberCell, wholeWords, MutedText } from '@internal/platform-react';

const Products = (props: { products: string[] }) => {
  const productLink = useRouteRef(productRouteRef);
  if (props.products.length === 0) {
    return <>{'\u2014'}</>;
  }
  return (
    <>
      {props.products.map((product, index) => (
        <span key={product}>
          {index > 0 && ', '}
          <Link component={RouterLink} to={productLink({ product })}>
            {product}
          </Link>
        </span>
      ))}
    </>
  );
};

/** Cost anomalies AWS detected, newest first: when, where, and how much above expected. */
export const AnomalyTable = (props: {
  anomalies: CostAnomaly[];
  currency: string;
  /** On the overview: which products spent on that service in that account. */
  showProducts?: boolean;
}) => {
  const { anomalies, currency, showProducts = false } = props;
  if (anomalies.length === 0) {
    return <MutedText>No cost anomalies reported by AWS.</MutedText>;
  }
  const sorted = [...anomalies].sort((a, b) => b.start.localeCompare(a.start));
  return (
    <Table size="small" sx={wholeWords} aria-label="Cost anomalies">
      <TableHead>
        <TableRow>
          <TableCell>Dates</TableCell>
          <TableCell>AWS service</TableCell>
          <TableCell>Account</TableCell>
          <NumberCell>Impact</NumberCell>
          <NumberCell>Actual / expected</NumberCell>
          {showProducts && <TableCell>Products</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {sorted.map(anomaly => (
          <TableRow key={anomaly.id}>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>
              {formatDayRange(anomaly.start, anomaly.end)}
            </TableCell>
            <TableCell>
              {anomaly.awsService}
              {(anomaly.usageType || anomaly.region) && (
                <Typography
                  variant="caption"
                  color="text.secondary"
                  component="div"
                >
                  {[anomaly.usageType, anomaly.region]
                    .filter(Boolean)
                    .join(' \u00B7 ')}
                </Typography>
              )}
            </TableCell>
            <TableCell>
              {anomaly.accountName ?? (anomaly.accountId || '\u2014')}
              {anomaly.accountName && (
                <Typography
                  variant="caption"
                  color="text.secondary"
                  component="div"
                >
                  {anomaly.accountId}
                </Typography>
              )}
            </TableCell>
            <TableCell
              align="right"
              sx={{ whiteSpace: 'nowrap', color: 'error.main' }}
            >
              +{formatAmount(anomaly.impact, currency)} (
              {formatPercent(anomaly.impactPercent, 0)})
            </TableCell>
            <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
              {formatAmount(anomaly.actual, currency)} /{' '}
              {formatAmount(anomaly.expected, currency)}
            </TableCell>
            {showProducts && (
              <TableCell>
                <Products products={anomaly.products} />
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};
