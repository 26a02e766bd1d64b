import { findDrControl, unknownControlMessage } from './controls';
import type {
  ApiCallRecord,
  BackupFacts,
  CollectedResource,
  CollectionGap,
  DrResourceType,
  ResourceFacts,
  ServiceFacts,
} from './facts';
import type { CheckStatus, ControlResult, ResourceOutcome } from './results';
import type { DrTier } from './tiers';

/*
 * The controls: pure functions over the facts the scan collected for one service.
 *
 * Which resources a control looks at:
 * - Recovery copies are the resources that exist to recover the primary: anything in the
 *   service's recovery region, Aurora clusters with a ReplicationSource, and S3 buckets that are
 *   the replication destination of another of the service's buckets. Controls about the
 *   primary's availability, backups and replication (Multi-AZ, failover, AWS Backup, copies,
 *   global tables, multi-Region keys, replicated secrets) look at primaries only: a copy is
 *   covered through its primary, and asking a replica to replicate itself makes no sense.
 *   Controls about how data is kept safe at rest (encryption, deletion protection, versioning,
 *   point-in-time recovery) look at copies too, because a copy becomes the primary on failover.
 * - AWS Backup controls look at Aurora/RDS clusters, DynamoDB tables and S3 buckets, the stores
 *   AWS Backup protects here.
 *
 * Per resource the check says pass, fail, error (the describe call failed, or AWS Backup could
 * not be read) or not_applicable (a recovery copy, a key being deleted). A control then says
 * fail if any resource fails; else error if any could not be checked; else pass if any passed;
 * else error when an account/region could not be read (the resources may be there), else
 * not_applicable.
 */

type Verdict = {
  status: CheckStatus;
  /** One line on this resource, shown per resource. */
  detail: string;
  /** A few words for the summary's list of names, e.g. "3 days". */
  note?: string;
  /** Why it failed, when the fix differs by cause (e.g. `stale` or `slow` restores). */
  cause?: string;
  /** The facts the verdict rests on (kept as evidence). */
  used?: Record<string, unknown>;
};

interface CheckContext {
  facts: ServiceFacts;
  tier: DrTier;
  now: Date;
}

interface ResourceControl {
  id: string;
  types: DrResourceType[];
  /** `primary`: recovery copies are not_applicable; `all`: every resource. */
  covers: 'primary' | 'all';
  /** Reads `resource.backup` (AWS Backup), not only the describe facts. */
  usesBackup?: boolean;
  /** Reads `resource.facts` (the describe call); false for AWS Backup-only controls. */
  usesDescribe: boolean;
  noun: [string, string];
  /** Verb phrases for one / several failing resources: "has point-in-time recovery disabled". */
  fails: [string, string];
  /** Verb phrases for one / several passing resources. */
  passes: [string, string];
  /** The tier's figures the control compares with; a string names a missing one. */
  requirement?: (tier: DrTier) => Record<string, number> | string;
  verdict(resource: CollectedResource, ctx: CheckContext): Verdict;
  fix(failing: Outcome[], ctx: CheckContext): string;
}

type Role = { copy: false } | { copy: true; why: string };

interface Outcome extends ResourceOutcome {
  /** The resource's name, with its kind when the control covers several kinds: `ledger (Aurora)`. */
  name: string;
  plainName: string;
  kind?: string;
  note?: string;
  cause?: string;
}

const plural = (count: number, [one, many]: [string, string]) =>
  count === 1 ? one : many;

/** `a, b, c and 2 more`. */
function listNames(items: string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** 45 min, 26 h 5 min, 3 d 4 h. */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 48 * 60) {
    const hours = Math.floor(m / 60);
    const rest = m % 60;
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  }
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  return hours === 0 ? `${days} d` : `${days} d ${hours} h`;
}

const minutesBetween = (from: string, now: Date) =>
  (now.getTime() - Date.parse(from)) / 60_000;

const TYPE_LABEL: Record<DrResourceType, [string, string]> = {
  'rds:cluster': ['Aurora cluster', 'Aurora clusters'],
  'dynamodb:table': ['DynamoDB table', 'DynamoDB tables'],
  'elasticache:replicationgroup': [
    'ElastiCache replication group',
    'ElastiCache replication groups',
  ],
  's3:bucket': ['S3 bucket', 'S3 buckets'],
  'kms:key': ['KMS key', 'KMS keys'],
  'secretsmanager:secret': ['secret', 'secrets'],
};

const SHORT_TYPE: Record<DrResourceType, string> = {
  'rds:cluster': 'Aurora',
  'dynamodb:table': 'DynamoDB',
  'elasticache:replicationgroup': 'ElastiCache',
  's3:bucket': 'S3',
  'kms:key': 'KMS',
  'secretsmanager:secret': 'Secrets Manager',
};

const BACKUP_TYPES: DrResourceType[] = [
  'rds:cluster',
  'dynamodb:table',
  's3:bucket',
];

/** The SDK service id a resource type is read through, as in `CollectionGap.operation`. */
const SERVICE_OF: Record<DrResourceType, string> = {
  'rds:cluster': 'rds',
  'dynamodb:table': 'dynamodb',
  'elasticache:replicationgroup': 'elasticache',
  's3:bucket': 's3',
  'kms:key': 'kms',
  'secretsmanager:secret': 'secretsmanager',
};

/** A resource's name: its identifier from the facts, else the end of its ARN. */
function resourceName(resource: CollectedResource): string {
  const facts = resource.facts;
  switch (facts?.kind) {
    case 'rds:cluster':
      return facts.identifier;
    case 'dynamodb:table':
      return facts.tableName;
    case 'elasticache:replicationgroup':
      return facts.replicationGroupId;
    case 's3:bucket':
      return facts.bucket;
    case 'kms:key':
      return facts.keyId;
    case 'secretsmanager:secret':
      return facts.name;
    default: {
      const tail = resource.arn.split(':').slice(5).join(':');
      return (
        tail.replace(/^(cluster|table|replicationgroup|key|secret)[:/]/, '') ||
        resource.arn
      );
    }
  }
}

function factsOf<K extends ResourceFacts['kind']>(
  resource: CollectedResource,
  kind: K,
): Extract<ResourceFacts, { kind: K }> {
  // The caller has checked resource.facts is present; the kind follows from the resource type.
  if (resource.facts?.kind !== kind) {
    throw new Error(
      `${resource.arn}: expected ${kind} facts, found ${
        resource.facts?.kind ?? 'none'
      }`,
    );
  }
  return resource.facts as Extract<ResourceFacts, { kind: K }>;
}

