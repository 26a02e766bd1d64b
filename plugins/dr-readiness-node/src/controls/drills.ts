import {
  DEFAULT_DRILL_WITHIN_DAYS,
  newestSucceededDrill,
  type ApiCallRecord,
  type CollectedResource,
  type ControlResult,
  type DrTier,
  type FailoverDrill,
  type MeasuredRto,
} from '@internal/dr-readiness-common';
import {
  dedupeCalls,
  formatMinutes,
  resourceName,
  SHORT_TYPE,
} from './support';
import type { CheckContext, ServiceControl } from './types';

const CONTROL_ID = 'failover-drill-within-rto';
const DAY_MS = 86_400_000;

/** The tier's drill window in days (`drillWithinDays`, 180 when unset). */
export const drillWindowDays = (tier: DrTier) =>
  tier.drillWithinDays ?? DEFAULT_DRILL_WITHIN_DAYS;

/**
 * Measured RTO as of `now`: the newest succeeded drill that had ended by then, its duration
 * against the tier's RTO and its age against the drill window. Pure: the scan's control and the
 * service page both use it.
 */
export function measureRto(
  drills: FailoverDrill[],
  tier: DrTier,
  now: Date,
): MeasuredRto {
  const ended = drills.filter(d => Date.parse(d.endedAt) <= now.getTime());
  const drill = newestSucceededDrill(ended);
  const base = {
    rtoMinutes: tier.rtoMinutes,
    drillWithinDays: drillWindowDays(tier),
    drillsRecorded: ended.length,
  };
  if (!drill) return base;
  const ageDays = Math.floor(
    (now.getTime() - Date.parse(drill.endedAt)) / DAY_MS,
  );
  return {
    ...base,
    drill,
    ageDays,
    withinRto: drill.durationMinutes <= tier.rtoMinutes,
    withinWindow: ageDays <= base.drillWithinDays,
  };
}

/** The newest completed AWS Backup restore among the service's stores: a second, unscored measure. */
function newestRestore(resources: CollectedResource[]) {
  let newest:
    | {
        resource: CollectedResource;
        durationMinutes: number;
        completedAt: string;
        lowerBound: boolean;
      }
    | undefined;
  for (const resource of resources) {
    const restore = resource.backup?.latestRestore;
    if (
      restore?.status !== 'COMPLETED' ||
      restore.completedAt === undefined ||
      restore.durationMinutes === undefined
    )
      continue;
    if (
      !newest ||
      Date.parse(restore.completedAt) > Date.parse(newest.completedAt)
    ) {
      newest = {
        resource,
        durationMinutes: restore.durationMinutes,
        completedAt: restore.completedAt,
        // An Aurora restore job creates the cluster only: its instances come after.
        lowerBound: restore.durationIsLowerBound,
      };
    }
  }
  return newest;
}

/** The restore as a labelled sentence, its facts and the ListRestoreJobs calls it came from. */
function restoreMeasure(resources: CollectedResource[]): {
  sentence: string;
  facts: Record<string, unknown> | null;
  calls: ApiCallRecord[];
} {
  const restore = newestRestore(resources);
  if (!restore) return { sentence: '', facts: null, calls: [] };
  const { resource, lowerBound } = restore;
  const label = `${resourceName(resource)} (${
    SHORT_TYPE[resource.resourceType]
  })`;
  return {
    sentence: ` Second measure, not scored: the newest AWS Backup restore (${label}) took ${formatMinutes(
      restore.durationMinutes,
    )}${
      lowerBound
        ? ', a lower bound (an Aurora restore excludes instance creation)'
        : ''
    }.`,
    facts: {
      arn: resource.arn,
      durationMinutes: restore.durationMinutes,
      completedAt: restore.completedAt,
      lowerBound,
    },
    calls: resource.calls.filter(c => c.operation === 'ListRestoreJobs'),
  };
}

function howToRecord(service: string): string {
  return `record it on ${service}'s DR tab (Record a drill) or with POST /api/dr-readiness/services/default/${service}/drills; it counts from the next scan`;
}

