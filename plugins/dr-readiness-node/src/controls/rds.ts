import {
  encryptionVerdict,
  backupOf,
  factsOf,
  inTargetRegion,
  listNames,
  regionsText,
  replicaTarget,
  targetLabel,
  SHORT_TYPE,
} from './support';
import type { ResourceControl } from './types';
import type {
  CollectedResource,
  DrResourceType,
  RdsClusterFacts,
  RdsInstanceFacts,
} from '@internal/dr-readiness-common';

const rdsNoun: [string, string] = ['database', 'databases'];

/** How the shared evaluation names an RDS DB instance's kind beside Aurora clusters. */
const TYPE_LABEL_SHORT_RDS = SHORT_TYPE['rds:db'];

/** The global cluster an Aurora cluster is a member of (RDS DB instances have none). */
const globalOf = (facts: RdsClusterFacts | RdsInstanceFacts) =>
  facts.kind === 'rds:cluster' ? facts.globalCluster : undefined;

/** Aurora clusters and the RDS DB instances that belong to no cluster. */
const RDS_TYPES: DrResourceType[] = ['rds:cluster', 'rds:db'];

/** The facts of an Aurora cluster or an RDS DB instance. */
function dbFactsOf(
  resource: CollectedResource,
): RdsClusterFacts | RdsInstanceFacts {
  return resource.facts?.kind === 'rds:db'
    ? factsOf(resource, 'rds:db')
    : factsOf(resource, 'rds:cluster');
}

/** The Terraform resources of the failing databases, by kind: `aws_rds_cluster a; aws_db_instance b`. */
function terraformNames(failing: Array<{ plainName: string; kind?: string }>) {
  const clusters = failing.filter(o => o.kind !== TYPE_LABEL_SHORT_RDS);
  const instances = failing.filter(o => o.kind === TYPE_LABEL_SHORT_RDS);
  return [
    clusters.length > 0
      ? `the aws_rds_cluster ${listNames(clusters.map(o => o.plainName))}`
      : '',
    instances.length > 0
      ? `the aws_db_instance ${listNames(instances.map(o => o.plainName))}`
      : '',
  ]
    .filter(Boolean)
    .join(' and ');
}