/** The region replicas must reach: the declared recovery region, or any other region. */
function replicaTarget(
  ctx: CheckContext,
  ownRegion: string,
): { label: string; ok: (regions: string[]) => boolean } {
  const recovery = ctx.facts.recoveryRegion;
  if (recovery && recovery !== ownRegion) {
    return { label: recovery, ok: regions => regions.includes(recovery) };
  }
  return {
    label: 'another region (no recovery region is declared for the service)',
    ok: regions => regions.some(region => region !== ownRegion),
  };
}

const targetLabel = (ctx: CheckContext) =>
  ctx.facts.recoveryRegion ?? 'the recovery region';

const regionsText = (regions: string[]) =>
  regions.length > 0 ? regions.join(', ') : 'none';

/**
 * Pass when `regions` (replicas, copies) include the replica target; else fail, saying what is
 * missing where and where the copies are.
 */
function inTargetRegion(
  target: ReturnType<typeof replicaTarget>,
  regions: string[],
  used: Record<string, unknown>,
  words: { pass: string; missing: string; found: string; note?: string },
): Verdict {
  if (target.ok(regions)) {
    return {
      status: 'pass',
      detail: `${words.pass} ${regionsText(regions)}`,
      used,
    };
  }
  return {
    status: 'fail',
    detail: `${words.missing} ${target.label} (${words.found} in: ${regionsText(
      regions,
    )})`,
    ...(words.note ? { note: words.note } : {}),
    used,
  };
}

/** S3 bucket ARNs that are replication destinations of the service's other buckets, with their source. */
function replicationDestinations(facts: ServiceFacts): Map<string, string> {
  const destinations = new Map<string, string>();
  for (const resource of facts.resources) {
    if (resource.facts?.kind !== 's3:bucket') continue;
    for (const rule of resource.facts.replicationRules) {
      if (
        rule.destinationBucketArn &&
        rule.destinationBucketArn !== resource.arn
      ) {
        destinations.set(rule.destinationBucketArn, resource.facts.bucket);
      }
    }
  }
  return destinations;
}

function roleOf(
  resource: CollectedResource,
  facts: ServiceFacts,
  destinations: Map<string, string>,
): Role {
  const { recoveryRegion, primaryRegion } = facts;
  if (
    recoveryRegion &&
    recoveryRegion !== primaryRegion &&
    resource.region === recoveryRegion
  ) {
    return { copy: true, why: `in the recovery region ${recoveryRegion}` };
  }
  if (
    resource.facts?.kind === 'rds:cluster' &&
    resource.facts.replicationSource
  ) {
    return {
      copy: true,
      why: `replica of ${resource.facts.replicationSource}`,
    };
  }
  const source = destinations.get(resource.arn);
  if (resource.facts?.kind === 's3:bucket' && source) {
    return { copy: true, why: `replication destination of ${source}` };
  }
  return { copy: false };
}

/** The backup facts of a resource, or the reason they are missing (an AWS Backup read that failed). */
function backupOf(
  resource: CollectedResource,
  facts: ServiceFacts,
): BackupFacts | string {
  if (resource.backup) return resource.backup;
  const gap = facts.gaps.find(
    g =>
      g.accountId === resource.accountId &&
      g.region === resource.region &&
      g.operation.startsWith('backup:'),
  );
  return gap
    ? `AWS Backup could not be read in ${gap.accountId}/${gap.region}: ${gap.code}: ${gap.message} (${gap.operation})`
    : `AWS Backup facts were not collected for ${resource.arn}`;
}

// ---------------------------------------------------------------------------------------------
// The controls over resources
// ---------------------------------------------------------------------------------------------

const rdsNoun: [string, string] = TYPE_LABEL['rds:cluster'];
const storeNoun: [string, string] = ['data store', 'data stores'];

