import { awsJsonProtocol } from '../../protocols/awsJson';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../../protocols/types';
import type { CostSeries, DemoEstate } from '../../estate/DemoEstate';
import {
  addMonths,
  formatDay,
  parseDay,
  startOfMonth,
} from '../../estate/dates';
import {
  decodePageToken,
  encodePageToken,
  pageOf,
  queryFingerprint,
} from '../paging';
import { anomalyOperations } from './anomalies';
import {
  costAllocationTagOperations,
  costAllocationTags,
  hiddenToday,
  maskTags,
  tagSegments,
  visibilityKey,
} from './costAllocationTags';
import {
  costCategoryNames,
  costCategoryOperations,
  costCategoryReader,
} from './costCategories';
import {
  DIMENSIONS,
  ExpressionScope,
  SeriesPredicate,
  compileExpression,
} from './expression';

/** Cost Explorer pages grouped results; this many (period x group) rows per page. */
export const COST_AND_USAGE_PAGE_ROWS = 1000;
const LIST_PAGE_SIZE = 1000;

const METRICS = [
  'AmortizedCost',
  'BlendedCost',
  'NetAmortizedCost',
  'NetUnblendedCost',
  'NormalizedUsageAmount',
  'UnblendedCost',
  'UsageQuantity',
];
const FORECAST_METRICS: Record<string, string> = {
  AMORTIZED_COST: 'AmortizedCost',
  BLENDED_COST: 'BlendedCost',
  NET_AMORTIZED_COST: 'NetAmortizedCost',
  NET_UNBLENDED_COST: 'NetUnblendedCost',
  UNBLENDED_COST: 'UnblendedCost',
};
/** Metrics of GetUsageForecast, which GetCostForecast refuses. */
const USAGE_FORECAST_METRICS = ['USAGE_QUANTITY', 'NORMALIZED_USAGE_AMOUNT'];

function invalid(message: string): never {
  throw new AwsError('ValidationException', message);
}

interface Period {
  start: number;
  end: number; // exclusive
}

function readTimePeriod(input: any, field: string): Period {
  const period = input[field];
  if (!period?.Start || !period?.End)
    invalid(
      `${field}.Start and ${field}.End are required (yyyy-MM-dd; End is exclusive)`,
    );
  const start = parseDay(period.Start);
  const end = parseDay(period.End);
  if (start === undefined)
    invalid(
      `${field}.Start '${period.Start}' is not a date in yyyy-MM-dd form`,
    );
  if (end === undefined)
    invalid(`${field}.End '${period.End}' is not a date in yyyy-MM-dd form`);
  if (end <= start)
    invalid(
      `${field}.Start (${period.Start}) must be before ${field}.End (${period.End})`,
    );
  return { start, end };
}

function periodsOf(range: Period, granularity: string): Period[] {
  const periods: Period[] = [];
  for (let start = range.start; start < range.end; ) {
    const next =
      granularity === 'DAILY'
        ? start + 1
        : Math.min(addMonths(startOfMonth(start), 1), range.end);
    periods.push({ start, end: Math.min(next, range.end) });
    start = next;
  }
  return periods;
}

function readGranularity(input: any, allowed: string[]): string {
  const granularity = input.Granularity;
  if (!granularity)
    invalid(`Granularity is required; use ${allowed.join(' or ')}`);
  if (granularity === 'HOURLY')
    invalid(
      'Granularity HOURLY is not enabled for this account; use DAILY or MONTHLY',
    );
  if (!allowed.includes(granularity))
    invalid(
      `Granularity '${granularity}' is not valid; use ${allowed.join(' or ')}`,
    );
  return granularity;
}

/** The bill lines the caller may see: the management account sees every account, a linked account its own. */
function visibleSeries(ctx: CallContext): CostSeries[] {
  return ctx.account.management
    ? ctx.estate.series
    : ctx.estate.series.filter(s => s.accountId === ctx.account.id);
}

/** As visibleSeries, seen with today's tags (inactive keys absent) and filtered. */
function scopedSeries(
  ctx: CallContext,
  filter?: SeriesPredicate,
): CostSeries[] {
  const hidden = hiddenToday(ctx);
  const all = visibleSeries(ctx).map(s => maskTags(s, hidden));
  return filter ? all.filter(filter) : all;
}

