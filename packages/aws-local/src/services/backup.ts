import { restJsonProtocol } from '../protocols/restJson';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../protocols/types';
import type { DrPosture, ProtectedResource } from '../estate/dr';
import { stableUuid } from '../estate/random';
import type { DemoEstate } from '../estate/DemoEstate';
import { parseArn } from './common';
import { BACKUP_PLAN_OPERATIONS, BACKUP_PLAN_ROUTES } from './backupPlans';
import {
  backupJobMinutes,
  backupSize,
  COPY_JOB_HISTORY_DAYS,
  createdBy,
  cursor,
  DAY,
  HOUR,
  invalid,
  lastBackupStart,
  listingOnce,
  MINUTE,
  newestBackupStart,
  period,
  pointFields,
  pointsOf,
  recoveryPointArn,
  SERVICE_ROLE,
  timeFilter,
} from './backupSchedule';

export {
  backupJobMinutes,
  COPY_JOB_HISTORY_DAYS,
  newestBackupStart,
} from './backupSchedule';

/**
 * AWS Backup over restJson1. Recovery points, copy jobs and restore jobs follow each protected
 * resource's schedule relative to the request time, so "the newest backup" is always recent; a
 * page token pins the clock of the listing it continues.
 */

interface CopyJob {
  p: ProtectedResource;
  /** Start of the backup whose recovery point it copies. */
  source: number;
  created: number;
  completed: number;
}

interface RestoreJob {
  p: ProtectedResource;
  created: number;
  completed: number;
  minutes: number;
  testingPlanArn?: string;
  region: string;
  failed: boolean;
  validation?: 'SUCCESSFUL' | 'FAILED';
}

/**
 * A copy job after each backup of a store whose plan rule copies (its copy action copies every
 * recovery point the rule makes): created when the backup completes, from `since` to `at`.
 */
function copyJobs(
  scope: ProtectedResource[],
  at: number,
  since = at - COPY_JOB_HISTORY_DAYS * DAY,
): CopyJob[] {
  const jobs: CopyJob[] = [];
  const from = Math.max(since, at - COPY_JOB_HISTORY_DAYS * DAY);
  for (const p of scope) {
    if (!p.copyVaultArn) continue;
    const step = period(p.plan);
    for (
      let start = lastBackupStart(p, at);
      start + backupJobMinutes(p) * MINUTE >= from - step;
      start -= step
    ) {
      const created = start + backupJobMinutes(p) * MINUTE;
      if (created > at || created < from) continue;
      jobs.push({
        p,
        source: start,
        created,
        completed: created + (8 + (p.jitterMinutes % 10)) * MINUTE,
      });
    }
  }
  return jobs;
}

/** Restore jobs run in the caller's region, of stores of any region (tier-0 restores from copies). */
function restoreJobs(
  sources: ProtectedResource[],
  region: string,
  at: number,
): RestoreJob[] {
  const jobs: RestoreJob[] = [];
  const today = Math.floor(at / DAY) * DAY;
  for (const p of sources) {
    for (const r of p.restores) {
      if (r.region !== region) continue;
      const created =
        today - r.daysAgo * DAY + 2 * HOUR + p.jitterMinutes * MINUTE;
      jobs.push({
        p,
        created,
        completed: created + r.minutes * MINUTE,
        minutes: r.minutes,
        testingPlanArn: r.testingPlan?.arn,
        region,
        failed: r.status === 'FAILED',
        validation: r.validation,
      });
    }
  }
  return jobs;
}

const newestFirst = (
  a: { created: number; p: ProtectedResource },
  b: { created: number; p: ProtectedResource },
) => b.created - a.created || a.p.arn.localeCompare(b.p.arn);

// Every ARN the estate holds, to tell "not protected" (empty list) from "no such resource".
const knownArns = new WeakMap<DemoEstate, Set<string>>();
function isKnown(estate: DemoEstate, arn: string): boolean {
  let set = knownArns.get(estate);
  if (!set) {
    set = new Set(estate.resources.map(r => r.arn));
    knownArns.set(estate, set);
  }
  return set.has(arn);
}

