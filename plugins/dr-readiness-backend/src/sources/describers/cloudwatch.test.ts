import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricDataInput,
  GetMetricDataOutput,
} from '@aws-sdk/client-cloudwatch';
import type {
  CollectedResource,
  ResourceFacts,
} from '@internal/dr-readiness-common';
import { CallCounter, CallTarget, Limiter } from '../calls';
import { lagWindow, measureReplicationLag, percentile99 } from './cloudwatch';

const NOW = new Date('2026-11-25T12:03:10.000Z');
const ACCOUNT = '318402765190';
const REGION = 'eu-west-2';

function target(counter = new CallCounter()): CallTarget {
  return {
    service: 'cloudwatch',
    accountId: ACCOUNT,
    region: REGION,
    limiter: new Limiter(4),
    counter,
    now: () => NOW,
  };
}

function resource(arn: string, facts: ResourceFacts): CollectedResource {
  return {
    arn,
    resourceType: facts.kind,
    accountId: ACCOUNT,
    region: REGION,
    tags: { service: 'wallet-api' },
    facts,
    calls: [],
  };
}

const table = (name: string, replicaRegions = ['eu-west-1']) =>
  resource(`arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`, {
    kind: 'dynamodb:table',
    tableName: name,
    pointInTimeRecovery: true,
    replicaRegions,
  });

const bucket = (name: string) =>
  resource(`arn:aws:s3:::${name}`, {
    kind: 's3:bucket',
    bucket: name,
    versioning: 'Enabled',
    replicationRules: [
      {
        id: 'to-dr',
        status: 'Enabled',
        destinationBucketArn: `arn:aws:s3:::${name}-dr`,
      },
    ],
  });

const aurora = (identifier: string) =>
  resource(`arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${identifier}`, {
    kind: 'rds:cluster',
    identifier,
    engine: 'aurora-postgresql',
    multiAz: true,
    availabilityZones: [],
    backupRetentionDays: 14,
    deletionProtection: true,
    storageEncrypted: true,
    globalCluster: { identifier: 'g', memberRegions: [REGION, 'eu-west-1'] },
    replicaRegions: [],
  });

type Answer = (
  input: GetMetricDataInput,
  page: number,
) => Omit<GetMetricDataOutput, '$metadata'>;

/** A real CloudWatchClient whose `send` answers from `answer` and records each request. */
function fakeClient(answer: Answer) {
  const client = new CloudWatchClient({ region: REGION });
  const requests: GetMetricDataInput[] = [];
  client.send = (async (command: GetMetricDataCommand) => {
    requests.push(command.input);
    return {
      ...answer(command.input, requests.length),
      $metadata: { requestId: `req-${requests.length}`, attempts: 1 },
    };
  }) as unknown as CloudWatchClient['send'];
  return { client, requests };
}

const { start } = lagWindow(NOW);
/** A datapoint `minutes` after the window's start. */
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

/** One datapoint every 5 minutes over the whole window, of `value` (the metric's unit). */
function fullSeries(value: (i: number) => number) {
  const timestamps: Date[] = [];
  const values: number[] = [];
  for (let i = 0; i < 7 * 24 * 12; i++) {
    timestamps.push(at(i * 5));
    values.push(value(i));
  }
  return { Timestamps: timestamps, Values: values };
}

