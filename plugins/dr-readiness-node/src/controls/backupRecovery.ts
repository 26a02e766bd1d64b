import type { RestoreFacts } from '@internal/dr-readiness-common';
import { backupControl, backupObjective, withCaveat } from './backupSupport';
import {
  formatMinutes,
  listNames,
  minutesBetween,
  replicaTarget,
  targetLabel,
} from './support';
import type { ResourceControl, Verdict } from './types';

/* The AWS Backup controls on what recovery would use: the newest points, copies and restores. */

export const recoveryPointAgeControl = backupControl({
  id: 'backup-recovery-point-age',
  basis: {
    calls: [
      'backup:ListBackupVaults',
      'backup:ListRecoveryPointsByBackupVault',
      'backup:ListProtectedResources',
    ],
    proves:
      "the newest recovery point in the store's vaults (read over the last 2 days) is COMPLETED and no older than the tier allows.",
    cannotProve:
      'that the point restores (see backup-restore-tested); a sub-hour RPO cannot be met by backups at all, so those tiers are judged against an hourly schedule.',
  },
  title: 'Recovery point within RPO',
  description:
    "The newest AWS Backup recovery point of each primary store (ListRecoveryPointsByBackupVault) is COMPLETED (not PARTIAL, EXPIRED, DELETING, ...) and no older than the tier's RPO. A tier whose RPO is under an hour gets it from replication: backups cannot meet it, and the newest point may be at most two hours old (an hourly schedule and its start window); the detail says so.",
  area: 'AWS Backup',
  references: [
    'Backup Audit Manager: Last recovery point was created (BACKUP_LAST_RECOVERY_POINT_CREATED)',
    'AWS Config: aurora-last-backup-recovery-point-created',
    'AWS Config: dynamodb-last-backup-recovery-point-created',
    'AWS Config: s3-last-backup-recovery-point-created',
  ],
  evidence: ['newestRecoveryPoint', 'ageMinutes', 'maxAgeMinutes'],
  fails: [
    'has no completed recovery point within the RPO',
    'have no completed recovery point within the RPO',
  ],
  passes: [
    'has a completed recovery point within the RPO',
    'have a completed recovery point within the RPO',
  ],
  requirement: tier => ({ rpoMinutes: tier.rpoMinutes }),
  verdict(backup, _resource, ctx) {
    const point = backup.newestRecoveryPoint;
    const objective = backupObjective(ctx.tier);
    if (!point) {
      return {
        status: 'fail',
        detail: withCaveat(
          `no recovery point listed in its vaults in the last days read${
            backup.lastBackupAt
              ? ` (ListProtectedResources: last backup ${backup.lastBackupAt})`
              : ''
          }`,
          objective.caveat,
        ),
        note: 'none',
        used: { newestRecoveryPoint: null },
      };
    }
    const age = minutesBetween(point.createdAt, ctx.now);
    const used = {
      newestRecoveryPoint: point,
      ageMinutes: Number.isFinite(age) ? Math.round(age) : null,
      maxAgeMinutes: objective.maxAgeMinutes,
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
      const completed = backup.newestCompletedRecoveryPoint;
      return {
        status: 'fail',
        detail: `newest recovery point ${point.arn} is ${
          point.status
        }, not COMPLETED${
          completed
            ? `; the newest COMPLETED one is ${formatMinutes(
                minutesBetween(completed.createdAt, ctx.now),
              )} old`
            : ''
        }`,
        note: point.status,
        used,
      };
    }
    const detail = withCaveat(
      `newest recovery point ${formatMinutes(age)} old (${
        point.createdAt
      }), allowed ${formatMinutes(objective.maxAgeMinutes)}`,
      objective.caveat,
    );
    return age <= objective.maxAgeMinutes
      ? { status: 'pass', detail, used }
      : { status: 'fail', detail, note: `${formatMinutes(age)} old`, used };
  },
  fix: (failing, ctx) =>
    `Make the aws_backup_plan rule covering ${listNames(
      failing.map(o => o.name),
    )} run at least every ${formatMinutes(
      backupObjective(ctx.tier).everyMinutes,
    )}, and look at its failed and partial backup jobs (ListBackupJobs ByState FAILED / PARTIAL).`,
});

