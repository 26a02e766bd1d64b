import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { Line, LineChart, YAxis } from 'recharts';
import { formatScore } from '../../format';

/** "Score over 8 scans: from 54% to 71%"; undefined when no scan scored the service. */
export function describeTrend(
  trend: Array<{ at: string; score: number | null }>,
): string | undefined {
  const scored = trend.filter(p => p.score !== null);
  if (scored.length === 0) {
    return undefined;
  }
  const first = formatScore(scored[0].score);
  const last = formatScore(scored[scored.length - 1].score);
  const scans = trend.length === 1 ? '1 scan' : `${trend.length} scans`;
  return first === last && scored.length > 1
    ? `Score over ${scans}: steady at ${last}`
    : `Score over ${scans}: from ${first} to ${last}`;
}

/** A small line of the score per scan (0-100%); gaps are scans that could not score it. */
export const ScoreSparkline = (props: {
  trend: Array<{ at: string; score: number | null }>;
  width?: number;
  height?: number;
}) => {
  const { trend, width = 88, height = 24 } = props;
  const theme = useTheme();
  const label = describeTrend(trend);
  if (!label) {
    return (
      <Typography variant="caption" color="text.secondary">
        no trend yet
      </Typography>
    );
  }
  const data = trend.map(p => ({
    at: p.at,
    score: p.score === null ? null : p.score * 100,
  }));
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
        data={data}
        margin={{ top: 3, right: 3, bottom: 3, left: 3 }}
      >
        <YAxis hide domain={[0, 100]} />
        <Line
          type="monotone"
          dataKey="score"
          stroke={theme.palette.primary.main}
          strokeWidth={2}
          dot={false}
          connectNulls={false}
          isAnimationActive={false}
        />
      </LineChart>
    </span>
  );
};
