import { useTheme } from '@mui/material/styles';
import { ReferenceLine, Tooltip, YAxis } from 'recharts';
import { BurnDown } from '@internal/slo-common';
import { useSloQuery } from '../../api/useSloQuery';
import { formatBudget } from '../../format';
import {
  formatDateTime,
  InlineQueryState,
  TimeLineChart,
  MutedText,
} from '@internal/platform-react';

/** What the chart shows, in words, for screen readers. */
export function describeBurnDown(
  burnDown: BurnDown,
  windowLabel: string,
): string {
  const measured = burnDown.points.filter(p => p.remaining !== null);
  if (measured.length === 0) {
    return `Remaining error budget over ${windowLabel}: no data`;
  }
  const first = measured[0].remaining as number;
  const last = measured[measured.length - 1].remaining as number;
  return `Remaining error budget over ${windowLabel}: from ${formatBudget(
    first,
  )} to ${formatBudget(last)}`;
}

export const BurnDownLine = (props: {
  burnDown: BurnDown;
  windowLabel: string;
  height?: number;
}) => {
  const { burnDown, windowLabel, height = 180 } = props;
  const theme = useTheme();
  if (!burnDown.points.some(p => p.remaining !== null)) {
    return (
      <MutedText>
        Prometheus had no data for this SLO over the window yet.
      </MutedText>
    );
  }
  // Percent of the budget; null stays null so gaps show where Prometheus had no data.
  const data = burnDown.points.map(p => ({
    time: p.time,
    remaining: p.remaining === null ? null : p.remaining * 100,
  }));
  return (
    <TimeLineChart
      label={describeBurnDown(burnDown, windowLabel)}
      data={data}
      xKey="time"
      yKey="remaining"
      height={height}
      caption={
        <>
          Error budget remaining over {windowLabel}; below the dashed line it is
          overspent, gaps are times without data.
        </>
      }
    >
      <YAxis
        tickFormatter={(v: number) => `${Math.round(v)}%`}
        domain={[(min: number) => Math.min(0, Math.floor(min)), 100]}
        allowDataOverflow={false}
        width={48}
        fontSize={12}
      />
      <ReferenceLine
        y={0}
        stroke={theme.palette.error.main}
        strokeDasharray="4 4"
      />
      <Tooltip
        labelFormatter={(time: string) => formatDateTime(time)}
        formatter={(value: number) => [
          formatBudget(value / 100),
          'Budget remaining',
        ]}
      />
    </TimeLineChart>
  );
};

/**
 * The burn-down of one SLO, fetched on its own (the backend reads it from Prometheus) so a slow
 * SLO does not hold up the others; a failure stays a line inside its card.
 */
export const BurnDownChart = (props: {
  sloKey: string;
  sloLabel: string;
  windowLabel: string;
}) => {
  const { sloKey, sloLabel, windowLabel } = props;
  const burnDown = useSloQuery(api => api.getBurnDown(sloKey), [sloKey]);
  return (
    <InlineQueryState
      query={burnDown}
      loadingLabel={`Loading the burn-down of ${sloLabel}`}
      failure="Could not load the burn-down"
    >
      {value => <BurnDownLine burnDown={value} windowLabel={windowLabel} />}
    </InlineQueryState>
  );
};