/** What expressions may name: this server's cost categories. */
function expressionScope(ctx: CallContext): ExpressionScope {
  return {
    mode: 'query',
    estate: ctx.estate,
    costCategory: costCategoryReader(ctx),
  };
}

function readFilter(input: any, ctx: CallContext): SeriesPredicate | undefined {
  return input.Filter === undefined
    ? undefined
    : compileExpression(input.Filter, 'Filter', expressionScope(ctx));
}

function amount(value: number): string {
  return value.toFixed(10).replace(/\.?0+$/, '') || '0';
}

function unitOf(metric: string, units: Set<string>): string {
  if (metric !== 'UsageQuantity' && metric !== 'NormalizedUsageAmount')
    return 'USD';
  return units.size === 1 ? [...units][0] : 'N/A';
}

interface GroupRow {
  period: number; // index into periods
  keys: string[];
  sums: number[]; // per metric
  units: Set<string>;
  /** Holds a period that has no group, so that the period is still returned. */
  empty?: boolean;
}

/** Evaluated GetCostAndUsage results, cached so that following pages do not recompute. */
interface CostAndUsageResult {
  periods: Period[];
  rows: GroupRow[]; // ordered by period, then group keys
  grouped: boolean;
  metrics: string[];
  accounts: Set<string>;
}

// Per estate, so servers over different estates in one process never share results.
const resultCaches = new WeakMap<DemoEstate, Map<string, CostAndUsageResult>>();
const RESULT_CACHE_ENTRIES = 32;

interface Evaluation {
  estate: DemoEstate;
  series: CostSeries[];
  periods: Period[];
  metrics: string[];
  groupBy: Array<(s: CostSeries) => string>;
  filter?: SeriesPredicate;
  /** Stretches of days with the same tag keys hidden (not activated, or before activation). */
  segments: Array<{ start: number; end: number; hidden: string[] }>;
}

const USAGE_METRICS = ['UsageQuantity', 'NormalizedUsageAmount'];

function evaluateCostAndUsage({
  estate,
  series,
  periods,
  metrics,
  groupBy,
  filter,
  segments,
}: Evaluation): CostAndUsageResult {
  const rows: GroupRow[] = [];
  const accounts = new Set<string>();
  const ratios = series.map(line => {
    const m = estate.metricsFor(line, 1);
    return metrics.map(name => m[name]);
  });
  const usageMetric = metrics.map(name => USAGE_METRICS.includes(name));
  // Each line as Cost Explorer shows it in each stretch of days (tags masked): whether the filter
  // keeps it, and its group; worked out once per query.
  const groupings = segments.map(segment => {
    const seen = new Map<CostSeries, { keys: string[]; id: string } | null>();
    return series.map(line => {
      const view = maskTags(line, segment.hidden);
      let grouping = seen.get(view);
      if (grouping === undefined) {
        if (filter && !filter(view)) grouping = null;
        else {
          const keys = groupBy.map(read => read(view));
          grouping = { keys, id: keys.join('\u0000') };
        }
        seen.set(view, grouping);
      }
      return grouping;
    });
  });

  periods.forEach((period, periodIndex) => {
    const groups = new Map<string, GroupRow>();
    for (let g = 0; g < segments.length; g++) {
      const from = Math.max(period.start, segments[g].start);
      const to = Math.min(period.end, segments[g].end);
      if (from >= to) continue;
      for (let i = 0; i < series.length; i++) {
        const line = series[i];
        const grouping = groupings[g][i];
        if (!grouping) continue;
        let unblended = 0;
        let freeUsage = 0;
        for (let day = from; day < to; day++) {
          unblended += estate.dailyCost(line, day);
          if (line.free) freeUsage += estate.freeUsage(line, day);
        }
        // A line is on the bill when it cost something, or was free-tier usage (shown as "0").
        if (unblended === 0 && freeUsage === 0) continue;
        const { keys, id } = grouping;
        let row = groups.get(id);
        if (!row) {
          row = {
            period: periodIndex,
            keys,
            sums: metrics.map(() => 0),
            units: new Set(),
          };
          groups.set(id, row);
        }
        const r = ratios[i];
        for (let m = 0; m < r.length; m++)
          row.sums[m] +=
            line.free && usageMetric[m] ? freeUsage : unblended * r[m];
        row.units.add(line.usageUnit);
        accounts.add(line.accountId);
      }
    }
    const ordered = [...groups.values()].sort((a, b) =>
      a.keys.join('\u0000').localeCompare(b.keys.join('\u0000')),
    );
    // Every period is in ResultsByTime, even without a group (Groups: [], or a Total of "0").
    if (ordered.length === 0) {
      ordered.push({
        period: periodIndex,
        keys: [],
        sums: metrics.map(() => 0),
        units: new Set(),
        empty: true,
      });
    }
    rows.push(...ordered);
  });
  return { periods, rows, grouped: groupBy.length > 0, metrics, accounts };
}