/** The protected resource an ARN names in the caller's scope, or undefined for a known but unprotected one. */
function protectedResource(
  dr: DrPosture,
  arn: string,
  ctx: CallContext,
): ProtectedResource | undefined {
  const parsed = parseArn(arn);
  if (!parsed) invalid(`Invalid ARN: ${arn}`);
  const bucket =
    parsed.service === 's3' ? dr.buckets.get(parsed.resource) : undefined;
  const accountId = bucket ? bucket.accountId : parsed.accountId;
  const region = bucket ? bucket.region : parsed.region;
  if (
    accountId !== ctx.account.id ||
    region !== ctx.region ||
    !isKnown(ctx.estate, arn)
  ) {
    throw new AwsError(
      'ResourceNotFoundException',
      `Resource ${arn} not found in account ${ctx.account.id}, region ${ctx.region}`,
      404,
    );
  }
  return dr
    .scope(ctx.account.id, ctx.region)
    .protectedResources.find(p => p.arn === arn);
}

export const backupService: AwsServiceDefinition = {
  signingName: 'backup',
  statsPrefix: 'backup',
  protocol: restJsonProtocol([
    { method: 'GET', path: '/resources', operation: 'ListProtectedResources' },
    { method: 'GET', path: '/backup/plans', operation: 'ListBackupPlans' },
    {
      method: 'GET',
      path: '/resources/{ResourceArn}/recovery-points',
      operation: 'ListRecoveryPointsByResource',
    },
    { method: 'GET', path: '/copy-jobs', operation: 'ListCopyJobs' },
    { method: 'GET', path: '/restore-jobs', operation: 'ListRestoreJobs' },
    ...BACKUP_PLAN_ROUTES,
  ]),
  operations: {
    ...BACKUP_PLAN_OPERATIONS,
    ListProtectedResources: (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      const page = cursor(input, ctx);
      const all = ctx.estate.dr.scope(
        ctx.account.id,
        ctx.region,
      ).protectedResources;
      return {
        Results: all.slice(page.offset, page.offset + page.size).map(p => {
          const newest = lastBackupStart(p, page.at);
          return {
            ResourceArn: p.arn,
            ResourceType: p.backupType,
            LastBackupTime: new Date(newest),
            ResourceName: p.name,
            LastBackupVaultArn: p.vaultArn,
            LastRecoveryPointArn: recoveryPointArn(p, newest),
          };
        }),
        NextToken: page.next(all.length),
      };
    },

    ListBackupPlans: (input: Record<string, unknown>, ctx: CallContext) => {
      const page = cursor(input, ctx);
      const scope = ctx.estate.dr.scope(ctx.account.id, ctx.region);
      return {
        BackupPlansList: scope.plans
          .slice(page.offset, page.offset + page.size)
          .map(plan => {
            const members = scope.protectedResources.filter(
              p => p.plan === plan && p.inPlan,
            );
            const last = Math.max(
              ...members.map(p => newestBackupStart(p, page.at)),
            );
            return {
              BackupPlanArn: plan.arn,
              BackupPlanId: plan.id,
              CreationDate: plan.created,
              VersionId: plan.versionId,
              BackupPlanName: plan.name,
              LastExecutionDate: Number.isFinite(last)
                ? new Date(last)
                : undefined,
            };
          }),
        NextToken: page.next(scope.plans.length),
      };
    },

    ListRecoveryPointsByResource: (
      input: Record<string, unknown>,
      ctx: CallContext,
    ) => {
      const p = protectedResource(
        ctx.estate.dr,
        String(input.ResourceArn),
        ctx,
      );
      const page = cursor(input, ctx);
      if (!p) return { RecoveryPoints: [] };
      // Newest first, one per backup window over the plan's retention.
      const all = pointsOf(p, page.at);
      const points = all
        .slice(page.offset, page.offset + page.size)
        .map(point => ({
          ...pointFields(p, point),
          BackupSizeBytes: backupSize(p),
        }));
      const total = all.length;
      return { RecoveryPoints: points, NextToken: page.next(total) };
    },

    ListCopyJobs: (input: Record<string, unknown>, ctx: CallContext) => {
      const page = cursor(input, ctx);
      const createdAfter = timeFilter(input, 'ByCreatedAfter', 'createdAfter');
      const createdBefore = timeFilter(
        input,
        'ByCreatedBefore',
        'createdBefore',
      );
      const completeAfter = timeFilter(
        input,
        'ByCompleteAfter',
        'completeAfter',
      );
      const completeBefore = timeFilter(
        input,
        'ByCompleteBefore',
        'completeBefore',
      );
      const state = (job: CopyJob) =>
        job.completed <= page.at ? 'COMPLETED' : 'RUNNING';
      // Built and sorted once for all the listing's pages (listingOnce).
      const jobs = listingOnce(
        ctx,
        [
          'copy-jobs',
          page.at,
          createdAfter,
          createdBefore,
          completeAfter,
          completeBefore,
          input.resourceArn,
          input.state,
          input.resourceType,
          input.destinationVaultArn,
          input.accountId,
          input.parentJobId,
        ],
        () =>
          copyJobs(
            ctx.estate.dr.scope(ctx.account.id, ctx.region).protectedResources,
            page.at,
            createdAfter,
          )
            .filter(
              job =>
                (!input.resourceArn || job.p.arn === input.resourceArn) &&
                (!input.state || state(job) === input.state) &&
                (!input.resourceType ||
                  job.p.backupType === input.resourceType) &&
                (!input.destinationVaultArn ||
                  job.p.copyVaultArn === input.destinationVaultArn) &&
                (!input.accountId || job.p.accountId === input.accountId) &&
                !input.parentJobId &&
                (createdAfter === undefined || job.created >= createdAfter) &&
                (createdBefore === undefined || job.created <= createdBefore) &&
                (completeAfter === undefined ||
                  (state(job) === 'COMPLETED' &&
                    job.completed >= completeAfter)) &&
                (completeBefore === undefined ||
                  (state(job) === 'COMPLETED' &&
                    job.completed <= completeBefore)),
            )
            .sort(newestFirst),
      );
      return {
        CopyJobs: jobs.slice(page.offset, page.offset + page.size).map(job => {
          const { p } = job;
          const { source } = job;
          const destinationRegion = p.plan.copyRegion!;
          return {
            AccountId: p.accountId,
            CopyJobId: stableUuid(`${p.arn}:copy:${job.created}`).toUpperCase(),
            SourceBackupVaultArn: p.vaultArn,
            SourceRecoveryPointArn: recoveryPointArn(p, source),
            DestinationBackupVaultArn: p.copyVaultArn,
            DestinationVaultType: 'BACKUP_VAULT',
            DestinationRecoveryPointArn: recoveryPointArn(
              p,
              source,
              destinationRegion,
            ),
            DestinationRecoveryPointLifecycle: {
              DeleteAfterDays: p.plan.retentionDays,
            },
            ResourceArn: p.arn,
            CreationDate: new Date(job.created),
            CompletionDate:
              state(job) === 'COMPLETED' ? new Date(job.completed) : undefined,
            State: state(job),
            BackupSizeInBytes: backupSize(p),
            IamRoleArn: SERVICE_ROLE(p.accountId),
            CreatedBy: createdBy(p.plan),
            ResourceType: p.backupType,
            IsParent: false,
            ResourceName: p.name,
            MessageCategory: state(job) === 'COMPLETED' ? 'SUCCESS' : undefined,
          };
        }),
        NextToken: page.next(jobs.length),
      };
    },

    ListRestoreJobs: (input: Record<string, unknown>, ctx: CallContext) => {
      const page = cursor(input, ctx);
      const createdAfter = timeFilter(input, 'ByCreatedAfter', 'createdAfter');
      const createdBefore = timeFilter(
        input,
        'ByCreatedBefore',
        'createdBefore',
      );
      const completeAfter = timeFilter(
        input,
        'ByCompleteAfter',
        'completeAfter',
      );
      const completeBefore = timeFilter(
        input,
        'ByCompleteBefore',
        'completeBefore',
      );
      const status = (job: RestoreJob) => {
        if (job.completed > page.at) return 'RUNNING';
        return job.failed ? 'FAILED' : 'COMPLETED';
      };
      const jobs = restoreJobs(
        ctx.estate.dr.scope(ctx.account.id, ctx.region).restoreSources,
        ctx.region,
        page.at,
      )
        .filter(
          job =>
            (!input.accountId || job.p.accountId === input.accountId) &&
            (!input.resourceType || job.p.backupType === input.resourceType) &&
            (!input.status || status(job) === input.status) &&
            (!input.restoreTestingPlanArn ||
              job.testingPlanArn === input.restoreTestingPlanArn) &&
            !input.parentJobId &&
            (createdAfter === undefined || job.created >= createdAfter) &&
            (createdBefore === undefined || job.created <= createdBefore) &&
            (completeAfter === undefined ||
              (status(job) === 'COMPLETED' &&
                job.completed >= completeAfter)) &&
            (completeBefore === undefined ||
              (status(job) === 'COMPLETED' && job.completed <= completeBefore)),
        )
        .sort(newestFirst);
      return {
        RestoreJobs: jobs
          .slice(page.offset, page.offset + page.size)
          .map(job => {
            const { p } = job;
            const point = lastBackupStart(p, job.created - HOUR);
            // A restore in another region restores the copy in that region's vault.
            const copied = job.region !== p.region;
            const id = stableUuid(
              `${p.arn}:restore:${job.created}`,
            ).toUpperCase();
            const restoredName = `awsbackup-restore-${id
              .slice(0, 8)
              .toLowerCase()}`;
            const created = {
              Aurora: `arn:aws:rds:${job.region}:${p.accountId}:cluster:${restoredName}`,
              DynamoDB: `arn:aws:dynamodb:${job.region}:${p.accountId}:table/${restoredName}`,
              S3: `arn:aws:s3:::${restoredName}`,
            }[p.backupType];
            const done = status(job) === 'COMPLETED';
            const ended = status(job) !== 'RUNNING';
            return {
              AccountId: p.accountId,
              RestoreJobId: id,
              RecoveryPointArn: recoveryPointArn(
                p,
                point,
                copied ? job.region : p.region,
              ),
              SourceResourceArn: p.arn,
              BackupVaultArn: copied ? p.copyVaultArn : p.vaultArn,
              CreationDate: new Date(job.created),
              CompletionDate: ended ? new Date(job.completed) : undefined,
              Status: status(job),
              StatusMessage: job.failed
                ? 'Restore failed: the DB subnet group has no subnet in an Availability Zone the snapshot needs'
                : undefined,
              PercentDone: done ? '100.00%' : '50.00%',
              BackupSizeInBytes: backupSize(p),
              IamRoleArn: SERVICE_ROLE(p.accountId),
              ExpectedCompletionTimeMinutes: job.minutes,
              CreatedResourceArn: done ? created : undefined,
              ResourceType: p.backupType,
              RecoveryPointCreationDate: new Date(point),
              IsParent: false,
              CreatedBy: job.testingPlanArn
                ? { RestoreTestingPlanArn: job.testingPlanArn }
                : undefined,
              ValidationStatus: done ? job.validation : undefined,
              ValidationStatusMessage:
                done && job.validation === 'FAILED'
                  ? 'Validation script exited with 1: restored table has 0 items'
                  : undefined,
              DeletionStatus:
                job.testingPlanArn && done ? 'SUCCESSFUL' : undefined,
            };
          }),
        NextToken: page.next(jobs.length),
      };
    },
  },
};
