import type {
  BackupFacts,
  CollectedResource,
  DrResourceType,
} from '@internal/dr-readiness-common';
import {
  backupOf,
  formatMinutes,
  inTargetRegion,
  listNames,
  minutesBetween,
  replicaTarget,
  targetLabel,
} from './support';
import type { CheckContext, ResourceControl, Verdict } from './types';

/** The stores AWS Backup protects here: what the AWS Backup controls look at. */
export const BACKUP_TYPES: DrResourceType[] = [
  'rds:cluster',
  'dynamodb:table',
  's3:bucket',
];

const storeNoun: [string, string] = ['data store', 'data stores'];

/** An AWS Backup control: primaries of the backup types, judged on their AWS Backup facts. */
function backupControl(
  spec: Omit<
    ResourceControl,
    | 'kind'
    | 'types'
    | 'covers'
    | 'usesBackup'
    | 'usesDescribe'
    | 'noun'
    | 'verdict'
  > & {
    verdict(
      backup: BackupFacts,
      resource: CollectedResource,
      ctx: CheckContext,
    ): Verdict;
  },
): ResourceControl {
  return {
    ...spec,
    kind: 'resource',
    types: BACKUP_TYPES,
    covers: 'primary',
    usesBackup: true,
    usesDescribe: false,
    noun: storeNoun,
    verdict(resource, ctx) {
      const backup = backupOf(resource, ctx.facts);
      if (typeof backup === 'string')
        return { status: 'error', detail: backup };
      return spec.verdict(backup, resource, ctx);
    },
  };
}