export const recoveryPointRetentionControl = backupControl({
  id: 'backup-recovery-point-retention',
  title: 'Recovery points kept long enough',
  description:
    "The newest completed recovery point of each primary store is kept at least the tier's backupRetentionDays (its CalculatedLifecycle DeleteAt, or Lifecycle DeleteAfterDays, from ListRecoveryPointsByBackupVault); a point kept until deleted by hand passes.",
  area: 'AWS Backup',
  references: [
    'Backup Audit Manager: Minimum retention for recovery points (BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK)',
  ],
  basis: {
    calls: [
      'backup:ListBackupVaults',
      'backup:ListRecoveryPointsByBackupVault',
    ],
    proves:
      "the newest completed recovery point's lifecycle keeps it at least backupRetentionDays after its creation.",
    cannotProve:
      'that older points were kept as long, nor that a vault without Vault Lock will not lose it earlier (see backup-vault-locked).',
  },
  evidence: ['newestCompletedRecoveryPoint', 'keptDays', 'backupRetentionDays'],
  fails: [
    'has recovery points kept too briefly',
    'have recovery points kept too briefly',
  ],
  passes: [
    'has recovery points kept long enough',
    'have recovery points kept long enough',
  ],
  requirement: tier =>
    tier.backupRetentionDays === undefined
      ? 'backupRetentionDays'
      : { backupRetentionDays: tier.backupRetentionDays },
  verdict(backup, _resource, ctx) {
    const point = backup.newestCompletedRecoveryPoint;
    const days = ctx.tier.backupRetentionDays ?? 0;
    if (!point)
      return {
        status: 'fail',
        detail: 'no completed recovery point was listed in its vaults',
        note: 'no recovery points',
        used: { newestCompletedRecoveryPoint: null, backupRetentionDays: days },
      };
    const kept =
      point.deleteAt === undefined
        ? undefined
        : (Date.parse(point.deleteAt) - Date.parse(point.createdAt)) /
          86_400_000;
    const used = {
      newestCompletedRecoveryPoint: point,
      keptDays: kept === undefined ? null : Math.round(kept * 10) / 10,
      backupRetentionDays: days,
    };
    if (kept === undefined)
      return {
        status: 'pass',
        detail: `recovery point ${point.arn} is kept until deleted by hand`,
        used,
      };
    if (!Number.isFinite(kept))
      return {
        status: 'error',
        detail: `recovery point ${point.arn} has unreadable dates`,
        used,
      };
    const detail = `recovery point ${point.arn} kept ${Math.round(kept)} d, ${
      ctx.tier.id
    } requires ${days} d`;
    return kept >= days
      ? { status: 'pass', detail, used }
      : { status: 'fail', detail, note: `${Math.round(kept)} d`, used };
  },
  fix: (failing, ctx) =>
    `Set lifecycle { delete_after = ${
      ctx.tier.backupRetentionDays
    } } or longer on the aws_backup_plan rule covering ${listNames(
      failing.map(o => o.name),
    )} (and on its copy_action), or a min_retention_days vault lock.`,
});

