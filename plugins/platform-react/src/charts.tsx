import { ReactNode } from 'react';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import {
  CartesianGrid,
  Line,
  LineChart,
  LineProps,
  ResponsiveContainer,
  XAxis,
  YAxis,
  YAxisProps,
} from 'recharts';
import { formatShortDay } from './format';

/**
 * A small trend line in a table cell; `label` reads the figures out for screen readers (and
 * shows on hover). Gaps (null values) stay gaps.
 */
export const Sparkline = (props: {
  label: string;
  data: object[];
  dataKey: string;
  /** The y axis' range, e.g. `[0, 100]` or `['dataMin', 'dataMax']`. */
  domain: YAxisProps['domain'];
  width: number;
  height: number;
  /** Space around the line, in pixels. */
  inset: number;
}) => {
  const { label, data, dataKey, domain, width, height, inset } = props;
  const theme = useTheme();
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
        margin={{ top: inset, right: inset, bottom: inset, left: inset }}
      >
        <YAxis hide domain={domain} />
        <Line
          type="monotone"
          dataKey={dataKey}
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

/**
 * A line over time (x: ISO times, written as days) in a figure with a caption; `label` says
 * what it shows for screen readers. `children` are the chart's y axis, tooltip and reference
 * lines (recharts elements).
 */
export const TimeLineChart = (props: {
  label: string;
  data: object[];
  /** The time of each point. */
  xKey: string;
  /** The value of each point; null values are gaps. */
  yKey: string;
  height: number;
  dot?: LineProps['dot'];
  caption: ReactNode;
  children: ReactNode;
}) => {
  const { label, data, xKey, yKey, height, dot = false, caption } = props;
  const theme = useTheme();
  return (
    <figure style={{ margin: 0 }} aria-label={label} title={label}>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart
          data={data}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey={xKey}
            tickFormatter={formatShortDay}
            minTickGap={24}
            fontSize={12}
          />
          {props.children}
          <Line
            type="monotone"
            dataKey={yKey}
            stroke={theme.palette.primary.main}
            strokeWidth={2}
            dot={dot}
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
        {caption}
      </Typography>
    </figure>
  );
};
