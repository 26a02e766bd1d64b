import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricDataCommandOutput,
  MetricDataQuery,
  paginateGetMetricData,
  ValidationException,
} from '@aws-sdk/client-cloudwatch';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import {
  PRIMARY,
  PROD,
  RECOVERY,
  assumedConfig,
  gapOf,
  resetFaults,
} from './__testUtils__/clients';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const END = NOW;
const START = new Date(NOW.getTime() - 7 * 86_400_000);

const query = (
  id: string,
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  stat = 'Maximum',
): MetricDataQuery => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: namespace,
      MetricName: metricName,
      Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({
        Name,
        Value,
      })),
    },
    Period: 300,
    Stat: stat,
  },
});

describe('CloudWatch GetMetricData on the loopback endpoint', () => {
  let aws: AwsLocal;
  let cw: CloudWatchClient;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25', now: () => NOW });
    cw = new CloudWatchClient(await assumedConfig(aws, PROD, PRIMARY));
  });
  afterAll(() => aws.close());
  beforeEach(() => resetFaults(aws));

  const tableQuery = (id: string, table: string) =>
    query(id, 'AWS/DynamoDB', 'ReplicationLatency', {
      TableName: table,
      ReceivingRegion: RECOVERY,
    });

  it('answers the real SDK client with 7 days of 5-minute values, the same on every read', async () => {
    const healthy = aws.estate.dr
      .scope(PROD, PRIMARY)
      .tables.find(
        t =>
          t.replicaRegions.includes(RECOVERY) &&
          !aws.estate.dr.lagGaps.has(t.arn),
      )!;
    const send = () =>
      cw.send(
        new GetMetricDataCommand({
          MetricDataQueries: [tableQuery('healthy', healthy.name)],
          StartTime: START,
          EndTime: END,
        }),
      );
    const first = await send();
    const [result] = first.MetricDataResults!;
    expect(result.Id).toBe('healthy');
    expect(result.StatusCode).toBe('Complete');
    expect(result.Values).toHaveLength(2016);
    expect(result.Timestamps![0]).toBeInstanceOf(Date);
    // Newest first, as AWS scans by default.
    expect(result.Timestamps![0].getTime()).toBe(END.getTime() - 300_000);
    expect(Math.max(...result.Values!)).toBeLessThan(60_000);
    expect((await send()).MetricDataResults![0].Values).toEqual(result.Values);
  });

  it('shows the seeded gaps: a table lagging over the tier-1 RPO, a bucket with no datapoints', async () => {
    const slow = gapOf(aws, 'replication-lag-over-rpo');
    const missing = gapOf(aws, 'replication-metrics-missing');
    const slowTable = slow.resourceArn.split('/').pop()!;
    const bucket = aws.estate.dr.buckets.get(
      missing.resourceArn.replace('arn:aws:s3:::', ''),
    )!;
    const rule = bucket.replication!.rules[0];
    const out = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          tableQuery('slow', slowTable),
          query('missing', 'AWS/S3', 'ReplicationLatency', {
            SourceBucket: bucket.name,
            DestinationBucket: rule.destinationBucketArn.replace(
              'arn:aws:s3:::',
              '',
            ),
            RuleId: rule.id,
          }),
        ],
        StartTime: START,
        EndTime: END,
      }),
    );
    const [lagging, none] = out.MetricDataResults!;
    expect(Math.min(...lagging.Values!)).toBeGreaterThan(15 * 60_000);
    expect(none).toMatchObject({ Id: 'missing', StatusCode: 'Complete' });
    expect(none.Values).toEqual([]);
  });

  it('pages by MaxDatapoints with NextToken, PartialData until a series is complete', async () => {
    const tables = aws.estate.dr
      .scope(PROD, PRIMARY)
      .tables.filter(t => t.replicaRegions.includes(RECOVERY))
      .slice(0, 2);
    const pages: GetMetricDataCommandOutput[] = [];
    for await (const page of paginateGetMetricData(
      { client: cw, pageSize: 1500 },
      {
        MetricDataQueries: tables.map((t, i) => tableQuery(`t${i}`, t.name)),
        StartTime: START,
        EndTime: END,
        ScanBy: 'TimestampAscending',
      },
    ))
      pages.push(page);
    expect(pages).toHaveLength(3);
    expect(pages[0].MetricDataResults!.map(r => r.StatusCode)).toEqual([
      'PartialData',
    ]);
    const values = (id: string) =>
      pages.flatMap(
        p => p.MetricDataResults!.find(r => r.Id === id)?.Timestamps ?? [],
      );
    expect(values('t0')).toHaveLength(2016);
    expect(values('t1')).toHaveLength(2016);
    expect(values('t0')[0].getTime()).toBe(START.getTime());
  });

  it.each([
    [
      'more than 500 queries',
      Array.from({ length: 501 }, (_, i) => tableQuery(`q${i}`, 'x')),
      START,
      END,
      'must not have a size greater than 500',
    ],
    [
      'StartTime not before EndTime',
      [tableQuery('q', 'x')],
      END,
      END,
      'StartTime must be less than',
    ],
    [
      'an Id AWS rejects',
      [tableQuery('Bad-Id', 'x')],
      START,
      END,
      'Id is invalid',
    ],
    [
      'duplicate Ids',
      [tableQuery('q', 'x'), tableQuery('q', 'y')],
      START,
      END,
      'not unique',
    ],
  ])(
    'rejects %s with ValidationError',
    async (_case, queries, start, end, message) => {
      const error = await cw
        .send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: start,
            EndTime: end,
          }),
        )
        .catch(e => e);
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.message).toContain(message);
      expect(error.$metadata.httpStatusCode).toBe(400);
    },
  );

  it('has no datapoints for a stream the estate does not hold', async () => {
    const out = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [tableQuery('nothing', 'no-such-table')],
        StartTime: START,
        EndTime: END,
      }),
    );
    expect(out.MetricDataResults).toEqual([
      expect.objectContaining({
        Id: 'nothing',
        StatusCode: 'Complete',
        Values: [],
      }),
    ]);
  });
});
