import type { DrPosture } from './dr';
import { hashString, unitFloat } from './random';

/**
 * The replication lag CloudWatch holds for the demo estate's replicated stores, deterministic
 * from the seed and the period's time: Aurora global database secondaries publish
 * AuroraGlobalDBReplicationLag (ms), DynamoDB global tables ReplicationLatency per receiving
 * region (ms), S3 replication rules ReplicationLatency (s) and OperationsFailedReplication.
 * Healthy streams stay far within a minute; a `replication-lag-over-rpo` store lags 25-35
 * minutes; a `replication-metrics-missing` store publishes nothing (as S3 without replication
 * metrics or RTC).
 */

/** One metric stream as GetMetricData names it. */
export interface MetricIdentity {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

/** A stream's value per period start (epoch ms), or undefined when CloudWatch has no such stream. */
export type LagSeries = (periodStart: number) => number;

const MINUTE_MS = 60_000;

/** Healthy lag ranges in the metric's unit, and the over-RPO range (25-35 minutes). */
const RANGES: Record<string, { low: number; high: number; slow: number }> = {
  'AWS/RDS AuroraGlobalDBReplicationLag': {
    low: 150,
    high: 900,
    slow: MINUTE_MS,
  },
  'AWS/DynamoDB ReplicationLatency': { low: 400, high: 2500, slow: MINUTE_MS },
  'AWS/S3 ReplicationLatency': { low: 4, high: 40, slow: 60 },
};

/** The primary store a stream measures (its lag gap is looked up by the primary's ARN), if it exists. */
function primaryOf(
  dr: DrPosture,
  accountId: string,
  region: string,
  metric: MetricIdentity,
): string | undefined {
  const d = metric.dimensions;
  const scope = dr.scope(accountId, region);
  const key = `${metric.namespace} ${metric.metricName}`;
  if (key === 'AWS/RDS AuroraGlobalDBReplicationLag') {
    const cluster = scope.clusters.find(
      c => c.identifier === d.DBClusterIdentifier,
    );
    if (!cluster?.globalClusterIdentifier) return undefined;
    const global = (dr.globalClusters.get(accountId) ?? []).find(
      g => g.identifier === cluster.globalClusterIdentifier,
    );
    const writer = global?.members.find(m => m.isWriter);
    // Only secondaries publish the lag: the writer has nothing to catch up with.
    if (!writer || writer.arn === cluster.arn) return undefined;
    return writer.arn;
  }
  if (key === 'AWS/DynamoDB ReplicationLatency') {
    const table = scope.tables.find(t => t.name === d.TableName);
    if (!table || !table.replicaRegions.includes(d.ReceivingRegion))
      return undefined;
    return table.arn;
  }
  if (
    metric.namespace === 'AWS/S3' &&
    (metric.metricName === 'ReplicationLatency' ||
      metric.metricName === 'OperationsFailedReplication')
  ) {
    const bucket = dr.buckets.get(d.SourceBucket);
    const rule = bucket?.replication?.rules.find(
      r =>
        r.id === d.RuleId &&
        r.destinationBucketArn === `arn:aws:s3:::${d.DestinationBucket}`,
    );
    if (!bucket || !rule || bucket.region !== region) return undefined;
    return bucket.arn;
  }
  return undefined;
}

/** The stream's series, or undefined when CloudWatch holds no datapoints for it. */
export function lagSeries(
  dr: DrPosture,
  seedName: string,
  accountId: string,
  region: string,
  metric: MetricIdentity,
): LagSeries | undefined {
  const primary = primaryOf(dr, accountId, region, metric);
  if (!primary) return undefined;
  const gap = dr.lagGaps.get(primary);
  if (gap === 'replication-metrics-missing') return undefined;
  if (metric.metricName === 'OperationsFailedReplication') return () => 0;
  const range = RANGES[`${metric.namespace} ${metric.metricName}`];
  const key = hashString(
    `${seedName}:lag:${accountId}:${region}:${JSON.stringify(metric)}`,
  );
  if (gap === 'replication-lag-over-rpo')
    return at =>
      Math.round(range.slow * (25 + 10 * unitFloat(key, at / MINUTE_MS)));
  return at =>
    Math.round(
      range.low + (range.high - range.low) * unitFloat(key, at / MINUTE_MS),
    );
}
