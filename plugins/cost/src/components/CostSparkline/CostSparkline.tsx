import { useTheme } from '@mui/material/styles';
import { Line, LineChart, YAxis } from 'recharts';
import { MonthlyAmount } from '@internal/cost-common';
import { formatAmount, formatShortMonth } from '../../format';

/** A small trend line of monthly amounts; its label reads the figures out for screen readers. */
export const CostSparkline = (props: {
  months: MonthlyAmount[];
  currency: string;
  width?: number;
  height?: number;
}) => {
  const { months, currency, width = 96, height = 28 } = props;
  const theme = useTheme();
  if (months.length === 0) {
    return null;
  }
  const label = `Trend: ${months
    .map(
      m =>
        `${formatShortMonth(m.month)} ${formatAmount(m.amount, currency)}${
          m.provisional ? ' (provisional)' : ''
        }`,
    )
    .join(', ')}`;
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      style={{ display: 'inline-block' }}
    >
      <LineChart
        width={width}
        height={height}
        data={months}
        margin={{ top: 4, right: 4, bottom: 4, left: 4 }}
      >
        <YAxis hide domain={['dataMin', 'dataMax']} />
        <Line
          type="monotone"
          dataKey="amount"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </span>
  );
};
