import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  formatAmount,
  formatAxisAmount,
  formatDay,
  formatShortMonth,
} from '../../format';

/** One bar: a month (YYYY-MM) or a day (YYYY-MM-DD), split into series. */
export interface CostChartPeriod {
  period: string;
  provisional: boolean;
  values: Record<string, number>;
}

export interface CostChartSeries {
  key: string;
  label: string;
  colour: string;
}

/** Distinct colours for products, in order; shared and unallocated get their own. */
export const SERIES_COLOURS = [
  '#1f5fd1',
  '#2e9e6b',
  '#8e44ad',
  '#d35400',
  '#16a2b8',
  '#c0392b',
  '#7f8c8d',
  '#b8860b',
  '#2c3e50',
  '#e84393',
];
export const SHARED_COLOUR = '#a0a7b4';
export const UNALLOCATED_COLOUR = '#e0a100';
export const CHARGES_COLOUR = '#5d4e8c';

/** Provisional periods are drawn lighter and labelled under the axis. */
const PROVISIONAL_OPACITY = 0.45;

function periodLabel(period: string): string {
  return period.length === 7 ? formatShortMonth(period) : formatDay(period);
}

/**
 * Stacked bars per period (monthly cost by product, direct vs shared, daily trend). Provisional
 * periods are lighter, with "provisional" under their label.
 */
export const CostBarChart = (props: {
  periods: CostChartPeriod[];
  series: CostChartSeries[];
  currency: string;
  /** Names the chart for screen readers. */
  title: string;
  height?: number;
  showLegend?: boolean;
}) => {
  const {
    periods,
    series,
    currency,
    title,
    height = 320,
    showLegend = true,
  } = props;
  const theme = useTheme();
  const provisional = new Set(
    periods.filter(p => p.provisional).map(p => p.period),
  );
  const data = periods.map(p => ({
    period: p.period,
    provisional: p.provisional,
    ...prefixed(p.values),
  }));

  const PeriodTick = (tick: {
    x?: number;
    y?: number;
    payload?: { value: string };
  }) => {
    const value = tick.payload?.value ?? '';
    return (
      <g transform={`translate(${tick.x ?? 0},${tick.y ?? 0})`}>
        <text
          dy={14}
          textAnchor="middle"
          fontSize={12}
          fill={theme.palette.text.secondary}
        >
          {periodLabel(value)}
        </text>
        {provisional.has(value) && (
          <text
            dy={28}
            textAnchor="middle"
            fontSize={10}
            fill={theme.palette.warning.main}
          >
            provisional
          </text>
        )}
      </g>
    );
  };

  return (
    <figure style={{ margin: 0 }} aria-label={title}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart
          data={data}
          margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="period"
            tick={PeriodTick}
            height={40}
            interval="preserveStartEnd"
          />
          <YAxis
            tickFormatter={(v: number) => formatAxisAmount(v, currency)}
            width={64}
          />
          <Tooltip
            formatter={(value: number, name: string) => [
              formatAmount(value, currency),
              name,
            ]}
            labelFormatter={(label: string) =>
              `${periodLabel(label)}${
                provisional.has(label) ? ' (provisional)' : ''
              }`
            }
          />
          {showLegend && <Legend verticalAlign="top" height={32} />}
          {series.map(s => (
            <Bar
              key={s.key}
              dataKey={seriesKey(s.key)}
              name={s.label}
              stackId="cost"
              fill={s.colour}
              isAnimationActive={false}
            >
              {data.map(row => (
                <Cell
                  key={row.period}
                  fillOpacity={row.provisional ? PROVISIONAL_OPACITY : 1}
                />
              ))}
            </Bar>
          ))}
        </BarChart>
      </ResponsiveContainer>
      {provisional.size > 0 && (
        <Typography
          component="figcaption"
          variant="caption"
          color="text.secondary"
        >
          Lighter bars are provisional: AWS still marks those figures as
          estimated.
        </Typography>
      )}
    </figure>
  );
};

// Series keys are tag values (they may contain dots, which recharts reads as paths).
function seriesKey(key: string): string {
  return `s_${encodeURIComponent(key).replace(/\./g, '%2E')}`;
}

function prefixed(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [seriesKey(key), value]),
  );
}
