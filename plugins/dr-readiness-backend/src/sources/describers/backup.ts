import {
  BackupClient,
  CopyJob,
  paginateListCopyJobs,
  paginateListProtectedResources,
  paginateListRestoreJobs,
  ProtectedResource,
  RestoreJobsListMember,
} from '@aws-sdk/client-backup';
import {
  ApiCallRecord,
  BackupFacts,
  CollectedResource,
  RestoreFacts,
} from '@internal/dr-readiness-common';
import { regionOfArn } from '../arns';
import { CallTarget, itemsOf, recordedPages } from '../calls';
import { DefinitionReuse, plansCovering, readPlans } from './backupPlans';
import {
  readRecoveryPoints,
  RECOVERY_POINT_WINDOW_DAYS,
  summarisePoints,
} from './backupVaults';

/** An item of a listing with the call of the page it came on. */
interface Listed<T> {
  item: T;
  call: ApiCallRecord;
}

/** A restore job as listed in one scanned account x region. */
export interface ListedRestore extends Listed<RestoreJobsListMember> {
  accountId: string;
  region: string;
}

const callsOf = (items: Array<{ call: ApiCallRecord }>) => [
  ...new Set(items.map(i => i.call)),
];

/**
 * Restore jobs of every status (failed and aborted ones are evidence too) created in the
 * last `jobHistoryDays`, in one account x region.
 */
export async function readRestoreJobs(
  client: BackupClient,
  target: CallTarget,
  jobHistoryDays: number,
): Promise<ListedRestore[]> {
  const since = new Date(target.now().getTime() - jobHistoryDays * 86_400_000);
  const restores = await itemsOf(
    recordedPages(target, 'ListRestoreJobs', options =>
      paginateListRestoreJobs(
        { client, pageSize: 1000 },
        { ByCreatedAfter: since },
        options,
      ),
    ),
    output => output.RestoreJobs,
  );
  return restores.map(r => ({
    ...r,
    accountId: target.accountId,
    region: target.region,
  }));
}

const groupBy = <T>(items: T[], key: (item: T) => string | undefined) => {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
};

/** What the copy jobs of one resource say: the regions and accounts holding copies, the newest per region. */
export function copyFactsOf(
  copyJobs: CopyJob[],
  region: string,
  accountId: string,
): Pick<BackupFacts, 'copyRegions' | 'copyAccounts' | 'newestCopyByRegion'> {
  const newestCopyByRegion: Record<string, string> = {};
  const accounts = new Set<string>();
  for (const copy of copyJobs) {
    const to = regionOfArn(copy.DestinationBackupVaultArn);
    const account = copy.DestinationBackupVaultArn?.split(':')[4];
    if (account && account !== accountId) accounts.add(account);
    if (!to || to === region || !copy.CompletionDate) continue;
    const at = copy.CompletionDate.toISOString();
    if (!newestCopyByRegion[to] || newestCopyByRegion[to] < at)
      newestCopyByRegion[to] = at;
  }
  return {
    copyRegions: Object.keys(newestCopyByRegion).sort(),
    copyAccounts: [...accounts].sort(),
    newestCopyByRegion,
  };
}

/** A restore job as the restore control reads it; an Aurora restore's time is a lower bound. */
export function restoreFactsOf(restore: ListedRestore): RestoreFacts {
  const job = restore.item;
  const created = job.CreationDate?.getTime();
  const completed = job.CompletionDate?.getTime();
  return {
    jobId: job.RestoreJobId ?? '',
    accountId: restore.accountId,
    region: restore.region,
    status: job.Status ?? 'UNKNOWN',
    validationStatus: job.ValidationStatus,
    completedAt: job.CompletionDate?.toISOString(),
    durationMinutes:
      created !== undefined && completed !== undefined
        ? Math.round((completed - created) / 60_000)
        : undefined,
    // AWS Backup restores an Aurora cluster without DB instances; adding them takes more time.
    durationIsLowerBound: job.ResourceType === 'Aurora',
    restoreTestingPlan: job.CreatedBy?.RestoreTestingPlanArn,
    statusMessage: job.StatusMessage ?? job.ValidationStatusMessage,
  };
}

const FINISHED = new Set(['COMPLETED', 'FAILED', 'ABORTED']);

/**
 * Attaches each resource's restore jobs from every scanned account x region (a restore run in
 * the recovery region from a copied recovery point names the source resource too).
 */
