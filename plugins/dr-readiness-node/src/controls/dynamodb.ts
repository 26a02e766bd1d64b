import {
  factsOf,
  inTargetRegion,
  listNames,
  replicaTarget,
  targetLabel,
  TYPE_LABEL,
} from './support';
import type { CheckContext, ResourceControl, Verdict } from './types';
import type { CollectedResource } from '@internal/dr-readiness-common';

/** DynamoDB keeps point-in-time recovery at most 35 days (RecoveryPeriodInDays 1-35). */
const PITR_MAX_DAYS = 35;

/** The PITR window a tier asks for: its backupRetentionDays, capped at what DynamoDB offers. */
const pitrDaysRequired = (ctx: CheckContext) =>
  Math.min(ctx.tier.backupRetentionDays ?? PITR_MAX_DAYS, PITR_MAX_DAYS);

function pitrVerdict(resource: CollectedResource, ctx: CheckContext): Verdict {
  const facts = factsOf(resource, 'dynamodb:table');
  const used = {
    pointInTimeRecovery: facts.pointInTimeRecovery,
    pitrRecoveryPeriodDays: facts.pitrRecoveryPeriodDays ?? null,
  };
  if (!facts.pointInTimeRecovery)
    return { status: 'fail', detail: 'point-in-time recovery disabled', used };
  const days = facts.pitrRecoveryPeriodDays;
  if (days === undefined) {
    return {
      status: 'error',
      detail:
        'point-in-time recovery enabled, but DescribeContinuousBackups reported no RecoveryPeriodInDays: the window cannot be compared with the tier',
      used,
    };
  }
  const required = pitrDaysRequired(ctx);
  const detail = `point-in-time recovery enabled, recovery period ${days} days; ${ctx.tier.id} requires ${required}`;
  return days >= required
    ? { status: 'pass', detail, used }
    : {
        status: 'fail',
        detail,
        note: `${days}-day window`,
        cause: 'short-window',
        used,
      };
}

/** Only ACTIVE replicas serve reads and writes; CREATING, INACCESSIBLE_ENCRYPTION_CREDENTIALS, ... do not. */
function globalTableVerdict(
  resource: CollectedResource,
  ctx: CheckContext,
): Verdict {
  const facts = factsOf(resource, 'dynamodb:table');
  const target = replicaTarget(ctx, resource.region);
  const replicas = (facts.replicas ?? []).filter(
    r => r.region !== resource.region,
  );
  const active = replicas.filter(r => r.status === 'ACTIVE').map(r => r.region);
  const inactive = replicas.filter(r => r.status !== 'ACTIVE');
  const used = {
    replicaRegions: facts.replicaRegions,
    replicas,
    globalTableVersion: facts.globalTableVersion ?? null,
  };
  const verdict = inTargetRegion(target, active, used, {
    pass: `global table (version ${
      facts.globalTableVersion ?? 'unknown'
    }) ACTIVE replicas in`,
    missing: 'no ACTIVE global table replica in',
    found: 'ACTIVE replicas',
  });
  if (inactive.length === 0) return verdict;
  const states = inactive.map(r => `${r.region} is ${r.status}`).join(', ');
  return {
    ...verdict,
    detail: `${verdict.detail}; not counted: ${states}`,
    ...(verdict.status === 'fail'
      ? { note: inactive.map(r => r.status).join(', ') }
      : {}),
  };
}