/** AWS Backup: protection, recovery points, cross-Region copies and tested restores of the stores it protects. */
export const BACKUP_CONTROLS: ResourceControl[] = [
  backupControl({
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
    evidence: ['protectedByPlan', 'planNames'],
    fails: [
      'is not protected by AWS Backup',
      'are not protected by AWS Backup',
    ],
    passes: ['is protected by AWS Backup', 'are protected by AWS Backup'],
    verdict(backup) {
      const used = {
        protectedByPlan: backup.protectedByPlan,
        planNames: backup.planNames,
      };
      if (!backup.protectedByPlan)
        return {
          status: 'fail',
          detail:
            'not in ListProtectedResources: no backup plan has backed it up',
          used,
        };
      const plans =
        backup.planNames.length > 0 ? ` by ${backup.planNames.join(', ')}` : '';
      return {
        status: 'pass',
        detail: `backed up by AWS Backup${plans}`,
        used,
      };
    },
    fix: (failing, ctx) =>
      `Select ${listNames(
        failing.map(o => o.name),
      )} in an AWS Backup plan: an aws_backup_selection with resources = [<ARN>] or selection_tag { key = "service", value = "${
        ctx.facts.service
      }" }.`,
  }),
  backupControl({
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
    evidence: ['newestRecoveryPoint', 'ageMinutes'],
    fails: [
      'has no recovery point within the RPO',
      'have no recovery point within the RPO',
    ],
    passes: [
      'has a recovery point within the RPO',
      'have a recovery point within the RPO',
    ],
    requirement: tier => ({ rpoMinutes: tier.rpoMinutes }),
    verdict(backup, _resource, ctx) {
      const point = backup.newestRecoveryPoint;
      const rpo = ctx.tier.rpoMinutes;
      if (!point) {
        return {
          status: 'fail',
          detail: 'no completed recovery point',
          note: 'none',
          used: { newestRecoveryPoint: null },
        };
      }
      const age = minutesBetween(point.createdAt, ctx.now);
      const used = {
        newestRecoveryPoint: {
          arn: point.arn,
          createdAt: point.createdAt,
          status: point.status,
          vault: point.vault,
        },
        ageMinutes: Number.isFinite(age) ? Math.round(age) : null,
      };
      if (!Number.isFinite(age)) {
        return {
          status: 'error',
          detail: `recovery point ${
            point.arn
          } has an unreadable creation time ${JSON.stringify(point.createdAt)}`,
          used,
        };
      }
      if (point.status !== 'COMPLETED') {
        return {
          status: 'fail',
          detail: `newest recovery point is ${point.status}, not COMPLETED`,
          note: point.status,
          used,
        };
      }
      const detail = `newest recovery point ${formatMinutes(age)} old (${
        point.createdAt
      }), RPO ${formatMinutes(rpo)}`;
      return age <= rpo
        ? { status: 'pass', detail, used }
        : { status: 'fail', detail, note: `${formatMinutes(age)} old`, used };
    },
    fix: (failing, ctx) =>
      `Make the aws_backup_plan rule covering ${listNames(
        failing.map(o => o.name),
      )} run at least every ${formatMinutes(
        ctx.tier.rpoMinutes,
      )} (its schedule expression, or enable_continuous_backup = true for RDS and S3), and look at its failed backup jobs (ListBackupJobs ByState FAILED).`,
  }),
  backupControl({
    id: 'backup-copy-cross-region',
    title: 'Backup copies in the recovery region',
    description:
      'Each primary store has a completed AWS Backup copy job to a vault in the recovery region, so backups survive the loss of the primary region (and protect against corruption that replication copies too).',
    area: 'AWS Backup',
    references: [
      'Backup Audit Manager: Cross-Region backup copy is scheduled (BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION)',
    ],
    evidence: ['copyRegions'],
    fails: [
      'has no backup copy in the recovery region',
      'have no backup copy in the recovery region',
    ],
    passes: [
      'has backup copies in the recovery region',
      'have backup copies in the recovery region',
    ],
    verdict(backup, resource, ctx) {
      const target = replicaTarget(ctx, resource.region);
      const used = { copyRegions: backup.copyRegions };
      return inTargetRegion(target, backup.copyRegions, used, {
        pass: 'completed copy jobs to',
        missing: 'no completed copy job to',
        found: 'copies',
      });
    },
    fix: (failing, ctx) =>
      `Add copy_action { destination_vault_arn = <a vault in ${targetLabel(
        ctx,
      )}> } to the aws_backup_plan rule covering ${listNames(
        failing.map(o => o.name),
      )}.`,
  }),
  backupControl({
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
    evidence: ['latestRestore'],
    fails: [
      'has no recent restore within the RTO',
      'have no recent restore within the RTO',
    ],
    passes: [
      'has a recent restore within the RTO',
      'have a recent restore within the RTO',
    ],
    requirement: tier =>
      tier.restoreTestWithinDays === undefined
        ? 'restoreTestWithinDays'
        : {
            restoreTestWithinDays: tier.restoreTestWithinDays,
            rtoMinutes: tier.rtoMinutes,
          },
    verdict(backup, _resource, ctx) {
      const restore = backup.latestRestore;
      const withinDays = ctx.tier.restoreTestWithinDays ?? 0;
      const rto = ctx.tier.rtoMinutes;
      if (!restore) {
        return {
          status: 'fail',
          detail: 'no completed restore job on record',
          note: 'never restored',
          cause: 'stale',
          used: { latestRestore: null },
        };
      }
      const used = { latestRestore: restore };
      const ageDays = minutesBetween(restore.completedAt, ctx.now) / 1440;
      if (!Number.isFinite(ageDays)) {
        return {
          status: 'error',
          detail: `restore job ${
            restore.jobId
          } has an unreadable completion time ${JSON.stringify(
            restore.completedAt,
          )}`,
          used,
        };
      }
      const how = restore.restoreTestingPlan
        ? `restore testing plan ${restore.restoreTestingPlan}`
        : 'a manual restore';
      const problems: string[] = [];
      if (restore.status !== 'COMPLETED')
        problems.push(`last restore job ${restore.jobId} is ${restore.status}`);
      if (ageDays > withinDays)
        problems.push(
          `last restore ${Math.floor(ageDays)} days ago, ${
            ctx.tier.id
          } requires one within ${withinDays}`,
        );
      const stale = problems.length > 0;
      if (restore.durationMinutes > rto)
        problems.push(
          `restore took ${formatMinutes(
            restore.durationMinutes,
          )}, over the ${formatMinutes(rto)} RTO`,
        );
      if (problems.length > 0) {
        return {
          status: 'fail',
          detail: `${problems.join('; ')} (${how})`,
          note: problems.join('; '),
          cause: stale ? 'stale' : 'slow',
          used,
        };
      }
      return {
        status: 'pass',
        detail: `restored ${restore.completedAt} by ${how} in ${formatMinutes(
          restore.durationMinutes,
        )} (RTO ${formatMinutes(rto)})`,
        used,
      };
    },
    fix(failing, ctx) {
      const stale = failing.filter(o => o.cause === 'stale');
      const slow = failing.filter(o => o.detail.includes('over the'));
      const parts: string[] = [];
      if (stale.length > 0) {
        parts.push(
          `Restore-test ${listNames(stale.map(o => o.name))} at least every ${
            ctx.tier.restoreTestWithinDays
          } days: an aws_backup_restore_testing_plan with an aws_backup_restore_testing_selection covering ${
            stale.length === 1 ? 'it' : 'them'
          } (or run a restore and let it complete).`,
        );
      }
      if (slow.length > 0) {
        parts.push(
          `Restores of ${listNames(
            slow.map(o => o.name),
          )} take longer than the ${formatMinutes(
            ctx.tier.rtoMinutes,
          )} RTO: restore to a larger instance class (restore_metadata_overrides in the restore testing selection), reduce what must be restored, or recover through replication and record the measured time with a waiver.`,
        );
      }
      return parts.join(' ');
    },
  }),
];
