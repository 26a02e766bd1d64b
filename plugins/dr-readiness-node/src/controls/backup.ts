import type { BackupRuleFacts } from '@internal/dr-readiness-common';
import {
  BACKUP_RECOVERY_CONTROLS,
  copyCrossRegionControl,
  recoveryPointAgeControl,
  recoveryPointRetentionControl,
} from './backupRecovery';
import { backupControl, backupObjective, withCaveat } from './backupSupport';
import { formatMinutes, listNames } from './support';
import type { ResourceControl } from './types';

export { BACKUP_TYPES } from './backupSupport';

const ruleLabel = (r: BackupRuleFacts) =>
  `${r.plan}/${r.rule} (${r.schedule || 'no schedule'}${
    r.deleteAfterDays === undefined
      ? ', kept until deleted'
      : `, kept ${r.deleteAfterDays} d`
  })`;

const protectedControl = backupControl({
  id: 'backup-protected',
  basis: {
    calls: [
      'backup:ListBackupPlans',
      'backup:GetBackupPlan',
      'backup:ListBackupSelections',
      'backup:GetBackupSelection',
      'backup:ListProtectedResources',
      'tagging:GetResources',
    ],
    proves:
      "a backup plan's selection (resource ARNs, NotResources, ListOfTags and Conditions evaluated against the resource's tags) covers the store today, so AWS Backup will keep backing it up.",
    cannotProve:
      "that the plan's jobs succeed (see backup-recovery-point-age), nor selections with condition keys other than resource tags; ListProtectedResources only says a recovery point exists.",
  },
  title: 'Protected by an AWS Backup plan',
  description:
    "Each primary Aurora cluster, DynamoDB table and S3 bucket is covered by a backup plan's resource selection (ListBackupPlans, GetBackupPlan, ListBackupSelections, GetBackupSelection: resource ARNs, NotResources and tag conditions evaluated against the resource's tags). Recovery points left from an old plan (ListProtectedResources) do not count: nothing takes new ones.",
  area: 'AWS Backup',
  references: [
    'Backup Audit Manager: Backup resources are included in at least one backup plan (BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN)',
    'AWS Config: aurora-resources-protected-by-backup-plan',
    'AWS Config: dynamodb-resources-protected-by-backup-plan',
    'AWS Config: s3-resources-protected-by-backup-plan',
  ],
  evidence: [
    'protectedByPlan',
    'planNames',
    'hasRecoveryPoints',
    'lastBackupAt',
  ],
  fails: ['is not in any AWS Backup plan', 'are not in any AWS Backup plan'],
  passes: ['is in an AWS Backup plan', 'are in an AWS Backup plan'],
  verdict(backup) {
    const used = {
      protectedByPlan: backup.protectedByPlan,
      planNames: backup.planNames,
      hasRecoveryPoints: backup.hasRecoveryPoints,
      lastBackupAt: backup.lastBackupAt ?? null,
    };
    if (backup.protectedByPlan)
      return {
        status: 'pass',
        detail: `selected by backup plan ${backup.planNames.join(', ')}`,
        used,
      };
    return backup.hasRecoveryPoints
      ? {
          status: 'fail',
          detail: `has recovery points (last backup ${
            backup.lastBackupAt ?? 'unknown'
          }) but no backup plan's selection covers it: left from an old plan, it gets no new backups`,
          note: 'recovery points, no plan',
          used,
        }
      : {
          status: 'fail',
          detail:
            "no backup plan's selection covers it, and it has no recovery points",
          used,
        };
  },
  fix: (failing, ctx) =>
    `Select ${listNames(
      failing.map(o => o.name),
    )} in an AWS Backup plan: an aws_backup_selection with resources = [<ARN>] or selection_tag { key = "service", value = "${
      ctx.facts.service
    }" } (and no not_resources entry excluding it).`,
});

