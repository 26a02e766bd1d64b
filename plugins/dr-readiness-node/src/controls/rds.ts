import {
  encryptionVerdict,
  backupOf,
  factsOf,
  inTargetRegion,
  listNames,
  regionsText,
  replicaTarget,
  targetLabel,
  TYPE_LABEL,
} from './support';
import type { ResourceControl } from './types';

const rdsNoun: [string, string] = TYPE_LABEL['rds:cluster'];

/** Aurora/RDS clusters (DescribeDBClusters, DescribeGlobalClusters); rds-backup-cross-region also reads AWS Backup copies. */
export const RDS_CONTROLS: ResourceControl[] = [
  {
    kind: 'resource',
    id: 'rds-global-or-replica',
    title: 'Aurora cross-Region replica',
    description:
      'Each primary Aurora/RDS cluster is a member of a global cluster with a member in the recovery region, or has a cross-Region read replica cluster there. Replication, not backups, is what carries an RPO of minutes through a regional outage.',
    area: 'Aurora/RDS',
    references: [
      'Aurora global database (DescribeGlobalClusters)',
      'RDS cross-Region read replica (ReadReplicaIdentifiers)',
    ],
    evidence: ['globalCluster', 'replicaRegions'],
    types: ['rds:cluster'],
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
      const facts = factsOf(resource, 'rds:cluster');
      const target = replicaTarget(ctx, resource.region);
      const globalRegions = (facts.globalCluster?.memberRegions ?? []).filter(
        r => r !== resource.region,
      );
      const replicaRegions = facts.replicaRegions.filter(
        r => r !== resource.region,
      );
      const used = {
        globalCluster: facts.globalCluster ?? null,
        replicaRegions: facts.replicaRegions,
      };
      if (target.ok(globalRegions)) {
        return {
          status: 'pass',
          detail: `global cluster ${
            facts.globalCluster?.identifier
          } has a member in ${regionsText(globalRegions)}`,
          used,
        };
      }
      if (target.ok(replicaRegions)) {
        return {
          status: 'pass',
          detail: `cross-Region replica cluster in ${regionsText(
            replicaRegions,
          )}`,
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
    fix: (failing, ctx) =>
      `Add ${listNames(
        failing.map(o => o.name),
      )} to an aws_rds_global_cluster (global_cluster_identifier on the aws_rds_cluster) with a secondary aws_rds_cluster in ${targetLabel(
        ctx,
      )}, or create a cross-Region replica cluster there (replication_source_identifier).`,
  },
  {
    kind: 'resource',
    id: 'rds-multi-az',
    title: 'Aurora Multi-AZ',
    description:
      'Each primary Aurora/RDS cluster has instances in more than one Availability Zone (MultiAZ), so losing an AZ is a failover of about a minute rather than a restore.',
    area: 'Aurora/RDS',
    references: [
      'AWS Config: rds-cluster-multi-az-enabled',
      'AWS Config: rds-multi-az-support',
    ],
    evidence: ['multiAz'],
    types: ['rds:cluster'],
    covers: 'primary',
    usesDescribe: true,
    noun: rdsNoun,
    fails: ['is not Multi-AZ', 'are not Multi-AZ'],
    passes: ['is Multi-AZ', 'are Multi-AZ'],
    verdict(resource) {
      const facts = factsOf(resource, 'rds:cluster');
      const used = { multiAz: facts.multiAz };
      return facts.multiAz
        ? {
            status: 'pass',
            detail: 'MultiAZ: instances in more than one Availability Zone',
            used,
          }
        : {
            status: 'fail',
            detail: 'MultiAZ false: every instance is in one Availability Zone',
            used,
          };
    },
    fix: failing =>
      `Add an aws_rds_cluster_instance (a reader, which Aurora promotes on failover) in a second Availability Zone to ${listNames(
        failing.map(o => o.name),
      )}; DescribeDBClusters then reports MultiAZ true.`,
  },
  {
    kind: 'resource',
    id: 'rds-backup-retention',
    title: 'Aurora backup retention',
    description:
      "Each primary Aurora/RDS cluster keeps automated backups at least the tier's backupRetentionDays, so a corruption noticed late can still be restored to a point before it.",
    area: 'Aurora/RDS',
    references: [
      'AWS Config: db-instance-backup-enabled (backupRetentionMinimum)',
      'Backup Audit Manager: Backup plan has minimum frequency and minimum retention',
    ],
    evidence: ['backupRetentionDays'],
    types: ['rds:cluster'],
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
      const facts = factsOf(resource, 'rds:cluster');
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
      } (or more) on the aws_rds_cluster ${listNames(
        failing.map(o => o.name),
      )}.`,
  },
  {
    kind: 'resource',
    id: 'rds-deletion-protection',
    title: 'Aurora deletion protection',
    description:
      'Every Aurora/RDS cluster of the service, recovery copies included, has deletion protection on, so neither a mistaken apply nor a console click can delete the database.',
    area: 'Aurora/RDS',
    references: ['AWS Config: rds-cluster-deletion-protection-enabled'],
    evidence: ['deletionProtection'],
    types: ['rds:cluster'],
    covers: 'all',
    usesDescribe: true,
    noun: rdsNoun,
    fails: ['has deletion protection off', 'have deletion protection off'],
    passes: ['has deletion protection on', 'have deletion protection on'],
    verdict(resource) {
      const facts = factsOf(resource, 'rds:cluster');
      const used = { deletionProtection: facts.deletionProtection };
      return facts.deletionProtection
        ? { status: 'pass', detail: 'deletion protection on', used }
        : { status: 'fail', detail: 'deletion protection off', used };
    },
    fix: failing =>
      `Set deletion_protection = true on the aws_rds_cluster ${listNames(
        failing.map(o => o.name),
      )}.`,
  },
  {
    kind: 'resource',
    id: 'rds-encrypted-kms',
    title: 'Aurora encrypted with KMS',
    description:
      'Every Aurora/RDS cluster, recovery copies included, has storage encrypted with a KMS key. Encryption cannot be turned on later without a restore, which is why it is checked before it is needed.',
    area: 'Aurora/RDS',
    references: [
      'AWS Config: rds-cluster-encrypted-at-rest',
      'AWS Config: rds-storage-encrypted',
    ],
    evidence: ['storageEncrypted', 'kmsKeyId'],
    types: ['rds:cluster'],
    covers: 'all',
    usesDescribe: true,
    noun: rdsNoun,
    fails: ['is not encrypted', 'are not encrypted'],
    passes: ['is encrypted with KMS', 'are encrypted with KMS'],
    verdict(resource) {
      const facts = factsOf(resource, 'rds:cluster');
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
      )} with a customer managed KMS key, restore it as a new aws_rds_cluster with storage_encrypted = true and kms_key_id set, and switch over.`,
  },
  {
    kind: 'resource',
    id: 'rds-backup-cross-region',
    title: 'Aurora backups in the recovery region',
    description:
      'Each primary Aurora/RDS cluster has its backups in the recovery region: an AWS Backup copy job completed to a vault there, or a global cluster member there.',
    area: 'Aurora/RDS',
    references: [
      'Backup Audit Manager: Cross-Region backup copy is scheduled (BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION)',
    ],
    evidence: ['globalCluster', 'backupCopyRegions'],
    types: ['rds:cluster'],
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
      const facts = factsOf(resource, 'rds:cluster');
      const target = replicaTarget(ctx, resource.region);
      const globalRegions = (facts.globalCluster?.memberRegions ?? []).filter(
        r => r !== resource.region,
      );
      if (target.ok(globalRegions)) {
        return {
          status: 'pass',
          detail: `global cluster member in ${regionsText(globalRegions)}`,
          used: { globalCluster: facts.globalCluster ?? null },
        };
      }
      const backup = backupOf(resource, ctx.facts);
      if (typeof backup === 'string') {
        return {
          status: 'error',
          detail: `no global cluster member in ${target.label}, and ${backup}`,
          used: { globalCluster: facts.globalCluster ?? null },
        };
      }
      const used = {
        globalCluster: facts.globalCluster ?? null,
        backupCopyRegions: backup.copyRegions,
      };
      return inTargetRegion(target, backup.copyRegions, used, {
        pass: 'AWS Backup copies in',
        missing: 'no AWS Backup copy and no global cluster member in',
        found: 'copies',
      });
    },
    fix: (failing, ctx) =>
      `Add copy_action { destination_vault_arn = <a vault in ${targetLabel(
        ctx,
      )}> } to the aws_backup_plan rule that backs up ${listNames(
        failing.map(o => o.name),
      )}, or add a secondary cluster in ${targetLabel(
        ctx,
      )} to its aws_rds_global_cluster.`,
  },
];
