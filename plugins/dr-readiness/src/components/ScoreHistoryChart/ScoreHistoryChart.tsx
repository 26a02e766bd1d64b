import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
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
import { Progress } from '@backstage/core-components';
import { ServiceHistoryResponse } from '@internal/dr-readiness-common';
import { backendMessage } from '../../api/errors';
import { useDrQuery } from '../../api/useDrQuery';
import {
  formatDateTime,
  formatScore,
  formatShortDay,
  LEVEL,
} from '../../format';
import { describeTrend } from '../ScoreSparkline/ScoreSparkline';

type Point = ServiceHistoryResponse['points'][number];

/** "Score over 12 scans: from 54% to 71%", for screen readers. */
export function describeHistory(history: ServiceHistoryResponse): string {
  return describeTrend(history.points) ?? 'No scan has scored this service yet';
}

export const ScoreHistoryLine = (props: {
  history: ServiceHistoryResponse;
  height?: number;
}) => {
  const { history, height = 220 } = props;
  const theme = useTheme();
  if (!history.points.some(p => p.score !== null)) {
    return (
      <Typography variant="body2" color="text.secondary">
        No completed scan has scored this service yet.
      </Typography>
    );
  }
  const data = history.points.map(p => ({
    ...p,
    percent: p.score === null ? null : Math.floor(p.score * 100 + 1e-6),
  }));
  const label = describeHistory(history);
  return (
    <figure style={{ margin: 0 }} aria-label={label} title={label}>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart
          data={data}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="at"
            tickFormatter={formatShortDay}
            minTickGap={24}
            fontSize={12}
          />
          <YAxis
            domain={[0, 100]}
            tickFormatter={(v: number) => `${v}%`}
            width={44}
            fontSize={12}
          />
          <Tooltip
            labelFormatter={(at: string) => formatDateTime(at)}
            formatter={(
              _value: number,
              _name: string,
              item: { payload?: Point },
            ) => {
              const point = item.payload;
              if (!point) {
                return ['', 'Score'];
              }
              return [
                `${formatScore(point.score)} (${
                  LEVEL[point.level].label
                }) \u2013 ${point.passed} passed, ${point.failed} failed, ${
                  point.errored
                } unknown`,
                'Score',
              ];
            }}
          />
          <Line
            type="monotone"
            dataKey="percent"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            dot={{ r: 2 }}
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
        Score after each completed scan; gaps are scans that could not score the
        service.
      </Typography>
    </figure>
  );
};

/** The score over time, fetched on its own so a slow history does not hold up the tab. */
export const ScoreHistoryChart = (props: {
  entityRef: string;
  /** Changes after a rescan, to fetch the history again. */
  refreshKey?: unknown;
}) => {
  const { entityRef, refreshKey } = props;
  const history = useDrQuery(
    api => api.getHistory(entityRef),
    [entityRef, refreshKey],
  );
  if (history.status === 'loading') {
    return <Progress aria-label="Loading the score history" />;
  }
  if (history.status === 'error') {
    return (
      <Stack spacing={1} alignItems="flex-start">
        <Typography variant="body2" color="text.secondary">
          Could not load the score history: {backendMessage(history.error)}
        </Typography>
        <Button size="small" variant="outlined" onClick={history.retry}>
          Try again
        </Button>
      </Stack>
    );
  }
  return <ScoreHistoryLine history={history.value} />;
};