const frequencyRetentionControl = backupControl({
  id: 'backup-plan-frequency-retention',
  basis: {
    calls: [
      'backup:GetBackupPlan',
      'backup:ListBackupSelections',
      'backup:GetBackupSelection',
    ],
    proves:
      'a rule of a plan covering the store is scheduled at least as often as the tier needs (hourly when its RPO is under an hour) and keeps points at least backupRetentionDays.',
    cannotProve:
      'that the jobs run on time (start and completion windows), nor schedules it cannot read (those answer error).',
  },
  title: 'Backup plan frequency and retention meet the tier',
  description:
    "A rule of a backup plan covering each primary store runs at least as often as the tier's RPO asks (ScheduleExpression; hourly for tiers whose RPO is under an hour, which backups cannot meet) and keeps recovery points at least the tier's backupRetentionDays (Lifecycle DeleteAfterDays).",
  area: 'AWS Backup',
  references: [
    'Backup Audit Manager: Backup plan minimum frequency and minimum retention (BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK)',
  ],
  evidence: ['rules', 'requiredEveryMinutes', 'backupRetentionDays'],
  fails: [
    'has no backup rule meeting the tier',
    'have no backup rule meeting the tier',
  ],
  passes: [
    'has a backup rule meeting the tier',
    'have a backup rule meeting the tier',
  ],
  requirement: tier =>
    tier.backupRetentionDays === undefined
      ? 'backupRetentionDays'
      : {
          rpoMinutes: tier.rpoMinutes,
          backupRetentionDays: tier.backupRetentionDays,
        },
  verdict(backup, _resource, ctx) {
    const objective = backupObjective(ctx.tier);
    const days = ctx.tier.backupRetentionDays ?? 0;
    const used = {
      rules: backup.rules,
      requiredEveryMinutes: objective.everyMinutes,
      backupRetentionDays: days,
    };
    if (backup.rules.length === 0)
      return {
        status: 'fail',
        detail: 'no backup plan covers it, so no rule backs it up',
        note: 'no plan',
        used,
      };
    const unread = backup.rules.filter(r => r.everyMinutes === undefined);
    const meets = (r: BackupRuleFacts) =>
      r.everyMinutes !== undefined &&
      r.everyMinutes <= objective.everyMinutes &&
      (r.deleteAfterDays === undefined || r.deleteAfterDays >= days);
    const good = backup.rules.find(meets);
    const wanted = `every ${formatMinutes(
      objective.everyMinutes,
    )} or more often, kept ${days} d or more`;
    if (good)
      return {
        status: 'pass',
        detail: withCaveat(
          `${ruleLabel(good)} meets ${wanted}`,
          objective.caveat,
        ),
        used,
      };
    if (unread.length === backup.rules.length)
      return {
        status: 'error',
        detail: `cannot read the schedule of ${unread
          .map(ruleLabel)
          .join(', ')}`,
        used,
      };
    return {
      status: 'fail',
      detail: withCaveat(
        `no rule runs ${wanted}: ${backup.rules
          .map(
            r =>
              `${ruleLabel(r)} runs every ${
                r.everyMinutes === undefined
                  ? '(unreadable)'
                  : formatMinutes(r.everyMinutes)
              }`,
          )
          .join('; ')}`,
        objective.caveat,
      ),
      note: backup.rules
        .map(r =>
          r.everyMinutes === undefined ? '?' : formatMinutes(r.everyMinutes),
        )
        .join(', '),
      used,
    };
  },
  fix: (failing, ctx) =>
    `Give the aws_backup_plan covering ${listNames(
      failing.map(o => o.name),
    )} a rule with schedule every ${formatMinutes(
      backupObjective(ctx.tier).everyMinutes,
    )} or more often and lifecycle { delete_after = ${
      ctx.tier.backupRetentionDays
    } } or longer.`,
});

const encryptedControl = backupControl({
  id: 'backup-recovery-point-encrypted',
  basis: {
    calls: [
      'backup:ListBackupVaults',
      'backup:ListRecoveryPointsByBackupVault',
    ],
    proves:
      'every kept recovery point of the store read (last 2 days) reports IsEncrypted.',
    cannotProve: 'older points outside the window, nor who can use the key.',
  },
  title: 'Recovery points encrypted',
  description:
    'Every recovery point AWS Backup keeps of each primary store in the last days read (ListRecoveryPointsByBackupVault, IsEncrypted) is encrypted. A store with no recovery point read has nothing to show and fails.',
  area: 'AWS Backup',
  references: [
    'Backup Audit Manager: Recovery points are encrypted (BACKUP_RECOVERY_POINT_ENCRYPTED)',
  ],
  evidence: ['unencryptedRecoveryPoints', 'newestRecoveryPoint'],
  fails: [
    'has recovery points that are not encrypted',
    'have recovery points that are not encrypted',
  ],
  passes: ['has encrypted recovery points', 'have encrypted recovery points'],
  verdict(backup) {
    const used = {
      unencryptedRecoveryPoints: backup.unencryptedRecoveryPoints,
      newestRecoveryPoint: backup.newestRecoveryPoint ?? null,
    };
    if (backup.unencryptedRecoveryPoints.length > 0)
      return {
        status: 'fail',
        detail: `not encrypted: ${listNames(
          backup.unencryptedRecoveryPoints,
          3,
        )}`,
        note: `${backup.unencryptedRecoveryPoints.length} unencrypted`,
        used,
      };
    if (!backup.newestRecoveryPoint)
      return {
        status: 'fail',
        detail: 'no recovery point was listed in its vaults to check',
        note: 'no recovery points',
        used,
      };
    return {
      status: 'pass',
      detail: `recovery points encrypted (newest ${backup.newestRecoveryPoint.arn})`,
      used,
    };
  },
  fix: failing =>
    `Recovery points of ${listNames(
      failing.map(o => o.name),
    )} are not encrypted (a vault without a KMS key, or a resource backed up without its own encryption, e.g. an unencrypted Aurora snapshot): copy them into an encrypted vault (aws_backup_vault with kms_key_arn) and delete the unencrypted ones.`,
});

