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

const Caption = (props: { children: React.ReactNode }) => (
  <Typography variant="caption" color="text.secondary" component="div">
    {props.children}
  </Typography>
);

/** Every root cause AWS gave, with its dollar contribution, and the monitors that saw the spike. */
const Causes = (props: { anomaly: CostAnomaly; currency: string }) => {
  const { anomaly, currency } = props;
  const causes =
    anomaly.rootCauses.length > 0
      ? anomaly.rootCauses
      : [
          {
            awsService: anomaly.awsService,
            usageType: anomaly.usageType,
            region: anomaly.region,
            accountId: anomaly.accountId,
            accountName: anomaly.accountName,
            contribution: undefined,
          },
        ];
  return (
    <>
      {causes.map((cause, index) => (
        <div key={index}>
          {cause.awsService ?? 'unknown service'}
          {cause.contribution !== undefined &&
            ` +${formatAmount(cause.contribution, currency)}`}
          <Caption>
            {[
              cause.usageType,
              cause.region,
              cause.accountName ?? cause.accountId,
            ]
              .filter(Boolean)
              .join(' \u00B7 ')}
          </Caption>
        </div>
      ))}
      {anomaly.monitors.length > 0 && (
        <Caption>
          Found by {anomaly.monitors.map(m => m.name ?? m.arn).join(' and ')}
          {anomaly.monitors.length > 1 && ' (shown once)'}
        </Caption>
      )}
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
          <TableCell>Root causes</TableCell>
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
              <Causes anomaly={anomaly} currency={currency} />
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
