import type {
  CollectedResource,
  ReplicationLagFacts,
} from '@internal/dr-readiness-common';
import { formatMinutes, listNames } from './support';
import type { CheckContext, ResourceControl, Verdict } from './types';

/*
 * Measured RPO: the replication lag CloudWatch recorded over the last 7 days (GetMetricData),
 * against the tier's RPO. Only a measured series passes: no datapoints, a partial window, or a
 * query CloudWatch refused is `error` (the lag is unknown), never `pass`.
 */

/** Share of the window's hours that must hold a datapoint for the series to cover the window. */
export const LAG_COVERAGE = 0.95;

/** The replication streams that measure a primary: its own, or (Aurora) its global database's secondaries'. */
function streamsOf(
  resource: CollectedResource,
  ctx: CheckContext,
): { streams: ReplicationLagFacts[]; errors: string[]; replicates: boolean } {
  const facts = resource.facts;
  if (facts?.kind === 'rds:cluster') {
    // AuroraGlobalDBReplicationLag is published by the secondary clusters, in their regions.
    const global = facts.globalCluster;
    const secondaries = ctx.facts.resources.filter(
      r =>
        r !== resource &&
        r.facts?.kind === 'rds:cluster' &&
        global &&
        r.facts.globalCluster?.identifier === global.identifier,
    );
    return {
      streams: secondaries.flatMap(r => r.measuredLag?.streams ?? []),
      errors: secondaries.flatMap(r =>
        r.measuredLag?.error ? [r.measuredLag.error] : [],
      ),
      replicates: Boolean(global && global.memberRegions.length > 1),
    };
  }
  const replicates =
    (facts?.kind === 'dynamodb:table' && facts.replicaRegions.length > 0) ||
    (facts?.kind === 's3:bucket' &&
      facts.replicationRules.some(rule => rule.status === 'Enabled'));
  return {
    streams: resource.measuredLag?.streams ?? [],
    errors: resource.measuredLag?.error ? [resource.measuredLag.error] : [],
    replicates,
  };
}

const metricName = (s: ReplicationLagFacts) =>
  `${s.metric.namespace} ${s.metric.metricName} to ${s.destination}`;

/** Why a stream cannot be judged, or undefined when its series covers the window. */
function unreadable(s: ReplicationLagFacts): string | undefined {
  const messages = s.messages.length > 0 ? ` (${s.messages.join('; ')})` : '';
  if (s.statusCode === 'Forbidden' || s.statusCode === 'InternalError')
    return `CloudWatch answered ${s.statusCode} for ${metricName(
      s,
    )}${messages}`;
  if (s.statusCode === 'Missing')
    return `GetMetricData returned no result for ${metricName(s)}`;
  if (s.datapoints === 0)
    return `no datapoints for ${metricName(
      s,
    )} in 7 days: the metric is not published${
      s.metric.namespace === 'AWS/S3'
        ? ' (S3 needs replication metrics or Replication Time Control on the rule)'
        : ''
    }`;
  if (s.statusCode === 'PartialData')
    return `partial data for ${metricName(s)}${messages}`;
  if (s.hoursWithData < LAG_COVERAGE * s.hoursInWindow)
    return `${metricName(s)} has datapoints in only ${s.hoursWithData} of ${
      s.hoursInWindow
    } hours`;
  return undefined;
}

const lagText = (s: ReplicationLagFacts, rpo: number) =>
  `p99 ${formatMinutes(s.p99Minutes ?? 0)} (max ${formatMinutes(
    s.maxMinutes ?? 0,
  )}) vs RPO ${formatMinutes(rpo)} to ${s.destination}, ${
    s.datapoints
  } datapoints`;

