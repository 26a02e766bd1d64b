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
 * Every vault of the scope (ListBackupVaults, which carries `Locked` as DescribeBackupVault
 * does) and one paginated ListRecoveryPointsByBackupVault per vault over the last
 * RECOVERY_POINT_WINDOW_DAYS, grouped by the resource each point is of.
 */
export async function readRecoveryPoints(
  client: BackupClient,
  target: CallTarget,
): Promise<Map<string, ResourcePoints>> {
  const config = { client, pageSize: 1000 };
  const since = new Date(
    target.now().getTime() - RECOVERY_POINT_WINDOW_DAYS * 86_400_000,
  );
  const vaults = await itemsOf(
    recordedPages(target, 'ListBackupVaults', options =>
      paginateListBackupVaults(config, {}, options),
    ),
    output => output.BackupVaultList,
  );
  const byResource = new Map<string, ResourcePoints>();
  await Promise.all(
    vaults.map(async vault => {
      const points = await itemsOf(
        recordedPages(target, 'ListRecoveryPointsByBackupVault', options =>
          paginateListRecoveryPointsByBackupVault(
            config,
            {
              BackupVaultName: vault.item.BackupVaultName,
              ByCreatedAfter: since,
            },
            options,
          ),
        ),
        output => output.RecoveryPoints,
      );
      for (const { item, call } of points) {
        if (!item.ResourceArn) continue;
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
