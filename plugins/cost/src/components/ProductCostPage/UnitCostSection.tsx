import Grid from '@mui/material/Grid';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { useTheme } from '@mui/material/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { UnitCost } from '@internal/cost-common';
import {
  LOCALE,
  MutedText,
  NumberCell,
  Section,
  wholeWords,
} from '@internal/platform-react';
import { formatMonth, formatShortMonth } from '../../format';

export function formatUnitCost(value: number, currency: string): string {
  // Unit costs are small: keep the cents whatever their size.
  return new Intl.NumberFormat(LOCALE, {
    style: 'currency',
    currency,
    minimumFractionDigits: value < 1 ? 4 : 2,
    maximumFractionDigits: value < 1 ? 4 : 2,
  }).format(value);
}

const UnitCostTrend = (props: { unitCost: UnitCost; currency: string }) => {
  const { unitCost, currency } = props;
  const theme = useTheme();
  return (
    <figure
      style={{ margin: 0 }}
      aria-label={`Cost per 1,000 ${unitCost.metric}, trend`}
    >
      <ResponsiveContainer width="100%" height={220}>
        <LineChart
          data={unitCost.trend}
          margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tickFormatter={formatShortMonth} />
          <YAxis
            tickFormatter={(v: number) => formatUnitCost(v, currency)}
            width={72}
          />
          <Tooltip
            labelFormatter={(label: string) => formatMonth(label)}
            formatter={(value: number) => [
              formatUnitCost(value, currency),
              'per 1,000',
            ]}
          />
          <Line
            type="monotone"
            dataKey="costPerThousand"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
};

/** What the product costs per 1,000 of its business metric, per month. */
export const UnitCostSection = (props: {
  unitCost: UnitCost;
  currency: string;
}) => {
  const { unitCost, currency } = props;
  const noData = unitCost.noData ?? [];
  return (
    <Section
      title={`Cost per 1,000 ${unitCost.metric}`}
      subtitle={
        unitCost.source === 'prometheus'
          ? 'Direct cost divided by the business metric read from Prometheus at each month end'
          : 'Direct cost divided by the business metric, per month'
      }
    >
      {unitCost.trend.length === 0 && (
        <MutedText>
          No data:{' '}
          {noData[noData.length - 1]?.reason.replace(/^no data: /, '') ??
            'Prometheus gave no figures'}
          . The cost per 1,000 shows once Prometheus has a whole month.
        </MutedText>
      )}
      <Grid container spacing={3}>
        <Grid item xs={12} md={7}>
          <UnitCostTrend unitCost={unitCost} currency={currency} />
        </Grid>
        <Grid item xs={12} md={5}>
          <Table
            size="small"
            sx={wholeWords}
            aria-label={`Cost per 1,000 ${unitCost.metric}`}
          >
            <TableHead>
              <TableRow>
                <TableCell>Month</TableCell>
                <NumberCell>{unitCost.metric}</NumberCell>
                <NumberCell>Per 1,000</NumberCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {[
                ...unitCost.trend.map(point => ({
                  month: point.month,
                  point,
                  reason: undefined,
                })),
                ...noData.map(n => ({
                  month: n.month,
                  point: undefined,
                  reason: n.reason,
                })),
              ]
                .sort((a, b) => b.month.localeCompare(a.month))
                .map(({ month, point, reason }) => (
                  <TableRow key={month}>
                    <TableCell>
                      {formatMonth(month)}
                      {point?.toDate && ' (so far)'}
                    </TableCell>
                    {point ? (
                      <>
                        <NumberCell>
                          {point.units.toLocaleString(LOCALE)}
                        </NumberCell>
                        <NumberCell>
                          {formatUnitCost(point.costPerThousand, currency)}
                        </NumberCell>
                      </>
                    ) : (
                      <TableCell colSpan={2} title={reason}>
                        no data
                      </TableCell>
                    )}
                  </TableRow>
                ))}
            </TableBody>
          </Table>
        </Grid>
      </Grid>
    </Section>
  );
};
