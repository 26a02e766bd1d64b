import { MonthlyAmount } from '@internal/cost-common';
import { Sparkline } from '@internal/platform-react';
import { formatAmount, formatShortMonth } from '../../format';

/** A small trend line of monthly amounts; its label reads the figures out for screen readers. */
export const CostSparkline = (props: {
  months: MonthlyAmount[];
  currency: string;
  width?: number;
  height?: number;
}) => {
  const { months, currency, width = 96, height = 28 } = props;
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
    <Sparkline
      label={label}
      data={months}
      dataKey="amount"
      domain={['dataMin', 'dataMax']}
      width={width}
      height={height}
      inset={4}
    />
  );
};