function getCostAndUsage(input: any, ctx: CallContext) {
  const { estate } = ctx;
  const range = readTimePeriod(input, 'TimePeriod');
  if (range.start < estate.firstDay) {
    invalid(
      `TimePeriod.Start ${formatDay(
        range.start,
      )} is too old: Cost Explorer keeps 13 months of history, from ${formatDay(
        estate.firstDay,
      )}`,
    );
  }
  const granularity = readGranularity(input, ['DAILY', 'MONTHLY']);
  const metrics: string[] = input.Metrics;
  if (!Array.isArray(metrics) || metrics.length === 0)
    invalid(`Metrics is required; use one or more of ${METRICS.join(', ')}`);
  for (const metric of metrics) {
    if (!METRICS.includes(metric))
      invalid(
        `Metrics has '${metric}'; valid metrics are ${METRICS.join(', ')}`,
      );
  }
  const groupDefinitions: Array<{ Type?: string; Key?: string }> =
    input.GroupBy ?? [];
  if (groupDefinitions.length > 2)
    invalid(
      `GroupBy has ${groupDefinitions.length} groupings; at most 2 are allowed`,
    );
  const categoryOf = costCategoryReader(ctx);
  const groupBy = groupDefinitions.map((group, i) => {
    if (group.Type === 'TAG') {
      if (!group.Key)
        invalid(`GroupBy[${i}].Key is required for Type TAG (the tag key)`);
      return (s: CostSeries) => `${group.Key}$${s.tags[group.Key!] ?? ''}`;
    }
    if (group.Type === 'DIMENSION') {
      const read = DIMENSIONS[group.Key ?? ''];
      if (!read)
        invalid(
          `GroupBy[${i}].Key '${
            group.Key
          }' is not a supported dimension; use ${Object.keys(DIMENSIONS).join(
            ', ',
          )}`,
        );
      return read;
    }
    if (group.Type === 'COST_CATEGORY') {
      const read = categoryOf(group.Key ?? '');
      if (!read)
        invalid(
          `GroupBy[${i}].Key '${
            group.Key
          }' is not a cost category of this account; use one of ${costCategoryNames(
            ctx,
          ).join(', ')}`,
        );
      return (s: CostSeries) => `${group.Key}$${read(s)}`;
    }
    return invalid(
      `GroupBy[${i}].Type '${group.Type}' is not valid; use DIMENSION, TAG or COST_CATEGORY`,
    );
  });
  const filter = readFilter(input, ctx);
  const tags = costAllocationTags(ctx);

  const fingerprint = queryFingerprint(input, ctx.account.id, 'NextPageToken');
  let cache = resultCaches.get(estate);
  if (!cache) {
    cache = new Map();
    resultCaches.set(estate, cache);
  }
  // The same query answers differently once the estate's today has moved on (past midnight).
  // ...and once tags were activated or cost categories created on this server.
  const cacheKey = `${estate.asOfDay}:${visibilityKey(
    tags,
  )}:${costCategoryNames(ctx).join(',')}:${fingerprint}`;
  let result = cache.get(cacheKey);
  if (!result) {
    result = evaluateCostAndUsage({
      estate,
      series: visibleSeries(ctx),
      periods: periodsOf(range, granularity),
      metrics,
      groupBy,
      filter,
      segments: tagSegments(tags, range.start, range.end),
    });
    cache.set(cacheKey, result);
    if (cache.size > RESULT_CACHE_ENTRIES)
      cache.delete(cache.keys().next().value!);
  }
  const offset = decodePageToken(
    input.NextPageToken,
    fingerprint,
    'NextPageToken',
    'InvalidNextTokenException',
  );
  const pageRows = result.rows.slice(offset, offset + COST_AND_USAGE_PAGE_ROWS);
  const nextOffset = offset + pageRows.length;

  const metricsOf = (row: GroupRow) =>
    Object.fromEntries(
      result!.metrics.map((metric, m) => [
        metric,
        { Amount: amount(row.sums[m]), Unit: unitOf(metric, row.units) },
      ]),
    );
  const resultsByTime: any[] = [];
  for (const row of pageRows) {
    let entry = resultsByTime[resultsByTime.length - 1];
    if (!entry || entry.periodIndex !== row.period) {
      const period = result.periods[row.period];
      entry = {
        periodIndex: row.period,
        TimePeriod: {
          Start: formatDay(period.start),
          End: formatDay(period.end),
        },
        Total: {},
        Groups: [],
        Estimated: estate.isEstimated(period.end - 1),
      };
      resultsByTime.push(entry);
    }
    if (row.empty && result.grouped) continue;
    if (result.grouped)
      entry.Groups.push({ Keys: row.keys, Metrics: metricsOf(row) });
    else entry.Total = metricsOf(row);
  }
  const linkedAccounts = groupDefinitions.some(
    g => g.Type === 'DIMENSION' && g.Key === 'LINKED_ACCOUNT',
  );
  return {
    GroupDefinitions:
      groupDefinitions.length > 0 ? groupDefinitions : undefined,
    ResultsByTime: resultsByTime.map(({ periodIndex: _p, ...entry }) => entry),
    DimensionValueAttributes: linkedAccounts
      ? [...result.accounts].sort().map(id => ({
          Value: id,
          Attributes: { description: estate.accountById(id)?.name ?? id },
        }))
      : [],
    NextPageToken:
      nextOffset < result.rows.length
        ? encodePageToken(fingerprint, nextOffset)
        : undefined,
  };
}

