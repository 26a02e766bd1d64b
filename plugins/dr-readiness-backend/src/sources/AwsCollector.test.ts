import { AwsLocal, DemoEstate, startAwsLocal } from '@internal/aws-local';
import { assumeInto } from '../__testUtils__/fixtures';
import { AwsCollector } from './AwsCollector';

const NOW = new Date('2026-11-25T12:00:00.000Z');

describe('AwsCollector and global S3 bucket names', () => {
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

  it("keeps a bucket two regions' discovery returns as one resource, in the region GetBucketLocation names", async () => {
    const credentials = await assumeInto(aws, production);
    const collector = new AwsCollector({
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
});
