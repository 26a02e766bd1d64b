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
} from '@internal/dr-readiness-common';
import { regionOfArn } from '../arns';
import { CallTarget, itemsOf, recordedPages } from '../calls';

/** An item of a listing with the call of the page it came on. */
interface Listed<T> {
  item: T;
  call: ApiCallRecord;
}

/** What AWS Backup lists for one account x region. */
export interface BackupListings {
  protectedResources: Array<Listed<ProtectedResource>>;
  /** Completed copy jobs created since the start of the job history. */
  copies: Array<Listed<CopyJob>>;
  /** Completed restore jobs created since the start of the job history. */
  restores: Array<Listed<RestoreJobsListMember>>;
}

/** The three listings, paginated in pages of 1,000. */
async function listBackups(
  client: BackupClient,
  target: CallTarget,
  since: Date,
): Promise<BackupListings> {
  const config = { client, pageSize: 1000 };
  const [protectedResources, copies, restores] = await Promise.all([
    itemsOf(
      recordedPages(target, 'ListProtectedResources', options =>
        paginateListProtectedResources(config, {}, options),
      ),
      output => output.Results,
    ),
    itemsOf(
      recordedPages(target, 'ListCopyJobs', options =>
        paginateListCopyJobs(
          config,
          { ByState: 'COMPLETED', ByCreatedAfter: since },
          options,
        ),
      ),
      output => output.CopyJobs,
    ),
    itemsOf(
      recordedPages(target, 'ListRestoreJobs', options =>
        paginateListRestoreJobs(
          config,
          { ByStatus: 'COMPLETED', ByCreatedAfter: since },
          options,
        ),
      ),
      output => output.RestoreJobs,
    ),
  ]);
  return { protectedResources, copies, restores };
}

/** A completed restore job: one that names its source and when it completed. */
export type CompletedRestore = RestoreJobsListMember & {
  SourceResourceArn: string;
  CompletionDate: Date;
};

const isCompleted = (
  restore: Listed<RestoreJobsListMember>,
): restore is Listed<CompletedRestore> =>
  Boolean(restore.item.SourceResourceArn && restore.item.CompletionDate);

/** The listings by resource ARN: its protection, its copy jobs, its newest restore job. */
function indexByResource(listings: BackupListings) {
  const protectedByArn = new Map(
    listings.protectedResources.map(p => [p.item.ResourceArn, p]),
  );
  const copiesByArn = new Map<string | undefined, Array<Listed<CopyJob>>>();
  for (const copy of listings.copies) {
    const forArn = copiesByArn.get(copy.item.ResourceArn);
    if (forArn) forArn.push(copy);
    else copiesByArn.set(copy.item.ResourceArn, [copy]);
  }
  const latestRestore = new Map<string, Listed<CompletedRestore>>();
  for (const restore of listings.restores.filter(isCompleted)) {
    const arn = restore.item.SourceResourceArn;
    const current = latestRestore.get(arn);
    if (
      !current ||
      current.item.CompletionDate.getTime() <
        restore.item.CompletionDate.getTime()
    )
      latestRestore.set(arn, restore);
  }
  return { protectedByArn, copiesByArn, latestRestore };
}

/** What AWS Backup knows about one resource, from its protection, copy jobs and newest restore. */
export function backupFactsOf(
  prot: ProtectedResource | undefined,
  copyJobs: CopyJob[],
  restore: CompletedRestore | undefined,
  region: string,
): BackupFacts {
  return {
    protectedByPlan: Boolean(prot),
    planNames: [],
    newestRecoveryPoint: prot?.LastBackupTime
      ? {
          arn: prot.LastRecoveryPointArn ?? '',
          createdAt: prot.LastBackupTime.toISOString(),
          // ListProtectedResources records the last completed backup of the resource.
          status: 'COMPLETED',
          encrypted: true,
          vault: prot.LastBackupVaultArn ?? '',
        }
      : undefined,
    copyRegions: [
      ...new Set(
        copyJobs
          .map(c => regionOfArn(c.DestinationBackupVaultArn))
          .filter(r => r && r !== region),
      ),
    ].sort(),
    latestRestore: restore
      ? {
          jobId: restore.RestoreJobId ?? '',
          completedAt: restore.CompletionDate.toISOString(),
          // A job that does not say when it was created has no known duration (NaN).
          durationMinutes: Math.round(
            (restore.CompletionDate.getTime() -
              (restore.CreationDate?.getTime() ?? Number.NaN)) /
              60_000,
          ),
          status: restore.Status ?? '',
          restoreTestingPlan: restore.CreatedBy?.RestoreTestingPlanArn,
        }
      : undefined,
  };
}

const callsOf = (items: Array<{ call: ApiCallRecord }>) => [
  ...new Set(items.map(i => i.call)),
];

/**
 * AWS Backup for the scope's stores: three paginated listings (protected resources, completed
 * copy and restore jobs of the last `jobHistoryDays`), whatever the number of resources.
 */
export async function describeBackups(
  client: BackupClient,
  target: CallTarget,
  list: CollectedResource[],
  jobHistoryDays: number,
): Promise<void> {
  if (list.length === 0) return;
  const since = new Date(target.now().getTime() - jobHistoryDays * 86_400_000);
  const listings = await listBackups(client, target, since);
  const { protectedByArn, copiesByArn, latestRestore } =
    indexByResource(listings);
  for (const resource of list) {
    const prot = protectedByArn.get(resource.arn);
    const copyJobs = copiesByArn.get(resource.arn) ?? [];
    const restore = latestRestore.get(resource.arn);
    resource.backup = backupFactsOf(
      prot?.item,
      copyJobs.map(c => c.item),
      restore?.item,
      target.region,
    );
    // Evidence: the pages that mention this resource (or, when none does, the first page of each listing).
    resource.calls.push(
      ...(prot
        ? [prot.call]
        : callsOf(listings.protectedResources.slice(0, 1))),
      ...(copyJobs.length > 0
        ? callsOf(copyJobs)
        : callsOf(listings.copies.slice(0, 1))),
      ...(restore ? [restore.call] : callsOf(listings.restores.slice(0, 1))),
    );
  }
}