/** Inverse of the standard normal CDF (Acklam's rational approximation), for prediction intervals. */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269,
    -30.66479806614716, 2.506628274631,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866,
    66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838,
    -2.549732539343734, 4.374664141464968, 2.938163982698783,
  ];
  const d = [
    0.007784695709041462, 0.3224671290700398, 2.445134137142996,
    3.754408661907416,
  ];
  const q = p < 0.5 ? p : 1 - p;
  let x: number;
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q));
    x =
      (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) /
      ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
    x = -x;
  } else {
    const r = q - 0.5;
    const s = r * r;
    x =
      ((((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) *
        r) /
      (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    x = -x;
  }
  return p < 0.5 ? -x : x;
}

function getCostForecast(input: any, ctx: CallContext) {
  const { estate } = ctx;
  const range = readTimePeriod(input, 'TimePeriod');
  if (range.start < estate.asOfDay) {
    invalid(
      `TimePeriod.Start ${formatDay(
        range.start,
      )} is in the past; a forecast starts today (${formatDay(
        estate.asOfDay,
      )}) or later`,
    );
  }
  if (USAGE_FORECAST_METRICS.includes(input.Metric))
    invalid(
      `Metric '${
        input.Metric
      }' is a usage metric: GetCostForecast takes ${Object.keys(
        FORECAST_METRICS,
      ).join(', ')}; forecast usage with GetUsageForecast`,
    );
  const metric = FORECAST_METRICS[input.Metric];
  if (!metric)
    invalid(
      `Metric '${input.Metric}' is not valid; use one of ${Object.keys(
        FORECAST_METRICS,
      ).join(', ')}`,
    );
  const granularity = readGranularity(input, ['DAILY', 'MONTHLY']);
  // AWS gives 3 months of DAILY forecasts or 12 months of MONTHLY ones.
  const reach = granularity === 'DAILY' ? 3 : 12;
  if (range.end > addMonths(estate.asOfDay, reach) + 1)
    invalid(
      `TimePeriod.End is more than ${reach} months ahead; ${granularity} forecasts reach ${reach} months at most`,
    );
  const level = input.PredictionIntervalLevel ?? 80;
  if (!Number.isInteger(level) || level < 51 || level > 99)
    invalid(
      `PredictionIntervalLevel ${level} must be a whole number from 51 to 99`,
    );
  const series = scopedSeries(ctx, readFilter(input, ctx));
  const ratios = series.map(s => estate.metricsFor(s, 1)[metric]);
  const z = normalQuantile(0.5 + level / 200);
  const noise = estate.seed.cost.dailyNoisePercent / 100;

  let total = 0;
  const results = periodsOf(range, granularity).map(period => {
    let mean = 0;
    for (let day = period.start; day < period.end; day++) {
      for (let i = 0; i < series.length; i++)
        mean += estate.expectedDailyCost(series[i], day) * ratios[i];
    }
    total += mean;
    // Uncertainty grows with the horizon; daily noise averages out over longer periods.
    const monthsAhead = (period.end - estate.asOfDay) / 30.4375;
    const spread =
      z * (noise / Math.sqrt(period.end - period.start) + 0.01 * monthsAhead);
    return {
      TimePeriod: {
        Start: formatDay(period.start),
        End: formatDay(period.end),
      },
      MeanValue: amount(mean),
      PredictionIntervalLowerBound: amount(mean * Math.max(0, 1 - spread)),
      PredictionIntervalUpperBound: amount(mean * (1 + spread)),
    };
  });
  return {
    Total: { Amount: amount(total), Unit: 'USD' },
    ForecastResultsByTime: results,
  };
}

/** Shared by GetDimensionValues and GetTags: distinct values among lines with cost in the period, paged. */
function listValues(
  input: any,
  ctx: CallContext,
  read: (s: CostSeries) => string[],
  field: string,
) {
  const range = readTimePeriod(input, 'TimePeriod');
  const filter = readFilter(input, ctx);
  const search =
    typeof input.SearchString === 'string'
      ? input.SearchString.toLowerCase()
      : undefined;
  const values = new Set<string>();
  for (const s of scopedSeries(ctx, filter)) {
    const candidates = read(s).filter(
      value =>
        !values.has(value) &&
        !(search && !value.toLowerCase().includes(search)),
    );
    if (candidates.length === 0) continue;
    for (
      let day = Math.max(range.start, ctx.estate.firstDay);
      day < range.end;
      day++
    ) {
      if (
        ctx.estate.dailyCost(s, day) !== 0 ||
        ctx.estate.freeUsage(s, day) > 0
      ) {
        candidates.forEach(value => values.add(value));
        break;
      }
    }
  }
  const sorted = [...values].sort();
  const size = input.MaxResults ?? LIST_PAGE_SIZE;
  const page = pageOf(sorted, input, ctx.account.id, size, 'NextPageToken');
  return {
    [field]: page.items,
    ReturnSize: page.items.length,
    TotalSize: sorted.length,
    NextPageToken: page.nextToken,
  };
}

/** AWS Cost Explorer over awsJson1_1, answering from the estate's daily bill lines. */
export const costExplorerService: AwsServiceDefinition = {
  signingName: 'ce',
  statsPrefix: 'ce',
  // Cost Explorer throttles with LimitExceededException ("You made too many calls in a short period").
  protocol: awsJsonProtocol('1.1', 'AWSInsightsIndexService', {
    throttling: { code: 'LimitExceededException', status: 400 },
  }),
  operations: {
    GetCostAndUsage: getCostAndUsage,
    GetCostForecast: getCostForecast,
    ...anomalyOperations,
    ...costAllocationTagOperations,
    ...costCategoryOperations,
    GetDimensionValues: (input: any, ctx: CallContext) => {
      const read = DIMENSIONS[input.Dimension];
      if (!read)
        invalid(
          `Dimension '${input.Dimension}' is not supported; use ${Object.keys(
            DIMENSIONS,
          ).join(', ')}`,
        );
      const result = listValues(input, ctx, s => [read(s)], 'DimensionValues');
      const values = result.DimensionValues as string[];
      return {
        ...result,
        DimensionValues: values.map(Value => ({
          Value,
          Attributes:
            input.Dimension === 'LINKED_ACCOUNT'
              ? { description: ctx.estate.accountById(Value)?.name ?? Value }
              : {},
        })),
      };
    },
    // Without TagKey: the tag keys in use; with it: that key's values.
    GetTags: (input: any, ctx: CallContext) => {
      const valuesOf = (s: CostSeries) =>
        s.tags[input.TagKey] === undefined ? [] : [s.tags[input.TagKey]];
      return listValues(
        input,
        ctx,
        input.TagKey ? valuesOf : s => Object.keys(s.tags),
        'Tags',
      );
    },
  },
};
