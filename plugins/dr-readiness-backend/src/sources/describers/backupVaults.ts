import {
  BackupClient,
  paginateListBackupVaults,
  paginateListRecoveryPointsByBackupVault,
  RecoveryPointByBackupVault,
} from '@aws-sdk/client-backup';
import type {
  ApiCallRecord,
  RecoveryPointFacts,
} from '@internal/dr-readiness-common';
import { CallTarget, itemsOf, recordedPages } from '../calls';

/**
 * How far back recovery points and copy jobs are read (ByCreatedAfter). Freshness needs only
 * the newest ones, and no tier allows a backup older than a day; a longer window multiplies
 * pages (an hourly plan writes 24 points and 24 copies a day per store). Older history is
 * summarised by ListProtectedResources (last backup time per resource).
 */
export const RECOVERY_POINT_WINDOW_DAYS = 2;

/** The recovery points of one resource in the scope's vaults, newest first, with their pages. */
export interface ResourcePoints {
  points: RecoveryPointFacts[];
  calls: ApiCallRecord[];
}

/** Recovery points AWS no longer keeps (or is removing): not a point one can restore from. */
const GONE = new Set(['EXPIRED', 'DELETING']);

function pointFacts(
  point: RecoveryPointByBackupVault,
  locked: boolean | undefined,
): RecoveryPointFacts {
  const created = point.CreationDate;
  const deleteAt =
    point.CalculatedLifecycle?.DeleteAt ??
    (created && point.Lifecycle?.DeleteAfterDays !== undefined
      ? new Date(
          created.getTime() + point.Lifecycle.DeleteAfterDays * 86_400_000,
        )
      : undefined);
  return {
    arn: point.RecoveryPointArn ?? '',
    createdAt: created ? created.toISOString() : '',
    status: point.Status ?? 'UNKNOWN',
    // An absent IsEncrypted is not evidence of encryption.
    encrypted: point.IsEncrypted === true,
    vault: point.BackupVaultArn ?? point.BackupVaultName ?? '',
    vaultLocked: locked,
    deleteAt: deleteAt?.toISOString(),
  };
}

/**
 * A vault said to hold more recovery points than this (ListBackupVaults' NumberOfRecoveryPoints)
 * is read in time slices side by side: one NextToken chain over an org-scale vault was hundreds
 * of pages in a row, the last thing a scan waited for. The count covers the vault's whole
 * retention, not the window, so it only sets how many slices; what is read does not depend on it.
 */
export const POINTS_PER_SLICE = 10_000;
const MAX_SLICES = 16;
/** Slices overlap by this much on each side (AWS does not say whether the bounds are inclusive); points are kept once by ARN. */
const SLICE_OVERLAP_MS = 1_000;

/** The time filters of each slice of [since, now]: the last one open-ended, as an unsliced listing is. */
export function recoveryPointSlices(
  since: Date,
  now: Date,
  count: number,
): Array<{ ByCreatedAfter: Date; ByCreatedBefore?: Date }> {
  const width = (now.getTime() - since.getTime()) / count;
  return Array.from({ length: count }, (_, i) => ({
    ByCreatedAfter:
      i === 0
        ? since
        : new Date(since.getTime() + i * width - SLICE_OVERLAP_MS),
    ByCreatedBefore:
      i === count - 1
        ? undefined
        : new Date(since.getTime() + (i + 1) * width + SLICE_OVERLAP_MS),
  }));
}

/**
 * Every vault of the scope (ListBackupVaults, which carries `Locked` as DescribeBackupVault
 * does) and a paginated ListRecoveryPointsByBackupVault per vault over the last
 * RECOVERY_POINT_WINDOW_DAYS (per time slice for a large vault), grouped by the resource each
 * point is of. Any page that fails fails the read: a partial listing is never evidence.
 */
export async function readRecoveryPoints(
  client: BackupClient,
  target: CallTarget,
  pointsPerSlice = POINTS_PER_SLICE,
): Promise<Map<string, ResourcePoints>> {
  const config = { client, pageSize: 1000 };
  const now = target.now();
  const since = new Date(
    now.getTime() - RECOVERY_POINT_WINDOW_DAYS * 86_400_000,
  );
  const vaults = await itemsOf(
    recordedPages(target, 'ListBackupVaults', options =>
      paginateListBackupVaults(config, {}, options),
    ),
    output => output.BackupVaultList,
  );
  const byResource = new Map<string, ResourcePoints>();
  const listing = (
    vaultName: string | undefined,
    filters: { ByCreatedAfter: Date; ByCreatedBefore?: Date },
  ) =>
    itemsOf(
      recordedPages(target, 'ListRecoveryPointsByBackupVault', options =>
        paginateListRecoveryPointsByBackupVault(
          config,
          { BackupVaultName: vaultName, ...filters },
          options,
        ),
      ),
      output => output.RecoveryPoints,
    );
  await Promise.all(
    vaults.map(async vault => {
      const slices = Math.min(
        MAX_SLICES,
        Math.max(
          1,
          Math.ceil((vault.item.NumberOfRecoveryPoints ?? 0) / pointsPerSlice),
        ),
      );
      const listed = await Promise.all(
        recoveryPointSlices(since, now, slices).map(filters =>
          listing(vault.item.BackupVaultName, filters),
        ),
      );
      const seen = new Set<string>();
      for (const { item, call } of listed.flat()) {
        if (!item.ResourceArn) continue;
        // A point in the overlap of two slices comes twice.
        if (item.RecoveryPointArn && slices > 1) {
          if (seen.has(item.RecoveryPointArn)) continue;
          seen.add(item.RecoveryPointArn);
        }
        const entry = byResource.get(item.ResourceArn) ?? {
          points: [],
          calls: [],
        };
        entry.points.push(pointFacts(item, vault.item.Locked));
        if (!entry.calls.includes(vault.call)) entry.calls.push(vault.call);
        if (!entry.calls.includes(call)) entry.calls.push(call);
        byResource.set(item.ResourceArn, entry);
      }
    }),
  );
  for (const entry of byResource.values())
    entry.points.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return byResource;
}

/** The newest point, the newest COMPLETED one, and the kept points that are not encrypted. */
export function summarisePoints(points: RecoveryPointFacts[]) {
  return {
    newest: points[0],
    newestCompleted: points.find(p => p.status === 'COMPLETED'),
    unencrypted: points
      .filter(p => !p.encrypted && !GONE.has(p.status))
      .map(p => p.arn),
  };
}