/** The verdict over a primary's streams: any over the RPO fails; any unreadable is an error. */
export function lagVerdict(
  resource: CollectedResource,
  ctx: CheckContext,
): Verdict {
  const rpo = ctx.tier.rpoMinutes;
  const { streams, errors, replicates } = streamsOf(resource, ctx);
  const used = {
    rpoMinutes: rpo,
    replicationLag: streams.map(s => ({ ...s })),
    ...(errors.length > 0 ? { lagErrors: errors } : {}),
  };
  if (errors.length > 0)
    return { status: 'error', detail: errors.join('; '), used };
  if (streams.length === 0) {
    return replicates
      ? {
          status: 'error',
          detail:
            resource.facts?.kind === 'rds:cluster'
              ? 'no replication lag measured: no secondary cluster of its global database was scanned'
              : 'no replication lag measured (CloudWatch was not read)',
          used,
        }
      : {
          status: 'not_applicable',
          detail:
            'does not replicate to another region: nothing to measure (the replication controls judge that)',
          used,
        };
  }
  const over = streams.filter(s => (s.p99Minutes ?? 0) > rpo);
  const failedOps = streams.filter(s => (s.failedOperations ?? 0) > 0);
  if (over.length > 0 || failedOps.length > 0) {
    const parts = [
      ...over.map(s => lagText(s, rpo)),
      ...failedOps.map(
        s =>
          `${s.failedOperations} failed replication operations to ${s.destination}`,
      ),
    ];
    return {
      status: 'fail',
      detail: parts.join('; '),
      note:
        over.length > 0
          ? `p99 ${formatMinutes(over[0].p99Minutes ?? 0)}`
          : 'failed replication',
      cause: over.length > 0 ? 'lag' : 'failed-operations',
      used,
    };
  }
  const problems = streams.map(unreadable).filter(Boolean);
  if (problems.length > 0)
    return { status: 'error', detail: problems.join('; '), used };
  return {
    status: 'pass',
    detail: streams.map(s => lagText(s, rpo)).join('; '),
    used,
  };
}

/** Replication measured in CloudWatch: Aurora global databases, DynamoDB global tables, S3 replication. */
export const REPLICATION_CONTROLS: ResourceControl[] = [
  {
    kind: 'resource',
    id: 'replication-lag-within-rpo',
    title: "Measured RPO: replication lag within the tier's RPO",
    description:
      "The p99 replication lag CloudWatch measured over the last 7 days (5-minute periods) is within the tier's RPO for every replicated primary: Aurora global databases (AuroraGlobalDBReplicationLag of the secondaries), DynamoDB global tables (ReplicationLatency per receiving region) and S3 replication rules (ReplicationLatency, with no OperationsFailedReplication). No datapoints, partial data or a refused query is an error, never a pass.",
    area: 'Replication',
    references: [
      'CloudWatch GetMetricData: AWS/RDS AuroraGlobalDBReplicationLag, AWS/DynamoDB ReplicationLatency, AWS/S3 ReplicationLatency and OperationsFailedReplication',
    ],
    evidence: ['rpoMinutes', 'replicationLag'],
    basis: {
      calls: [
        'rds:DescribeDBClusters',
        'rds:DescribeGlobalClusters',
        'dynamodb:DescribeTable',
        's3:GetBucketReplication',
        'cloudwatch:GetMetricData',
      ],
      proves:
        "over the last 7 days (5-minute periods, at least 95 % of hours with data) the p99 replication lag CloudWatch recorded for each replicated primary stayed within the tier's RPO, and S3 recorded no failed replication operation; the hourly maxima are kept as evidence.",
      cannotProve:
        'the lag at the moment a region fails (a measurement is history, not a guarantee), data written but never replicated because the writer failed first, or lag of a store CloudWatch does not publish (no datapoints is unknown, never a pass).',
    },
    types: ['rds:cluster', 'dynamodb:table', 's3:bucket'],
    covers: 'primary',
    usesDescribe: true,
    usesMetrics: true,
    noun: ['replicated data store', 'replicated data stores'],
    fails: [
      "replicates slower than the tier's RPO",
      "replicate slower than the tier's RPO",
    ],
    passes: [
      "replicates within the tier's RPO",
      "replicate within the tier's RPO",
    ],
    requirement: tier => ({ rpoMinutes: tier.rpoMinutes }),
    verdict: lagVerdict,
    fix: failing => {
      const slow = failing.filter(o => o.cause === 'lag');
      const failedOps = failing.filter(o => o.cause === 'failed-operations');
      const parts: string[] = [];
      if (slow.length > 0)
        parts.push(
          `Find what holds replication of ${listNames(
            slow.map(o => o.name),
          )} back (write bursts, replica capacity: aws_rds_cluster_instance class in the secondary, aws_dynamodb_table replica capacity) or move the service to a tier whose RPO it meets`,
        );
      if (failedOps.length > 0)
        parts.push(
          `Fix the failing S3 replication of ${listNames(
            failedOps.map(o => o.name),
          )} (the aws_s3_bucket_replication_configuration role's permissions and the destination's KMS key) and re-replicate with S3 Batch Replication`,
        );
      return `${parts.join('. ')}.`;
    },
  },
];
