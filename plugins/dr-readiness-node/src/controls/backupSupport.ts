import type {
  BackupFacts,
  CollectedResource,
  DrResourceType,
  DrTier,
} from '@internal/dr-readiness-common';
import { backupOf, formatMinutes } from './support';
import type { CheckContext, ResourceControl, Verdict } from './types';

/** The stores AWS Backup protects here: what the AWS Backup controls look at. */
export const BACKUP_TYPES: DrResourceType[] = [
  'rds:cluster',
  'rds:db',
  'dynamodb:table',
  's3:bucket',
];

const storeNoun: [string, string] = ['data store', 'data stores'];

/** An AWS Backup control: primaries of the backup types, judged on their AWS Backup facts. */
export function backupControl(
  spec: Omit<
    ResourceControl,
    | 'kind'
    | 'types'
    | 'covers'
    | 'usesBackup'
    | 'usesDescribe'
    | 'noun'
    | 'verdict'
  > & {
    verdict(
      backup: BackupFacts,
      resource: CollectedResource,
      ctx: CheckContext,
    ): Verdict;
  },
): ResourceControl {
  return {
    ...spec,
    kind: 'resource',
    types: BACKUP_TYPES,
    covers: 'primary',
    usesBackup: true,
    usesDescribe: false,
    noun: storeNoun,
    verdict(resource, ctx) {
      const backup = backupOf(resource, ctx.facts);
      if (typeof backup === 'string')
        return { status: 'error', detail: backup };
      return spec.verdict(backup, resource, ctx);
    },
  };
}

/** AWS Backup's shortest schedule: hourly (continuous backup restores to a time, it writes no recovery points). */
export const SHORTEST_BACKUP_MINUTES = 60;

/**
 * What the tier asks of backups. A tier whose RPO is an hour or more: its RPO, both as the
 * longest time between backups and as the oldest the newest recovery point (or cross-region
 * copy) may be. A tier whose RPO is under an hour gets it from replication: no backup can meet
 * it, so its backups are judged against the hourly schedule it needs, and the newest point may
 * be two hours old (the hour between runs plus the hour AWS Backup's shortest start window
 * allows a job to start and complete).
 */
export function backupObjective(tier: Pick<DrTier, 'rpoMinutes'>): {
  everyMinutes: number;
  maxAgeMinutes: number;
  /** Set when backups cannot meet the tier's RPO: said in each detail. */
  caveat?: string;
} {
  if (tier.rpoMinutes >= SHORTEST_BACKUP_MINUTES)
    return { everyMinutes: tier.rpoMinutes, maxAgeMinutes: tier.rpoMinutes };
  return {
    everyMinutes: SHORTEST_BACKUP_MINUTES,
    maxAgeMinutes: 2 * SHORTEST_BACKUP_MINUTES,
    caveat: `no backup can meet a ${formatMinutes(
      tier.rpoMinutes,
    )} RPO (AWS Backup runs at most hourly; replication carries it), so backups are judged against an hourly schedule`,
  };
}

export const withCaveat = (detail: string, caveat?: string) =>
  caveat ? `${detail}; ${caveat}` : detail;
