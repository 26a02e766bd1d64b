import type { RestRoute } from '../protocols/rest';
import { AwsError, CallContext } from '../protocols/types';
import type { BackupSelectionModel, BackupVault } from '../estate/backupEstate';
import type { BackupPlan, DrScope } from '../estate/dr';
import { stableUuid } from '../estate/random';
import {
  backupJobMinutes,
  backupSize,
  createdBy,
  cursor,
  DAY,
  invalid,
  listingOnce,
  pointFields,
  pointsOf,
  RULE_NAMES,
  SERVICE_ROLE,
  timeFilter,
} from './backupSchedule';

/**
 * AWS Backup's plans, selections and vaults (restJson1): what a DR scan reads to learn which
 * plan covers a store, how often and how long it keeps points, and whether its vault is locked.
 */

export const BACKUP_PLAN_ROUTES: RestRoute[] = [
  {
    method: 'GET',
    path: '/backup/plans/{BackupPlanId}',
    operation: 'GetBackupPlan',
  },
  {
    method: 'GET',
    path: '/backup/plans/{BackupPlanId}/selections',
    operation: 'ListBackupSelections',
  },
  {
    method: 'GET',
    path: '/backup/plans/{BackupPlanId}/selections/{SelectionId}',
    operation: 'GetBackupSelection',
  },
  { method: 'GET', path: '/backup-vaults', operation: 'ListBackupVaults' },
  {
    method: 'GET',
    path: '/backup-vaults/{BackupVaultName}',
    operation: 'DescribeBackupVault',
  },
  {
    method: 'GET',
    path: '/backup-vaults/{BackupVaultName}/recovery-points',
    operation: 'ListRecoveryPointsByBackupVault',
  },
];

const scopeOf = (ctx: CallContext): DrScope =>
  ctx.estate.dr.scope(ctx.account.id, ctx.region);

function planOf(input: Record<string, unknown>, ctx: CallContext): BackupPlan {
  const id = String(input.BackupPlanId ?? '');
  const plan = scopeOf(ctx).plans.find(p => p.id === id);
  if (!plan)
    throw new AwsError(
      'ResourceNotFoundException',
      `Failed reading Backup plan with provided version. Backup plan ${id} not found`,
    );
  if (input.versionId && input.versionId !== plan.versionId)
    throw new AwsError(
      'ResourceNotFoundException',
      `Backup plan ${id} has no version ${String(input.versionId)}`,
    );
  return plan;
}

function vaultOf(
  input: Record<string, unknown>,
  ctx: CallContext,
): BackupVault {
  const name = String(input.BackupVaultName ?? '');
  if (!/^[a-zA-Z0-9\-_]{2,50}$/.test(name))
    invalid(`Invalid backup vault name ${name}`);
  if (
    input.backupVaultAccountId !== undefined &&
    input.backupVaultAccountId !== ctx.account.id
  )
    throw new AwsError(
      'AccessDeniedException',
      `Access to backup vault ${name} in account ${String(
        input.backupVaultAccountId,
      )} is denied`,
    );
  const vault = scopeOf(ctx).vaults.find(v => v.name === name);
  if (!vault)
    throw new AwsError(
      'ResourceNotFoundException',
      `Backup vault ${name} does not exist in account ${ctx.account.id}, region ${ctx.region}`,
    );
  return vault;
}

/** A cron expression for the plan's schedule, as AWS Backup stores it. */
const schedule = (plan: BackupPlan) =>
  plan.everyHours === 1
    ? `cron(${plan.startMinute} * ? * * *)`
    : `cron(${plan.startMinute} 3,15 ? * * *)`;

export function vaultFields(vault: BackupVault, ctx: CallContext, at: number) {
  const scope = scopeOf(ctx);
  // One point per backup window over the retention (a count, not the points themselves).
  const points = scope.protectedResources
    .filter(p => p.vaultArn === vault.arn)
    .reduce(
      (n, p) =>
        n +
        (p.inPlan
          ? Math.floor((p.plan.retentionDays * 24) / p.plan.everyHours)
          : pointsOf(p, at).length),
      0,
    );
  return {
    BackupVaultName: vault.name,
    BackupVaultArn: vault.arn,
    VaultType: 'BACKUP_VAULT',
    VaultState: 'AVAILABLE',
    CreationDate: vault.created,
    EncryptionKeyArn: vault.encryptionKeyArn,
    EncryptionKeyType: 'AWS_OWNED_KMS_KEY',
    CreatorRequestId: stableUuid(`${vault.arn}:creator`),
    NumberOfRecoveryPoints: points,
    Locked: vault.locked,
    ...(vault.locked
      ? {
          MinRetentionDays: 7,
          MaxRetentionDays: 400,
          LockDate: new Date(vault.created.getTime() + 3 * DAY),
        }
      : {}),
  };
}

/** GetBackupPlan's answer for a plan (AWS Config records part of it). */
export function backupPlanDocument(plan: BackupPlan) {
  return {
    BackupPlan: {
      BackupPlanName: plan.name,
      Rules: [
        {
          RuleName: RULE_NAMES[plan.everyHours] ?? `every-${plan.everyHours}h`,
          RuleId: stableUuid(`${plan.arn}:rule`),
          TargetBackupVaultName: plan.vaultArn.split(':').pop(),
          ScheduleExpression: schedule(plan),
          ScheduleExpressionTimezone: 'Etc/UTC',
          StartWindowMinutes: 60,
          CompletionWindowMinutes: 180,
          Lifecycle: { DeleteAfterDays: plan.retentionDays },
          CopyActions: plan.copyVaultArn
            ? [
                {
                  DestinationBackupVaultArn: plan.copyVaultArn,
                  Lifecycle: { DeleteAfterDays: plan.retentionDays },
                },
              ]
            : [],
          EnableContinuousBackup: false,
        },
      ],
    },
    BackupPlanId: plan.id,
    BackupPlanArn: plan.arn,
    VersionId: plan.versionId,
    CreationDate: plan.created,
  };
}

