import {
  GetBucketLocationCommand,
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { CollectedResource } from '@internal/dr-readiness-common';
import { CallCounter, CallTarget, Limiter } from '../calls';
import {
  BucketLocations,
  describeBucket,
  oneResourcePerArn,
  regionOfLocation,
  replicationRulesOf,
} from './s3';

const NOW = new Date('2026-11-25T12:00:00.000Z');

function target(region = 'eu-west-2'): CallTarget {
  return {
    service: 's3',
    accountId: '318402765190',
    region,
    limiter: new Limiter(4),
    counter: new CallCounter(),
    now: () => NOW,
  };
}

const metadata = { requestId: 'req-1', attempts: 1 };

/** An S3 client answering from bucket name -> region (LocationConstraint as S3 writes it). */
function fakeS3(locations: Record<string, string | undefined | Error>) {
  const send = jest.fn(async (command: unknown) => {
    if (command instanceof GetBucketLocationCommand) {
      const answer = locations[command.input.Bucket!];
      if (answer instanceof Error) throw answer;
      return { LocationConstraint: answer, $metadata: metadata };
    }
    if (command instanceof GetBucketVersioningCommand)
      return { Status: 'Enabled', $metadata: metadata };
    if (command instanceof GetBucketReplicationCommand)
      return {
        ReplicationConfiguration: {
          Role: 'arn:aws:iam::318402765190:role/s3-replication',
          Rules: [
            {
              ID: 'to-dr',
              Status: 'Enabled',
              Destination: { Bucket: 'arn:aws:s3:::receipts-dr' },
            },
          ],
        },
        $metadata: metadata,
      };
    throw new Error(`unexpected ${String(command)}`);
  });
  return { client: { send } as unknown as S3Client, send };
}

const awsError = (name: string, message: string) =>
  Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: 404, requestId: 'req-2', attempts: 1 },
  });

function bucket(name: string, region = 'eu-west-2'): CollectedResource {
  return {
    arn: `arn:aws:s3:::${name}`,
    resourceType: 's3:bucket',
    accountId: '318402765190',
    region,
    tags: { service: 'wallet-api' },
    calls: [],
  };
}

