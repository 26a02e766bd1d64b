import type { DrGapKind, DrGapSeed } from './seed';

/** One replication rule of a bucket, as GetBucketReplication returns it. */
export interface BucketReplicationRule {
  id: string;
  destinationBucketArn: string;
  replicaKmsKeyId: string;
  /** Filter.Prefix: only keys under it replicate (`replication-prefix-filter`). */
  prefix?: string;
  /** Destination.ReplicationTime (S3 Replication Time Control, 15 minutes). */
  replicationTime: boolean;
  deleteMarkerReplication: 'Enabled' | 'Disabled';
}

/** The S3 replication gaps, and what each does to a primary bucket's rule. */
export const S3_REPLICATION_GAPS = [
  'replication-destination-missing',
  'replication-destination-same-region',
  'replication-time-control-off',
  'replication-prefix-filter',
] as const satisfies readonly DrGapKind[];

export interface BucketReplicationShape {
  rule: BucketReplicationRule;
  /** A bucket the rule replicates to beside its source (`replication-destination-same-region`). */
  sameRegionCopy?: { name: string; arn: string };
  gaps: Array<{ seed: DrGapSeed; detail: string }>;
}

/**
 * The replication rule of a replicated tier's primary bucket: to its replica in the recovery
 * region, with Replication Time Control and delete-marker replication, unless a gap says otherwise.
 */
export function bucketReplication(args: {
  name: string;
  region: string;
  replicaArn: string;
  replicaRegion: string;
  replicaKmsKeyId: string;
  gapOn: (kind: DrGapKind) => DrGapSeed | undefined;
}): BucketReplicationShape {
  const { name, region, replicaArn, replicaRegion } = args;
  const rule: BucketReplicationRule = {
    id: `replicate-to-${replicaRegion}`,
    destinationBucketArn: replicaArn,
    replicaKmsKeyId: args.replicaKmsKeyId,
    replicationTime: true,
    deleteMarkerReplication: 'Enabled',
  };
  const shape: BucketReplicationShape = { rule, gaps: [] };
  const missing = args.gapOn('replication-destination-missing');
  if (missing) {
    // The destination was deleted (or never created): replication to it fails for every object.
    rule.destinationBucketArn = `arn:aws:s3:::${name}-dr-${replicaRegion}`;
    shape.gaps.push({
      seed: missing,
      detail: `the replication destination of bucket ${name} (${rule.destinationBucketArn}) does not exist`,
    });
  }
  const sameRegion = args.gapOn('replication-destination-same-region');
  if (sameRegion) {
    const copy = `${name}-copy`;
    shape.sameRegionCopy = { name: copy, arn: `arn:aws:s3:::${copy}` };
    rule.id = `replicate-to-${region}`;
    rule.destinationBucketArn = shape.sameRegionCopy.arn;
    shape.gaps.push({
      seed: sameRegion,
      detail: `bucket ${name} replicates to ${copy}, in its own region ${region}`,
    });
  }
  const noRtc = args.gapOn('replication-time-control-off');
  if (noRtc) {
    rule.replicationTime = false;
    shape.gaps.push({
      seed: noRtc,
      detail: `bucket ${name} replicates without S3 Replication Time Control, under a tier RPO of less than 15 minutes`,
    });
  }
  const filtered = args.gapOn('replication-prefix-filter');
  if (filtered) {
    rule.prefix = 'quotes/';
    rule.deleteMarkerReplication = 'Disabled';
    shape.gaps.push({
      seed: filtered,
      detail: `bucket ${name} replicates only keys under quotes/`,
    });
  }
  return shape;
}
