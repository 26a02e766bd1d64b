import {
  GetBucketReplicationCommand,
  GetBucketVersioningCommand,
  ReplicationRule,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CollectedResource,
  S3BucketFacts,
} from '@internal/dr-readiness-common';
import { lastSegment } from '../arns';
import { AwsCallError, CallTarget, sendRecorded } from '../calls';

/** A bucket's replication rules as the facts name them. */
export function replicationRulesOf(
  rules: ReplicationRule[] | undefined,
): S3BucketFacts['replicationRules'] {
  return (rules ?? []).map(rule => ({
    id: rule.ID ?? '',
    status: rule.Status ?? '',
    destinationBucketArn: rule.Destination?.Bucket ?? '',
  }));
}

/** The bucket's replication rules; a bucket without a replication configuration has none. */
async function replicationRules(
  client: S3Client,
  target: CallTarget,
  resource: CollectedResource,
  Bucket: string,
): Promise<S3BucketFacts['replicationRules']> {
  try {
    const replication = await sendRecorded(
      target,
      'GetBucketReplication',
      options =>
        client.send(new GetBucketReplicationCommand({ Bucket }), options),
    );
    resource.calls.push(replication.call);
    return replicationRulesOf(
      replication.output.ReplicationConfiguration?.Rules,
    );
  } catch (error) {
    // No replication configuration is an answer (no rules), not a failure.
    if (
      !(error instanceof AwsCallError) ||
      error.code !== 'ReplicationConfigurationNotFoundError'
    )
      throw error;
    resource.calls.push(error.call);
    return [];
  }
}

/** One S3 bucket: GetBucketVersioning, then GetBucketReplication (AWS has no batch call). */
export async function describeBucket(
  client: S3Client,
  target: CallTarget,
  resource: CollectedResource,
): Promise<void> {
  const Bucket = lastSegment(resource.arn);
  const versioning = await sendRecorded(
    target,
    'GetBucketVersioning',
    options => client.send(new GetBucketVersioningCommand({ Bucket }), options),
  );
  resource.calls.push(versioning.call);
  const rules = await replicationRules(client, target, resource, Bucket);
  resource.facts = {
    kind: 's3:bucket',
    bucket: Bucket,
    versioning: versioning.output.Status ?? 'Off',
    replicationRules: rules,
  };
}
