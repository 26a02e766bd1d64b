import {
  ControlResult,
  HEALTH_STATUS_WINDOW_MINUTES,
  Route53Facts,
} from '@internal/dr-readiness-common';
import { regionOfRecord } from './route53Regions';
import { dedupeCalls, targetLabel } from './support';
import type { CheckContext, ServiceControl } from './types';

const CONTROL_ID = 'route53-failover';

type HealthCheckFacts = Route53Facts['healthChecks'][number];
type FailoverRecord = Route53Facts['failoverRecords'][number];

/** Why a PRIMARY record never fails over; undefined when a health check or its alias target's health does it. */
function primaryProblem(
  record: FailoverRecord,
  checks: Map<string, HealthCheckFacts>,
): string | undefined {
  const what = `the PRIMARY ${record.type} record`;
  const evaluatesTarget = record.alias?.evaluateTargetHealth === true;
  if (!record.healthCheckId) {
    // A failover alias with EvaluateTargetHealth fails over on its target's health: no check needed.
    return evaluatesTarget
      ? undefined
      : `${what} has no health check and is no alias that evaluates its target's health, so Route 53 never fails over`;
  }
  const check = checks.get(record.healthCheckId);
  if (!check)
    return `health check ${record.healthCheckId} of ${what} does not exist`;
  if (check.disabled)
    return `health check ${check.id} of ${what} is disabled: Route 53 considers it healthy whatever the endpoint does, so it never triggers failover`;
  if (check.inverted)
    return `health check ${check.id} of ${what} is inverted: it reports the endpoint unhealthy while it is up and healthy while it is down`;
  return undefined;
}

/** Why a SECONDARY record does not recover into the recovery region; undefined when it does. */
function secondaryProblem(
  record: FailoverRecord,
  ctx: CheckContext,
): string | undefined {
  const { primaryRegion, recoveryRegion } = ctx.facts;
  const what = `the SECONDARY ${record.type} record`;
  const found = regionOfRecord(record);
  if (!found)
    return `${what} names no region (no regional alias target, Region or region in its set identifier ${
      record.setIdentifier ?? '(none)'
    }), so it is not known to point into ${recoveryRegion ?? 'another region'}`;
  const wanted =
    recoveryRegion && recoveryRegion !== primaryRegion ? recoveryRegion : '';
  if (wanted ? found.region === wanted : found.region !== primaryRegion)
    return undefined;
  return `${what} points into ${found.region} (${found.from})${
    found.region === primaryRegion ? ', the primary region,' : ''
  } not into ${wanted || 'another region than the primary'}`;
}

/** What keeps the hostname from failing over; empty when it does. */
function failoverProblems(route53: Route53Facts, ctx: CheckContext): string[] {
  const records = route53.failoverRecords;
  const primaries = records.filter(r => r.failover === 'PRIMARY');
  const secondaries = records.filter(r => r.failover === 'SECONDARY');
  const checks = new Map(route53.healthChecks.map(c => [c.id, c]));
  const problems: string[] = [];
  if (primaries.length === 0) problems.push('no PRIMARY failover record');
  if (secondaries.length === 0) problems.push('no SECONDARY failover record');
  for (const record of primaries) {
    const problem = primaryProblem(record, checks);
    if (problem) problems.push(problem);
  }
  for (const record of secondaries) {
    const problem = secondaryProblem(record, ctx);
    if (problem) problems.push(problem);
  }
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
  return problems;
}

const percent = (value: number) => `${Math.round(value * 10) / 10} %`;
const utcTime = (iso: string) => `${iso.slice(11, 16)} UTC`;

/** `(N % of checkers healthy at HH:MM UTC)`, from what CloudWatch held. */
function checkersNote(status: NonNullable<HealthCheckFacts['status']>) {
  const parts = [
    status.percentageHealthy !== undefined
      ? `${percent(status.percentageHealthy)} of checkers healthy`
      : '',
    status.at ? `at ${utcTime(status.at)}` : '',
  ];
  return `(${parts.filter(Boolean).join(' ')})`;
}

/**
 * The PRIMARY's health checks' status as Route 53 publishes it to CloudWatch: what it shows,
 * and what could not be read.
 */
function checkersView(route53: Route53Facts) {
  const primaryChecks = new Set(
    route53.failoverRecords
      .filter(r => r.failover === 'PRIMARY' && r.healthCheckId)
      .map(r => r.healthCheckId),
  );
  const shown: string[] = [];
  /** PRIMARY checks Route 53 reports unhealthy: shown even beside other problems. */
  const failingEverywhere: string[] = [];
  const unreadable: string[] = [];
  for (const check of route53.healthChecks) {
    if (
      !primaryChecks.has(check.id) ||
      check.type === 'CALCULATED' ||
      check.disabled ||
      check.inverted
    )
      continue;
    const status = check.status;
    if (!status || status.error) {
      unreadable.push(
        status?.error ??
          `cloudwatch:GetMetricData ${check.id}: its status was not read`,
      );
    } else if (status.healthy === undefined) {
      shown.push(
        `no datapoint for health check ${check.id} in the last ${HEALTH_STATUS_WINDOW_MINUTES} minutes`,
      );
    } else if (!status.healthy) {
      const text = `Route 53 reports the PRIMARY's health check ${
        check.id
      } unhealthy ${checkersNote(
        status,
      )}: Route 53 is answering with the SECONDARY now`;
      shown.push(text);
      failingEverywhere.push(text);
    } else
      shown.push(
        `Route 53 reports health check ${check.id} healthy ${checkersNote(
          status,
        )}`,
      );
  }
  return { shown, failingEverywhere, unreadable };
}