export function attachRestores(
  resources: CollectedResource[],
  restores: ListedRestore[],
  unread: string[] = [],
) {
  const bySource = groupBy(restores, r => r.item.SourceResourceArn);
  for (const resource of resources) {
    if (!resource.backup) continue;
    const jobs = (bySource.get(resource.arn) ?? []).sort(
      (a, b) =>
        (b.item.CreationDate?.getTime() ?? 0) -
        (a.item.CreationDate?.getTime() ?? 0),
    );
    const facts = jobs.map(restoreFactsOf);
    resource.backup.restores = facts;
    if (unread.length > 0) resource.backup.restoreScopesUnread = [...unread];
    // The newest finished restore; one still validating waits for its verdict.
    resource.backup.latestRestore = facts.find(
      r =>
        FINISHED.has(r.status) &&
        !(r.status === 'COMPLETED' && r.validationStatus === 'VALIDATING'),
    );
    resource.backup.latestGoodRestore = facts.find(
      r =>
        r.status === 'COMPLETED' &&
        (r.validationStatus === undefined ||
          r.validationStatus === 'SUCCESSFUL'),
    );
    resource.calls.push(...callsOf(jobs.slice(0, 5)));
  }
}

/** How far before its last listing a later scan asks for completed copy jobs: AWS Backup may list a job some minutes after it completes. */
const COPY_LISTING_OVERLAP_MS = 3_600_000;

interface KeptScopeJobs {
  jobs: Map<string, Listed<CopyJob>>;
  listedAt: number;
  fullUntil: number;
}

/**
 * The completed copy jobs earlier scheduled scans listed, per account x region. COMPLETED is a
 * final state, so a later scan lists only the jobs completed since its last listing
 * (`ByCompleteAfter`, less COPY_LISTING_OVERLAP_MS) and keeps the others while they were
 * created in the window; a full listing is made again once the kept ones are older than the
 * maximum age (`drReadiness.config.fallbackMaxAgeHours`), and on every rescan.
 */
export class KeptCopyJobs {
  private readonly scopes = new Map<string, KeptScopeJobs>();

  constructor(private readonly maxAgeMs: number) {}

  /** The completion time to list from, or undefined: list the window in full. */
  since(scope: string, now: Date, fresh: boolean): Date | undefined {
    const kept = this.scopes.get(scope);
    const at = now.getTime();
    if (fresh || !kept || at >= kept.fullUntil || at < kept.listedAt)
      return undefined;
    return new Date(kept.listedAt - COPY_LISTING_OVERLAP_MS);
  }

  /** Keeps a full listing made at `now`. */
  store(scope: string, jobs: Array<Listed<CopyJob>>, now: Date): void {
    if (this.maxAgeMs <= 0) return;
    const at = now.getTime();
    this.scopes.set(scope, {
      jobs: new Map(jobs.map(j => [j.item.CopyJobId ?? '', j])),
      listedAt: at,
      fullUntil: at + this.maxAgeMs,
    });
  }

  /** The window's jobs: the delta's, then the kept ones (their calls marked reused). */
  merge(
    scope: string,
    delta: Array<Listed<CopyJob>>,
    windowStart: Date,
    now: Date,
  ): Array<Listed<CopyJob>> {
    const kept = this.scopes.get(scope)!;
    for (const job of delta) kept.jobs.set(job.item.CopyJobId ?? '', job);
    for (const [id, job] of kept.jobs)
      if (!job.item.CreationDate || job.item.CreationDate < windowStart)
        kept.jobs.delete(id);
    kept.listedAt = now.getTime();
    const fresh = new Set(delta);
    const inWindow = delta.filter(j => kept.jobs.has(j.item.CopyJobId ?? ''));
    for (const job of kept.jobs.values())
      if (!fresh.has(job))
        inWindow.push({ ...job, call: { ...job.call, reused: true } });
    return inWindow;
  }
}

/** Reuse for a later scheduled scan (Config source): plan versions, selections, copy jobs. */
export interface BackupReuse extends DefinitionReuse {
  copyJobs: KeptCopyJobs;
}

/**
 * Completed copy jobs of the scope created since `since` (the recovery point window), and the
 * first page of the listing this scan made (the evidence where a resource has none). With
 * `reuse`, a later scan lists only the jobs completed since its last listing (KeptCopyJobs).
 */
