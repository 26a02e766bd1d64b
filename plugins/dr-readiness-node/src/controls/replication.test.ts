import type {
  CollectedResource,
  ReplicationLagFacts,
} from '@internal/dr-readiness-common';
import {
  aurora,
  bucket,
  call,
  DAILY_TIER,
  PRIMARY,
  RECOVERY,
  service,
  table,
  undescribed,
} from '../__fixtures__/facts';
import {
  check,
  describeContract,
  type ContractCase,
} from '../__fixtures__/contract';

const HOURS = 168;

/** A stream CloudWatch measured over the whole 7-day window (one datapoint per 5 minutes). */
function stream(
  p99Minutes: number,
  overrides: Partial<ReplicationLagFacts> = {},
): ReplicationLagFacts {
  return {
    metric: {
      namespace: 'AWS/DynamoDB',
      metricName: 'ReplicationLatency',
      dimensions: { TableName: 'wallet-ledger', ReceivingRegion: RECOVERY },
      stat: 'Maximum',
      unit: 'Milliseconds',
    },
    destination: RECOVERY,
    window: {
      start: '2026-11-18T12:00:00.000Z',
      end: '2026-11-25T12:00:00.000Z',
      periodSeconds: 300,
    },
    statusCode: 'Complete',
    messages: [],
    datapoints: 2016,
    hoursWithData: HOURS,
    hoursInWindow: HOURS,
    p99Minutes,
    maxMinutes: p99Minutes * 2,
    hourlyMaxMinutes: new Array(HOURS).fill(p99Minutes),
    ...overrides,
  };
}

/** A resource with its measured lag and the GetMetricData call it came from. */
function measured(
  resource: CollectedResource,
  streams: ReplicationLagFacts[],
  error?: string,
): CollectedResource {
  return {
    ...resource,
    measuredLag: { streams, ...(error ? { error } : {}) },
    calls: [
      ...resource.calls,
      call('cloudwatch', 'GetMetricData', 'req-metrics', resource.region),
    ],
  };
}

const ledger = (s: ReplicationLagFacts[], error?: string) =>
  measured(table('wallet-ledger'), s, error);

describe('replication-lag-within-rpo', () => {
  it('passes on a measured p99 within the RPO, saying p99 vs RPO and the datapoints', () => {
    const result = check(
      'replication-lag-within-rpo',
      service([ledger([stream(0.5)])]),
    );
    expect(result.status).toBe('pass');
    expect(result.resources[0].detail).toBe(
      `p99 1 min (max 1 min) vs RPO 15 min to ${RECOVERY}, 2016 datapoints`,
    );
    expect(result.facts).toMatchObject({ requirement: { rpoMinutes: 15 } });
    expect(result.calls.map(c => c.operation)).toContain('GetMetricData');
  });

  it('fails when the p99 exceeds the tier RPO, and passes the same lag under a daily tier', () => {
    const slow = () => service([ledger([stream(42)])]);
    const result = check('replication-lag-within-rpo', slow());
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(
      "1 of 1 replicated data store replicates slower than the tier's RPO: wallet-ledger (DynamoDB, p99 42 min)",
    );
    expect(result.resources[0].detail).toBe(
      `p99 42 min (max 1 h 24 min) vs RPO 15 min to ${RECOVERY}, 2016 datapoints`,
    );
    expect(check('replication-lag-within-rpo', slow(), DAILY_TIER).status).toBe(
      'pass',
    );
  });

  it.each([
    [
      'no datapoints (metric not published)',
      stream(0, {
        datapoints: 0,
        hoursWithData: 0,
        p99Minutes: undefined,
        maxMinutes: undefined,
      }),
      'no datapoints for AWS/DynamoDB ReplicationLatency to eu-west-1 in 7 days: the metric is not published',
    ],
    [
      'partial data',
      stream(1, {
        statusCode: 'PartialData',
        messages: ['ArithmeticError: x'],
      }),
      'partial data for AWS/DynamoDB ReplicationLatency to eu-west-1 (ArithmeticError: x)',
    ],
    [
      'a forbidden query',
      stream(1, { statusCode: 'Forbidden', datapoints: 0 }),
      'CloudWatch answered Forbidden for AWS/DynamoDB ReplicationLatency',
    ],
    [
      'an internal error',
      stream(1, { statusCode: 'InternalError' }),
      'CloudWatch answered InternalError',
    ],
    [
      'a series that does not cover the window',
      stream(1, { hoursWithData: 100, datapoints: 1200 }),
      'has datapoints in only 100 of 168 hours',
    ],
  ])('answers error, never pass, on %s', (_case, lagStream, detail) => {
    const result = check(
      'replication-lag-within-rpo',
      service([ledger([lagStream])]),
    );
    expect(result.status).toBe('error');
    expect(result.resources[0].detail).toContain(detail);
  });

  it('answers error when the GetMetricData call failed', () => {
    const result = check(
      'replication-lag-within-rpo',
      service([
        ledger([], 'cloudwatch:GetMetricData failed: AccessDenied: no'),
      ]),
    );
    expect(result.status).toBe('error');
    expect(result.summary).toContain('AccessDenied: no');
  });

  it('fails an S3 rule with failed replication operations, with its own fix', () => {
    const files = measured(bucket('wallet-files'), [
      stream(0.2, {
        metric: {
          namespace: 'AWS/S3',
          metricName: 'ReplicationLatency',
          dimensions: {},
          stat: 'Maximum',
          unit: 'Seconds',
        },
        destination: 'wallet-files-dr',
        failedOperations: 12,
      }),
    ]);
    const result = check('replication-lag-within-rpo', service([files]));
    expect(result.status).toBe('fail');
    expect(result.resources[0].detail).toBe(
      '12 failed replication operations to wallet-files-dr',
    );
    expect(result.fix).toContain('S3 Batch Replication');
  });

  it('judges an Aurora primary by the lag its secondary in the recovery region publishes', () => {
    const primary = aurora('wallet-ledger-db');
    const secondary = measured(
      aurora(
        'wallet-ledger-db-2',
        { replicationSource: undefined },
        { region: RECOVERY },
      ),
      [
        stream(20, {
          metric: {
            namespace: 'AWS/RDS',
            metricName: 'AuroraGlobalDBReplicationLag',
            dimensions: { DBClusterIdentifier: 'wallet-ledger-db-2' },
            stat: 'p99',
            unit: 'Milliseconds',
          },
        }),
      ],
    );
    const result = check(
      'replication-lag-within-rpo',
      service([primary, secondary]),
    );
    expect(result.resources.map(r => [r.region, r.status])).toEqual([
      [PRIMARY, 'fail'],
      [RECOVERY, 'not_applicable'],
    ]);
    expect(
      check('replication-lag-within-rpo', service([primary])).resources[0],
    ).toMatchObject({
      status: 'error',
      detail:
        'no replication lag measured: no secondary cluster of its global database was scanned',
    });
  });

  it('does not apply to a store that replicates nowhere', () => {
    const single = measured(table('local', { replicaRegions: [] }), []);
    const result = check('replication-lag-within-rpo', service([single]));
    expect(result.status).toBe('not_applicable');
  });
});

const CONTRACT: ContractCase[] = [
  {
    id: 'replication-lag-within-rpo',
    pass: () => ledger([stream(2)]),
    fail: () => ledger([stream(40)]),
    broken: () =>
      undescribed(
        ledger([stream(2)]),
        'dynamodb:DescribeTable failed: AccessDeniedException: no',
      ),
    brokenError: 'dynamodb:DescribeTable failed',
    none: 'No replicated data stores tagged service=wallet-api',
  },
];

describeContract(CONTRACT);
