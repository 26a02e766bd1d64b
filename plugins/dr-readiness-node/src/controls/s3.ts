import {
  factsOf,
  listNames,
  regionsText,
  replicaTarget,
  targetLabel,
  TYPE_LABEL,
} from './support';
import type { ResourceControl } from './types';

/** S3 buckets (GetBucketVersioning, GetBucketReplication). */
export const S3_CONTROLS: ResourceControl[] = [
  {
    kind: 'resource',
    id: 's3-versioning',
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
    title: 'S3 cross-Region replication',
    description:
      'Each primary S3 bucket has an enabled replication rule to a bucket outside its own region (the recovery region, when the destination is known to the scan).',
    area: 'S3',
    references: [
      'AWS Config: s3-bucket-replication-enabled',
      'AWS Config: s3-bucket-cross-region-replication-enabled',
    ],
    evidence: ['replicationRules', 'destinationRegions'],
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
];
