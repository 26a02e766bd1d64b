import { restXmlProtocol } from '../protocols/restXml';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
  RawRequest,
} from '../protocols/types';
import { XmlFlatList } from '../protocols/xml';
import type { Bucket } from '../estate/dr';

const RESPONSE_ROOTS: Record<string, string> = {
  GetBucketLocation: 'LocationConstraint',
  GetBucketVersioning: 'VersioningConfiguration',
  GetBucketReplication: 'ReplicationConfiguration',
};

/** Virtual-hosted-style requests (`<bucket>.localhost:<port>`) become path-style ones. */
function pathStyle(request: RawRequest): RawRequest {
  const host = String(request.headers.host ?? '').replace(/:\d+$/, '');
  if (!host.endsWith('.localhost')) return request;
  const bucket = host.slice(0, -'.localhost'.length);
  return {
    ...request,
    path: `/${bucket}${request.path === '/' ? '' : request.path}`,
  };
}

/**
 * The caller's bucket in the signing region. As S3 does: an unknown bucket is NoSuchBucket, another
 * account's is AccessDenied, and one in another region is a 301 PermanentRedirect naming its region
 * in `x-amz-bucket-region` (SDK clients with `followRegionRedirects: true` follow it).
 */
function ownedBucket(input: Record<string, unknown>, ctx: CallContext): Bucket {
  const name = String(input.Bucket);
  const bucket = ctx.estate.dr.buckets.get(name);
  if (!bucket)
    throw new AwsError(
      'NoSuchBucket',
      'The specified bucket does not exist',
      404,
      'Sender',
      { fields: { BucketName: name } },
    );
  if (bucket.accountId !== ctx.account.id)
    throw new AwsError('AccessDenied', 'Access Denied', 403);
  return bucket;
}

function findBucket(input: Record<string, unknown>, ctx: CallContext): Bucket {
  const bucket = ownedBucket(input, ctx);
  const name = bucket.name;
  if (bucket.region !== ctx.region) {
    throw new AwsError(
      'PermanentRedirect',
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      301,
      'Sender',
      {
        headers: { 'x-amz-bucket-region': bucket.region },
        fields: { Endpoint: `s3.${bucket.region}.amazonaws.com`, Bucket: name },
      },
    );
  }
  return bucket;
}

/** Amazon S3 over restXml (path-style, or `<bucket>.localhost`): bucket versioning and replication. */
/** GetBucketVersioning: a bucket that never had versioning enabled answers an empty VersioningConfiguration. */
export function bucketVersioning(bucket: Bucket): { Status?: string } {
  return bucket.versioning ? { Status: bucket.versioning } : {};
}

/** GetBucketReplication's ReplicationConfiguration of a replicated bucket (AWS Config records part of it). */
export function bucketReplicationDocument(
  replication: NonNullable<Bucket['replication']>,
) {
  const bucket = { replication };
  return {
    Role: bucket.replication.role,
    Rule: new XmlFlatList(
      bucket.replication.rules.map(rule => ({
        ID: rule.id,
        Priority: 1,
        Filter: { Prefix: rule.prefix ?? '' },
        Status: 'Enabled',
        SourceSelectionCriteria: {
          SseKmsEncryptedObjects: { Status: 'Enabled' },
        },
        Destination: {
          Bucket: rule.destinationBucketArn,
          StorageClass: 'STANDARD',
          EncryptionConfiguration: {
            ReplicaKmsKeyID: rule.replicaKmsKeyId,
          },
          // RTC needs replication metrics; metrics alone carry no event threshold.
          ReplicationTime: rule.replicationTime
            ? { Status: 'Enabled', Time: { Minutes: 15 } }
            : undefined,
          Metrics: rule.replicationTime
            ? { Status: 'Enabled', EventThreshold: { Minutes: 15 } }
            : { Status: 'Enabled' },
        },
        DeleteMarkerReplication: { Status: rule.deleteMarkerReplication },
      })),
    ),
  };
}

export const s3Service: AwsServiceDefinition = {
  signingName: 's3',
  statsPrefix: 's3',
  protocol: restXmlProtocol({
    routes: [
      {
        method: 'GET',
        path: '/{Bucket}',
        query: 'versioning',
        operation: 'GetBucketVersioning',
      },
      {
        method: 'GET',
        path: '/{Bucket}',
        query: 'replication',
        operation: 'GetBucketReplication',
      },
      {
        method: 'GET',
        path: '/{Bucket}',
        query: 'location',
        operation: 'GetBucketLocation',
      },
    ],
    namespace: 'http://s3.amazonaws.com/doc/2006-03-01/',
    throttling: { code: 'SlowDown', status: 503 },
    accessDenied: { code: 'AccessDenied', status: 403 },
    unknownOperation: { code: 'NotImplemented', status: 501 },
    responseRoot: operation =>
      RESPONSE_ROOTS[operation] ?? `${operation}Output`,
    requestIdHeaders: requestId => ({
      'x-amz-request-id': requestId
        .replace(/-/g, '')
        .slice(0, 16)
        .toUpperCase(),
      'x-amz-id-2': Buffer.from(requestId).toString('base64'),
    }),
    errorStyle: 's3',
    rewrite: pathStyle,
    selfClosingEmptyRoot: true,
  }),
  operations: {
    /**
     * The bucket's LocationConstraint as the document's only text: empty for us-east-1, and
     * answered whatever region the request is signed for (the call that finds a bucket's region).
     * Only the owner may ask: another account's bucket is AccessDenied.
     */
    GetBucketLocation: (input: Record<string, unknown>, ctx: CallContext) => {
      const bucket = ownedBucket(input, ctx);
      return bucket.region === 'us-east-1' ? '' : bucket.region;
    },

    GetBucketVersioning: (input: Record<string, unknown>, ctx: CallContext) => {
      const bucket = findBucket(input, ctx);
      return bucketVersioning(bucket);
    },

    GetBucketReplication: (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      const bucket = findBucket(input, ctx);
      if (!bucket.replication) {
        throw new AwsError(
          'ReplicationConfigurationNotFoundError',
          'The replication configuration was not found',
          404,
          'Sender',
          {
            fields: { BucketName: bucket.name },
          },
        );
      }
      return bucketReplicationDocument(bucket.replication);
    },
  },
};