async function readCopyJobs(
  client: BackupClient,
  target: CallTarget,
  since: Date,
  reuse?: BackupReuse,
): Promise<{ jobs: Array<Listed<CopyJob>>; firstCall?: ApiCallRecord }> {
  const list = async (filter: {
    ByCreatedAfter?: Date;
    ByCompleteAfter?: Date;
  }) => {
    const jobs: Array<Listed<CopyJob>> = [];
    let firstCall: ApiCallRecord | undefined;
    const pages = recordedPages(target, 'ListCopyJobs', options =>
      paginateListCopyJobs(
        { client, pageSize: 1000 },
        { ByState: 'COMPLETED', ...filter },
        options,
      ),
    );
    for await (const { output, call } of pages) {
      firstCall ??= call;
      for (const item of output.CopyJobs ?? []) jobs.push({ item, call });
    }
    return { jobs, firstCall };
  };
  const scope = `${target.accountId}/${target.region}`;
  const now = target.now();
  const completedAfter = reuse?.copyJobs.since(scope, now, reuse.fresh);
  if (reuse && completedAfter) {
    const delta = await list({ ByCompleteAfter: completedAfter });
    return {
      jobs: reuse.copyJobs.merge(scope, delta.jobs, since, now),
      firstCall: delta.firstCall,
    };
  }
  const full = await list({ ByCreatedAfter: since });
  reuse?.copyJobs.store(scope, full.jobs, now);
  return full;
}

/** Resources with a recovery point (ListProtectedResources), whatever plan took it. */
async function readProtectedResources(
  client: BackupClient,
  target: CallTarget,
) {
  return itemsOf(
    recordedPages(target, 'ListProtectedResources', options =>
      paginateListProtectedResources({ client, pageSize: 1000 }, {}, options),
    ),
    output => output.Results,
  );
}

/**
 * AWS Backup for the scope's stores, batch-shaped: the plans (per plan: rules and selections),
 * the vaults (per vault: one paginated recovery point listing), protected resources, completed
 * copy jobs and restore jobs. Calls grow with plans, selections and vaults, not with resources.
 * Returns the scope's restore jobs: the collector matches them to resources of every scope.
 */
export async function describeBackups(
  client: BackupClient,
  target: CallTarget,
  list: CollectedResource[],
  jobHistoryDays: number,
  /** Later scheduled scans (Config source): plan versions and selections read before. */
  reuse?: BackupReuse,
): Promise<ListedRestore[]> {
  const restoresRead = readRestoreJobs(client, target, jobHistoryDays);
  if (list.length === 0) return restoresRead;
  const copiesSince = new Date(
    target.now().getTime() - RECOVERY_POINT_WINDOW_DAYS * 86_400_000,
  );
  const [plans, points, protectedList, copies, restores] = await Promise.all([
    readPlans(client, target, reuse),
    readRecoveryPoints(client, target),
    readProtectedResources(client, target),
    readCopyJobs(client, target, copiesSince, reuse),
    restoresRead,
  ]);
  const protectedByArn = new Map<string, Listed<ProtectedResource>>();
  for (const p of protectedList)
    if (p.item.ResourceArn) protectedByArn.set(p.item.ResourceArn, p);
  const copiesByArn = groupBy(copies.jobs, c => c.item.ResourceArn);
  for (const resource of list) {
    const covering = plansCovering(plans, resource);
    const own = points.get(resource.arn);
    const summary = summarisePoints(own?.points ?? []);
    const prot = protectedByArn.get(resource.arn);
    const copyJobs = copiesByArn.get(resource.arn) ?? [];
    resource.backup = {
      protectedByPlan: covering.length > 0,
      planNames: covering.map(c => c.plan.name),
      rules: covering.flatMap(c => c.plan.rules),
      hasRecoveryPoints: Boolean(prot) || (own?.points.length ?? 0) > 0,
      lastBackupAt: prot?.item.LastBackupTime?.toISOString(),
      newestRecoveryPoint: summary.newest,
      newestCompletedRecoveryPoint: summary.newestCompleted,
      unencryptedRecoveryPoints: summary.unencrypted,
      ...copyFactsOf(
        copyJobs.map(c => c.item),
        resource.region,
        resource.accountId,
      ),
      restores: [],
    };
    // Evidence: the calls that show the plan, the points, the copies (or the first page of each listing).
    resource.calls.push(
      ...(covering.length > 0
        ? covering.flatMap(c => c.calls)
        : plans.flatMap(p => p.calls.slice(0, 1)).slice(0, 1)),
      ...(own?.calls ?? []),
      ...(prot ? [prot.call] : callsOf(protectedList.slice(0, 1))),
      // Kept jobs (a later scan's) come with this scan's listing of those completed since.
      ...(copyJobs.length > 0 ? callsOf(copyJobs) : []),
      ...(copies.firstCall &&
      (copyJobs.length === 0 || copyJobs.some(c => c.call.reused))
        ? [copies.firstCall]
        : []),
    );
  }
  return restores;
}
