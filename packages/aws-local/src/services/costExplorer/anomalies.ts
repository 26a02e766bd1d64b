import { AwsError, CallContext } from '../../protocols/types';
import type { CostSeries, DemoEstate } from '../../estate/DemoEstate';
import { formatDay, parseDay } from '../../estate/dates';
import { stableUuid } from '../../estate/random';
import { pageOf } from '../paging';

/**
 * The payer's two anomaly monitors. They overlap, as real set-ups do: the AWS-managed monitor of
 * every service and a custom one on the `product` cost allocation tag report the same spike, each
 * with its own AnomalyId and MonitorArn.
 */
interface Monitor {
  arn: string;
  name: string;
  type: 'DIMENSIONAL' | 'CUSTOM';
  dimension?: 'SERVICE';
  specification?: unknown;
}

function invalid(message: string): never {
  throw new AwsError('ValidationException', message);
}

function monitorsOf(estate: DemoEstate): Monitor[] {
  const arn = (key: string) =>
    `arn:aws:ce::${estate.managementAccount.id}:anomalymonitor/${stableUuid(
      `${estate.seed.seed}:${key}`,
    )}`;
  const productKey = estate.seed.tagKeys.product;
  // A custom tag monitor tracks at most 10 values: the anomaly's product first.
  const spiked = estate.series.find(s => s.anomalous)?.tags[productKey];
  const products = [
    ...new Set([...(spiked ? [spiked] : []), ...estate.products]),
  ].slice(0, 10);
  return [
    {
      // A monitor outlives its anomalies: its ARN comes from the seed, not from the day's anomaly.
      arn: arn('anomaly-monitor'),
      name: 'AWS services',
      type: 'DIMENSIONAL',
      dimension: 'SERVICE',
    },
    {
      arn: arn('anomaly-monitor:products'),
      name: 'Products',
      type: 'CUSTOM',
      specification: {
        Tags: { Key: productKey, Values: products, MatchOptions: ['EQUALS'] },
      },
    },
  ];
}

function readMaxResults(input: any, max: number): number {
  const size = input.MaxResults ?? max;
  if (!Number.isInteger(size) || size < 1 || size > max)
    invalid(`MaxResults ${size} must be a whole number from 1 to ${max}`);
  return size;
}

