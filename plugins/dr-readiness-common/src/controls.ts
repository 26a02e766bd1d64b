import type { ControlDefinition } from './results';

/**
 * The catalogue of DR controls. A tier (config `drReadiness.tiers[].controls`) picks the ones it
 * requires, with weights; checks.ts holds the check behind each id. References name what an
 * auditor already knows: AWS Config managed rules and AWS Backup Audit Manager controls.
 */
export const DR_CONTROLS: ControlDefinition[] = [
  {
    id: 'rds-global-or-replica',
    title: 'Aurora cross-Region replica',
    description:
      'Each primary Aurora/RDS cluster is a member of a global cluster with a member in the recovery region, or has a cross-Region read replica cluster there. Replication, not backups, is what carries an RPO of minutes through a regional outage.',
    area: 'Aurora/RDS',
    references: [
      'Aurora global database (DescribeGlobalClusters)',
      'RDS cross-Region read replica (ReadReplicaIdentifiers)',
    ],
  },
  {
    id: 'rds-multi-az',
    title: 'Aurora Multi-AZ',
    description:
      'Each primary Aurora/RDS cluster has instances in more than one Availability Zone (MultiAZ), so losing an AZ is a failover of about a minute rather than a restore.',
    area: 'Aurora/RDS',
    references: [
      'AWS Config: rds-cluster-multi-az-enabled',
      'AWS Config: rds-multi-az-support',
    ],
  },
  {
    id: 'rds-backup-retention',
    title: 'Aurora backup retention',
    description:
      "Each primary Aurora/RDS cluster keeps automated backups at least the tier's backupRetentionDays, so a corruption noticed late can still be restored to a point before it.",
    area: 'Aurora/RDS',
    references: [
      'AWS Config: db-instance-backup-enabled (backupRetentionMinimum)',
      'Backup Audit Manager: Backup plan has minimum frequency and minimum retention',
    ],
  },
  {
    id: 'rds-deletion-protection',
    title: 'Aurora deletion protection',
    description:
      'Every Aurora/RDS cluster of the service, recovery copies included, has deletion protection on, so neither a mistaken apply nor a console click can delete the database.',
    area: 'Aurora/RDS',
    references: ['AWS Config: rds-cluster-deletion-protection-enabled'],
  },
  {
    id: 'rds-encrypted-kms',
    title: 'Aurora encrypted with KMS',
    description:
      'Every Aurora/RDS cluster, recovery copies included, has storage encrypted with a KMS key. Encryption cannot be turned on later without a restore, which is why it is checked before it is needed.',
    area: 'Aurora/RDS',
    references: [
      'AWS Config: rds-cluster-encrypted-at-rest',
      'AWS Config: rds-storage-encrypted',
    ],
  },
  {
    id: 'rds-backup-cross-region',
    title: 'Aurora backups in the recovery region',
    description:
      'Each primary Aurora/RDS cluster has its backups in the recovery region: an AWS Backup copy job completed to a vault there, or a global cluster member there.',
    area: 'Aurora/RDS',
    references: [
      'Backup Audit Manager: Cross-Region backup copy is scheduled (BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION)',
    ],
  },
  {
    id: 'backup-protected',
    title: 'Protected by AWS Backup',
    description:
      'Each primary Aurora cluster, DynamoDB table and S3 bucket has been backed up by an AWS Backup plan (ListProtectedResources lists it).',
    area: 'AWS Backup',
    references: [
      'Backup Audit Manager: Backup resources are included in at least one backup plan (BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN)',
      'AWS Config: aurora-resources-protected-by-backup-plan',
      'AWS Config: dynamodb-resources-protected-by-backup-plan',
      'AWS Config: s3-resources-protected-by-backup-plan',
    ],
  },
  {
    id: 'backup-recovery-point-age',
    title: 'Recovery point within RPO',
    description:
      "The newest completed AWS Backup recovery point of each primary store is no older than the tier's RPO. Only meaningful where backups carry the RPO (RPO of hours or more); replication carries shorter ones.",
    area: 'AWS Backup',
    references: [
      'Backup Audit Manager: Last recovery point was created (BACKUP_LAST_RECOVERY_POINT_CREATED)',
      'AWS Config: aurora-last-backup-recovery-point-created',
      'AWS Config: dynamodb-last-backup-recovery-point-created',
      'AWS Config: s3-last-backup-recovery-point-created',
    ],
  },
  {
    id: 'backup-copy-cross-region',
    title: 'Backup copies in the recovery region',
    description:
      'Each primary store has a completed AWS Backup copy job to a vault in the recovery region, so backups survive the loss of the primary region (and protect against corruption that replication copies too).',
    area: 'AWS Backup',
    references: [
      'Backup Audit Manager: Cross-Region backup copy is scheduled (BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION)',
    ],
  },
  {
    id: 'backup-restore-tested',
    title: 'Restore tested within RTO',
    description:
      "Each primary store has a completed restore (a restore testing plan's job or a manual restore) newer than the tier's restoreTestWithinDays, and that restore took no longer than the tier's RTO. A measured restore is stronger evidence than an estimate.",
    area: 'AWS Backup',
    references: [
      'Backup Audit Manager: Restore time for resources meet target (RESTORE_TIME_FOR_RESOURCES_MEET_TARGET)',
      'AWS Config: aurora-meets-restore-time-target',
      'AWS Config: dynamodb-meets-restore-time-target',
      'AWS Config: s3-meets-restore-time-target',
    ],
  },
  {
    id: 'dynamodb-pitr',
    title: 'DynamoDB point-in-time recovery',
    description:
      'Every DynamoDB table of the service, replicas included, has point-in-time recovery enabled (restore to any second of the last 35 days).',
    area: 'DynamoDB',
    references: ['AWS Config: dynamodb-pitr-enabled'],
  },
  {
    id: 'dynamodb-global-table',
    title: 'DynamoDB global table',
    description:
      'Each primary DynamoDB table is a global table with a replica in the recovery region.',
    area: 'DynamoDB',
    references: [
      'DynamoDB global tables version 2019.11.21 (DescribeTable Replicas)',
    ],
  },
  {
    id: 's3-versioning',
    title: 'S3 versioning',
    description:
      'Every S3 bucket of the service, replication destinations included, has versioning enabled, so an overwrite or delete can be undone (and replication is possible at all).',
    area: 'S3',
    references: ['AWS Config: s3-bucket-versioning-enabled'],
  },
  {
    id: 's3-replication',
    title: 'S3 cross-Region replication',
    description:
      'Each primary S3 bucket has an enabled replication rule to a bucket outside its own region (the recovery region, when the destination is known to the scan).',
    area: 'S3',
    references: [
      'AWS Config: s3-bucket-replication-enabled',
      'AWS Config: s3-bucket-cross-region-replication-enabled',
    ],
  },
  {
    id: 'elasticache-failover',
    title: 'ElastiCache automatic failover',
    description:
      'Each primary ElastiCache replication group has automatic failover and Multi-AZ enabled, so a failed primary node is replaced by a replica in another AZ.',
    area: 'ElastiCache',
    references: ['AWS Config: elasticache-repl-grp-auto-failover-enabled'],
  },
  {
    id: 'elasticache-global-datastore',
    title: 'ElastiCache global datastore',
    description:
      'Each primary ElastiCache replication group is in a global datastore with a member in the recovery region.',
    area: 'ElastiCache',
    references: [
      'ElastiCache global datastore (DescribeGlobalReplicationGroups)',
    ],
  },
  {
    id: 'route53-failover',
    title: 'Route 53 failover',
    description:
      "The service's public hostname has a Route 53 health check and PRIMARY and SECONDARY failover records, so traffic moves to the recovery region without a DNS change by hand.",
    area: 'Route 53',
    references: [
      'Route 53 failover routing (ListResourceRecordSets, ListHealthChecks)',
    ],
  },
  {
    id: 'kms-multi-region',
    title: 'KMS multi-Region keys',
    description:
      'Each KMS key of the service outside the recovery region is a multi-Region key with a replica in the recovery region; without it, replicated data and backup copies cannot be decrypted there.',
    area: 'KMS',
    references: [
      'KMS multi-Region keys (DescribeKey MultiRegionConfiguration)',
    ],
  },
  {
    id: 'secrets-replicated',
    title: 'Secrets replicated',
    description:
      'Each Secrets Manager secret of the service outside the recovery region is replicated to the recovery region and InSync, so the service can start there with its credentials.',
    area: 'Secrets Manager',
    references: [
      'Secrets Manager replication (DescribeSecret ReplicationStatus)',
    ],
  },
];