/** Aurora clusters (DescribeDBClusters, DescribeGlobalClusters) and RDS DB instances (DescribeDBInstances); rds-backup-cross-region also reads AWS Backup copies. */
export const RDS_CONTROLS: ResourceControl[] = [
  {
    kind: 'resource',
    id: 'rds-global-or-replica',
    basis: {
      calls: [
        'rds:DescribeDBClusters',
        'rds:DescribeGlobalClusters',
        'rds:DescribeDBInstances',
        'tagging:GetResources',
      ],
      proves:
        'the Aurora cluster is a member of a global cluster with a member in the recovery region, or has a cross-Region read replica (cluster or DB instance) there, as RDS reports it now.',
      cannotProve:
        "replication lag (see replication-lag-within-rpo), that the secondary can be promoted in time, nor the health of the replica's own instances.",
    },
    title: 'Aurora cross-Region replica',
    description:
      'Each primary Aurora cluster is a member of a global cluster with a member in the recovery region, or has a cross-Region read replica cluster there; each primary RDS DB instance has a cross-Region read replica there (ReadReplicaDBInstanceIdentifiers). Replication, not backups, is what carries an RPO of minutes through a regional outage.',
    area: 'Aurora/RDS',
    references: [
      'Aurora global database (DescribeGlobalClusters)',
      'RDS cross-Region read replica (ReadReplicaIdentifiers, ReadReplicaDBInstanceIdentifiers)',
    ],
    evidence: ['globalCluster', 'replicaRegions'],
    types: RDS_TYPES,
    covers: 'primary',
    usesDescribe: true,
    noun: rdsNoun,
    fails: [
      'has no replica in the recovery region',
      'have no replica in the recovery region',
    ],
    passes: [
      'is replicated to the recovery region',
      'are replicated to the recovery region',
    ],
    verdict(resource, ctx) {
      const facts = dbFactsOf(resource);
      const target = replicaTarget(ctx, resource.region);
      const globalCluster = globalOf(facts);
      const globalRegions = (globalCluster?.memberRegions ?? []).filter(
        r => r !== resource.region,
      );
      const replicaRegions = facts.replicaRegions.filter(
        r => r !== resource.region,
      );
      const used = {
        globalCluster: globalCluster ?? null,
        replicaRegions: facts.replicaRegions,
      };
      if (target.ok(globalRegions)) {
        return {
          status: 'pass',
          detail: `global cluster ${
            globalCluster?.identifier
          } has a member in ${regionsText(globalRegions)}`,
          used,
        };
      }
      if (target.ok(replicaRegions)) {
        return {
          status: 'pass',
          detail: `cross-Region replica ${
            facts.kind === 'rds:db' ? 'instance' : 'cluster'
          } in ${regionsText(replicaRegions)}`,
          used,
        };
      }
      const elsewhere = [...new Set([...globalRegions, ...replicaRegions])];
      const detail =
        elsewhere.length > 0
          ? `replicated to ${regionsText(elsewhere)}, not to ${target.label}`
          : `not in a global cluster and no cross-Region replica; needs one in ${target.label}`;
      return {
        status: 'fail',
        detail,
        note:
          elsewhere.length > 0 ? `only ${regionsText(elsewhere)}` : undefined,
        used,
      };
    },
    fix(failing, ctx) {
      const clusters = failing.filter(o => o.kind !== TYPE_LABEL_SHORT_RDS);
      const instances = failing.filter(o => o.kind === TYPE_LABEL_SHORT_RDS);
      const parts: string[] = [];
      if (clusters.length > 0)
        parts.push(
          `Add ${listNames(
            clusters.map(o => o.plainName),
          )} to an aws_rds_global_cluster (global_cluster_identifier on the aws_rds_cluster) with a secondary aws_rds_cluster in ${targetLabel(
            ctx,
          )}, or create a cross-Region replica cluster there (replication_source_identifier).`,
        );
      if (instances.length > 0)
        parts.push(
          `Create an aws_db_instance in ${targetLabel(
            ctx,
          )} with replicate_source_db set to the ARN of ${listNames(
            instances.map(o => o.plainName),
          )}.`,
        );
      return parts.join(' ');
    },
  },
  {
    kind: 'resource',
    id: 'rds-multi-az',
    basis: {
      calls: ['rds:DescribeDBClusters', 'rds:DescribeDBInstances'],
      proves:
        'RDS reports MultiAZ: the cluster has instances in more than one Availability Zone, or the DB instance has a standby in another one.',
      cannotProve:
        'that a failover completes within the RTO, nor the instance classes of the readers.',
    },
    title: 'Aurora Multi-AZ',
    description:
      'Each primary Aurora cluster has instances in more than one Availability Zone (DescribeDBClusters MultiAZ), and each primary RDS DB instance has a Multi-AZ standby (DescribeDBInstances MultiAZ), so losing an AZ is a failover of about a minute rather than a restore.',
    area: 'Aurora/RDS',
    references: [
      'AWS Config: rds-cluster-multi-az-enabled',
      'AWS Config: rds-multi-az-support',
    ],
    evidence: ['multiAz'],
    types: RDS_TYPES,
    covers: 'primary',
    usesDescribe: true,
    noun: rdsNoun,
    fails: ['is not Multi-AZ', 'are not Multi-AZ'],
    passes: ['is Multi-AZ', 'are Multi-AZ'],
    verdict(resource) {
      const facts = dbFactsOf(resource);
      const used = { multiAz: facts.multiAz };
      const instance = facts.kind === 'rds:db';
      if (facts.multiAz)
        return {
          status: 'pass',
          detail: instance
            ? 'MultiAZ: a standby in another Availability Zone'
            : 'MultiAZ: instances in more than one Availability Zone',
          used,
        };
      return {
        status: 'fail',
        detail: instance
          ? `MultiAZ false: a single-AZ instance${
              facts.availabilityZone ? ` in ${facts.availabilityZone}` : ''
            }`
          : 'MultiAZ false: every instance is in one Availability Zone',
        note: instance ? 'single-AZ' : undefined,
        used,
      };
    },
    fix(failing) {
      const clusters = failing.filter(o => o.kind !== TYPE_LABEL_SHORT_RDS);
      const instances = failing.filter(o => o.kind === TYPE_LABEL_SHORT_RDS);
      const parts: string[] = [];
      if (clusters.length > 0)
        parts.push(
          `Add an aws_rds_cluster_instance (a reader, which Aurora promotes on failover) in a second Availability Zone to ${listNames(
            clusters.map(o => o.plainName),
          )}; DescribeDBClusters then reports MultiAZ true.`,
        );
      if (instances.length > 0)
        parts.push(
          `Set multi_az = true on the aws_db_instance ${listNames(
            instances.map(o => o.plainName),
          )}.`,
        );
      return parts.join(' ');
    },
  },
  {
    kind: 'resource',
    id: 'rds-backup-retention',
    basis: {
      calls: ['rds:DescribeDBClusters', 'rds:DescribeDBInstances'],
      proves:
        "BackupRetentionPeriod of the cluster or DB instance is at least the tier's backupRetentionDays.",
      cannotProve:
        'that automated backups succeed, nor that a point-in-time restore works (see backup-restore-tested).',
    },
    title: 'Aurora backup retention',
    description:
      "Each primary Aurora cluster and RDS DB instance keeps automated backups (BackupRetentionPeriod) at least the tier's backupRetentionDays, so a corruption noticed late can still be restored to a point before it.",
    area: 'Aurora/RDS',
    references: [
      'AWS Config: db-instance-backup-enabled (backupRetentionMinimum)',
      'Backup Audit Manager: Backup plan has minimum frequency and minimum retention',
    ],
    evidence: ['backupRetentionDays'],
    types: RDS_TYPES,
    covers: 'primary',
    usesDescribe: true,
    noun: rdsNoun,
    fails: [
      'keeps automated backups too briefly',
      'keep automated backups too briefly',
    ],
    passes: [
      'keeps automated backups long enough',
      'keep automated backups long enough',
    ],
    requirement: tier =>
      tier.backupRetentionDays === undefined
        ? 'backupRetentionDays'
        : { backupRetentionDays: tier.backupRetentionDays },
    verdict(resource, ctx) {
      const facts = dbFactsOf(resource);
      const required = ctx.tier.backupRetentionDays ?? 0;
      const used = { backupRetentionDays: facts.backupRetentionDays };
      const detail = `backup retention ${facts.backupRetentionDays} days, ${ctx.tier.id} requires ${required}`;
      return facts.backupRetentionDays >= required
        ? { status: 'pass', detail, used }
        : {
            status: 'fail',
            detail,
            note: `${facts.backupRetentionDays} days`,
            used,
          };
    },
    fix: (failing, ctx) =>
      `Set backup_retention_period = ${
        ctx.tier.backupRetentionDays
      } (or more) on ${terraformNames(failing)}.`,
  },
  {
    kind: 'resource',
    id: 'rds-deletion-protection',
    basis: {
      calls: ['rds:DescribeDBClusters', 'rds:DescribeDBInstances'],
      proves:
        'DeletionProtection is on for every cluster and DB instance, recovery copies included.',
      cannotProve:
        'protection against someone allowed to turn it off first, nor deletion of snapshots or recovery points.',
    },
    title: 'Aurora deletion protection',
    description:
      'Every Aurora cluster and RDS DB instance of the service, recovery copies included, has deletion protection on, so neither a mistaken apply nor a console click can delete the database.',
    area: 'Aurora/RDS',
    references: [
      'AWS Config: rds-cluster-deletion-protection-enabled',
      'AWS Config: rds-instance-deletion-protection-enabled',
    ],
    evidence: ['deletionProtection'],
    types: RDS_TYPES,
    covers: 'all',
    usesDescribe: true,
    noun: rdsNoun,
    fails: ['has deletion protection off', 'have deletion protection off'],
    passes: ['has deletion protection on', 'have deletion protection on'],
    verdict(resource) {
      const facts = dbFactsOf(resource);
      const used = { deletionProtection: facts.deletionProtection };
      return facts.deletionProtection
        ? { status: 'pass', detail: 'deletion protection on', used }
        : { status: 'fail', detail: 'deletion protection off', used };
    },
    fix: failing =>
      `Set deletion_protection = true on ${terraformNames(failing)}.`,
  },
  {
    kind: 'resource',
    id: 'rds-encrypted-kms',
    basis: {
      calls: ['rds:DescribeDBClusters', 'rds:DescribeDBInstances'],
      proves:
        'StorageEncrypted is on, with the KMS key RDS names, for every cluster and DB instance, recovery copies included.',
      cannotProve:
        'that the key is usable in the recovery region (see kms-multi-region), nor who may use it.',
    },
    title: 'Aurora encrypted with KMS',
    description:
      'Every Aurora cluster and RDS DB instance, recovery copies included, has storage encrypted with a KMS key. Encryption cannot be turned on later without a restore, which is why it is checked before it is needed.',
    area: 'Aurora/RDS',
    references: [
      'AWS Config: rds-cluster-encrypted-at-rest',
      'AWS Config: rds-storage-encrypted',
    ],
    evidence: ['storageEncrypted', 'kmsKeyId'],
    types: RDS_TYPES,
    covers: 'all',
    usesDescribe: true,
    noun: rdsNoun,
    fails: ['is not encrypted', 'are not encrypted'],
    passes: ['is encrypted with KMS', 'are encrypted with KMS'],
    verdict(resource) {
      const facts = dbFactsOf(resource);
      return encryptionVerdict(
        'storageEncrypted',
        facts.storageEncrypted,
        facts.kmsKeyId,
        key =>
          `storage encrypted with KMS key ${key ?? '(default aws/rds key)'}`,
        'storage not encrypted',
      );
    },
    fix: failing =>
      `Encryption cannot be turned on in place: copy a snapshot of ${listNames(
        failing.map(o => o.name),
      )} with a customer managed KMS key, restore it as a new aws_rds_cluster (or aws_db_instance) with storage_encrypted = true and kms_key_id set, and switch over.`,
  },
  {
    kind: 'resource',
    id: 'rds-backup-cross-region',
    basis: {
      calls: [
        'rds:DescribeDBClusters',
        'rds:DescribeDBInstances',
        'backup:ListCopyJobs',
      ],
      proves:
        'a backup of the database exists outside its region: a completed AWS Backup copy job to a vault in the recovery region, or (DB instances) automated backups replicated there. Global cluster membership and read replicas are replication and never count.',
      cannotProve:
        'manual snapshot copies (not read), that the copy restores, nor how recent it is (see backup-copy-cross-region).',
    },
    title: 'Aurora/RDS backups in the recovery region',
    description:
      'Each primary Aurora cluster and RDS DB instance has backups in the recovery region: an AWS Backup copy job completed to a vault there (BackupFacts.copyRegions from ListCopyJobs), or, for an RDS DB instance, automated backups replicated there (DescribeDBInstances DBInstanceAutomatedBackupsReplications). Global cluster membership and read replicas do not count: replication carries a deletion or a corruption to the other region within seconds, so it is no backup. Not proven here: manual snapshot copies (DescribeDBClusterSnapshots in the recovery region are not read), nor whether the newest copy is recent enough (see the recovery point controls).',
    area: 'Aurora/RDS',
    references: [
      'Backup Audit Manager: Cross-Region backup copy is scheduled (BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION)',
      'RDS cross-Region automated backups (DBInstanceAutomatedBackupsReplications)',
    ],
    evidence: [
      'globalCluster',
      'automatedBackupReplicationRegions',
      'backupCopyRegions',
    ],
    types: RDS_TYPES,
    covers: 'primary',
    usesBackup: true,
    usesDescribe: true,
    noun: rdsNoun,
    fails: [
      'has no backups in the recovery region',
      'have no backups in the recovery region',
    ],
    passes: [
      'has backups in the recovery region',
      'have backups in the recovery region',
    ],
    verdict(resource, ctx) {
      const facts = dbFactsOf(resource);
      const target = replicaTarget(ctx, resource.region);
      const globalCluster = globalOf(facts);
      const replicated =
        facts.kind === 'rds:db' ? facts.automatedBackupReplicationRegions : [];
      const base = {
        globalCluster: globalCluster ?? null,
        ...(facts.kind === 'rds:db'
          ? { automatedBackupReplicationRegions: replicated }
          : {}),
      };
      if (target.ok(replicated)) {
        return {
          status: 'pass',
          detail: `automated backups replicated to ${regionsText(replicated)}`,
          used: base,
        };
      }
      // Replication is shown, never counted: it would carry a bad write to the recovery region too.
      const replicationNote = (globalCluster?.memberRegions ?? []).some(
        r => r !== resource.region,
      )
        ? ` (global cluster ${globalCluster?.identifier} is replication, not a backup)`
        : '';
      const backup = backupOf(resource, ctx.facts);
      if (typeof backup === 'string') {
        return {
          status: 'error',
          detail: `${backup}${replicationNote}`,
          used: base,
        };
      }
      const verdict = inTargetRegion(
        target,
        backup.copyRegions,
        { ...base, backupCopyRegions: backup.copyRegions },
        {
          pass: 'AWS Backup copies in',
          missing: 'no AWS Backup copy in',
          found: 'copies',
        },
      );
      return verdict.status === 'fail'
        ? {
            ...verdict,
            detail: `${verdict.detail}${replicationNote}`,
            note: replicationNote ? 'global cluster only' : undefined,
          }
        : verdict;
    },
    fix(failing, ctx) {
      const instances = failing.filter(o => o.kind === TYPE_LABEL_SHORT_RDS);
      const parts = [
        `Add copy_action { destination_vault_arn = <a vault in ${targetLabel(
          ctx,
        )}> } to the aws_backup_plan rule that backs up ${listNames(
          failing.map(o => o.plainName),
        )}.`,
      ];
      if (instances.length > 0)
        parts.push(
          `For ${listNames(
            instances.map(o => o.plainName),
          )}, an aws_db_instance_automated_backups_replication to ${targetLabel(
            ctx,
          )} also counts.`,
        );
      return parts.join(' ');
    },
  },
];
