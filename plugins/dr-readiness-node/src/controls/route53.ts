import type {
  ControlResult,
  Route53Facts,
} from '@internal/dr-readiness-common';
import { dedupeCalls } from './support';
import type { CheckContext, ServiceControl } from './types';

const CONTROL_ID = 'route53-failover';

/** What keeps the hostname from failing over; empty when it does. */
function failoverProblems(route53: Route53Facts): string[] {
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
  return problems;
}

/** The result when Route 53 was read: fail naming the problems, else pass naming the pair. */
function judgeFailover(
  route53: Route53Facts,
  base: Record<string, unknown>,
): ControlResult {
  const facts = {
    ...base,
    healthChecks: route53.healthChecks,
    failoverRecords: route53.failoverRecords,
  };
  const calls = dedupeCalls(route53.calls);
  const problems = failoverProblems(route53);
  if (problems.length > 0) {
    return {
      controlId: CONTROL_ID,
      status: 'fail',
      summary: `${route53.hostname} does not fail over: ${problems.join('; ')}`,
      fix: `For ${route53.hostname}: add an aws_route53_health_check on the primary endpoint, and two aws_route53_record of the same type with failover_routing_policy { type = "PRIMARY" } (health_check_id set) and { type = "SECONDARY" } pointing at the recovery region, each with its own set_identifier.`,
      resources: [],
      facts,
      calls,
    };
  }
  const checkIds = new Set(route53.healthChecks.map(c => c.id));
  const primaries = route53.failoverRecords.filter(
    r => r.failover === 'PRIMARY',
  );
  const primary =
    primaries.find(p => p.healthCheckId && checkIds.has(p.healthCheckId)) ??
    primaries[0];
  return {
    controlId: CONTROL_ID,
    status: 'pass',
    summary: `${route53.hostname} fails over: PRIMARY ${primary.type} record with health check ${primary.healthCheckId} and a SECONDARY record`,
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
      fix: `Give the DR scan role route53:ListHostedZones, route53:ListHealthChecks and route53:ListResourceRecordSets in the account holding the ${route53.hostname} zone, then rescan.`,
      resources: [],
      facts: { ...base, error: route53.error },
      calls: dedupeCalls(route53.calls),
    };
  }
  return judgeFailover(route53, base);
}

/** Route 53 failover of the service's public hostname: not a resource the Tagging API finds. */
export const ROUTE53_CONTROLS: ServiceControl[] = [
  {
    kind: 'service',
    id: CONTROL_ID,
    title: 'Route 53 failover',
    description:
      "The service's public hostname has a Route 53 health check and PRIMARY and SECONDARY failover records, so traffic moves to the recovery region without a DNS change by hand.",
    area: 'Route 53',
    references: [
      'Route 53 failover routing (ListResourceRecordSets, ListHealthChecks)',
    ],
    evidence: ['hostname', 'healthChecks', 'failoverRecords', 'error'],
    types: [],
    evaluate: evaluateRoute53,
  },
];