describe('measureReplicationLag', () => {
  it('asks for 7 days of the clock in calls of at most 500 queries, one stream per replica', async () => {
    const tables = Array.from({ length: 1200 }, (_, i) => table(`t${i}`));
    const counter = new CallCounter();
    const series = fullSeries(() => 1000);
    const { client, requests } = fakeClient(input => ({
      MetricDataResults: input.MetricDataQueries!.map(q => ({
        Id: q.Id,
        StatusCode: 'Complete',
        ...series,
      })),
    }));
    await measureReplicationLag(client, target(counter), tables);
    expect(requests.map(r => r.MetricDataQueries!.length)).toEqual([
      500, 500, 200,
    ]);
    expect(counter.calls).toEqual({ 'cloudwatch:GetMetricData': 3 });
    expect(requests[0].EndTime).toEqual(new Date('2026-11-25T12:00:00.000Z'));
    expect(requests[0].StartTime).toEqual(new Date('2026-11-18T12:00:00.000Z'));
    expect(requests[0].MetricDataQueries![0]).toEqual({
      Id: 'lag0',
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/DynamoDB',
          MetricName: 'ReplicationLatency',
          Dimensions: [
            { Name: 'TableName', Value: 't0' },
            { Name: 'ReceivingRegion', Value: 'eu-west-1' },
          ],
        },
        Period: 300,
        Stat: 'Maximum',
      },
    });
    const ids = requests.flatMap(r => r.MetricDataQueries!.map(q => q.Id));
    expect(new Set(ids).size).toBe(1200);
    expect(tables[1199].measuredLag?.streams[0]).toMatchObject({
      destination: 'eu-west-1',
      statusCode: 'Complete',
      datapoints: 2016,
      hoursWithData: 168,
      hoursInWindow: 168,
      p99Minutes: 0.02,
    });
    expect(tables[1199].calls[0]).toMatchObject({
      service: 'cloudwatch',
      operation: 'GetMetricData',
      requestId: 'req-3',
    });
  });

  it('joins NextToken pages: PartialData on one page is completed by the next', async () => {
    const series = fullSeries(i => (i === 100 ? 30 * 60_000 : 60_000));
    const half = 1008;
    const { client, requests } = fakeClient((_input, page) =>
      page === 1
        ? {
            NextToken: 'next',
            MetricDataResults: [
              {
                Id: 'lag0',
                StatusCode: 'PartialData',
                Timestamps: series.Timestamps.slice(0, half),
                Values: series.Values.slice(0, half),
              },
            ],
          }
        : {
            MetricDataResults: [
              {
                Id: 'lag0',
                StatusCode: 'Complete',
                Timestamps: series.Timestamps.slice(half),
                Values: series.Values.slice(half),
              },
            ],
          },
    );
    const ledger = table('ledger');
    await measureReplicationLag(client, target(), [ledger]);
    expect(requests[1].NextToken).toBe('next');
    const stream = ledger.measuredLag!.streams[0];
    expect(stream).toMatchObject({
      statusCode: 'Complete',
      datapoints: 2016,
      p99Minutes: 1,
      maxMinutes: 30,
    });
    // The evidence is bounded: hourly maxima, not the 2,016 values.
    expect(stream.hourlyMaxMinutes).toHaveLength(168);
    expect(stream.hourlyMaxMinutes[8]).toBe(30);
    expect(stream.hourlyMaxMinutes[9]).toBe(1);
  });

  it('keeps each result its own status and messages: no datapoints, Forbidden, PartialData', async () => {
    const { client } = fakeClient(input => {
      const [a, b, c] = input.MetricDataQueries!.map(q => q.Id);
      return {
        Messages: [{ Code: 'MaxQueryTimeRangeExceed', Value: 'shortened' }],
        MetricDataResults: [
          { Id: a, StatusCode: 'Complete', Timestamps: [], Values: [] },
          {
            Id: b,
            StatusCode: 'Forbidden',
            Messages: [{ Code: 'Forbidden', Value: 'no access' }],
          },
          {
            Id: c,
            StatusCode: 'PartialData',
            Timestamps: [at(5)],
            Values: [2000],
          },
        ],
      };
    });
    const quiet = table('quiet');
    const denied = table('denied');
    const partial = table('partial');
    await measureReplicationLag(client, target(), [quiet, denied, partial]);
    expect(quiet.measuredLag!.streams[0]).toMatchObject({
      statusCode: 'Complete',
      datapoints: 0,
      hoursWithData: 0,
      messages: ['MaxQueryTimeRangeExceed: shortened'],
    });
    expect(quiet.measuredLag!.streams[0].p99Minutes).toBeUndefined();
    expect(denied.measuredLag!.streams[0]).toMatchObject({
      statusCode: 'Forbidden',
      messages: ['Forbidden: no access', 'MaxQueryTimeRangeExceed: shortened'],
    });
    expect(partial.measuredLag!.streams[0]).toMatchObject({
      statusCode: 'PartialData',
      datapoints: 1,
      hoursWithData: 1,
    });
  });

  it('reads S3 latency in seconds with the failed operations beside it, and Aurora global members as p99', async () => {
    const { client, requests } = fakeClient(input => ({
      MetricDataResults: input.MetricDataQueries!.map(q => ({
        Id: q.Id,
        StatusCode: 'Complete',
        ...(q.Id!.startsWith('failed')
          ? { Timestamps: [at(10), at(20)], Values: [2, 3] }
          : fullSeries(() => 120)),
      })),
    }));
    const files = bucket('files');
    const ledger = aurora('ledger');
    await measureReplicationLag(client, target(), [files, ledger]);
    const queries = requests[0].MetricDataQueries!;
    expect(queries.map(q => [q.Id, q.MetricStat!.Stat])).toEqual([
      ['lag0', 'Maximum'],
      ['failed0', 'Sum'],
      ['lag1', 'p99'],
    ]);
    expect(queries[0].MetricStat!.Metric!.Dimensions).toEqual([
      { Name: 'SourceBucket', Value: 'files' },
      { Name: 'DestinationBucket', Value: 'files-dr' },
      { Name: 'RuleId', Value: 'to-dr' },
    ]);
    expect(files.measuredLag!.streams[0]).toMatchObject({
      destination: 'files-dr',
      p99Minutes: 2,
      failedOperations: 5,
    });
    expect(ledger.measuredLag!.streams[0]).toMatchObject({
      metric: {
        namespace: 'AWS/RDS',
        metricName: 'AuroraGlobalDBReplicationLag',
        dimensions: { DBClusterIdentifier: 'ledger' },
      },
      p99Minutes: 0,
    });
  });

  it('a failed call leaves its resources with an error, never an empty pass, and is rethrown for the gap', async () => {
    const client = new CloudWatchClient({ region: REGION });
    client.send = (async () => {
      throw Object.assign(new Error('not authorized'), {
        name: 'AccessDenied',
        $metadata: { requestId: 'req-denied', attempts: 1 },
      });
    }) as unknown as CloudWatchClient['send'];
    const ledger = table('ledger');
    await expect(
      measureReplicationLag(client, target(), [ledger]),
    ).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(ledger.measuredLag).toEqual({
      streams: [],
      error: 'cloudwatch:GetMetricData failed: AccessDenied: not authorized',
    });
    expect(ledger.calls[0]).toMatchObject({ requestId: 'req-denied' });
  });

  it('makes no call for resources that replicate nowhere', async () => {
    const { client, requests } = fakeClient(() => ({}));
    const single = table('single', []);
    await measureReplicationLag(client, target(), [single]);
    expect(requests).toHaveLength(0);
    expect(single.measuredLag).toBeUndefined();
  });
});

describe('percentile99', () => {
  it('is the nearest-rank 99th percentile', () => {
    const values = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(percentile99(values)).toBe(198);
    expect(percentile99([5])).toBe(5);
    expect(percentile99([])).toBeUndefined();
  });
});
