import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Progress } from '@backstage/core-components';
import { BurnDown } from '@internal/slo-common';
import { useSloQuery } from '../../api/useSloQuery';
import { formatBudget, formatDateTime, formatShortDay } from '../../format';

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
      <Typography variant="body2" color="text.secondary">
        Prometheus had no data for this SLO over the window yet.
      </Typography>
    );
  }
  // Percent of the budget; null stays null so gaps show where Prometheus had no data.
  const data = burnDown.points.map(p => ({
    time: p.time,
    remaining: p.remaining === null ? null : p.remaining * 100,
  }));
  const label = describeBurnDown(burnDown, windowLabel);
  return (
    <figure style={{ margin: 0 }} aria-label={label} title={label}>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart
          data={data}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="time"
            tickFormatter={formatShortDay}
            minTickGap={24}
            fontSize={12}
          />
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
          <Line
            type="monotone"
            dataKey="remaining"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      <Typography
        component="figcaption"
        variant="caption"
        color="text.secondary"
      >
        Error budget remaining over {windowLabel}; below the dashed line it is
        overspent, gaps are times without data.
      </Typography>
    </figure>
  );
};

/** The backend's own message when it sent one (a ResponseError carries it as its cause). */
function reason(error: Error): string {
  const cause = (error as { cause?: { message?: unknown } }).cause;
  return typeof cause?.message === 'string' ? cause.message : error.message;
}

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
  if (burnDown.status === 'loading') {
    return <Progress aria-label={`Loading the burn-down of ${sloLabel}`} />;
  }
  if (burnDown.status === 'error') {
    return (
      <Stack spacing={1} alignItems="flex-start">
        <Typography variant="body2" color="text.secondary">
          Could not load the burn-down: {reason(burnDown.error)}
        </Typography>
        <Button size="small" variant="outlined" onClick={burnDown.retry}>
          Try again
        </Button>
      </Stack>
    );
  }
  return <BurnDownLine burnDown={burnDown.value} windowLabel={windowLabel} />;
};
