import {
  GetBucketLocationCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  NoSuchBucket,
  S3Client,
} from '@aws-sdk/client-s3';
import { awsLocalClientConfig } from '../clientConfig';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import { rawRequest } from '../testing';
import {
  PRIMARY,
  PROD,
  RECOVERY,
  assumedConfig,
  resetFaults,
} from './__testUtils__/clients';

describe('S3 on the loopback endpoint', () => {
  let aws: AwsLocal;
  let s3: S3Client;
  const bucketOf = (service: string, region = PRIMARY) =>
    aws.estate.resources
      .find(
        r =>
          r.service === service &&
          r.resourceType === 's3:bucket' &&
          r.accountId === PROD &&
          r.region === region,
      )!
      .arn.split(':::')[1];

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25' });
    // An IP endpoint: the SDK addresses buckets path-style (http://127.0.0.1:port/<bucket>?versioning).
    s3 = new S3Client(await assumedConfig(aws, PROD, PRIMARY));
  });
  afterAll(() => aws.close());
  beforeEach(() => resetFaults(aws));

  it('reports versioning, and the replication rule of a tier-1 bucket to its eu-west-1 replica', async () => {
    const bucket = bucketOf('fx-quote-engine');
    expect(
      (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket })))
        .Status,
    ).toBe('Enabled');
    const { ReplicationConfiguration } = await s3.send(
      new GetBucketReplicationCommand({ Bucket: bucket }),
    );
    expect(ReplicationConfiguration).toMatchObject({
      Role: `arn:aws:iam::${PROD}:role/s3-replication`,
      Rules: [
        {
          ID: 'replicate-to-eu-west-1',
          Status: 'Enabled',
          Priority: 1,
          Destination: {
            Bucket: `arn:aws:s3:::${bucketOf('fx-quote-engine', RECOVERY)}`,
          },
        },
      ],
    });
  });

  it("answers GetBucketLocation with the bucket's region whatever region the client signs for; us-east-1 is an empty LocationConstraint", async () => {
    const replica = bucketOf('payout-rails-gateway', RECOVERY);
    // From the eu-west-2 client: GetBucketLocation is how a bucket's region is found, so no redirect.
    expect(
      (await s3.send(new GetBucketLocationCommand({ Bucket: replica })))
        .LocationConstraint,
    ).toBe(RECOVERY);
    const legacy = 'payments-legacy-exports';
    const source = aws.estate.dr.buckets.get(bucketOf('regulatory-reporting'))!;
    aws.estate.dr.buckets.set(legacy, {
      ...source,
      name: legacy,
      arn: `arn:aws:s3:::${legacy}`,
      // The account the loopback's example key (AKIAEXAMPLE) belongs to.
      accountId: '604913285577',
      region: 'us-east-1',
    });
    try {
      const raw = await rawRequest(aws.endpoint, {
        path: `/${legacy}?location`,
        headers: {
          authorization: `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261125/${PRIMARY}/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(
            64,
          )}`,
        },
      });
      expect(raw.body).toBe(
        '<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>',
      );
      const own = new S3Client(awsLocalClientConfig(aws.endpoint));
      expect(
        (await own.send(new GetBucketLocationCommand({ Bucket: legacy })))
          .LocationConstraint ?? '',
      ).toBe('');
    } finally {
      aws.estate.dr.buckets.delete(legacy);
    }
    await expect(
      s3.send(
        new GetBucketLocationCommand({ Bucket: 'no-such-bucket-anywhere' }),
      ),
    ).rejects.toMatchObject({
      name: 'NoSuchBucket',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('replicates tier-0/1 buckets with RTC and delete markers, except where a DR gap says otherwise', async () => {
    const rulesOf = async (service: string) =>
      (
        await s3.send(
          new GetBucketReplicationCommand({ Bucket: bucketOf(service) }),
        )
      ).ReplicationConfiguration!.Rules!;
    const [vault] = await rulesOf('card-tokenisation-vault');
    expect(vault.Destination!.ReplicationTime).toBeUndefined();
    expect(vault.Destination!.Metrics).toEqual({ Status: 'Enabled' });
    const [archive] = await rulesOf('fx-quote-engine');
    expect(archive).toMatchObject({
      Filter: { Prefix: 'quotes/' },
      DeleteMarkerReplication: { Status: 'Disabled' },
      Destination: {
        ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
      },
    });
    const [journal] = await rulesOf('crypto-custody-signer');
    const journalCopy = journal.Destination!.Bucket!.split(':::')[1];
    expect(
      (await s3.send(new GetBucketLocationCommand({ Bucket: journalCopy })))
        .LocationConstraint,
    ).toBe(PRIMARY);
    const [rails] = await rulesOf('payout-rails-gateway');
    await expect(
      s3.send(
        new GetBucketLocationCommand({
          Bucket: rails.Destination!.Bucket!.split(':::')[1],
        }),
      ),
    ).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('answers a bucket without replication with ReplicationConfigurationNotFoundError (404)', async () => {
    await expect(
      s3.send(
        new GetBucketReplicationCommand({
          Bucket: bucketOf('regulatory-reporting'),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ReplicationConfigurationNotFoundError',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers an unknown bucket with NoSuchBucket', async () => {
    await expect(
      s3.send(
        new GetBucketVersioningCommand({ Bucket: 'no-such-bucket-anywhere' }),
      ),
    ).rejects.toBeInstanceOf(NoSuchBucket);
  });

  it('redirects a bucket of another region, as S3 does, and the SDK follows with followRegionRedirects', async () => {
    const replica = bucketOf('payout-rails-gateway', RECOVERY);
    await expect(
      s3.send(new GetBucketVersioningCommand({ Bucket: replica })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 301 } });
    const following = new S3Client({
      ...(await assumedConfig(aws, PROD, PRIMARY)),
      followRegionRedirects: true,
    });
    expect(
      (
        await following.send(
          new GetBucketVersioningCommand({ Bucket: replica }),
        )
      ).Status,
    ).toBe('Enabled');
  });

  it('answers virtual-hosted-style requests to <bucket>.localhost; a bucket that never had versioning has no Status', async () => {
    const bucket = `athena-query-results-604913285577`;
    const response = await rawRequest(aws.endpoint, {
      path: '/?versioning',
      headers: {
        host: `${bucket}.localhost:${aws.port}`,
        authorization: `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261125/${PRIMARY}/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(
          64,
        )}`,
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain(
      '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>',
    );
    const shared = new S3Client(awsLocalClientConfig(aws.endpoint));
    expect(
      (await shared.send(new GetBucketVersioningCommand({ Bucket: bucket })))
        .Status,
    ).toBeUndefined();
  });

  it('throttles with SlowDown (503), which the SDK retries, and denies with AccessDenied (403)', async () => {
    aws.setFaults({ throttleNext: 1 });
    const output = await s3.send(
      new GetBucketVersioningCommand({
        Bucket: bucketOf('regulatory-reporting'),
      }),
    );
    expect(output.$metadata.attempts).toBe(2);
    expect(aws.stats().operations['s3:GetBucketVersioning']).toMatchObject({
      throttled: 1,
      succeeded: 1,
    });
    aws.setFaults({ deny: ['prod/eu-west-1'] });
    const recovery = new S3Client(await assumedConfig(aws, PROD, RECOVERY));
    await expect(
      recovery.send(
        new GetBucketVersioningCommand({
          Bucket: bucketOf('payout-rails-gateway', RECOVERY),
        }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
  });
});