function evaluateDrills(ctx: CheckContext): ControlResult {
  const { facts, tier, now } = ctx;
  const restore = restoreMeasure(facts.resources);
  const base = {
    service: facts.service,
    tier: tier.id,
    rtoMinutes: tier.rtoMinutes,
    drillWithinDays: drillWindowDays(tier),
  };
  const result = (
    status: ControlResult['status'],
    summary: string,
    extra: Record<string, unknown>,
    fix?: string,
  ): ControlResult => ({
    controlId: CONTROL_ID,
    status,
    summary: summary + restore.sentence,
    ...(fix ? { fix } : {}),
    resources: [],
    facts: { ...base, ...extra, latestRestore: restore.facts },
    calls: dedupeCalls(restore.calls),
  });
  if (!facts.drills) {
    return result(
      'error',
      `The failover drills of ${facts.service} could not be read`,
      { error: 'drills not read' },
      'Rescan once the DR readiness database answers.',
    );
  }
  const measured = measureRto(facts.drills, tier, now);
  const { drill } = measured;
  if (!drill) {
    const failed = measured.drillsRecorded;
    return result(
      'fail',
      failed > 0
        ? `No succeeded failover drill recorded for ${facts.service} (${failed} failed)`
        : `No failover drill recorded for ${facts.service}`,
      { drill: null, drillsRecorded: failed },
      `Run a failover drill of ${facts.service} to ${
        facts.recoveryRegion ?? 'the recovery region'
      }, time it from start to service restored, and ${howToRecord(
        facts.service,
      )}.`,
    );
  }
  const evidence = {
    drill,
    ageDays: measured.ageDays,
    drillsRecorded: measured.drillsRecorded,
  };
  const measuredAs = `${drill.kind} drill on ${drill.endedAt.slice(0, 10)} (${
    measured.ageDays
  } days ago, run by ${drill.recordedBy}) took ${formatMinutes(
    drill.durationMinutes,
  )}`;
  const problems: string[] = [];
  if (!measured.withinRto)
    problems.push(`over the tier's RTO of ${formatMinutes(tier.rtoMinutes)}`);
  if (!measured.withinWindow)
    problems.push(
      `older than the tier's ${measured.drillWithinDays}-day drill window`,
    );
  if (problems.length === 0) {
    return result(
      'pass',
      `Measured RTO: the newest ${measuredAs}, within the tier's RTO of ${formatMinutes(
        tier.rtoMinutes,
      )} and its ${measured.drillWithinDays}-day drill window`,
      evidence,
    );
  }
  const fixes: string[] = [];
  if (!measured.withinRto)
    fixes.push(
      `make the failover of ${facts.service} faster than ${formatMinutes(
        tier.rtoMinutes,
      )} (automate the runbook's manual steps, pre-provision the recovery region)`,
    );
  fixes.push(`run a new drill and ${howToRecord(facts.service)}`);
  return result(
    'fail',
    `Measured RTO: the newest ${measuredAs}: ${problems.join(' and ')}`,
    evidence,
    `${fixes.join('; then ')}.`,
  );
}

/** Measured RTO from recorded failover drills: the service as a whole, not one resource. */
export const DRILL_CONTROLS: ServiceControl[] = [
  {
    kind: 'service',
    id: CONTROL_ID,
    title: 'Failover drill within RTO',
    description:
      "The newest succeeded failover drill recorded for the service (DR tab or API, with who ran it) is within the tier's drill window (drillWithinDays, default 180 days) and took no longer than the tier's RTO. No drill recorded fails. The newest AWS Backup restore is shown as a second measure but does not pass it.",
    area: 'Failover drills',
    references: [
      'AWS Well-Architected REL13-BP03: test disaster recovery implementation to validate it',
      'AWS Backup Audit Manager: restore time for resources meet target',
    ],
    evidence: [
      'rtoMinutes',
      'drillWithinDays',
      'drill',
      'ageDays',
      'drillsRecorded',
      'latestRestore',
    ],
    types: [],
    basis: {
      calls: [
        'none: the drills recorded in the DR plugin (POST /services/:namespace/:name/drills)',
        'backup:ListRestoreJobs (second measure only)',
      ],
      proves:
        "a signed-in holder of dr.drill.create recorded a succeeded failover drill of the service, ended within the tier's drillWithinDays, whose start-to-end time was within the RTO; who recorded it and the link to the drill record are kept as evidence.",
      cannotProve:
        'that the times recorded are true (they are attested by the person who recorded them), nor that the estate has not changed since the drill; the AWS Backup restore shown beside it is a lower bound for Aurora and never passes the control.',
    },
    evaluate: evaluateDrills,
  },
];
