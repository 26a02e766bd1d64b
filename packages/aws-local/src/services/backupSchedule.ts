import { AwsError, CallContext } from '../protocols/types';
import type { BackupPlan, ProtectedResource } from '../estate/dr';
import { hashString, stableUuid } from '../estate/random';
import { decodePageCursor, encodePageToken, queryFingerprint } from './paging';
import { pageSize } from './common';

/**
 * What the AWS Backup operations share: paging (a page token pins the clock of the listing it
 * continues), time filters, and each protected resource's backup schedule, from which recovery
 * points, copies and restores are materialised relative to the request time.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** How far back copy jobs go (one a day per resource with a copy rule). */
export const COPY_JOB_HISTORY_DAYS = 14;
export const PAGE = { min: 1, max: 1000, default: 1000 };
export const SERVICE_ROLE = (accountId: string) =>
  `arn:aws:iam::${accountId}:role/service-role/AWSBackupDefaultServiceRole`;

export function invalid(message: string): never {
  throw new AwsError('InvalidParameterValueException', message);
}

/** Paging over a listing computed at `anchor` (the first page's request time). */
export function cursor(input: Record<string, unknown>, ctx: CallContext) {
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

export function timeFilter(
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

export const period = (plan: BackupPlan) => plan.everyHours * HOUR;
/** Twice-daily (and daily) windows open at 03:00 UTC (and 15:00); hourly ones on the hour. */
export const windowOffset = (p: ProtectedResource) =>
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

export function recoveryPointArn(
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

export const backupSize = (p: ProtectedResource) =>
  2_000_000_000 + (hashString(p.arn) % 40_000_000_000);
export const vaultName = (vaultArn: string) =>
  vaultArn.slice(vaultArn.lastIndexOf(':') + 1);

export const RULE_NAMES: Record<number, string> = {
  1: 'hourly',
  12: 'twice-daily',
  24: 'daily',
};

export function createdBy(plan: BackupPlan) {
  return {
    BackupPlanId: plan.id,
    BackupPlanArn: plan.arn,
    BackupPlanName: plan.name,
    BackupPlanVersion: plan.versionId,
    BackupRuleId: stableUuid(`${plan.arn}:rule`),
    BackupRuleName: RULE_NAMES[plan.everyHours] ?? `every-${plan.everyHours}h`,
  };
}

/**
 * Start of the newest backup of `p` completed by `at`; for a store its plan no longer selects
 * (`inPlan` false) the schedule stopped `stoppedDaysAgo` before.
 */
export function lastBackupStart(p: ProtectedResource, at: number): number {
  return newestBackupStart(
    p,
    p.inPlan ? at : at - (p.stoppedDaysAgo ?? 0) * DAY,
  );
}

/** One recovery point of a store, as both listings of recovery points describe it. */
export interface PointOf {
  start: number;
  status: string;
}

/**
 * The recovery points of `p` AWS Backup still keeps at `at`, newest first: one per backup
 * window, back to the plan's retention (or `since`, when later), and from `until` back when
 * given (a time slice of a listing starts at its own newest point, not the store's). The
 * newest carries the store's `newestStatus` (PARTIAL), the rest are COMPLETED.
 */
export function pointsOf(
  p: ProtectedResource,
  at: number,
  since = Number.NEGATIVE_INFINITY,
  until = Number.POSITIVE_INFINITY,
): PointOf[] {
  const newest = lastBackupStart(p, at);
  const oldest = Math.max(since, at - p.plan.retentionDays * DAY);
  const every = period(p.plan);
  const first =
    newest > until
      ? newest - Math.ceil((newest - until) / every) * every
      : newest;
  const points: PointOf[] = [];
  for (let start = first; start >= oldest; start -= every)
    points.push({
      start,
      status: start === newest && p.newestStatus ? p.newestStatus : 'COMPLETED',
    });
  return points;
}

/** A recovery point as ListRecoveryPointsByResource / ByBackupVault share it. */
export function pointFields(p: ProtectedResource, point: PointOf) {
  return {
    RecoveryPointArn: recoveryPointArn(p, point.start),
    CreationDate: new Date(point.start),
    Status: point.status,
    EncryptionKeyArn: p.encrypted ? p.encryptionKeyArn : undefined,
    IsEncrypted: p.encrypted,
    BackupVaultName: vaultName(p.vaultArn),
    IsParent: false,
    ResourceName: p.name,
    VaultType: 'BACKUP_VAULT',
  };
}

const listingsOf = new WeakMap<object, Map<string, unknown[]>>();

/**
 * One listing's items, built once for all its pages: the pages of a listing share its clock (the
 * page token pins it), so `key` (the scope, that clock and the filters) names the same items from
 * the first page to the last. Without it each page rebuilt and sorted the whole listing, and a
 * large estate's listing cost pages x items. The last 64 listings per estate are kept (a scan
 * reads a large vault in up to 16 time slices side by side, each a listing of its own).
 */
export function listingOnce<T>(
  ctx: CallContext,
  key: unknown[],
  build: () => T[],
): T[] {
  let listings = listingsOf.get(ctx.estate);
  if (!listings) {
    listings = new Map();
    listingsOf.set(ctx.estate, listings);
  }
  const id = [ctx.account.id, ctx.region, ...key].join('|');
  let items = listings.get(id) as T[] | undefined;
  if (!items) {
    items = build();
    listings.set(id, items);
    if (listings.size > 64) listings.delete(listings.keys().next().value!);
  }
  return items;
}
