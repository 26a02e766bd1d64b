import { AwsLocal, DemoEstate, startAwsLocal } from '@internal/aws-local';
import { assumeInto } from '../__testUtils__/fixtures';
import { AwsCollector } from './AwsCollector';

const NOW = new Date('2026-11-25T12:00:00.000Z');

describe('AwsCollector on what is global: S3 bucket names, Route 53', () => {
  let aws: AwsLocal;
  const estate = DemoEstate.load({ asOf: '2026-11-25' });
  const production = estate.accounts.find(
    a => a.environment === 'production',
  )!.id;
  const [primary, recovery] = estate.regions;
  const listedTwice = estate.resources.find(
    r =>
      r.service === 'regulatory-reporting' &&
      r.resourceType === 's3:bucket' &&
      r.accountId === production,
  )!;

  beforeAll(async () => {
    // The Tagging API of the recovery region lists the primary region's bucket too.
    estate.resources.push({ ...listedTwice, region: recovery });
    aws = await startAwsLocal({ estate, now: () => NOW });
  });
  afterAll(() => aws?.close());

  const collectorOf = async () => {
    const credentials = await assumeInto(aws, production);
    return new AwsCollector({
      scopes: [primary, recovery].map(region => ({
        accountId: production,
        region,
        credentials,
      })),
      serviceTag: 'service',
      environmentTag: 'environment',
      environments: ['production'],
      concurrency: 8,
      maxAttempts: 3,
      jobHistoryDays: 30,
      endpoint: aws.endpoint,
      now: () => NOW,
    });
  };

  it("keeps a bucket two regions' discovery returns as one resource, in the region GetBucketLocation names", async () => {
    const collector = await collectorOf();
    const { resources, counter } = await collector.collect({
      onlyServices: ['regulatory-reporting'],
    });
    const buckets = (resources.get('regulatory-reporting') ?? []).filter(
      r => r.arn === listedTwice.arn,
    );
    expect(buckets).toHaveLength(1);
    expect(buckets[0].region).toBe(primary);
    expect(buckets[0].error).toBeUndefined();
    expect(buckets[0].facts).toMatchObject({ kind: 's3:bucket' });
    expect(buckets[0].calls.map(c => c.operation)).toContain(
      'GetBucketLocation',
    );
    expect(counter.calls['s3:GetBucketLocation']).toBe(1);
  });

  it("reads a PRIMARY health check's status from CloudWatch in us-east-1 of the Route 53 account, at the scan's clock", async () => {
    const collector = await collectorOf();
    const payouts = estate.drGaps.find(
      g => g.kind === 'secondary-in-primary-region',
    )!;
    const { route53, counter } = await collector.collect({
      onlyServices: [payouts.service],
      hostnames: new Map([[payouts.service, payouts.hostname!]]),
    });
    const facts = route53.get(payouts.service)!;
    const primaryRecord = facts.failoverRecords.find(
      r => r.failover === 'PRIMARY',
    )!;
    expect(
      facts.healthChecks.find(c => c.id === primaryRecord.healthCheckId)!
        .status,
    ).toEqual({
      healthy: true,
      percentageHealthy: expect.any(Number),
      at: '2026-11-25T11:59:00.000Z',
    });
    expect(counter.calls['cloudwatch:GetMetricData']).toBeGreaterThanOrEqual(1);
    expect(counter.calls['route53:GetHealthCheckStatus']).toBeUndefined();
    expect(facts.calls).toContainEqual(
      expect.objectContaining({
        service: 'cloudwatch',
        operation: 'GetMetricData',
        accountId: production,
        region: 'us-east-1',
        at: NOW.toISOString(),
      }),
    );
  });
});
