import type {
  CollectedResource,
  S3ReplicationRuleFacts,
} from '@internal/dr-readiness-common';
import { factsOf, regionsText, replicaTarget } from './support';
import type { CheckContext, Verdict } from './types';

/** S3 Replication Time Control's objective: 99.99 % of objects within 15 minutes. */
export const RTC_MINUTES = 15;

type Rule = S3ReplicationRuleFacts;
type Placed = { rule: Rule; region?: string; problem?: string };

/** Where a rule's destination is: its region, or why it is not known (missing bucket, unreadable). */
function placeRule(
  rule: Rule,
  serviceBuckets: Map<string, string>,
): Placed & { unreadable?: string } {
  const destination = rule.destination;
  if (destination && 'region' in destination)
    return { rule, region: destination.region };
  if (destination && 'missing' in destination)
    return {
      rule,
      problem: `destination ${rule.destinationBucketArn} does not exist (${destination.error})`,
    };
  if (destination) return { rule, unreadable: destination.error };
  // Facts without a GetBucketLocation answer: only a bucket the scan discovered can be placed.
  const region = serviceBuckets.get(rule.destinationBucketArn);
  return region
    ? { rule, region }
    : {
        rule,
        unreadable: `the region of ${rule.destinationBucketArn} was not read (GetBucketLocation)`,
      };
}

const filterText = (rule: Rule) =>
  [
    ...(rule.filter?.prefix ? [`prefix '${rule.filter.prefix}'`] : []),
    ...(rule.filter?.tags ?? []).map(t => `tag ${t.key}=${t.value}`),
  ].join(' and ');

const wholeBucket = (rule: Rule) => !filterText(rule);
const hasRtc = (rule: Rule) =>
  rule.replicationTime?.status === 'Enabled' &&
  (rule.replicationTime.minutes ?? RTC_MINUTES) <= RTC_MINUTES;

/** Delete-marker replication, reported beside the verdict (see the control's description). */
function deleteMarkers(rule: Rule): string {
  if (rule.deleteMarkerReplication === 'Enabled')
    return 'delete markers replicated';
  if (rule.deleteMarkerReplication === 'Disabled')
    return 'delete markers not replicated (deletes stay out of the replica)';
  return 'delete-marker replication not set (a V1 rule does not replicate delete markers)';
}

/**
 * s3-replication per bucket: an enabled rule whose destination GetBucketLocation places in the
 * recovery region, over the whole bucket, with Replication Time Control when the tier's RPO is
 * under 15 minutes. A destination that does not exist or sits in the bucket's own region fails;
 * one whose region could not be read is an error, never a pass.
 */
export function replicationVerdict(
  resource: CollectedResource,
  ctx: CheckContext,
): Verdict {
  const facts = factsOf(resource, 's3:bucket');
  const enabled = facts.replicationRules.filter(r => r.status === 'Enabled');
  const used: Record<string, unknown> = {
    replicationRules: facts.replicationRules,
  };
  if (enabled.length === 0) {
    const detail =
      facts.replicationRules.length > 0
        ? `replication rules ${facts.replicationRules
            .map(r => r.id)
            .join(', ')} are disabled`
        : 'no replication configuration';
    return { status: 'fail', detail, used };
  }
  const serviceBuckets = new Map(
    ctx.facts.resources
      .filter(r => r.resourceType === 's3:bucket')
      .map(r => [r.arn, r.region]),
  );
  const placed = enabled.map(rule => placeRule(rule, serviceBuckets));
  used.destinationRegions = Object.fromEntries(
    placed.map(p => [p.rule.destinationBucketArn, p.region ?? null]),
  );
  const target = replicaTarget(ctx, resource.region);
  const reaching = placed.filter(p => p.region && target.ok([p.region]));
  if (reaching.length === 0) {
    const unreadable = placed.flatMap(p =>
      p.unreadable ? [p.unreadable] : [],
    );
    if (unreadable.length > 0)
      return {
        status: 'error',
        detail: `destination region not confirmed: ${unreadable.join('; ')}`,
        used,
      };
    const problems = placed.flatMap(p => (p.problem ? [p.problem] : []));
    const regions = [...new Set(placed.flatMap(p => p.region ?? []))];
    return {
      status: 'fail',
      detail: [
        ...problems,
        ...(regions.length > 0
          ? [
              `replicates only within ${regionsText(regions)}, not to ${
                target.label
              }`,
            ]
          : []),
      ].join('; '),
      note: problems.length > 0 ? 'destination missing' : 'same region',
      used,
    };
  }
  return coverageVerdict(reaching, ctx, used);
}

/** The reaching rules cover the whole bucket, fast enough for the tier's RPO. */
function coverageVerdict(
  reaching: Placed[],
  ctx: CheckContext,
  used: Record<string, unknown>,
): Verdict {
  const rpo = ctx.tier.rpoMinutes;
  const needsRtc = rpo < RTC_MINUTES;
  const whole = reaching.filter(p => wholeBucket(p.rule));
  const best =
    whole.find(p => !needsRtc || hasRtc(p.rule)) ?? whole[0] ?? reaching[0];
  const where = `${best.rule.destinationBucketArn} (${best.region})`;
  const rtc = hasRtc(best.rule)
    ? `, Replication Time Control ${
        best.rule.replicationTime?.minutes ?? RTC_MINUTES
      } min`
    : '';
  const markers = deleteMarkers(best.rule);
  used.deleteMarkerReplication = best.rule.deleteMarkerReplication ?? null;
  if (whole.length === 0)
    return {
      status: 'fail',
      detail: `replicates to ${where} only the objects with ${reaching
        .map(p => `${filterText(p.rule)} (rule ${p.rule.id})`)
        .join(
          ', ',
        )}: the rest of the bucket is not in the recovery region; ${markers}`,
      note: 'filtered rule',
      cause: 'filter',
      used,
    };
  if (needsRtc && !hasRtc(best.rule))
    return {
      status: 'fail',
      detail: `replicates to ${where} without S3 Replication Time Control: the tier's RPO of ${rpo} min needs rule ${best.rule.id} to have ReplicationTime Enabled (${RTC_MINUTES} min); ${markers}`,
      note: 'no RTC',
      cause: 'rtc',
      used,
    };
  return {
    status: 'pass',
    detail: `replicates to ${where}${rtc}; ${markers}`,
    used,
  };
}
