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
  STAGING,
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
  period = 300,
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
    Period: period,
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

  describe("Route 53's health-check metrics", () => {
    const TEN_MINUTES_AGO = new Date(NOW.getTime() - 10 * 60_000);
    const healthQueries = (id: string, healthCheckId: string) => {
      const dimensions = { HealthCheckId: healthCheckId };
      return [
        query(
          `status${id}`,
          'AWS/Route53',
          'HealthCheckStatus',
          dimensions,
          'Minimum',
          60,
        ),
        query(
          `healthy${id}`,
          'AWS/Route53',
          'HealthCheckPercentageHealthy',
          dimensions,
          'Average',
          60,
        ),
      ];
    };
    const checks = () => aws.estate.dr.healthChecks.get(PROD)!;
    let usEast1: CloudWatchClient;
    beforeAll(async () => {
      usEast1 = new CloudWatchClient(
        await assumedConfig(aws, PROD, 'us-east-1'),
      );
    });

    it('answers HealthCheckStatus and HealthCheckPercentageHealthy per minute in us-east-1: 1 and a healthy share, 0 and 0 % for a failing endpoint', async () => {
      const [healthy, failing] = checks().filter(
        c => !c.disabled && !c.inverted,
      );
      failing.failing = true;
      try {
        const out = await usEast1.send(
          new GetMetricDataCommand({
            MetricDataQueries: [
              ...healthQueries('0', healthy.id),
              ...healthQueries('1', failing.id),
            ],
            StartTime: TEN_MINUTES_AGO,
            EndTime: NOW,
            ScanBy: 'TimestampDescending',
          }),
        );
        const byId = new Map(out.MetricDataResults!.map(r => [r.Id, r]));
        const status0 = byId.get('status0')!;
        expect(status0.StatusCode).toBe('Complete');
        // The 10 minutes before the clock, newest first.
        expect(status0.Timestamps!.map(t => t.toISOString())).toEqual(
          Array.from({ length: 10 }, (_, i) =>
            new Date(NOW.getTime() - (i + 1) * 60_000).toISOString(),
          ),
        );
        expect(new Set(status0.Values)).toEqual(new Set([1]));
        const share = byId.get('healthy0')!.Values!;
        expect(share).toHaveLength(10);
        // Route 53 considers an endpoint healthy above 18 % of its checkers.
        for (const value of share) {
          expect(value).toBeGreaterThanOrEqual(18.1);
          expect(value).toBeLessThanOrEqual(100);
        }
        expect(new Set(byId.get('status1')!.Values)).toEqual(new Set([0]));
        expect(new Set(byId.get('healthy1')!.Values)).toEqual(new Set([0]));
      } finally {
        failing.failing = undefined;
      }
    });

    it('has no datapoints outside us-east-1, for an unknown health check id or for another dimension set: Complete and empty, as AWS', async () => {
      const [check] = checks();
      const elsewhere = await cw.send(
        new GetMetricDataCommand({
          MetricDataQueries: healthQueries('0', check.id),
          StartTime: TEN_MINUTES_AGO,
          EndTime: NOW,
        }),
      );
      const unknown = await usEast1.send(
        new GetMetricDataCommand({
          MetricDataQueries: [
            ...healthQueries('0', '00000000-0000-0000-0000-000000000000'),
            query('other', 'AWS/Route53', 'HealthCheckStatus', {
              HealthCheckId: check.id,
              Region: 'us-east-1',
            }),
          ],
          StartTime: TEN_MINUTES_AGO,
          EndTime: NOW,
        }),
      );
      for (const result of [
        ...elsewhere.MetricDataResults!,
        ...unknown.MetricDataResults!,
      ])
        expect(result).toMatchObject({ StatusCode: 'Complete', Values: [] });
      expect(elsewhere.MetricDataResults).toHaveLength(2);
      expect(unknown.MetricDataResults).toHaveLength(3);
    });

    it('publishes a disabled check as healthy, and inverts the verdict of an inverted one', async () => {
      const disabled = checks().find(c => c.disabled)!;
      const inverted = checks().find(c => c.inverted)!;
      const out = await usEast1.send(
        new GetMetricDataCommand({
          MetricDataQueries: [
            ...healthQueries('0', disabled.id),
            ...healthQueries('1', inverted.id),
          ],
          StartTime: TEN_MINUTES_AGO,
          EndTime: NOW,
        }),
      );
      const newest = (id: string) =>
        out.MetricDataResults!.find(r => r.Id === id)!.Values![0];
      expect(newest('status0')).toBe(1);
      // The endpoint is up: an inverted check reports it unhealthy; its checkers still see it up.
      expect(newest('status1')).toBe(0);
      expect(newest('healthy1')).toBeGreaterThan(18);
    });

    it('has no datapoints for the first minutes of a check the estate knows was just created', async () => {
      const [fresh, newer] = checks().filter(c => !c.disabled && !c.inverted);
      fresh.created = new Date(NOW.getTime() - 60_000);
      newer.created = new Date(NOW.getTime() - 5 * 60_000);
      try {
        const out = await usEast1.send(
          new GetMetricDataCommand({
            MetricDataQueries: [
              ...healthQueries('0', fresh.id),
              ...healthQueries('1', newer.id),
            ],
            StartTime: TEN_MINUTES_AGO,
            EndTime: NOW,
          }),
        );
        const byId = new Map(out.MetricDataResults!.map(r => [r.Id, r]));
        expect(byId.get('status0')).toMatchObject({
          StatusCode: 'Complete',
          Values: [],
        });
        // Created 5 minutes ago: the periods from 3 minutes after creation on.
        expect(
          byId.get('status1')!.Timestamps!.map(t => t.toISOString()),
        ).toEqual([
          new Date(NOW.getTime() - 60_000).toISOString(),
          new Date(NOW.getTime() - 120_000).toISOString(),
        ]);
      } finally {
        fresh.created = undefined;
        newer.created = undefined;
      }
    });

    it("has no datapoints for another account's health check", async () => {
      const staging = new CloudWatchClient(
        await assumedConfig(aws, STAGING, 'us-east-1'),
      );
      const out = await staging.send(
        new GetMetricDataCommand({
          MetricDataQueries: healthQueries('0', checks()[0].id),
          StartTime: TEN_MINUTES_AGO,
          EndTime: NOW,
        }),
      );
      expect(out.MetricDataResults!.map(r => r.Values)).toEqual([[], []]);
    });

    it('answers 250 health checks (500 queries) in one call', async () => {
      const ids = Array.from({ length: 250 }, (_, i) =>
        i < checks().length ? checks()[i].id : `missing-${i}`,
      );
      const out = await usEast1.send(
        new GetMetricDataCommand({
          MetricDataQueries: ids.flatMap((id, i) => healthQueries(`${i}`, id)),
          StartTime: TEN_MINUTES_AGO,
          EndTime: NOW,
        }),
      );
      expect(out.MetricDataResults).toHaveLength(500);
      expect(out.NextToken).toBeUndefined();
      expect(aws.stats().operations['cloudwatch:GetMetricData']).toMatchObject({
        succeeded: 1,
      });
    });
  });

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
