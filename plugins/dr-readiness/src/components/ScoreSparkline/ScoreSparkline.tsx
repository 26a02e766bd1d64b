import Typography from '@mui/material/Typography';
import { Sparkline } from '@internal/platform-react';
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
    <Sparkline
      label={label}
      data={data}
      dataKey="score"
      domain={[0, 100]}
      width={width}
      height={height}
      inset={3}
    />
  );
};
