import {
  CloudWatchClient,
  GetMetricDataOutput,
  MetricDataQuery,
  MetricDataResult,
  paginateGetMetricData,
} from '@aws-sdk/client-cloudwatch';
import type {
  ApiCallRecord,
  CollectedResource,
  ReplicationLagFacts,
} from '@internal/dr-readiness-common';
import { lastSegment } from '../arns';
import { groupBy } from '../../groupBy';
import { CallTarget, failureOf, recordedPages } from '../calls';
import { KeptLag, LagSeries } from './lagHistory';

/** The measured-RPO window: 7 days of 5-minute values, ending at the last whole period. */
export const LAG_WINDOW_DAYS = 7;
export const LAG_PERIOD_SECONDS = 300;
/** GetMetricData takes at most 500 queries per call. */
export const MAX_QUERIES_PER_CALL = 500;

const HOUR_MS = 3_600_000;

type LagMetric = ReplicationLagFacts['metric'];

/** One replication stream of a resource and the query (or queries, S3) that measure it. */
interface LagStream {
  resource: CollectedResource;
  metric: LagMetric;
  destination: string;
  /** S3: the OperationsFailedReplication query beside the latency one. */
  failedOperations?: LagMetric;
}

/**
 * The replication streams CloudWatch measures for a resource, from its describe facts:
 * Aurora global database members (AuroraGlobalDBReplicationLag, published by the secondary
 * clusters), DynamoDB global table replicas (ReplicationLatency per ReceivingRegion) and S3
 * replication rules (ReplicationLatency and OperationsFailedReplication per rule). AWS publishes
 * no percentiles for the DynamoDB and S3 metrics, so those are read as the Maximum per period.
 */
export function lagStreamsOf(resource: CollectedResource): LagStream[] {
  const facts = resource.facts;
  switch (facts?.kind) {
    case 'rds:cluster':
      return facts.globalCluster
        ? [
            {
              resource,
              destination: resource.region,
              metric: {
                namespace: 'AWS/RDS',
                metricName: 'AuroraGlobalDBReplicationLag',
                dimensions: { DBClusterIdentifier: facts.identifier },
                stat: 'p99',
                unit: 'Milliseconds',
              },
            },
          ]
        : [];
    case 'dynamodb:table':
      return facts.replicaRegions.map(region => ({
        resource,
        destination: region,
        metric: {
          namespace: 'AWS/DynamoDB',
          metricName: 'ReplicationLatency',
          dimensions: { TableName: facts.tableName, ReceivingRegion: region },
          stat: 'Maximum',
          unit: 'Milliseconds',
        },
      }));
    case 's3:bucket':
      return facts.replicationRules
        .filter(rule => rule.status === 'Enabled' && rule.destinationBucketArn)
        .map(rule => {
          const dimensions = {
            SourceBucket: facts.bucket,
            DestinationBucket: lastSegment(rule.destinationBucketArn),
            RuleId: rule.id,
          };
          return {
            resource,
            destination: dimensions.DestinationBucket,
            metric: {
              namespace: 'AWS/S3',
              metricName: 'ReplicationLatency',
              dimensions,
              stat: 'Maximum',
              unit: 'Seconds' as const,
            },
            failedOperations: {
              namespace: 'AWS/S3',
              metricName: 'OperationsFailedReplication',
              dimensions,
              stat: 'Sum',
              unit: 'Seconds' as const,
            },
          };
        });
    default:
      return [];
  }
}

/** The measured window: the last 7 days up to the last whole period of the clock. */
export function lagWindow(now: Date): { start: Date; end: Date } {
  const periodMs = LAG_PERIOD_SECONDS * 1000;
  const end = new Date(Math.floor(now.getTime() / periodMs) * periodMs);
  return {
    start: new Date(end.getTime() - LAG_WINDOW_DAYS * 24 * HOUR_MS),
    end,
  };
}

function queryOf(id: string, metric: LagMetric): MetricDataQuery {
  return {
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: metric.namespace,
        MetricName: metric.metricName,
        Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({
          Name,
          Value,
        })),
      },
      Period: LAG_PERIOD_SECONDS,
      Stat: metric.stat,
    },
  };
}

/** One query's answer over every page: values, the last StatusCode and the messages. */
export interface Gathered {
  timestamps: Date[];
  values: number[];
  statusCode: string;
  messages: string[];
  calls: ApiCallRecord[];
}