export const copyCrossRegionControl = backupControl({
  id: 'backup-copy-cross-region',
  basis: {
    calls: ['backup:ListCopyJobs'],
    proves:
      'a copy job to a vault in the recovery region completed recently enough for the tier (the last 2 days are read).',
    cannotProve:
      'that the copied point restores there, nor that the destination vault still keeps it.',
  },
  title: 'Backup copies in the recovery region, within RPO',
  description:
    "Each primary store has a completed AWS Backup copy job to a vault in the recovery region (ListCopyJobs), and the newest completed copy is no older than the tier's RPO (judged like the newest recovery point when the RPO is under an hour), so backups survive the loss of the primary region and protect against corruption that replication copies too.",
  area: 'AWS Backup',
  references: [
    'Backup Audit Manager: Cross-Region backup copy is scheduled (BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION)',
  ],
  evidence: ['copyRegions', 'newestCopyByRegion', 'maxAgeMinutes'],
  fails: [
    'has no recent backup copy in the recovery region',
    'have no recent backup copy in the recovery region',
  ],
  passes: [
    'has a recent backup copy in the recovery region',
    'have recent backup copies in the recovery region',
  ],
  requirement: tier => ({ rpoMinutes: tier.rpoMinutes }),
  verdict(backup, resource, ctx): Verdict {
    const target = replicaTarget(ctx, resource.region);
    const objective = backupObjective(ctx.tier);
    const used = {
      copyRegions: backup.copyRegions,
      newestCopyByRegion: backup.newestCopyByRegion,
      maxAgeMinutes: objective.maxAgeMinutes,
    };
    const regions = backup.copyRegions.filter(r => target.ok([r]));
    if (regions.length === 0)
      return {
        status: 'fail',
        detail: `no completed copy job to ${target.label} (copies in: ${
          backup.copyRegions.join(', ') || 'none'
        })`,
        used,
      };
    const newest = regions
      .map(r => backup.newestCopyByRegion[r])
      .sort()
      .pop()!;
    const age = minutesBetween(newest, ctx.now);
    const detail = withCaveat(
      `newest completed copy to ${regions.join(', ')} ${formatMinutes(
        age,
      )} old (${newest}), allowed ${formatMinutes(objective.maxAgeMinutes)}`,
      objective.caveat,
    );
    return age <= objective.maxAgeMinutes
      ? { status: 'pass', detail, used }
      : {
          status: 'fail',
          detail,
          note: `copy ${formatMinutes(age)} old`,
          used,
        };
  },
  fix: (failing, ctx) =>
    `Add copy_action { destination_vault_arn = <a vault in ${targetLabel(
      ctx,
    )}> } to the aws_backup_plan rule covering ${listNames(
      failing.map(o => o.name),
    )} that runs every ${formatMinutes(
      backupObjective(ctx.tier).everyMinutes,
    )} or more often, and look at its failed copy jobs (ListCopyJobs ByState FAILED).`,
});

const where = (r: RestoreFacts) => `${r.accountId}/${r.region}`;
function durationText(r: RestoreFacts): string {
  if (r.durationMinutes === undefined) return 'an unknown time';
  if (!r.durationIsLowerBound) return formatMinutes(r.durationMinutes);
  return `at least ${formatMinutes(
    r.durationMinutes,
  )} (an Aurora restore creates the cluster only: creating its DB instances comes on top)`;
}

const causeOf = (broken: string | undefined, stale: boolean) => {
  if (broken) return 'failed';
  return stale ? 'stale' : 'slow';
};

/** Why a finished restore proves nothing, or undefined when it proves a restore works. */
function restoreProblem(r: RestoreFacts): string | undefined {
  if (r.status !== 'COMPLETED')
    return `restore job ${r.jobId} in ${where(r)} is ${r.status}${
      r.statusMessage ? `: ${r.statusMessage}` : ''
    }`;
  if (r.validationStatus === 'FAILED' || r.validationStatus === 'TIMED_OUT')
    return `restore job ${r.jobId} in ${where(
      r,
    )} completed but its validation is ${r.validationStatus}${
      r.statusMessage ? `: ${r.statusMessage}` : ''
    }`;
  return undefined;
}

