import { awsJsonProtocol } from '../protocols/awsJson';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../protocols/types';
import { lagSeries, type MetricIdentity } from '../estate/replicationLag';
import { healthCheckSeries } from '../estate/route53Health';
import { hashString } from '../estate/random';

/*
 * Amazon CloudWatch GetMetricData over awsJson1_0 (the SDK's protocol since CloudWatch left
 * awsQuery; errors stay awsQuery-compatible: `x-amzn-query-error: ValidationError;Sender`).
 * Series come from the estate: replication lag (estate/replicationLag.ts) and Route 53's
 * health-check metrics (estate/route53Health.ts, us-east-1 only), one value per period, up to the
 * server's clock; a metric the estate does not hold has no datapoints (StatusCode Complete, no
 * values, as AWS). Results page by MaxDatapoints through NextToken, as AWS does.
 */

const MAX_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;

const validation = (message: string) =>
  new AwsError('ValidationException', message);

interface MetricQuery {
  Id: string;
  metric: MetricIdentity;
  period: number;
  returnData: boolean;
}

/** The epoch seconds (awsJson timestamps) of a request field, or a ValidationError. */
function timeOf(value: unknown, field: string): number {
  const seconds = typeof value === 'string' ? Date.parse(value) / 1000 : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds))
    throw validation(`The parameter ${field} is required.`);
  return seconds * 1000;
}

function queriesOf(input: Record<string, unknown>): MetricQuery[] {
  const raw = input.MetricDataQueries;
  if (!Array.isArray(raw) || raw.length === 0)
    throw validation('The parameter MetricDataQueries is required.');
  if (raw.length > MAX_QUERIES)
    throw validation(
      `The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`,
    );
  const seen = new Set<string>();
  return raw.map((q: Record<string, any>, i) => {
    const id = q?.Id;
    if (typeof id !== 'string' || !ID_PATTERN.test(id))
      throw validation(
        `The value ${JSON.stringify(
          id,
        )} for parameter MetricDataQueries.member.${
          i + 1
        }.Id is invalid: it must match ^[a-z][a-zA-Z0-9_]*$.`,
      );
    if (seen.has(id))
      throw validation(
        `The values for parameter Id in MetricDataQueries are not unique.`,
      );
    seen.add(id);
    const stat = q.MetricStat;
    if (!stat?.Metric?.MetricName || !stat?.Stat)
      throw validation(
        `Query ${id}: exactly one of MetricStat (with Metric, Period and Stat) or Expression must be set; the loopback endpoint answers MetricStat only.`,
      );
    const period = Number(stat.Period);
    if (
      !Number.isInteger(period) ||
      period < 1 ||
      (period >= 60 && period % 60 !== 0)
    )
      throw validation(
        `Query ${id}: Period must be 1, 5, 10, 20, 30 or a multiple of 60.`,
      );
    const dimensions: Record<string, string> = {};
    for (const d of stat.Metric.Dimensions ?? []) dimensions[d.Name] = d.Value;
    return {
      Id: id,
      period,
      returnData: q.ReturnData !== false,
      metric: {
        namespace: String(stat.Metric.Namespace ?? ''),
        metricName: String(stat.Metric.MetricName),
        dimensions,
      },
    };
  });
}

/** The datapoints of one query in the window (period-aligned, up to the clock), in scan order. */
function datapoints(
  query: MetricQuery,
  start: number,
  end: number,
  ctx: CallContext,
  ascending: boolean,
): Array<[number, number]> {
  const series =
    query.metric.namespace === 'AWS/Route53'
      ? healthCheckSeries(
          ctx.estate.dr,
          ctx.account.id,
          ctx.region,
          query.metric,
        )
      : lagSeries(
          ctx.estate.dr,
          ctx.estate.seed.seed,
          ctx.account.id,
          ctx.region,
          query.metric,
        );
  if (!series) return [];
  const periodMs = query.period * 1000;
  const last = Math.min(end, ctx.now.getTime());
  const points: Array<[number, number]> = [];
  for (
    let t = Math.ceil(start / periodMs) * periodMs;
    t < last;
    t += periodMs
  ) {
    const value = series(t);
    if (value !== undefined) points.push([t, value]);
  }
  return ascending ? points : points.reverse();
}

