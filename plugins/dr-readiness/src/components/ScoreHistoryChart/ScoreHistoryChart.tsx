import { Tooltip, YAxis } from 'recharts';
import { ServiceHistoryResponse } from '@internal/dr-readiness-common';
import {
  formatDateTime,
  InlineQueryState,
  TimeLineChart,
  MutedText,
} from '@internal/platform-react';
import { useDrQuery } from '../../api/useDrQuery';
import { formatScore, LEVEL } from '../../format';
import { describeTrend } from '../ScoreSparkline/ScoreSparkline';

type Point = ServiceHistoryResponse['points'][number];

/** "Score over 12 scans: from 54% to 71%", for screen readers. */
export function describeHistory(history: ServiceHistoryResponse): string {
  return describeTrend(history.points) ?? 'No scan has scored this service yet';
}

/** A point's tooltip: its score and level, and how its controls came out. */
function describePoint(
  _value: number,
  _name: string,
  item: { payload?: Point },
): [string, string] {
  const point = item.payload;
  if (!point) {
    return ['', 'Score'];
  }
  return [
    `${formatScore(point.score)} (${LEVEL[point.level].label}) \u2013 ${
      point.passed
    } passed, ${point.failed} failed, ${point.errored} unknown`,
    'Score',
  ];
}

export const ScoreHistoryLine = (props: {
  history: ServiceHistoryResponse;
  height?: number;
}) => {
  const { history, height = 220 } = props;
  if (!history.points.some(p => p.score !== null)) {
    return (
      <MutedText>No completed scan has scored this service yet.</MutedText>
    );
  }
  const data = history.points.map(p => ({
    ...p,
    percent: p.score === null ? null : Math.floor(p.score * 100 + 1e-6),
  }));
  return (
    <TimeLineChart
      label={describeHistory(history)}
      data={data}
      xKey="at"
      yKey="percent"
      height={height}
      dot={{ r: 2 }}
      caption="Score after each completed scan; gaps are scans that could not score the service."
    >
      <YAxis
        domain={[0, 100]}
        tickFormatter={(v: number) => `${v}%`}
        width={44}
        fontSize={12}
      />
      <Tooltip
        labelFormatter={(at: string) => formatDateTime(at)}
        formatter={describePoint}
      />
    </TimeLineChart>
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
  return (
    <InlineQueryState
      query={history}
      loadingLabel="Loading the score history"
      failure="Could not load the score history"
    >
      {value => <ScoreHistoryLine history={value} />}
    </InlineQueryState>
  );
};