/** Control ids in catalogue order. */
export const DR_CONTROL_IDS: string[] = DR_CONTROLS.map(control => control.id);

/** Looks a control up by id. */
export function findDrControl(id: string): ControlDefinition | undefined {
  return DR_CONTROLS.find(control => control.id === id);
}

/** Levenshtein distance, for "did you mean" suggestions on mistyped ids. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest known id to a mistyped one, when it is close enough to be a typo. */
export function closestId(value: string, known: string[]): string | undefined {
  const lower = value.toLowerCase();
  // An AWS Config rule name often contains our id (dynamodb-pitr-enabled -> dynamodb-pitr).
  const inside = known.filter(id => lower.includes(id));
  if (inside.length > 0)
    return [...inside].sort((a, b) => b.length - a.length)[0];
  // A fragment that names exactly one id (multi-az -> rds-multi-az); several matches are a guess.
  const around = known.filter(id => lower.length >= 4 && id.includes(lower));
  if (around.length === 1) return around[0];
  let best: { id: string; distance: number } | undefined;
  for (const id of known) {
    const distance = editDistance(lower, id);
    if (!best || distance < best.distance) best = { id, distance };
  }
  const tolerance = Math.max(2, Math.floor(value.length / 4));
  return best && best.distance <= tolerance ? best.id : undefined;
}

/** `"x" is not a control; did you mean "y"? Known: ...`, for config and API errors alike. */
export function unknownControlMessage(
  value: string,
  known: string[] = DR_CONTROL_IDS,
): string {
  const suggestion = closestId(value, known);
  const hint = suggestion ? `; did you mean "${suggestion}"?` : '.';
  return `${JSON.stringify(value)} is not a control${hint} Known: ${known.join(
    ', ',
  )}`;
}
