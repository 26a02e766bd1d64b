import { restJsonProtocol } from '../protocols/restJson';
import {
  AwsError,
  AwsServiceDefinition,
  CallContext,
} from '../protocols/types';
import type { BackupPlan, DrPosture, ProtectedResource } from '../estate/dr';
import { hashString, stableUuid } from '../estate/random';
import type { DemoEstate } from '../estate/DemoEstate';
import { decodePageCursor, encodePageToken, queryFingerprint } from './paging';
import { pageSize, parseArn } from './common';

/**
 * AWS Backup over restJson1. Recovery points, copy jobs and restore jobs follow each protected
 * resource's schedule relative to the request time, so "the newest backup" is always recent; a
 * page token pins the clock of the listing it continues.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How far back copy jobs go (one a day per resource with a copy rule). */
export const COPY_JOB_HISTORY_DAYS = 14;
const PAGE = { min: 1, max: 1000, default: 1000 };
const SERVICE_ROLE = (accountId: string) =>
  `arn:aws:iam::${accountId}:role/service-role/AWSBackupDefaultServiceRole`;

function invalid(message: string): never {
  throw new AwsError('InvalidParameterValueException', message);
}

/** Paging over a listing computed at `anchor` (the first page's request time). */
function cursor(input: Record<string, unknown>, ctx: CallContext) {
  const fingerprint = queryFingerprint(
    input,
    `${ctx.account.id}:${ctx.region}`,
    'nextToken',
  );
  const { offset, anchor } = decodePageCursor(
    input.nextToken,
    fingerprint,
    'NextToken',
    'InvalidParameterValueException',
  );
  const size = pageSize(
    input.maxResults,
    'MaxResults',
    PAGE,
    'InvalidParameterValueException',
  );
  const at = anchor ?? ctx.now.getTime();
  return {
    at,
    offset,
    size,
    next: (total: number) =>
      offset + size < total
        ? encodePageToken(fingerprint, offset + size, at)
        : undefined,
  };
}

function timeFilter(
  input: Record<string, unknown>,
  field: string,
  wire: string,
): number | undefined {
  const value = input[wire];
  if (value === undefined || value === '') return undefined;
  const text = String(value);
  const ms = /^\d+(\.\d+)?$/.test(text)
    ? Number(text) * 1000
    : Date.parse(text);
  if (!Number.isFinite(ms)) invalid(`${field} '${text}' is not a timestamp`);
  return ms;
}

// --- the schedule -----------------------------------------------------------------------------

const period = (plan: BackupPlan) => plan.everyHours * HOUR;
/** Twice-daily (and daily) windows open at 03:00 UTC (and 15:00); hourly ones on the hour. */
const windowOffset = (p: ProtectedResource) =>
  (p.plan.everyHours >= 12 ? 3 * HOUR : 0) +
  (p.plan.startMinute + p.jitterMinutes) * MINUTE;
/** How long each backup job of `p` runs: its recovery point is listed once the job completes. */
export const backupJobMinutes = (p: ProtectedResource) =>
  6 + (p.jitterMinutes % 7);
const jobMinutes = backupJobMinutes;

/** Start (the recovery point's CreationDate) of the newest backup of `p` completed by `at`. */
export function newestBackupStart(p: ProtectedResource, at: number): number {
  const P = period(p.plan);
  const offset = windowOffset(p);
  let start = Math.floor((at - offset) / P) * P + offset;
  if (start + jobMinutes(p) * MINUTE > at) start -= P;
  return start;
}

function recoveryPointArn(
  p: ProtectedResource,
  start: number,
  region = p.region,
): string {
  const id = stableUuid(`${p.arn}@${start}`);
  switch (p.backupType) {
    case 'Aurora':
      return `arn:aws:rds:${region}:${p.accountId}:cluster-snapshot:awsbackup:job-${id}`;
    case 'DynamoDB':
      return region === p.region
        ? `arn:aws:dynamodb:${region}:${p.accountId}:table/${
            p.name
          }/backup/${String(start).padStart(13, '0')}-${id.slice(0, 8)}`
        : `arn:aws:backup:${region}:${p.accountId}:recovery-point:${id}`;
    default:
      return `arn:aws:backup:${region}:${p.accountId}:recovery-point:${id}`;
  }
}

const backupSize = (p: ProtectedResource) =>
  2_000_000_000 + (hashString(p.arn) % 40_000_000_000);
const vaultName = (vaultArn: string) =>
  vaultArn.slice(vaultArn.lastIndexOf(':') + 1);

interface CopyJob {
  p: ProtectedResource;
  created: number;
  completed: number;
}

interface RestoreJob {
  p: ProtectedResource;
  created: number;
  completed: number;
  minutes: number;
  testingPlanArn?: string;
}

function copyJobs(scope: ProtectedResource[], at: number): CopyJob[] {
  const jobs: CopyJob[] = [];
  const today = Math.floor(at / DAY) * DAY;
  for (const p of scope) {
    if (!p.copyVaultArn) continue;
    for (let d = 0; d < COPY_JOB_HISTORY_DAYS; d++) {
      const created = today - d * DAY + 5 * HOUR + p.jitterMinutes * MINUTE;
      if (created > at) continue;
      jobs.push({
        p,
        created,
        completed: created + (15 + p.jitterMinutes) * MINUTE,
      });
    }
  }
  return jobs;
}