function backupControl(
  spec: Omit<
    ResourceControl,
    'types' | 'covers' | 'usesBackup' | 'usesDescribe' | 'noun' | 'verdict'
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

const RESOURCE_CONTROLS: ResourceControl[] = [
  {
    id: 'rds-global-or-replica',
    types: ['rds:cluster'],
    covers: 'primary',
    usesDescribe: true,
    noun: rdsNoun,
    fails: [
      'has no replica in the recovery region',
      'have no replica in the recovery region',
    ],
    passes: [
      'is replicated to the recovery region',
      'are replicated to the recovery region',
    ],
    verdict(resource, ctx) {
      const facts = factsOf(resource, 'rds:cluster');
      const target = replicaTarget(ctx, resource.region);
      const globalRegions = (facts.globalCluster?.memberRegions ?? []).filter(
        r => r !== resource.region,
      );
      const replicaRegions = facts.replicaRegions.filter(
        r => r !== resource.region,
      );
      const used = {
        globalCluster: facts.globalCluster ?? null,
        replicaRegions: facts.replicaRegions,
      };
      if (target.ok(globalRegions)) {
        return {
          status: 'pass',
          detail: `global cluster ${
            facts.globalCluster?.identifier
          } has a member in ${regionsText(globalRegions)}`,
          used,
        };
      }
      if (target.ok(replicaRegions)) {
        return {
          status: 'pass',
          detail: `cross-Region replica cluster in ${regionsText(
            replicaRegions,
          )}`,
          used,
        };
      }
      const elsewhere = [...new Set([...globalRegions, ...replicaRegions])];
      const detail =
        elsewhere.length > 0
          ? `replicated to ${regionsText(elsewhere)}, not to ${target.label}`
          : `not in a global cluster and no cross-Region replica; needs one in ${target.label}`;
      return {
        status: 'fail',
        detail,
        note:
          elsewhere.length > 0 ? `only ${regionsText(elsewhere)}` : undefined,
        used,
      };
    },
    fix: (failing, ctx) =>
      `Add ${listNames(
        failing.map(o => o.name),
      )} to an aws_rds_global_cluster (global_cluster_identifier on the aws_rds_cluster) with a secondary aws_rds_cluster in ${targetLabel(
        ctx,
      )}, or create a cross-Region replica cluster there (replication_source_identifier).`,
  },
  {
    id: 'rds-multi-az',
    types: ['rds:cluster'],
    covers: 'primary',
    usesDescribe: true,
    noun: rdsNoun,
    fails: ['is not Multi-AZ', 'are not Multi-AZ'],
    passes: ['is Multi-AZ', 'are Multi-AZ'],
    verdict(resource) {
      const facts = factsOf(resource, 'rds:cluster');
      const used = { multiAz: facts.multiAz };
      return facts.multiAz
        ? {
            status: 'pass',
            detail: 'MultiAZ: instances in more than one Availability Zone',
            used,
          }
        : {
            status: 'fail',
            detail: 'MultiAZ false: every instance is in one Availability Zone',
            used,
          };
    },
    fix: failing =>
      `Add an aws_rds_cluster_instance (a reader, which Aurora promotes on failover) in a second Availability Zone to ${listNames(
        failing.map(o => o.name),
      )}; DescribeDBClusters then reports MultiAZ true.`,
  },
  {
    id: 'rds-backup-retention',
    types: ['rds:cluster'],
    covers: 'primary',
    usesDescribe: true,
    noun: rdsNoun,
    fails: [
      'keeps automated backups too briefly',
      'keep automated backups too briefly',
    ],
    passes: [
      'keeps automated backups long enough',
      'keep automated backups long enough',
    ],
    requirement: tier =>
      tier.backupRetentionDays === undefined
        ? 'backupRetentionDays'
        : { backupRetentionDays: tier.backupRetentionDays },
    verdict(resource, ctx) {
      const facts = factsOf(resource, 'rds:cluster');
      const required = ctx.tier.backupRetentionDays ?? 0;
      const used = { backupRetentionDays: facts.backupRetentionDays };
      const detail = `backup retention ${facts.backupRetentionDays} days, ${ctx.tier.id} requires ${required}`;
      return facts.backupRetentionDays >= required
        ? { status: 'pass', detail, used }
        : {
            status: 'fail',
            detail,
            note: `${facts.backupRetentionDays} days`,
            used,
          };
    },
    fix: (failing, ctx) =>
      `Set backup_retention_period = ${
        ctx.tier.backupRetentionDays
      } (or more) on the aws_rds_cluster ${listNames(
        failing.map(o => o.name),
      )}.`,
  },
  {
    id: 'rds-deletion-protection',
    types: ['rds:cluster'],
    covers: 'all',
    usesDescribe: true,
    noun: rdsNoun,
    fails: ['has deletion protection off', 'have deletion protection off'],
    passes: ['has deletion protection on', 'have deletion protection on'],
    verdict(resource) {
      const facts = factsOf(resource, 'rds:cluster');
      const used = { deletionProtection: facts.deletionProtection };
      return facts.deletionProtection
        ? { status: 'pass', detail: 'deletion protection on', used }
        : { status: 'fail', detail: 'deletion protection off', used };
    },
    fix: failing =>
      `Set deletion_protection = true on the aws_rds_cluster ${listNames(
        failing.map(o => o.name),
      )}.`,
  },
  {
    id: 'rds-encrypted-kms',
    types: ['rds:cluster'],
    covers: 'all',
    usesDescribe: true,
    noun: rdsNoun,
    fails: ['is not encrypted', 'are not encrypted'],
    passes: ['is encrypted with KMS', 'are encrypted with KMS'],
    verdict(resource) {
      const facts = factsOf(resource, 'rds:cluster');
      const used = {
        storageEncrypted: facts.storageEncrypted,
        kmsKeyId: facts.kmsKeyId ?? null,
      };
      return facts.storageEncrypted
        ? {
            status: 'pass',
            detail: `storage encrypted with KMS key ${
              facts.kmsKeyId ?? '(default aws/rds key)'
            }`,
            used,
          }
        : { status: 'fail', detail: 'storage not encrypted', used };
    },
    fix: failing =>
      `Encryption cannot be turned on in place: copy a snapshot of ${listNames(
        failing.map(o => o.name),
      )} with a customer managed KMS key, restore it as a new aws_rds_cluster with storage_encrypted = true and kms_key_id set, and switch over.`,
  },
  {
    id: 'rds-backup-cross-region',
    types: ['rds:cluster'],
    covers: 'primary',
    usesBackup: true,
    usesDescribe: true,
    noun: rdsNoun,
    fails: [
      'has no backups in the recovery region',
      'have no backups in the recovery region',
    ],
    passes: [
      'has backups in the recovery region',
      'have backups in the recovery region',
    ],
    verdict(resource, ctx) {
      const facts = factsOf(resource, 'rds:cluster');
      const target = replicaTarget(ctx, resource.region);
      const globalRegions = (facts.globalCluster?.memberRegions ?? []).filter(
        r => r !== resource.region,
      );
      if (target.ok(globalRegions)) {
        return {
          status: 'pass',
          detail: `global cluster member in ${regionsText(globalRegions)}`,
          used: { globalCluster: facts.globalCluster ?? null },
        };
      }
      const backup = backupOf(resource, ctx.facts);
      if (typeof backup === 'string') {
        return {
          status: 'error',
          detail: `no global cluster member in ${target.label}, and ${backup}`,
          used: { globalCluster: facts.globalCluster ?? null },
        };
      }
      const used = {
        globalCluster: facts.globalCluster ?? null,
        backupCopyRegions: backup.copyRegions,
      };
      return inTargetRegion(target, backup.copyRegions, used, {
        pass: 'AWS Backup copies in',
        missing: 'no AWS Backup copy and no global cluster member in',
        found: 'copies',
      });
    },
    fix: (failing, ctx) =>
      `Add copy_action { destination_vault_arn = <a vault in ${targetLabel(
        ctx,
      )}> } to the aws_backup_plan rule that backs up ${listNames(
        failing.map(o => o.name),
      )}, or add a secondary cluster in ${targetLabel(
        ctx,
      )} to its aws_rds_global_cluster.`,
  },
  backupControl({
    id: 'backup-protected',
    fails: [
      'is not protected by AWS Backup',
      'are not protected by AWS Backup',
    ],
    passes: ['is protected by AWS Backup', 'are protected by AWS Backup'],
    verdict(backup) {
      const used = {
        protectedByPlan: backup.protectedByPlan,
        planNames: backup.planNames,
      };
      if (!backup.protectedByPlan)
        return {
          status: 'fail',
          detail:
            'not in ListProtectedResources: no backup plan has backed it up',
          used,
        };
      const plans =
        backup.planNames.length > 0 ? ` by ${backup.planNames.join(', ')}` : '';
      return {
        status: 'pass',
        detail: `backed up by AWS Backup${plans}`,
        used,
      };
    },
    fix: (failing, ctx) =>
      `Select ${listNames(
        failing.map(o => o.name),
      )} in an AWS Backup plan: an aws_backup_selection with resources = [<ARN>] or selection_tag { key = "service", value = "${
        ctx.facts.service
      }" }.`,
  }),
  backupControl({
    id: 'backup-recovery-point-age',
    fails: [
      'has no recovery point within the RPO',
      'have no recovery point within the RPO',
    ],
    passes: [
      'has a recovery point within the RPO',
      'have a recovery point within the RPO',
    ],
    requirement: tier => ({ rpoMinutes: tier.rpoMinutes }),
    verdict(backup, _resource, ctx) {
      const point = backup.newestRecoveryPoint;
      const rpo = ctx.tier.rpoMinutes;
      if (!point) {
        return {
          status: 'fail',
          detail: 'no completed recovery point',
          note: 'none',
          used: { newestRecoveryPoint: null },
        };
      }
      const age = minutesBetween(point.createdAt, ctx.now);
      const used = {
        newestRecoveryPoint: {
          arn: point.arn,
          createdAt: point.createdAt,
          status: point.status,
          vault: point.vault,
        },
        ageMinutes: Number.isFinite(age) ? Math.round(age) : null,
      };
      if (!Number.isFinite(age)) {
        return {
          status: 'error',
          detail: `recovery point ${
            point.arn
          } has an unreadable creation time ${JSON.stringify(point.createdAt)}`,
          used,
        };
      }
      if (point.status !== 'COMPLETED') {
        return {
          status: 'fail',
          detail: `newest recovery point is ${point.status}, not COMPLETED`,
          note: point.status,
          used,
        };
      }
      const detail = `newest recovery point ${formatMinutes(age)} old (${
        point.createdAt
      }), RPO ${formatMinutes(rpo)}`;
      return age <= rpo
        ? { status: 'pass', detail, used }
        : { status: 'fail', detail, note: `${formatMinutes(age)} old`, used };
    },
    fix: (failing, ctx) =>
      `Make the aws_backup_plan rule covering ${listNames(
        failing.map(o => o.name),
      )} run at least every ${formatMinutes(
        ctx.tier.rpoMinutes,
      )} (its schedule expression, or enable_continuous_backup = true for RDS and S3), and look at its failed backup jobs (ListBackupJobs ByState FAILED).`,
  }),
  backupControl({
    id: 'backup-copy-cross-region',
    fails: [
      'has no backup copy in the recovery region',
      'have no backup copy in the recovery region',
    ],
    passes: [
      'has backup copies in the recovery region',
      'have backup copies in the recovery region',
    ],
    verdict(backup, resource, ctx) {
      const target = replicaTarget(ctx, resource.region);
      const used = { copyRegions: backup.copyRegions };
      return inTargetRegion(target, backup.copyRegions, used, {
        pass: 'completed copy jobs to',
        missing: 'no completed copy job to',
        found: 'copies',
      });
    },
    fix: (failing, ctx) =>
      `Add copy_action { destination_vault_arn = <a vault in ${targetLabel(
        ctx,
      )}> } to the aws_backup_plan rule covering ${listNames(
        failing.map(o => o.name),
      )}.`,
  }),
  backupControl({
    id: 'backup-restore-tested',
    fails: [
      'has no recent restore within the RTO',
      'have no recent restore within the RTO',
    ],
    passes: [
      'has a recent restore within the RTO',
      'have a recent restore within the RTO',
    ],
    requirement: tier =>
      tier.restoreTestWithinDays === undefined
        ? 'restoreTestWithinDays'
        : {
            restoreTestWithinDays: tier.restoreTestWithinDays,
            rtoMinutes: tier.rtoMinutes,
          },
    verdict(backup, _resource, ctx) {
      const restore = backup.latestRestore;
      const withinDays = ctx.tier.restoreTestWithinDays ?? 0;
      const rto = ctx.tier.rtoMinutes;
      if (!restore) {
        return {
          status: 'fail',
          detail: 'no completed restore job on record',
          note: 'never restored',
          cause: 'stale',
          used: { latestRestore: null },
        };
      }
      const used = { latestRestore: restore };
      const ageDays = minutesBetween(restore.completedAt, ctx.now) / 1440;
      if (!Number.isFinite(ageDays)) {
        return {
          status: 'error',
          detail: `restore job ${
            restore.jobId
          } has an unreadable completion time ${JSON.stringify(
            restore.completedAt,
          )}`,
          used,
        };
      }
      const how = restore.restoreTestingPlan
        ? `restore testing plan ${restore.restoreTestingPlan}`
        : 'a manual restore';
      const problems: string[] = [];
      if (restore.status !== 'COMPLETED')
        problems.push(`last restore job ${restore.jobId} is ${restore.status}`);
      if (ageDays > withinDays)
        problems.push(
          `last restore ${Math.floor(ageDays)} days ago, ${
            ctx.tier.id
          } requires one within ${withinDays}`,
        );
      const stale = problems.length > 0;
      if (restore.durationMinutes > rto)
        problems.push(
          `restore took ${formatMinutes(
            restore.durationMinutes,
          )}, over the ${formatMinutes(rto)} RTO`,
        );
      if (problems.length > 0) {
        return {
          status: 'fail',
          detail: `${problems.join('; ')} (${how})`,
          note: problems.join('; '),
          cause: stale ? 'stale' : 'slow',
          used,
        };
      }
      return {
        status: 'pass',
        detail: `restored ${restore.completedAt} by ${how} in ${formatMinutes(
          restore.durationMinutes,
        )} (RTO ${formatMinutes(rto)})`,
        used,
      };
    },
    fix(failing, ctx) {
      const stale = failing.filter(o => o.cause === 'stale');
      const slow = failing.filter(o => o.detail.includes('over the'));
      const parts: string[] = [];
      if (stale.length > 0) {
        parts.push(
          `Restore-test ${listNames(stale.map(o => o.name))} at least every ${
            ctx.tier.restoreTestWithinDays
          } days: an aws_backup_restore_testing_plan with an aws_backup_restore_testing_selection covering ${
            stale.length === 1 ? 'it' : 'them'
          } (or run a restore and let it complete).`,
        );
      }
      if (slow.length > 0) {
        parts.push(
          `Restores of ${listNames(
            slow.map(o => o.name),
          )} take longer than the ${formatMinutes(
            ctx.tier.rtoMinutes,
          )} RTO: restore to a larger instance class (restore_metadata_overrides in the restore testing selection), reduce what must be restored, or recover through replication and record the measured time with a waiver.`,
        );
      }
      return parts.join(' ');
    },
  }),
  {
    id: 'dynamodb-pitr',
    types: ['dynamodb:table'],
    covers: 'all',
    usesDescribe: true,
    noun: TYPE_LABEL['dynamodb:table'],
    fails: [
      'has point-in-time recovery disabled',
      'have point-in-time recovery disabled',
    ],
    passes: [
      'has point-in-time recovery enabled',
      'have point-in-time recovery enabled',
    ],
    verdict(resource) {
      const facts = factsOf(resource, 'dynamodb:table');
      const used = { pointInTimeRecovery: facts.pointInTimeRecovery };
      return facts.pointInTimeRecovery
        ? { status: 'pass', detail: 'point-in-time recovery enabled', used }
        : { status: 'fail', detail: 'point-in-time recovery disabled', used };
    },
    fix: failing =>
      `Set point_in_time_recovery { enabled = true } on the aws_dynamodb_table ${listNames(
        failing.map(o => o.name),
      )} (and point_in_time_recovery = true in each replica block).`,
  },
  {
    id: 'dynamodb-global-table',
    types: ['dynamodb:table'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['dynamodb:table'],
    fails: [
      'has no replica in the recovery region',
      'have no replica in the recovery region',
    ],
    passes: [
      'has a replica in the recovery region',
      'have a replica in the recovery region',
    ],
    verdict(resource, ctx) {
      const facts = factsOf(resource, 'dynamodb:table');
      const target = replicaTarget(ctx, resource.region);
      const used = { replicaRegions: facts.replicaRegions };
      return inTargetRegion(target, facts.replicaRegions, used, {
        pass: 'global table replicas in',
        missing: 'no global table replica in',
        found: 'replicas',
      });
    },
    fix: (failing, ctx) =>
      `Add replica { region_name = "${targetLabel(
        ctx,
      )}" } to the aws_dynamodb_table ${listNames(
        failing.map(o => o.name),
      )} (global tables version 2019.11.21; stream_enabled = true with NEW_AND_OLD_IMAGES).`,
  },
  {
    id: 's3-versioning',
    types: ['s3:bucket'],
    covers: 'all',
    usesDescribe: true,
    noun: TYPE_LABEL['s3:bucket'],
    fails: [
      'does not have versioning enabled',
      'do not have versioning enabled',
    ],
    passes: ['has versioning enabled', 'have versioning enabled'],
    verdict(resource) {
      const facts = factsOf(resource, 's3:bucket');
      const used = { versioning: facts.versioning };
      return facts.versioning === 'Enabled'
        ? { status: 'pass', detail: 'versioning Enabled', used }
        : {
            status: 'fail',
            detail: `versioning ${facts.versioning}`,
            note: facts.versioning,
            used,
          };
    },
    fix: failing =>
      `Add an aws_s3_bucket_versioning with versioning_configuration { status = "Enabled" } for ${listNames(
        failing.map(o => o.name),
      )}.`,
  },
  {
    id: 's3-replication',
    types: ['s3:bucket'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['s3:bucket'],
    fails: [
      'is not replicated to another region',
      'are not replicated to another region',
    ],
    passes: [
      'is replicated to another region',
      'are replicated to another region',
    ],
    verdict(resource, ctx) {
      const facts = factsOf(resource, 's3:bucket');
      const enabled = facts.replicationRules.filter(
        rule => rule.status === 'Enabled',
      );
      const used = { replicationRules: facts.replicationRules };
      if (enabled.length === 0) {
        const detail =
          facts.replicationRules.length > 0
            ? `replication rules ${facts.replicationRules
                .map(r => r.id)
                .join(', ')} are disabled`
            : 'no replication configuration';
        return { status: 'fail', detail, used };
      }
      // S3 ARNs carry no region: a destination is placed only when it is one of the service's buckets.
      const regionOfBucket = new Map(
        ctx.facts.resources
          .filter(r => r.resourceType === 's3:bucket')
          .map(r => [r.arn, r.region]),
      );
      const destinations = enabled.map(rule => ({
        arn: rule.destinationBucketArn,
        region: regionOfBucket.get(rule.destinationBucketArn),
      }));
      const known = destinations.filter(
        (d): d is { arn: string; region: string } => d.region !== undefined,
      );
      const target = replicaTarget(ctx, resource.region);
      const usedWithRegions = {
        ...used,
        destinationRegions: Object.fromEntries(
          known.map(d => [d.arn, d.region]),
        ),
      };
      if (known.length > 0 && target.ok(known.map(d => d.region))) {
        return {
          status: 'pass',
          detail: `replicates to ${known
            .map(d => `${d.arn} (${d.region})`)
            .join(', ')}`,
          used: usedWithRegions,
        };
      }
      const unknown = destinations.filter(d => d.region === undefined);
      if (unknown.length > 0) {
        return {
          status: 'pass',
          detail: `replicates to ${unknown
            .map(d => d.arn)
            .join(
              ', ',
            )} (region not verified: the destination is not tagged service=${
            ctx.facts.service
          })`,
          used: usedWithRegions,
        };
      }
      return {
        status: 'fail',
        detail: `replicates only within ${regionsText([
          ...new Set(known.map(d => d.region)),
        ])}, not to ${target.label}`,
        note: 'same region',
        used: usedWithRegions,
      };
    },
    fix: (failing, ctx) =>
      `Add an aws_s3_bucket_replication_configuration to ${listNames(
        failing.map(o => o.name),
      )} with an Enabled rule whose destination is a bucket in ${targetLabel(
        ctx,
      )} (versioning must be enabled on both buckets).`,
  },
  {
    id: 'elasticache-failover',
    types: ['elasticache:replicationgroup'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['elasticache:replicationgroup'],
    fails: [
      'has automatic failover or Multi-AZ off',
      'have automatic failover or Multi-AZ off',
    ],
    passes: [
      'has automatic failover and Multi-AZ on',
      'have automatic failover and Multi-AZ on',
    ],
    verdict(resource) {
      const facts = factsOf(resource, 'elasticache:replicationgroup');
      const used = {
        automaticFailover: facts.automaticFailover,
        multiAz: facts.multiAz,
      };
      const detail = `automatic failover ${facts.automaticFailover}, Multi-AZ ${facts.multiAz}`;
      return facts.automaticFailover === 'enabled' &&
        facts.multiAz === 'enabled'
        ? { status: 'pass', detail, used }
        : { status: 'fail', detail, note: detail, used };
    },
    fix: failing =>
      `Set automatic_failover_enabled = true and multi_az_enabled = true (with num_cache_clusters of 2 or more) on the aws_elasticache_replication_group ${listNames(
        failing.map(o => o.name),
      )}.`,
  },
  {
    id: 'elasticache-global-datastore',
    types: ['elasticache:replicationgroup'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['elasticache:replicationgroup'],
    fails: [
      'has no global datastore member in the recovery region',
      'have no global datastore member in the recovery region',
    ],
    passes: [
      'has a global datastore member in the recovery region',
      'have a global datastore member in the recovery region',
    ],
    verdict(resource, ctx) {
      const facts = factsOf(resource, 'elasticache:replicationgroup');
      const target = replicaTarget(ctx, resource.region);
      const regions = (facts.globalDatastore?.memberRegions ?? []).filter(
        r => r !== resource.region,
      );
      const used = { globalDatastore: facts.globalDatastore ?? null };
      if (target.ok(regions)) {
        return {
          status: 'pass',
          detail: `global datastore ${
            facts.globalDatastore?.identifier
          } has a member in ${regionsText(regions)}`,
          used,
        };
      }
      const detail = facts.globalDatastore
        ? `global datastore ${
            facts.globalDatastore.identifier
          } has no member in ${target.label} (members in: ${regionsText(
            regions,
          )})`
        : `not in a global datastore; needs a member in ${target.label}`;
      return { status: 'fail', detail, used };
    },
    fix: (failing, ctx) =>
      `Create an aws_elasticache_global_replication_group with ${listNames(
        failing.map(o => o.name),
      )} as primary_replication_group_id, and a secondary aws_elasticache_replication_group in ${targetLabel(
        ctx,
      )} with global_replication_group_id set.`,
  },
  {
    id: 'kms-multi-region',
    types: ['kms:key'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['kms:key'],
    fails: [
      'has no replica in the recovery region',
      'have no replica in the recovery region',
    ],
    passes: [
      'has a replica in the recovery region',
      'have a replica in the recovery region',
    ],
    verdict(resource, ctx) {
      const facts = factsOf(resource, 'kms:key');
      const used = {
        keyState: facts.keyState,
        multiRegion: facts.multiRegion,
        replicaRegions: facts.replicaRegions,
      };
      if (
        facts.keyState === 'PendingDeletion' ||
        facts.keyState === 'PendingReplicaDeletion'
      ) {
        return {
          status: 'not_applicable',
          detail: `key is ${facts.keyState}`,
          used,
        };
      }
      const target = replicaTarget(ctx, resource.region);
      if (!facts.multiRegion) {
        return {
          status: 'fail',
          detail: 'single-Region key: it cannot be replicated',
          note: 'single-Region',
          cause: 'single-Region',
          used,
        };
      }
      return inTargetRegion(target, facts.replicaRegions, used, {
        pass: 'multi-Region key with replicas in',
        missing: 'multi-Region key without a replica in',
        found: 'replicas',
        note: 'no replica',
      });
    },
    fix(failing, ctx) {
      const single = failing
        .filter(o => o.cause === 'single-Region')
        .map(o => o.name);
      const unreplicated = failing
        .filter(o => o.cause !== 'single-Region')
        .map(o => o.name);
      const parts: string[] = [];
      if (unreplicated.length > 0) {
        parts.push(
          `Add an aws_kms_replica_key in ${targetLabel(
            ctx,
          )} with primary_key_arn set to ${listNames(unreplicated)}.`,
        );
      }
      if (single.length > 0) {
        parts.push(
          `${listNames(single)} ${
            single.length === 1
              ? 'is a single-Region key, which'
              : 'are single-Region keys, which'
          } cannot become multi-Region: create an aws_kms_key with multi_region = true and an aws_kms_replica_key in ${targetLabel(
            ctx,
          )}, move the alias and re-encrypt the data under it.`,
        );
      }
      return parts.join(' ');
    },
  },
  {
    id: 'secrets-replicated',
    types: ['secretsmanager:secret'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['secretsmanager:secret'],
    fails: [
      'is not replicated InSync to the recovery region',
      'are not replicated InSync to the recovery region',
    ],
    passes: [
      'is replicated InSync to the recovery region',
      'are replicated InSync to the recovery region',
    ],
    verdict(resource, ctx) {
      const facts = factsOf(resource, 'secretsmanager:secret');
      const used = { replicas: facts.replicas };
      const target = replicaTarget(ctx, resource.region);
      const inSync = facts.replicas
        .filter(r => r.status === 'InSync')
        .map(r => r.region);
      if (target.ok(inSync)) {
        return {
          status: 'pass',
          detail: `replica InSync in ${regionsText(inSync)}`,
          used,
        };
      }
      const there = facts.replicas.filter(
        r =>
          r.region !== resource.region &&
          (!ctx.facts.recoveryRegion || r.region === ctx.facts.recoveryRegion),
      );
      if (there.length > 0) {
        const states = there.map(r => `${r.region} ${r.status}`).join(', ');
        return {
          status: 'fail',
          detail: `replica not InSync: ${states}`,
          note: states,
          cause: 'not-in-sync',
          used,
        };
      }
      return { status: 'fail', detail: `no replica in ${target.label}`, used };
    },
    fix(failing, ctx) {
      const broken = failing.filter(o => o.cause === 'not-in-sync');
      const missing = failing.filter(o => o.cause !== 'not-in-sync');
      const parts: string[] = [];
      if (missing.length > 0) {
        parts.push(
          `Add replica { region = "${targetLabel(
            ctx,
          )}" } (with a kms_key_id that exists there) to the aws_secretsmanager_secret ${listNames(
            missing.map(o => o.name),
          )}.`,
        );
      }
      if (broken.length > 0) {
        parts.push(
          `Replication of ${listNames(
            broken.map(o => o.name),
          )} is not InSync: check the replica's KMS key exists in ${targetLabel(
            ctx,
          )} and that no secret of the same name already exists there (DescribeSecret ReplicationStatus StatusMessage says which), then retry it.`,
        );
      }
      return parts.join(' ');
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

function callKey(call: ApiCallRecord): string {
  return [
    call.service,
    call.operation,
    call.accountId,
    call.region,
    call.requestId ?? '',
    call.at,
  ].join('|');
}

/** Calls without repeats, in first-seen order. */
export function dedupeCalls(calls: ApiCallRecord[]): ApiCallRecord[] {
  const seen = new Set<string>();
  return calls.filter(call => {
    const key = callKey(call);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const gapScope = (gap: CollectionGap) => `${gap.accountId}/${gap.region}`;

function gapText(gap: CollectionGap): string {
  const what = gap.operation.startsWith('tagging:')
    ? 'could not list resources in'
    : `could not read ${gap.operation} in`;
  return `${what} ${gapScope(gap)}: ${gap.code}: ${gap.message}${
    gap.operation.startsWith('tagging:') ? ` (${gap.operation})` : ''
  }`;
}

/** Gaps that may hide resources of the control: discovery failures and failures of its services. */
function relevantGaps(
  control: ResourceControl,
  facts: ServiceFacts,
): CollectionGap[] {
  const services = new Set([
    'tagging',
    ...control.types.map(type => SERVICE_OF[type]),
  ]);
  if (control.usesBackup) services.add('backup');
  return facts.gaps.filter(gap => services.has(gap.operation.split(':')[0]));
}

function tierKey(tier: DrTier): string {
  return `drReadiness.tiers (id ${tier.id})`;
}

function errorFix(errors: Outcome[], gaps: CollectionGap[]): string {
  const first =
    errors[0]?.detail ?? (gaps[0] ? gapText(gaps[0]) : 'unknown error');
  return `Fix what stopped the scan (${first}): usually the DR scan role lacks a permission, or the account/region is not configured for the scan. Then rescan the service.`;
}

function evaluateResourceControl(
  control: ResourceControl,
  ctx: CheckContext,
): ControlResult {
  const { facts, tier } = ctx;
  const requirement = control.requirement?.(tier);
  if (typeof requirement === 'string') {
    return {
      controlId: control.id,
      status: 'error',
      summary: `Tier ${tier.id} requires ${control.id} but sets no ${requirement}, so the control cannot be judged`,
      fix: `Set ${tierKey(tier)}.${requirement} in app-config.yaml.`,
      resources: [],
      facts: { tier: tier.id, missing: requirement },
      calls: [],
    };
  }
  const destinations = replicationDestinations(facts);
  // The calls the used facts came from: discovery, and the APIs the control reads.
  const callServices = new Set([
    'tagging',
    ...(control.usesBackup ? ['backup'] : []),
  ]);
  if (control.usesDescribe)
    control.types.forEach(type => callServices.add(SERVICE_OF[type]));
  const outcomes: Outcome[] = [];
  const evidence: Array<Record<string, unknown>> = [];
  const calls: ApiCallRecord[] = [];
  for (const resource of facts.resources) {
    if (!control.types.includes(resource.resourceType)) continue;
    const name = resourceName(resource);
    const role = roleOf(resource, facts, destinations);
    const base = {
      arn: resource.arn,
      accountId: resource.accountId,
      region: resource.region,
    };
    let verdict: Verdict;
    if (role.copy && control.covers === 'primary') {
      verdict = {
        status: 'not_applicable',
        detail: `recovery copy (${role.why}): covered through its primary`,
        used: { role: 'recovery-copy' },
      };
    } else if (control.usesDescribe && !resource.facts) {
      verdict = {
        status: 'error',
        detail:
          resource.error ?? 'the describe call failed (no error was recorded)',
        used: { error: resource.error ?? null },
      };
    } else {
      verdict = control.verdict(resource, ctx);
    }
    const kind =
      control.types.length > 1 ? SHORT_TYPE[resource.resourceType] : undefined;
    const label = kind ? `${name} (${kind})` : name;
    outcomes.push({
      ...base,
      status: verdict.status,
      detail: verdict.detail,
      name: label,
      plainName: name,
      kind,
      note: verdict.note,
      cause: verdict.cause,
    });
    evidence.push({
      ...base,
      name,
      ...(role.copy ? { role: 'recovery-copy', why: role.why } : {}),
      ...verdict.used,
    });
    calls.push(...resource.calls.filter(c => callServices.has(c.service)));
  }

  const count = (status: CheckStatus) =>
    outcomes.filter(o => o.status === status);
  const failing = count('fail');
  const errored = count('error');
  const passing = count('pass');
  const skipped = count('not_applicable');
  const checked = failing.length + errored.length + passing.length;
  const gaps = relevantGaps(control, facts);
  const noun = (n: number) => plural(n, control.noun);
  const named = (list: Outcome[]) =>
    listNames(
      list.map(o => {
        const extra = [o.kind, o.note].filter(Boolean).join(', ');
        return extra ? `${o.plainName} (${extra})` : o.plainName;
      }),
    );
  const erroredText = (list: Outcome[]) =>
    listNames(
      list.map(o => `${o.name}: ${o.detail}`),
      3,
    );
  // Failed reads of a service's own API already show as per-resource errors; discovery gaps may hide resources.
  const hidden = gaps.filter(gap => gap.operation.startsWith('tagging:'));
  const gapNote =
    hidden.length > 0 ? `; not checked: ${hidden.map(gapText).join('; ')}` : '';

  let status: CheckStatus;
  let summary: string;
  let fix: string | undefined;
  if (failing.length > 0) {
    status = 'fail';
    summary = `${failing.length} of ${checked} ${noun(checked)} ${plural(
      failing.length,
      control.fails,
    )}: ${named(failing)}`;
    if (errored.length > 0)
      summary += `; ${errored.length} could not be checked: ${erroredText(
        errored,
      )}`;
    fix = control.fix(failing, ctx);
  } else if (errored.length > 0) {
    status = 'error';
    summary = `${errored.length} of ${checked} ${noun(
      checked,
    )} could not be checked: ${erroredText(errored)}${gapNote}`;
    fix = errorFix(errored, gaps);
  } else if (passing.length > 0) {
    status = 'pass';
    summary =
      passing.length === 1
        ? `The ${noun(1)} ${passing[0].name} ${control.passes[0]}${gapNote}`
        : `All ${passing.length} ${noun(passing.length)} ${
            control.passes[1]
          }${gapNote}`;
  } else if (gaps.length > 0) {
    status = 'error';
    summary = `No ${noun(2)} found, but the scan ${gaps
      .map(gapText)
      .join('; ')}, so there may be some it could not see`;
    fix = errorFix([], gaps);
  } else {
    status = 'not_applicable';
    const copies = skipped.filter(o => o.detail.startsWith('recovery copy'));
    if (skipped.length === 0) {
      summary = `No ${noun(2)} tagged service=${facts.service}`;
    } else if (copies.length === skipped.length) {
      summary = `No primary ${noun(2)} tagged service=${facts.service}: ${named(
        copies,
      )} ${
        copies.length === 1 ? 'is a recovery copy' : 'are recovery copies'
      }, covered through ${
        copies.length === 1 ? 'its primary' : 'their primaries'
      }`;
    } else {
      summary = `No ${noun(2)} to check: ${listNames(
        skipped.map(o => `${o.name} (${o.detail})`),
      )}`;
    }
  }

  const result: ControlResult = {
    controlId: control.id,
    status,
    summary,
    resources: outcomes.map(
      ({ arn, accountId, region, status: outcomeStatus, detail }) => ({
        arn,
        accountId,
        region,
        status: outcomeStatus,
        detail,
      }),
    ),
    facts: {
      service: facts.service,
      tier: tier.id,
      ...(requirement ? { requirement } : {}),
      ...(facts.recoveryRegion ? { recoveryRegion: facts.recoveryRegion } : {}),
      resources: evidence,
      ...(gaps.length > 0 ? { gaps } : {}),
    },
    calls: dedupeCalls(calls),
  };
  if (fix) result.fix = fix;
  return result;
}

function evaluateRoute53(ctx: CheckContext): ControlResult {
  const route53 = ctx.facts.route53;
  const controlId = 'route53-failover';
  if (!route53) {
    return {
      controlId,
      status: 'not_applicable',
      summary: `No public hostname is declared for ${ctx.facts.service} (annotation payments-platform/public-hostname), so there is no DNS failover to check`,
      resources: [],
      facts: { service: ctx.facts.service, tier: ctx.tier.id, hostname: null },
      calls: [],
    };
  }
  const base = {
    service: ctx.facts.service,
    tier: ctx.tier.id,
    hostname: route53.hostname,
  };
  if (route53.error) {
    return {
      controlId,
      status: 'error',
      summary: `Route 53 could not be read for ${route53.hostname}: ${route53.error}`,
      fix: `Give the DR scan role route53:ListHostedZones, route53:ListHealthChecks and route53:ListResourceRecordSets in the account holding the ${route53.hostname} zone, then rescan.`,
      resources: [],
      facts: { ...base, error: route53.error },
      calls: dedupeCalls(route53.calls),
    };
  }
  const records = route53.failoverRecords;
  const primaries = records.filter(r => r.failover === 'PRIMARY');
  const secondaries = records.filter(r => r.failover === 'SECONDARY');
  const checkIds = new Set(route53.healthChecks.map(c => c.id));
  const problems: string[] = [];
  if (primaries.length === 0) problems.push('no PRIMARY failover record');
  if (secondaries.length === 0) problems.push('no SECONDARY failover record');
  const unchecked = primaries.filter(r => !r.healthCheckId);
  if (primaries.length > 0 && unchecked.length === primaries.length) {
    problems.push(
      'the PRIMARY record has no health check, so Route 53 never fails over',
    );
  }
  const missingChecks = primaries.filter(
    r => r.healthCheckId && !checkIds.has(r.healthCheckId),
  );
  for (const record of missingChecks)
    problems.push(
      `health check ${record.healthCheckId} of the PRIMARY ${record.type} record does not exist`,
    );
  if (
    primaries.length > 0 &&
    secondaries.length > 0 &&
    !primaries.some(p => secondaries.some(s => s.type === p.type))
  ) {
    problems.push(
      `PRIMARY (${[...new Set(primaries.map(r => r.type))].join(
        ', ',
      )}) and SECONDARY (${[...new Set(secondaries.map(r => r.type))].join(
        ', ',
      )}) records are of different types`,
    );
  }
  if (
    route53.healthChecks.length === 0 &&
    !problems.some(p => p.includes('health check'))
  )
    problems.push('no health check');
  const facts = {
    ...base,
    healthChecks: route53.healthChecks,
    failoverRecords: records,
  };
  if (problems.length > 0) {
    return {
      controlId,
      status: 'fail',
      summary: `${route53.hostname} does not fail over: ${problems.join('; ')}`,
      fix: `For ${route53.hostname}: add an aws_route53_health_check on the primary endpoint, and two aws_route53_record of the same type with failover_routing_policy { type = "PRIMARY" } (health_check_id set) and { type = "SECONDARY" } pointing at the recovery region, each with its own set_identifier.`,
      resources: [],
      facts,
      calls: dedupeCalls(route53.calls),
    };
  }
  const primary =
    primaries.find(p => p.healthCheckId && checkIds.has(p.healthCheckId)) ??
    primaries[0];
  return {
    controlId,
    status: 'pass',
    summary: `${route53.hostname} fails over: PRIMARY ${primary.type} record with health check ${primary.healthCheckId} and a SECONDARY record`,
    resources: [],
    facts,
    calls: dedupeCalls(route53.calls),
  };
}

/** One control for one service. An id not in the catalogue answers `error`, naming the fix. */
export function evaluateControl(
  controlId: string,
  facts: ServiceFacts,
  tier: DrTier,
  now: Date,
): ControlResult {
  const ctx: CheckContext = { facts, tier, now };
  if (controlId === 'route53-failover') return evaluateRoute53(ctx);
  const control = RESOURCE_CONTROLS.find(c => c.id === controlId);
  if (!control || !findDrControl(controlId)) {
    return {
      controlId,
      status: 'error',
      summary: `Tier ${
        tier.id
      } lists a control this portal does not know: ${unknownControlMessage(
        controlId,
      )}`,
      fix: `Correct the id in ${tierKey(tier)}.controls.`,
      resources: [],
      facts: { tier: tier.id, controlId },
      calls: [],
    };
  }
  return evaluateResourceControl(control, ctx);
}

/** Every control the tier requires, in the tier's order, for one service's facts. */
export function evaluateControls(
  facts: ServiceFacts,
  tier: DrTier,
  now: Date,
): ControlResult[] {
  return (tier.controls ?? []).map(control =>
    evaluateControl(control.id, facts, tier, now),
  );
}

/** The control ids that have a check (every id of DR_CONTROLS). */
export const CHECKED_CONTROL_IDS: string[] = [
  ...RESOURCE_CONTROLS.map(c => c.id),
  'route53-failover',
];
