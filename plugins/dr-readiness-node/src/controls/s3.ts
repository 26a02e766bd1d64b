import { replicationVerdict, RTC_MINUTES } from './s3Replication';
import { factsOf, listNames, targetLabel, TYPE_LABEL } from './support';
import type { ResourceControl } from './types';

/** S3 buckets (GetBucketVersioning, GetBucketReplication). */
export const S3_CONTROLS: ResourceControl[] = [
  {
    kind: 'resource',
    id: 's3-versioning',
    basis: {
      calls: ['s3:GetBucketVersioning (per bucket)'],
      proves:
        'the bucket reports versioning Status Enabled now, so an overwrite or delete keeps the previous version.',
      cannotProve:
        'that lifecycle rules keep noncurrent versions long enough, nor MFA delete or Object Lock.',
    },
    title: 'S3 versioning',
    description:
      'Every S3 bucket of the service, replication destinations included, has versioning enabled, so an overwrite or delete can be undone (and replication is possible at all).',
    area: 'S3',
    references: ['AWS Config: s3-bucket-versioning-enabled'],
    evidence: ['versioning'],
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
    kind: 'resource',
    id: 's3-replication',
    basis: {
      calls: [
        's3:GetBucketReplication (per bucket)',
        's3:GetBucketLocation (once per destination bucket and scan)',
      ],
      proves:
        "an enabled rule over the whole bucket replicates to a bucket that exists in the recovery region, with Replication Time Control when the tier's RPO is under 15 minutes.",
      cannotProve:
        'that objects actually arrive (replication lag and failures are measured from CloudWatch), that existing objects were replicated (Batch Replication), nor that the replication role may write to the destination.',
    },
    title: 'S3 cross-Region replication',
    description:
      "Each primary S3 bucket has an enabled replication rule over the whole bucket to a bucket that GetBucketLocation places in the recovery region; when the tier's RPO is under 15 minutes the rule has S3 Replication Time Control. A destination that does not exist or sits in the source's region fails, a rule whose filter (prefix, tag) leaves objects out fails (objects outside it are lost with the region: waive it if they are disposable), a destination whose region cannot be read is an error. Delete-marker replication is reported, not judged: replicating deletes keeps the replica in step, not replicating them keeps objects a mistaken delete removed; both are recoverable with versioning.",
    area: 'S3',
    references: [
      'AWS Config: s3-bucket-replication-enabled',
      'AWS Config: s3-bucket-cross-region-replication-enabled',
      'S3 Replication Time Control (GetBucketReplication, GetBucketLocation)',
    ],
    evidence: [
      'replicationRules',
      'destinationRegions',
      'deleteMarkerReplication',
    ],
    types: ['s3:bucket'],
    covers: 'primary',
    usesDescribe: true,
    noun: TYPE_LABEL['s3:bucket'],
    fails: [
      'is not replicated to the recovery region as the tier needs',
      'are not replicated to the recovery region as the tier needs',
    ],
    passes: [
      'is replicated to the recovery region',
      'are replicated to the recovery region',
    ],
    requirement: tier => ({ rpoMinutes: tier.rpoMinutes }),
    verdict: replicationVerdict,
    fix: (failing, ctx) =>
      `Add an aws_s3_bucket_replication_configuration to ${listNames(
        failing.map(o => o.name),
      )} with an Enabled rule over the whole bucket (filter {} with no prefix or tag) whose destination is an existing bucket in ${targetLabel(
        ctx,
      )} (versioning must be enabled on both buckets)${
        ctx.tier.rpoMinutes < RTC_MINUTES
          ? `, with replication_time { status = "Enabled" time { minutes = 15 } } and metrics { status = "Enabled" } for the tier's ${ctx.tier.rpoMinutes}-minute RPO`
          : ''
      }.`,
  },
];