/** DynamoDB tables (DescribeTable, DescribeContinuousBackups). */
export const DYNAMODB_CONTROLS: ResourceControl[] = [
  {
    kind: 'resource',
    id: 'dynamodb-pitr',
    basis: {
      calls: ['dynamodb:DescribeContinuousBackups'],
      proves:
        "point-in-time recovery is ENABLED and its RecoveryPeriodInDays is at least the tier's backupRetentionDays (capped at 35), replicas included.",
      cannotProve:
        'that a restore works or how long it takes; PITR enabled without a reported period answers error.',
    },
    title: 'DynamoDB point-in-time recovery',
    description:
      "Every DynamoDB table of the service, replicas included, has point-in-time recovery enabled with a recovery period (DescribeContinuousBackups RecoveryPeriodInDays, 1-35 days) at least the tier's backupRetentionDays (capped at DynamoDB's 35; 35 when the tier sets none), so a corruption noticed late can still be rewound. PITR enabled without a reported period is `error`, not pass.",
    area: 'DynamoDB',
    references: ['AWS Config: dynamodb-pitr-enabled'],
    evidence: ['pointInTimeRecovery', 'pitrRecoveryPeriodDays'],
    types: ['dynamodb:table'],
    covers: 'all',
    usesDescribe: true,
    noun: TYPE_LABEL['dynamodb:table'],
    fails: [
      'has point-in-time recovery disabled or too short',
      'have point-in-time recovery disabled or too short',
    ],
    passes: [
      'has point-in-time recovery enabled for long enough',
      'have point-in-time recovery enabled for long enough',
    ],
    verdict: pitrVerdict,
    fix(failing, ctx) {
      const days = pitrDaysRequired(ctx);
      const short = failing.filter(o => o.cause === 'short-window');
      const disabled = failing.filter(o => o.cause !== 'short-window');
      const parts: string[] = [];
      if (disabled.length > 0)
        parts.push(
          `Set point_in_time_recovery { enabled = true, recovery_period_in_days = ${days} } on the aws_dynamodb_table ${listNames(
            disabled.map(o => o.name),
          )} (and point_in_time_recovery = true in each replica block).`,
        );
      if (short.length > 0)
        parts.push(
          `Set recovery_period_in_days = ${days} (or more) in point_in_time_recovery of the aws_dynamodb_table ${listNames(
            short.map(o => o.name),
          )}.`,
        );
      return parts.join(' ');
    },
  },
  {
    kind: 'resource',
    id: 'dynamodb-global-table',
    basis: {
      calls: [
        'dynamodb:DescribeTable',
        'dynamodb:DescribeGlobalTable (version 2017.11.29 candidates only)',
      ],
      proves:
        'the table has an ACTIVE replica in the recovery region (DescribeTable Replicas, or DescribeGlobalTable ReplicationGroup for version 2017.11.29); replicas CREATING, INACCESSIBLE_ENCRYPTION_CREDENTIALS, REGION_DISABLED and the like are shown, not counted.',
      cannotProve:
        "replication lag (see replication-lag-within-rpo), nor that the replica's own KMS key stays usable after the scan.",
    },
    title: 'DynamoDB global table',
    description:
      'Each primary DynamoDB table is a global table with an ACTIVE replica in the recovery region (DescribeTable Replicas[].ReplicaStatus; for version 2017.11.29 global tables, DescribeGlobalTable ReplicationGroup). A replica CREATING, UPDATING, DELETING, INACCESSIBLE_ENCRYPTION_CREDENTIALS, REGION_DISABLED or ARCHIVED does not count and is named in the detail.',
    area: 'DynamoDB',
    references: [
      'DynamoDB global tables version 2019.11.21 (DescribeTable Replicas)',
      'DynamoDB global tables version 2017.11.29 (DescribeGlobalTable)',
    ],
    evidence: ['replicaRegions', 'replicas', 'globalTableVersion'],
    types: ['dynamodb:table'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['dynamodb:table'],
    fails: [
      'has no ACTIVE replica in the recovery region',
      'have no ACTIVE replica in the recovery region',
    ],
    passes: [
      'has an ACTIVE replica in the recovery region',
      'have an ACTIVE replica in the recovery region',
    ],
    verdict: globalTableVerdict,
    fix(failing, ctx) {
      const notes = failing.map(o => o.note ?? '').join(' ');
      const parts = [
        `Add replica { region_name = "${targetLabel(
          ctx,
        )}" } to the aws_dynamodb_table ${listNames(
          failing.map(o => o.name),
        )} (global tables version 2019.11.21; stream_enabled = true with NEW_AND_OLD_IMAGES).`,
      ];
      if (notes.includes('INACCESSIBLE_ENCRYPTION_CREDENTIALS'))
        parts.push(
          'A replica in INACCESSIBLE_ENCRYPTION_CREDENTIALS needs its KMS key enabled and its key policy to allow DynamoDB again, or AWS archives it.',
        );
      if (notes.includes('CREATING') || notes.includes('UPDATING'))
        parts.push(
          'A replica still CREATING or UPDATING counts once it is ACTIVE: rescan then.',
        );
      return parts.join(' ');
    },
  },
];