/** NextToken: where the previous page stopped, bound to the request it belongs to. */
function decodeToken(token: unknown, fingerprint: number) {
  if (token === undefined || token === null || token === '')
    return { query: 0, point: 0 };
  try {
    const [f, query, point] = Buffer.from(String(token), 'base64url')
      .toString('utf8')
      .split(':')
      .map(Number);
    if (f === fingerprint && query >= 0 && point >= 0) return { query, point };
  } catch {
    // fall through
  }
  throw new AwsError(
    'InvalidNextToken',
    'The service returned an invalid NextToken.',
  );
}

function getMetricData(input: Record<string, unknown>, ctx: CallContext) {
  const queries = queriesOf(input);
  const start = timeOf(input.StartTime, 'StartTime');
  const end = timeOf(input.EndTime, 'EndTime');
  if (start >= end)
    throw validation(
      'The parameter StartTime must be less than the parameter EndTime.',
    );
  const maxDatapoints =
    input.MaxDatapoints === undefined
      ? DEFAULT_MAX_DATAPOINTS
      : Number(input.MaxDatapoints);
  if (!Number.isInteger(maxDatapoints) || maxDatapoints < 1)
    throw validation('The parameter MaxDatapoints must be a positive integer.');
  const ascending = input.ScanBy === 'TimestampAscending';
  const fingerprint = hashString(
    JSON.stringify([
      input.MetricDataQueries,
      input.StartTime,
      input.EndTime,
      input.ScanBy,
      ctx.account.id,
      ctx.region,
    ]),
  );
  let { query: qi, point: pi } = decodeToken(input.NextToken, fingerprint);
  let budget = maxDatapoints;
  const results: unknown[] = [];
  let next: string | undefined;
  for (; qi < queries.length; qi++, pi = 0) {
    const query = queries[qi];
    if (!query.returnData) continue;
    const points = datapoints(query, start, end, ctx, ascending);
    if (budget === 0) {
      next = Buffer.from(`${fingerprint}:${qi}:${pi}`).toString('base64url');
      break;
    }
    const slice = points.slice(pi, pi + budget);
    budget -= slice.length;
    const done = pi + slice.length >= points.length;
    results.push({
      Id: query.Id,
      Label: query.metric.metricName,
      // Epoch seconds, as the JSON protocol writes a timestamp (a Date per point made each page's encoding slow).
      Timestamps: slice.map(([t]) => t / 1000),
      Values: slice.map(([, v]) => v),
      StatusCode: done ? 'Complete' : 'PartialData',
    });
    if (!done) {
      next = Buffer.from(`${fingerprint}:${qi}:${pi + slice.length}`).toString(
        'base64url',
      );
      break;
    }
  }
  return {
    MetricDataResults: results,
    Messages: [],
    ...(next ? { NextToken: next } : {}),
  };
}

/** Amazon CloudWatch (signing name `monitoring`): GetMetricData over the estate's replication lag and health checks. */
export const cloudWatchService: AwsServiceDefinition = {
  signingName: 'monitoring',
  statsPrefix: 'cloudwatch',
  protocol: awsJsonProtocol('1.0', 'GraniteServiceVersion20100801', {
    throttling: { code: 'Throttling', status: 400 },
    accessDenied: { code: 'AccessDenied', status: 403 },
    queryCompatible: {
      namespace: 'com.amazonaws.cloudwatch',
      queryCodes: { ValidationException: 'ValidationError' },
    },
  }),
  operations: {
    GetMetricData: getMetricData,
  },
};