/** The result when Route 53 was read: fail naming the problems, else pass naming the pair. */
function judgeFailover(
  route53: Route53Facts,
  base: Record<string, unknown>,
  ctx: CheckContext,
): ControlResult {
  const view = checkersView(route53);
  const facts = {
    ...base,
    healthChecks: route53.healthChecks,
    failoverRecords: route53.failoverRecords,
    secondaryRegions: route53.failoverRecords
      .filter(r => r.failover === 'SECONDARY')
      .map(r => ({
        setIdentifier: r.setIdentifier ?? null,
        ...(regionOfRecord(r) ?? { region: null }),
      })),
    checkers: view.shown,
  };
  const calls = dedupeCalls(route53.calls);
  const problems = failoverProblems(route53, ctx);
  const note = (texts: string[]) =>
    texts.length > 0 ? ` (${texts.join('; ')})` : '';
  if (problems.length > 0) {
    return {
      controlId: CONTROL_ID,
      status: 'fail',
      summary: `${route53.hostname} does not fail over: ${problems.join(
        '; ',
      )}${note(view.failingEverywhere)}`,
      fix: `For ${
        route53.hostname
      }: add an aws_route53_health_check on the primary endpoint (disabled = false, invert_healthcheck = false), or alias the PRIMARY to a load balancer with evaluate_target_health = true; and two aws_route53_record of the same type with failover_routing_policy { type = "PRIMARY" } (health_check_id set) and { type = "SECONDARY" } aliased to the endpoint in ${targetLabel(
        ctx,
      )}, each with its own set_identifier.`,
      resources: [],
      facts,
      calls,
    };
  }
  if (view.unreadable.length > 0) {
    return {
      controlId: CONTROL_ID,
      status: 'error',
      summary: `${
        route53.hostname
      }: the status of its PRIMARY health check could not be read from CloudWatch: ${view.unreadable.join(
        '; ',
      )}`,
      fix: `Give the DR scan role cloudwatch:GetMetricData in us-east-1 of the account holding the ${route53.hostname} zone (Route 53 publishes its health checks' metrics there only), then rescan.`,
      resources: [],
      facts: { ...facts, error: view.unreadable.join('; ') },
      calls,
    };
  }
  const primary = route53.failoverRecords.find(r => r.failover === 'PRIMARY')!;
  const trigger = primary.healthCheckId
    ? `health check ${primary.healthCheckId}`
    : `alias target ${primary.alias?.dnsName} evaluated for health`;
  const secondary = facts.secondaryRegions[0];
  return {
    controlId: CONTROL_ID,
    status: 'pass',
    summary: `${route53.hostname} fails over: PRIMARY ${
      primary.type
    } record with ${trigger} and a SECONDARY record in ${
      secondary.region
    }${note(view.shown)}`,
    resources: [],
    facts,
    calls,
  };
}

function evaluateRoute53(ctx: CheckContext): ControlResult {
  const route53 = ctx.facts.route53;
  if (!route53) {
    return {
      controlId: CONTROL_ID,
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
      controlId: CONTROL_ID,
      status: 'error',
      summary: `Route 53 could not be read for ${route53.hostname}: ${route53.error}`,
      fix: `Give the DR scan role route53:ListHostedZones, route53:ListHealthChecks and route53:ListResourceRecordSets, and cloudwatch:GetMetricData in us-east-1, in the account holding the ${route53.hostname} zone, then rescan.`,
      resources: [],
      facts: { ...base, error: route53.error },
      calls: dedupeCalls(route53.calls),
    };
  }
  return judgeFailover(route53, base, ctx);
}

/** Route 53 failover of the service's public hostname: not a resource the Tagging API finds. */
export const ROUTE53_CONTROLS: ServiceControl[] = [
  {
    kind: 'service',
    id: CONTROL_ID,
    basis: {
      calls: [
        'route53:ListHostedZones, route53:ListHealthChecks (once per scan)',
        'route53:ListResourceRecordSets (per zone holding a hostname)',
        "cloudwatch:GetMetricData in us-east-1 (AWS/Route53 HealthCheckStatus and HealthCheckPercentageHealthy of each PRIMARY record's health check, last 10 minutes; 250 checks a call)",
      ],
      proves:
        "the hostname has PRIMARY and SECONDARY failover records of one type, the PRIMARY fails over on an enabled, non-inverted health check or on an alias target's health (EvaluateTargetHealth), and the SECONDARY points into the recovery region; the health check's newest status in CloudWatch (Route 53's verdict and the percent of checkers reporting healthy) is shown.",
      cannotProve:
        "that the SECONDARY's endpoint serves the application, nor that clients honour the records' TTL.",
    },
    title: 'Route 53 failover',
    description:
      "The service's public hostname has PRIMARY and SECONDARY failover records; the PRIMARY fails over on an enabled, non-inverted health check or on an alias target whose health Route 53 evaluates (EvaluateTargetHealth), and the SECONDARY points into the recovery region (regional alias target, load balancer hosted zone, Region or set identifier). The PRIMARY's health check status Route 53 publishes to CloudWatch (HealthCheckStatus, HealthCheckPercentageHealthy; GetMetricData in us-east-1, last 10 minutes) is read and shown: a PRIMARY Route 53 reports unhealthy is already failed over.",
    area: 'Route 53',
    references: [
      'Route 53 failover routing (ListResourceRecordSets, ListHealthChecks)',
      'CloudWatch GetMetricData in us-east-1: AWS/Route53 HealthCheckStatus and HealthCheckPercentageHealthy',
    ],
    evidence: [
      'hostname',
      'healthChecks',
      'failoverRecords',
      'secondaryRegions',
      'checkers',
      'error',
    ],
    types: [],
    evaluate: evaluateRoute53,
  },
];