const restoreTestedControl = backupControl({
  id: 'backup-restore-tested',
  basis: {
    calls: ['backup:ListRestoreJobs (every scanned account and region)'],
    proves:
      'the newest finished restore of the store (in any scanned region, failed ones included) completed, passed validation when one ran, is recent enough and took no longer than the RTO.',
    cannotProve:
      'the full recovery time of an Aurora cluster (the job creates the cluster only, not its DB instances: a lower bound), nor restores in accounts or regions the scan does not read.',
  },
  title: 'Restore tested within RTO',
  description:
    "The newest finished restore of each primary store (ListRestoreJobs in every scanned account and region, so restores run in the recovery region from a copy count) completed, did not fail validation (ValidationStatus), is newer than the tier's restoreTestWithinDays and took no longer than the tier's RTO. Failed and unvalidated restores are shown, not skipped. An Aurora restore's time is a lower bound: AWS Backup creates the cluster only, not its DB instances.",
  area: 'AWS Backup',
  references: [
    'Backup Audit Manager: Restore time for resources meet target (RESTORE_TIME_FOR_RESOURCES_MEET_TARGET)',
    'AWS Config: aurora-meets-restore-time-target',
    'AWS Config: dynamodb-meets-restore-time-target',
    'AWS Config: s3-meets-restore-time-target',
  ],
  evidence: ['latestRestore', 'restores'],
  fails: [
    'has no recent successful restore within the RTO',
    'have no recent successful restore within the RTO',
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
    const used = {
      latestRestore: restore ?? null,
      restores: backup.restores.slice(0, 5),
    };
    if (!restore) {
      const unread = backup.restoreScopesUnread ?? [];
      if (unread.length > 0)
        return {
          status: 'error',
          detail: `no finished restore job found, and the restore jobs of ${unread.join(
            ', ',
          )} could not be read`,
          used,
        };
      return {
        status: 'fail',
        detail: 'no finished restore job on record',
        note: 'never restored',
        cause: 'stale',
        used,
      };
    }
    const ageDays = minutesBetween(restore.completedAt ?? '', ctx.now) / 1440;
    const how = restore.restoreTestingPlan
      ? `restore testing plan ${restore.restoreTestingPlan}`
      : 'a manual restore';
    const problems: string[] = [];
    const broken = restoreProblem(restore);
    if (broken) problems.push(broken);
    if (!Number.isFinite(ageDays))
      problems.push(`restore job ${restore.jobId} has no completion time`);
    else if (ageDays > withinDays)
      problems.push(
        `last restore ${Math.floor(ageDays)} days ago, ${
          ctx.tier.id
        } requires one within ${withinDays}`,
      );
    const stale = problems.length > 0;
    if (restore.durationMinutes !== undefined && restore.durationMinutes > rto)
      problems.push(
        `restore took ${durationText(restore)}, over the ${formatMinutes(
          rto,
        )} RTO`,
      );
    if (problems.length > 0) {
      return {
        status: 'fail',
        detail: `${problems.join('; ')} (${how})`,
        note: problems.join('; '),
        cause: causeOf(broken, stale),
        used,
      };
    }
    return {
      status: 'pass',
      detail: `restored ${restore.completedAt} in ${where(
        restore,
      )} by ${how} in ${durationText(restore)} (RTO ${formatMinutes(rto)})${
        restore.validationStatus
          ? `, validation ${restore.validationStatus}`
          : ''
      }`,
      used,
    };
  },
  fix(failing, ctx) {
    const failed = failing.filter(o => o.cause === 'failed');
    const stale = failing.filter(o => o.cause === 'stale');
    const slow = failing.filter(o => o.detail.includes('over the'));
    const parts: string[] = [];
    if (failed.length > 0)
      parts.push(
        `The newest restore of ${listNames(
          failed.map(o => o.name),
        )} failed or failed validation: read its StatusMessage / ValidationStatusMessage (DescribeRestoreJob), fix the cause and run it again.`,
      );
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
});

export const BACKUP_RECOVERY_CONTROLS: ResourceControl[] = [
  restoreTestedControl,
];