/** GetBackupSelection's answer for a selection of a plan (AWS Config records part of it). */
export function backupSelectionDocument(
  plan: BackupPlan,
  s: BackupSelectionModel,
) {
  return {
    BackupSelection: {
      SelectionName: s.name,
      IamRoleArn: SERVICE_ROLE(plan.accountId),
      Resources: s.resources,
      NotResources: s.notResources,
      ListOfTags: s.listOfTags.map(t => ({
        ConditionType: 'STRINGEQUALS',
        ConditionKey: t.key,
        ConditionValue: t.value,
      })),
      Conditions: {
        StringEquals: s.conditions.map(c => ({
          ConditionKey: `aws:ResourceTag/${c.key}`,
          ConditionValue: c.value,
        })),
        StringNotEquals: [],
        StringLike: [],
        StringNotLike: [],
      },
    },
    SelectionId: s.id,
    BackupPlanId: plan.id,
    CreationDate: s.created,
    CreatorRequestId: stableUuid(`${s.id}:creator`),
  };
}

export const BACKUP_PLAN_OPERATIONS = {
  GetBackupPlan: (input: Record<string, unknown>, ctx: CallContext) =>
    backupPlanDocument(planOf(input, ctx)),

  ListBackupSelections: (input: Record<string, unknown>, ctx: CallContext) => {
    const plan = planOf(input, ctx);
    const page = cursor(input, ctx);
    return {
      BackupSelectionsList: plan.selections
        .slice(page.offset, page.offset + page.size)
        .map(s => ({
          SelectionId: s.id,
          SelectionName: s.name,
          BackupPlanId: plan.id,
          CreationDate: s.created,
          CreatorRequestId: stableUuid(`${s.id}:creator`),
          IamRoleArn: SERVICE_ROLE(plan.accountId),
        })),
      NextToken: page.next(plan.selections.length),
    };
  },

  GetBackupSelection: (input: Record<string, unknown>, ctx: CallContext) => {
    const plan = planOf(input, ctx);
    const s = plan.selections.find(x => x.id === input.SelectionId);
    if (!s)
      throw new AwsError(
        'ResourceNotFoundException',
        `Backup selection ${String(input.SelectionId)} not found in plan ${
          plan.id
        }`,
      );
    return backupSelectionDocument(plan, s);
  },

  ListBackupVaults: (input: Record<string, unknown>, ctx: CallContext) => {
    const page = cursor(input, ctx);
    if (input.vaultType !== undefined && input.vaultType !== 'BACKUP_VAULT')
      return { BackupVaultList: [] };
    const vaults = scopeOf(ctx).vaults;
    return {
      BackupVaultList: vaults
        .slice(page.offset, page.offset + page.size)
        .map(v => vaultFields(v, ctx, page.at)),
      NextToken: page.next(vaults.length),
    };
  },

  DescribeBackupVault: (input: Record<string, unknown>, ctx: CallContext) =>
    vaultFields(vaultOf(input, ctx), ctx, ctx.now.getTime()),

  ListRecoveryPointsByBackupVault: (
    input: Record<string, unknown>,
    ctx: CallContext,
  ) => {
    const vault = vaultOf(input, ctx);
    const page = cursor(input, ctx);
    const after = timeFilter(input, 'ByCreatedAfter', 'createdAfter');
    const before = timeFilter(input, 'ByCreatedBefore', 'createdBefore');
    // The pages of one listing share its clock (the token pins it): sort its points once.
    const points = listingOnce(
      ctx,
      [
        'recovery-points',
        vault.arn,
        page.at,
        after,
        before,
        input.resourceArn,
        input.resourceType,
        input.backupPlanId,
      ],
      () =>
        scopeOf(ctx)
          .protectedResources.filter(
            p =>
              p.vaultArn === vault.arn &&
              (!input.resourceArn || p.arn === input.resourceArn) &&
              (!input.resourceType || p.backupType === input.resourceType) &&
              (!input.backupPlanId || p.plan.id === input.backupPlanId),
          )
          .flatMap(p =>
            pointsOf(p, page.at, after, before).map(point => ({ p, point })),
          )
          .sort(
            (a, b) =>
              b.point.start - a.point.start || a.p.arn.localeCompare(b.p.arn),
          ),
    );
    return {
      RecoveryPoints: points
        .slice(page.offset, page.offset + page.size)
        .map(({ p, point }) => ({
          ...pointFields(p, point),
          BackupVaultArn: vault.arn,
          ResourceArn: p.arn,
          ResourceType: p.backupType,
          CreatedBy: createdBy(p.plan),
          IamRoleArn: SERVICE_ROLE(p.accountId),
          CompletionDate: new Date(point.start + backupJobMinutes(p) * 60_000),
          BackupSizeInBytes: backupSize(p),
          Lifecycle: { DeleteAfterDays: p.plan.retentionDays },
          CalculatedLifecycle: {
            DeleteAt: new Date(point.start + p.plan.retentionDays * DAY),
          },
        })),
      NextToken: page.next(points.length),
    };
  },
};