/** Adds one page's result of a query to what its earlier pages answered (`into`, by query Id). */
export function gather(
  into: Map<string, Gathered>,
  result: MetricDataResult,
  call: ApiCallRecord,
  pageMessages: string[],
) {
  if (!result.Id) return;
  const g = into.get(result.Id) ?? {
    timestamps: [],
    values: [],
    statusCode: 'Complete',
    messages: [],
    calls: [],
  };
  g.timestamps.push(...(result.Timestamps ?? []));
  g.values.push(...(result.Values ?? []));
  // A page's PartialData is followed by the rest on the next page: the last page says how it ended.
  g.statusCode = result.StatusCode ?? g.statusCode;
  g.messages.push(
    ...(result.Messages ?? []).map(m => `${m.Code}: ${m.Value}`),
    ...pageMessages,
  );
  if (!g.calls.includes(call)) g.calls.push(call);
  into.set(result.Id, g);
}

/** The 99th percentile (nearest rank) of values. */
export function percentile99(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  // A typed array sorts numerically, without a comparator call per comparison.
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil(0.99 * sorted.length) - 1)];
}

const round = (minutes: number) => Math.round(minutes * 100) / 100;

/** A stream's facts from what GetMetricData answered for its queries. */
export function lagFacts(
  stream: LagStream,
  window: { start: Date; end: Date },
  latency: LagSeries | undefined,
  failed: LagSeries | undefined,
): ReplicationLagFacts {
  const toMinutes = stream.metric.unit === 'Seconds' ? 1 / 60 : 1 / 60_000;
  const hoursInWindow = Math.round(
    (window.end.getTime() - window.start.getTime()) / HOUR_MS,
  );
  const hourly: Array<number | null> = new Array(hoursInWindow).fill(null);
  const minutes: number[] = [];
  (latency?.values ?? []).forEach((value, i) => {
    const at = latency!.times[i] ?? NaN;
    const hour = Math.floor((at - window.start.getTime()) / HOUR_MS);
    if (!(hour >= 0 && hour < hoursInWindow)) return;
    const m = value * toMinutes;
    minutes.push(m);
    hourly[hour] = round(Math.max(hourly[hour] ?? 0, m));
  });
  const p99 = percentile99(minutes);
  const worst = [latency?.statusCode, failed?.statusCode].find(
    code => code && code !== 'Complete',
  );
  return {
    metric: stream.metric,
    destination: stream.destination,
    window: {
      start: window.start.toISOString(),
      end: window.end.toISOString(),
      periodSeconds: LAG_PERIOD_SECONDS,
    },
    statusCode: latency ? worst ?? 'Complete' : 'Missing',
    messages: [
      ...new Set([...(latency?.messages ?? []), ...(failed?.messages ?? [])]),
    ],
    datapoints: minutes.length,
    hoursWithData: hourly.filter(h => h !== null).length,
    hoursInWindow,
    ...(p99 !== undefined
      ? { p99Minutes: round(p99), maxMinutes: round(Math.max(...minutes)) }
      : {}),
    hourlyMaxMinutes: hourly,
    ...(stream.failedOperations
      ? { failedOperations: (failed?.values ?? []).reduce((a, b) => a + b, 0) }
      : {}),
  };
}

/** Reads every page of one GetMetricData call (<= 500 queries) into `into`. */
async function readCall(
  client: CloudWatchClient,
  target: CallTarget,
  queries: MetricDataQuery[],
  window: { start: Date; end: Date },
  into: Map<string, Gathered>,
) {
  const pages = recordedPages(target, 'GetMetricData', options =>
    paginateGetMetricData(
      { client },
      {
        MetricDataQueries: queries,
        StartTime: window.start,
        EndTime: window.end,
        ScanBy: 'TimestampAscending',
      },
      options,
    ),
  );
  for await (const { output, call } of pages) {
    const page: GetMetricDataOutput = output;
    const pageMessages = (page.Messages ?? []).map(
      m => `${m.Code}: ${m.Value}`,
    );
    for (const result of page.MetricDataResults ?? [])
      gather(into, result, call, pageMessages);
  }
}

/** Earlier scans' answers a scheduled scan builds on (ConfigCollector), and whether it may. */
export interface LagHistory {
  kept: KeptLag;
  /** A rescan reads every window in full. */
  fresh: boolean;
}