describe('S3 describer', () => {
  it('reads what each rule leaves out, Replication Time Control and delete-marker replication', () => {
    expect(
      replicationRulesOf([
        {
          ID: 'whole',
          Status: 'Enabled',
          Priority: 2,
          Filter: { Prefix: '' },
          Destination: {
            Bucket: 'arn:aws:s3:::dr',
            ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } },
          },
          DeleteMarkerReplication: { Status: 'Disabled' },
        },
        {
          ID: 'and',
          Status: 'Enabled',
          Filter: {
            And: {
              Prefix: 'statements/',
              Tags: [{ Key: 'dr', Value: 'yes' }],
            },
          },
          Destination: { Bucket: 'arn:aws:s3:::dr' },
        },
        {
          ID: 'tag',
          Status: 'Enabled',
          Filter: { Tag: { Key: 'class', Value: 'gold' } },
          Destination: { Bucket: 'arn:aws:s3:::dr' },
        },
        // A V1 rule: a rule-level Prefix and no Filter.
        {
          ID: 'v1',
          Status: 'Enabled',
          Prefix: 'logs/',
          Destination: { Bucket: 'arn:aws:s3:::dr' },
        },
      ]),
    ).toEqual([
      {
        id: 'whole',
        status: 'Enabled',
        destinationBucketArn: 'arn:aws:s3:::dr',
        priority: 2,
        filter: undefined,
        replicationTime: { status: 'Enabled', minutes: 15 },
        deleteMarkerReplication: 'Disabled',
      },
      expect.objectContaining({
        id: 'and',
        filter: { prefix: 'statements/', tags: [{ key: 'dr', value: 'yes' }] },
        replicationTime: undefined,
        deleteMarkerReplication: undefined,
      }),
      expect.objectContaining({
        id: 'tag',
        filter: { tags: [{ key: 'class', value: 'gold' }] },
      }),
      expect.objectContaining({
        id: 'v1',
        filter: { prefix: 'logs/', tags: [] },
      }),
    ]);
  });

  it("reads GetBucketLocation's LocationConstraint as a region: empty is us-east-1, EU is eu-west-1", () => {
    expect(regionOfLocation(undefined)).toBe('us-east-1');
    expect(regionOfLocation('')).toBe('us-east-1');
    expect(regionOfLocation('EU')).toBe('eu-west-1');
    expect(regionOfLocation('eu-west-2')).toBe('eu-west-2');
  });

  it('places each destination with GetBucketLocation, once per bucket and scan, and keeps the call as evidence', async () => {
    const { client, send } = fakeS3({ 'receipts-dr': 'eu-west-1' });
    const t = target();
    const locations = new BucketLocations();
    const first = bucket('receipts');
    const second = bucket('statements');
    await describeBucket(client, t, first, locations);
    await describeBucket(client, t, second, locations);
    expect(first.facts).toMatchObject({
      replicationRules: [
        {
          id: 'to-dr',
          destinationBucketArn: 'arn:aws:s3:::receipts-dr',
          destination: { region: 'eu-west-1' },
        },
      ],
    });
    expect(first.calls.map(c => c.operation)).toEqual([
      'GetBucketVersioning',
      'GetBucketReplication',
      'GetBucketLocation',
    ]);
    expect(t.counter.calls['s3:GetBucketLocation']).toBe(1);
    expect(
      send.mock.calls.filter(
        ([command]) => command instanceof GetBucketLocationCommand,
      ),
    ).toHaveLength(1);
  });

  it('reads versioning only for a tier that judges no replication, and says the rules were not read', async () => {
    const { client, send } = fakeS3({ 'receipts-dr': 'eu-west-1' });
    const resource = bucket('receipts');
    await describeBucket(client, target(), resource, new BucketLocations(), {
      replication: false,
    });
    expect(
      send.mock.calls.map(([command]) => (command as object).constructor.name),
    ).toEqual(['GetBucketVersioningCommand']);
    expect(resource.facts).toEqual({
      kind: 's3:bucket',
      bucket: 'receipts',
      versioning: 'Enabled',
      replicationRules: [],
      replicationRead: false,
    });
  });

  it('tells a destination that does not exist (NoSuchBucket) from one it may not read', async () => {
    const { client } = fakeS3({
      'receipts-dr': awsError(
        'NoSuchBucket',
        'The specified bucket does not exist',
      ),
      'other-dr': awsError('AccessDenied', 'Access Denied'),
    });
    const locations = new BucketLocations();
    expect(
      (await locations.of(client, target(), 'receipts-dr')).location,
    ).toEqual({
      missing: true,
      error:
        'GetBucketLocation receipts-dr: NoSuchBucket: The specified bucket does not exist',
    });
    expect((await locations.of(client, target(), 'other-dr')).location).toEqual(
      {
        unreadable: true,
        error: 'GetBucketLocation other-dr: AccessDenied: Access Denied',
      },
    );
  });

  it("keeps one resource per ARN: a bucket two regions' discovery listed stays in its own region", async () => {
    const inWest1 = bucket('receipts', 'eu-west-1');
    const inWest2 = bucket('receipts', 'eu-west-2');
    const other = bucket('statements', 'eu-west-1');
    const call = {
      service: 's3',
      operation: 'GetBucketLocation',
      accountId: '318402765190',
      region: 'eu-west-1',
      at: NOW.toISOString(),
    };
    const regionOf = jest.fn(async () => ({ region: 'eu-west-2', call }));
    const kept = await oneResourcePerArn([inWest1, other, inWest2], regionOf);
    expect(kept).toEqual([inWest2, other]);
    expect(inWest2.calls).toEqual([call]);
    expect(regionOf).toHaveBeenCalledTimes(1);
  });
});
