import {
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
    const bucket = bucketOf('payout-rails-gateway');
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
            Bucket: `arn:aws:s3:::${bucketOf(
              'payout-rails-gateway',
              RECOVERY,
            )}`,
          },
        },
      ],
    });
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
      '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></VersioningConfiguration>',
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
