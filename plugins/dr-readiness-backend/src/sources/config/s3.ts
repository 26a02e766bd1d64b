import { field } from './items';
import type { ConfigItem } from './items';

/**
 * An AWS::S3::Bucket item's supplementary configuration: versioning (BucketVersioningConfiguration
 * `status`: Off, Enabled, Suspended) and whether a replication configuration exists
 * (BucketReplicationConfiguration, present only when one is set). Its rules there lack what the
 * replication control reads (Replication Time Control, filters, delete-marker replication), so a
 * replicated bucket's rules come from GetBucketReplication.
 */
export function bucketOfItem(item: ConfigItem): {
  /** Undefined when the item has no BucketVersioningConfiguration (unknown: read it with GetBucketVersioning). */
  versioning?: string;
  replicationConfigured: boolean;
} {
  const supplementary = item.supplementaryConfiguration ?? {};
  const versioning = supplementary.BucketVersioningConfiguration;
  const status = field(versioning, 'status');
  const replication = supplementary.BucketReplicationConfiguration;
  return {
    versioning: typeof status === 'string' ? status : undefined,
    replicationConfigured: Boolean(
      replication && typeof replication === 'object',
    ),
  };
}

/** The bucket's name (the item's resourceName, else its configuration's `name`, else the ARN's). */
export function bucketName(item: ConfigItem): string {
  const name = item.resourceName ?? field(item.configuration, 'name');
  return typeof name === 'string' && name
    ? name
    : (item.arn ?? '').replace(/^arn:aws[a-z-]*:s3:::/, '');
}