function page<T>(
  items: T[],
  input: any,
  ctx: CallContext,
  size: number,
): { items: T[]; NextPageToken?: string } {
  const { items: onPage, nextToken } = pageOf(
    items,
    input,
    ctx.account.id,
    size,
    'NextPageToken',
  );
  return { items: onPage, NextPageToken: nextToken };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** The spike as one monitor reports it: the same days and impact, one root cause per line that rose. */
function anomalyOf(estate: DemoEstate, monitor: Monitor) {
  const a = estate.anomaly;
  const lines = estate.series.filter(s => s.anomalous);
  const impactOf = new Map<CostSeries, number>();
  let actual = 0;
  let expected = 0;
  let maxImpact = 0;
  for (let day = a.startDay; day <= a.endDay; day++) {
    let dayActual = 0;
    let dayExpected = 0;
    for (const s of lines) {
      const cost = estate.dailyCost(s, day);
      const baseline = estate.expectedDailyCost(s, day);
      dayActual += cost;
      dayExpected += baseline;
      impactOf.set(s, (impactOf.get(s) ?? 0) + cost - baseline);
    }
    actual += dayActual;
    expected += dayExpected;
    maxImpact = Math.max(maxImpact, dayActual - dayExpected);
  }
  const totalImpact = actual - expected;
  const rootCauses = lines
    .map(s => ({
      Service: s.awsService,
      Region: s.region,
      LinkedAccount: s.accountId,
      LinkedAccountName: estate.accountById(s.accountId)?.name,
      UsageType: s.usageType,
      Impact: { Contribution: round(impactOf.get(s) ?? 0) },
    }))
    .sort((x, y) => y.Impact.Contribution - x.Impact.Contribution);
  return {
    AnomalyId: stableUuid(
      `${estate.seed.seed}:anomaly:${formatDay(a.startDay)}:${monitor.name}`,
    ),
    AnomalyStartDate: formatDay(a.startDay),
    AnomalyEndDate: formatDay(a.endDay),
    DimensionValue:
      monitor.type === 'DIMENSIONAL' ? a.awsService : monitor.name,
    MonitorArn: monitor.arn,
    RootCauses: rootCauses,
    AnomalyScore: {
      MaxScore: 0.97,
      CurrentScore: a.endDay >= estate.lastDay ? 0.97 : 0.12,
    },
    Impact: {
      MaxImpact: round(maxImpact),
      TotalImpact: round(totalImpact),
      TotalActualSpend: round(actual),
      TotalExpectedSpend: round(expected),
      TotalImpactPercentage: round((totalImpact / expected) * 100),
    },
  };
}

function getAnomalies(input: any, ctx: CallContext) {
  const { estate } = ctx;
  const interval = input.DateInterval;
  if (!interval?.StartDate)
    invalid('DateInterval.StartDate is required (yyyy-MM-dd)');
  const start = parseDay(String(interval.StartDate).slice(0, 10));
  const end = interval.EndDate
    ? parseDay(String(interval.EndDate).slice(0, 10))
    : estate.asOfDay;
  if (start === undefined)
    invalid(
      `DateInterval.StartDate '${interval.StartDate}' is not a date in yyyy-MM-dd form`,
    );
  if (end === undefined)
    invalid(
      `DateInterval.EndDate '${interval.EndDate}' is not a date in yyyy-MM-dd form`,
    );
  const size = readMaxResults(input, 100);
  const monitors = monitorsOf(estate);
  const threshold = input.TotalImpact;
  let passes = (_impact: number) => true;
  if (threshold) {
    const { NumericOperator: op, StartValue: low, EndValue: high } = threshold;
    const operators: Record<string, (v: number) => boolean> = {
      GREATER_THAN_OR_EQUAL: v => v >= low,
      GREATER_THAN: v => v > low,
      LESS_THAN_OR_EQUAL: v => v <= low,
      LESS_THAN: v => v < low,
      EQUAL: v => v === low,
      BETWEEN: v => v >= low && v <= high,
    };
    if (!operators[op])
      invalid(
        `TotalImpact.NumericOperator '${op}' is not valid; use ${Object.keys(
          operators,
        ).join(', ')}`,
      );
    passes = operators[op];
  }

  const a = estate.anomaly;
  const visible = ctx.account.management || ctx.account.id === a.accountId;
  // AWS returns anomalies whose end date falls in the interval; an unknown MonitorArn finds none.
  const inInterval = visible && a.endDay >= start && a.endDay <= end;
  const anomalies = inInterval
    ? monitors
        .filter(
          m => input.MonitorArn === undefined || m.arn === input.MonitorArn,
        )
        .map(m => anomalyOf(estate, m))
        .filter(x => passes(x.Impact.TotalImpact))
    : [];
  const { items, NextPageToken } = page(anomalies, input, ctx, size);
  return { Anomalies: items, NextPageToken };
}

function getAnomalyMonitors(input: any, ctx: CallContext) {
  const { estate } = ctx;
  const size = readMaxResults(input, 100);
  const wanted: string[] | undefined = input.MonitorArnList;
  const monitors = monitorsOf(estate)
    .filter(m => !wanted || wanted.includes(m.arn))
    .map(m => ({
      MonitorArn: m.arn,
      MonitorName: m.name,
      MonitorType: m.type,
      ...(m.dimension ? { MonitorDimension: m.dimension } : {}),
      ...(m.specification ? { MonitorSpecification: m.specification } : {}),
      CreationDate: formatDay(estate.firstDay),
      LastEvaluatedDate: formatDay(estate.lastDay),
      DimensionalValueCount:
        m.type === 'DIMENSIONAL'
          ? new Set(estate.series.map(s => s.awsService)).size
          : undefined,
    }));
  const { items, NextPageToken } = page(monitors, input, ctx, size);
  return { AnomalyMonitors: items, NextPageToken };
}

export const anomalyOperations = {
  GetAnomalies: getAnomalies,
  GetAnomalyMonitors: getAnomalyMonitors,
};