/** A query of the scan: its Id, what it measures, and from when it is read. */
interface LagQuery {
  query: MetricDataQuery;
  stream: LagStream;
  /** The kept answer's key: scope and metric. */
  key: string;
  readFrom: number;
}

const seriesOf = (g: Gathered | undefined): LagSeries | undefined =>
  g && { ...g, times: g.timestamps.map(t => t.getTime()) };

/**
 * The measured replication lag of one account x region's replicated resources: their streams
 * go into as few GetMetricData calls as AWS allows (500 queries each; results paged through
 * NextToken), over the last 7 days of the scan's clock. With `history` (a scheduled scan of the
 * Config source) a stream read before is read only since then (KeptLag). A failed call leaves
 * its resources with an error (the lag is unknown) and is rethrown for the scope's gap.
 */
export async function measureReplicationLag(
  client: CloudWatchClient,
  target: CallTarget,
  resources: CollectedResource[],
  history?: LagHistory,
): Promise<void> {
  const streams = resources.flatMap(lagStreamsOf);
  if (streams.length === 0) return;
  const now = target.now();
  const window = lagWindow(now);
  const scope = `${target.accountId}/${target.region}`;
  const queries: LagQuery[] = [];
  const add = (id: string, metric: LagMetric, stream: LagStream) => {
    const key = `${scope} ${JSON.stringify(metric)}`;
    queries.push({
      query: queryOf(id, metric),
      stream,
      key,
      readFrom: history
        ? history.kept.startOf(key, window, { now, fresh: history.fresh })
        : window.start.getTime(),
    });
  };
  streams.forEach((stream, i) => {
    add(`lag${i}`, stream.metric, stream);
    if (stream.failedOperations)
      add(`failed${i}`, stream.failedOperations, stream);
  });
  for (const resource of new Set(streams.map(s => s.resource)))
    resource.measuredLag = { streams: [] };
  const gathered = new Map<string, Gathered>();
  let failure: unknown;
  // One StartTime per call: the queries read from the same time go together, 500 a call.
  const chunks: LagQuery[][] = [];
  for (const group of groupBy(queries, q => q.readFrom).values())
    for (let i = 0; i < group.length; i += MAX_QUERIES_PER_CALL)
      chunks.push(group.slice(i, i + MAX_QUERIES_PER_CALL));
  const failedKeys = new Set<string>();
  // The calls side by side (the scan's limiter bounds them); each one's pages in NextToken order.
  await Promise.all(
    chunks.map(async chunk => {
      try {
        await readCall(
          client,
          target,
          chunk.map(q => q.query),
          { start: new Date(chunk[0].readFrom), end: window.end },
          gathered,
        );
      } catch (error) {
        failure = error;
        const { code, message, call } = failureOf(error);
        for (const { stream, key } of chunk) {
          failedKeys.add(key);
          stream.resource.measuredLag = {
            streams: [],
            error: `cloudwatch:GetMetricData failed: ${code}: ${message}`,
          };
          if (call && !stream.resource.calls.includes(call))
            stream.resource.calls.push(call);
        }
      }
    }),
  );
  const reusedCalls = new Map<ApiCallRecord, ApiCallRecord>();
  const answers = new Map<string, LagSeries | undefined>();
  for (const q of queries) {
    const read = seriesOf(gathered.get(q.query.Id!));
    const answer = history
      ? history.kept.merge(q.key, window, q.readFrom, read, reusedCalls)
      : read;
    answers.set(q.query.Id!, answer);
    history?.kept.keep(
      q.key,
      window,
      failedKeys.has(q.key) ? undefined : answer,
      {
        now,
        readInFull: q.readFrom <= window.start.getTime(),
      },
    );
  }
  streams.forEach((stream, i) => {
    const lag = stream.resource.measuredLag;
    if (!lag || lag.error) return;
    const latency = answers.get(`lag${i}`);
    const failed = answers.get(`failed${i}`);
    lag.streams.push(lagFacts(stream, window, latency, failed));
    for (const call of [...(latency?.calls ?? []), ...(failed?.calls ?? [])])
      if (!stream.resource.calls.includes(call))
        stream.resource.calls.push(call);
  });
  if (failure) throw failure;
}