function restoreJobs(scope: ProtectedResource[], at: number): RestoreJob[] {
  const jobs: RestoreJob[] = [];
  const today = Math.floor(at / DAY) * DAY;
  for (const p of scope) {
    for (const r of p.restores) {
      const created =
        today - r.daysAgo * DAY + 2 * HOUR + p.jitterMinutes * MINUTE;
      jobs.push({
        p,
        created,
        completed: created + r.minutes * MINUTE,
        minutes: r.minutes,
        testingPlanArn: r.testingPlan?.arn,
      });
    }
  }
  return jobs;
}

const newestFirst = (
  a: { created: number; p: ProtectedResource },
  b: { created: number; p: ProtectedResource },
) => b.created - a.created || a.p.arn.localeCompare(b.p.arn);

const RULE_NAMES: Record<number, string> = {
  1: 'hourly',
  12: 'twice-daily',
  24: 'daily',
};

function createdBy(plan: BackupPlan) {
  return {
    BackupPlanId: plan.id,
    BackupPlanArn: plan.arn,
    BackupPlanName: plan.name,
    BackupPlanVersion: plan.versionId,
    BackupRuleId: stableUuid(`${plan.arn}:rule`),
    BackupRuleName: RULE_NAMES[plan.everyHours] ?? `every-${plan.everyHours}h`,
  };
}

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
  ]),
  operations: {
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
          const newest = newestBackupStart(p, page.at);
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
              p => p.plan === plan,
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
      const total = Math.floor((p.plan.retentionDays * 24) / p.plan.everyHours);
      const newest = newestBackupStart(p, page.at);
      const points = [];
      for (
        let i = page.offset;
        i < Math.min(total, page.offset + page.size);
        i++
      ) {
        const start = newest - i * period(p.plan);
        points.push({
          RecoveryPointArn: recoveryPointArn(p, start),
          CreationDate: new Date(start),
          Status: 'COMPLETED',
          EncryptionKeyArn: p.encryptionKeyArn,
          BackupSizeBytes: backupSize(p),
          BackupVaultName: vaultName(p.vaultArn),
          IsParent: false,
          ResourceName: p.name,
          VaultType: 'BACKUP_VAULT',
        });
      }
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
      const jobs = copyJobs(
        ctx.estate.dr.scope(ctx.account.id, ctx.region).protectedResources,
        page.at,
      )
        .filter(
          job =>
            (!input.resourceArn || job.p.arn === input.resourceArn) &&
            (!input.state || state(job) === input.state) &&
            (!input.resourceType || job.p.backupType === input.resourceType) &&
            (!input.destinationVaultArn ||
              job.p.copyVaultArn === input.destinationVaultArn) &&
            (!input.accountId || job.p.accountId === input.accountId) &&
            !input.parentJobId &&
            (createdAfter === undefined || job.created >= createdAfter) &&
            (createdBefore === undefined || job.created <= createdBefore) &&
            (completeAfter === undefined ||
              (state(job) === 'COMPLETED' && job.completed >= completeAfter)) &&
            (completeBefore === undefined ||
              (state(job) === 'COMPLETED' && job.completed <= completeBefore)),
        )
        .sort(newestFirst);
      return {
        CopyJobs: jobs.slice(page.offset, page.offset + page.size).map(job => {
          const { p } = job;
          const source = newestBackupStart(p, job.created);
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
      const status = (job: RestoreJob) =>
        job.completed <= page.at ? 'COMPLETED' : 'RUNNING';
      const jobs = restoreJobs(
        ctx.estate.dr.scope(ctx.account.id, ctx.region).protectedResources,
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
            const point = newestBackupStart(p, job.created - HOUR);
            const id = stableUuid(
              `${p.arn}:restore:${job.created}`,
            ).toUpperCase();
            const restoredName = `awsbackup-restore-${id
              .slice(0, 8)
              .toLowerCase()}`;
            const created = {
              Aurora: `arn:aws:rds:${p.region}:${p.accountId}:cluster:${restoredName}`,
              DynamoDB: `arn:aws:dynamodb:${p.region}:${p.accountId}:table/${restoredName}`,
              S3: `arn:aws:s3:::${restoredName}`,
            }[p.backupType];
            const done = status(job) === 'COMPLETED';
            return {
              AccountId: p.accountId,
              RestoreJobId: id,
              RecoveryPointArn: recoveryPointArn(p, point),
              SourceResourceArn: p.arn,
              BackupVaultArn: p.vaultArn,
              CreationDate: new Date(job.created),
              CompletionDate: done ? new Date(job.completed) : undefined,
              Status: status(job),
              PercentDone: done ? '100.00%' : '50.00%',
              BackupSizeInBytes: backupSize(p),
              IamRoleArn: SERVICE_ROLE(p.accountId),
              ExpectedCompletionTimeMinutes: job.minutes,
              CreatedResourceArn: created,
              ResourceType: p.backupType,
              RecoveryPointCreationDate: new Date(point),
              IsParent: false,
              CreatedBy: job.testingPlanArn
                ? { RestoreTestingPlanArn: job.testingPlanArn }
                : undefined,
              ValidationStatus:
                job.testingPlanArn && done ? 'SUCCESSFUL' : undefined,
              DeletionStatus:
                job.testingPlanArn && done ? 'SUCCESSFUL' : undefined,
            };
          }),
        NextToken: page.next(jobs.length),
      };
    },
  },
};