const vaultLockedControl = backupControl({
  id: 'backup-vault-locked',
  basis: {
    calls: [
      'backup:ListBackupVaults',
      'backup:ListRecoveryPointsByBackupVault',
    ],
    proves:
      'the vault holding the newest completed recovery point has Vault Lock (Locked).',
    cannotProve:
      'governance vs compliance mode (a governance lock can still be removed with permissions), nor the lock of the copy vaults.',
  },
  title: 'Recovery points in a locked vault',
  description:
    'The newest completed recovery point of each primary store is in a vault with AWS Backup Vault Lock (ListBackupVaults / DescribeBackupVault `Locked`), so no one, not even the account root, can delete it before its retention ends.',
  area: 'AWS Backup',
  references: [
    'Backup Audit Manager: Resources are protected by AWS Backup Vault Lock (BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK)',
  ],
  evidence: ['newestCompletedRecoveryPoint'],
  fails: [
    'has its recovery points in a vault without Vault Lock',
    'have their recovery points in a vault without Vault Lock',
  ],
  passes: [
    'has its recovery points in a locked vault',
    'have their recovery points in a locked vault',
  ],
  verdict(backup) {
    const point = backup.newestCompletedRecoveryPoint;
    const used = { newestCompletedRecoveryPoint: point ?? null };
    if (!point)
      return {
        status: 'fail',
        detail: 'no completed recovery point was listed in its vaults',
        note: 'no recovery points',
        used,
      };
    if (point.vaultLocked === undefined)
      return {
        status: 'error',
        detail: `the lock state of vault ${point.vault} was not read`,
        used,
      };
    return point.vaultLocked
      ? { status: 'pass', detail: `vault ${point.vault} is locked`, used }
      : {
          status: 'fail',
          detail: `vault ${point.vault} has no Vault Lock`,
          note: 'vault not locked',
          used,
        };
  },
  fix: failing =>
    `Put aws_backup_vault_lock_configuration on the vault holding the recovery points of ${listNames(
      failing.map(o => o.name),
    )} (min_retention_days, and changeable_for_days to make it compliance mode), or target a locked vault in the plan rule.`,
});

const copyCrossAccountControl = backupControl({
  id: 'backup-copy-cross-account',
  basis: {
    calls: ['backup:ListCopyJobs'],
    proves:
      'a copy job to a vault in another account completed (the last 2 days are read).',
    cannotProve:
      'who controls that account, nor that the copy is still kept there.',
  },
  title: 'Backup copies in another account',
  description:
    "Each primary store has a completed AWS Backup copy job to a vault in another account (ListCopyJobs, the destination vault ARN's account), so backups survive the compromise of the account. A tier asks for it by listing this control.",
  area: 'AWS Backup',
  references: [
    'Backup Audit Manager: Cross-account backup copy is scheduled (BACKUP_RESOURCES_PROTECTED_BY_CROSS_ACCOUNT)',
  ],
  evidence: ['copyAccounts'],
  fails: [
    'has no backup copy in another account',
    'have no backup copy in another account',
  ],
  passes: [
    'has backup copies in another account',
    'have backup copies in another account',
  ],
  verdict(backup) {
    const used = { copyAccounts: backup.copyAccounts };
    return backup.copyAccounts.length > 0
      ? {
          status: 'pass',
          detail: `completed copy jobs to account ${backup.copyAccounts.join(
            ', ',
          )}`,
          used,
        }
      : {
          status: 'fail',
          detail: 'no completed copy job to a vault in another account',
          used,
        };
  },
  fix: failing =>
    `Add copy_action { destination_vault_arn = <a vault in the backup account> } to the aws_backup_plan rule covering ${listNames(
      failing.map(o => o.name),
    )}, and allow it in that vault's access policy.`,
});

/** AWS Backup: plan coverage and rules, recovery points, vault lock, copies and tested restores. */
export const BACKUP_CONTROLS: ResourceControl[] = [
  protectedControl,
  frequencyRetentionControl,
  recoveryPointAgeControl,
  recoveryPointRetentionControl,
  encryptedControl,
  vaultLockedControl,
  copyCrossRegionControl,
  copyCrossAccountControl,
  ...BACKUP_RECOVERY_CONTROLS,
];
