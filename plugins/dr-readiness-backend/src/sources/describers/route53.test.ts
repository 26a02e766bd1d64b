import {
  CloudWatchClient,
  GetMetricDataInput,
  GetMetricDataOutput,
} from '@aws-sdk/client-cloudwatch';
import { Route53Client } from '@aws-sdk/client-route-53';
import type { Route53Facts } from '@internal/dr-readiness-common';
import { evaluateControl } from '@internal/dr-readiness-node';
import { AwsLocal, DemoEstate, startAwsLocal } from '@internal/aws-local';
import { assumeInto } from '../../__testUtils__/fixtures';
import { CallCounter, CallTarget, Limiter } from '../calls';
import { awsClients } from '../clients';
import { HealthMetrics, readRoute53 } from './route53';

const NOW = new Date('2026-11-25T12:00:00.000Z');
/** The newest minute CloudWatch holds at NOW. */
const NEWEST_MINUTE = '2026-11-25T11:59:00.000Z';

/** One scan's targets: Route 53 and CloudWatch share its limiter, counter and clock. */
function targets(accountId: string) {
  const limiter = new Limiter(4);
  const counter = new CallCounter();
  const target = (service: string): CallTarget => ({
    service,
    accountId,
    region: 'us-east-1',
    limiter,
    counter,
    now: () => NOW,
  });
  return { route53: target('route53'), cloudwatch: target('cloudwatch') };
}

/** The route53-failover verdict on these facts (a tier-1 service in eu-west-2 recovering to eu-west-1). */
const verdictOn = (route53: Route53Facts) =>
  evaluateControl(
    'route53-failover',
    {
      service: 'svc',
      primaryRegion: 'eu-west-2',
      recoveryRegion: 'eu-west-1',
      resources: [],
      route53,
      gaps: [],
      scopes: [],
    },
    {
      id: 'tier-1',
      title: 'Tier 1',
      rtoMinutes: 60,
      rpoMinutes: 15,
      backupRetentionDays: 14,
      restoreTestWithinDays: 30,
      controls: [],
    },
    NOW,
  );

const primaryCheckOf = (f: Route53Facts) =>
  f.healthChecks.find(
    c =>
      c.id ===
      f.failoverRecords.find(r => r.failover === 'PRIMARY')!.healthCheckId,
  )!;

describe('Route 53 describer against the loopback endpoint', () => {
  let aws: AwsLocal;
  let client: Route53Client;
  let metrics: () => HealthMetrics & { counter: CallCounter };
  let production: string;

  beforeAll(async () => {
    // Synthetic products beside the demo's: about 300 public tier-0/1 services whose failover is
    // configured well (the demo's own public hostnames each carry a deliberate gap).
    const estate = DemoEstate.load({
      asOf: '2026-11-25',
      scale: { extraProducts: 850 },
    });
    aws = await startAwsLocal({ estate, now: () => NOW });
    production = aws.estate.accounts.find(
      a => a.environment === 'production',
    )!.id;
    const credentials = await assumeInto(aws, production);
    client = new Route53Client({
      endpoint: aws.endpoint,
      region: 'us-east-1',
      credentials,
    });
    const cloudwatch = new CloudWatchClient({
      endpoint: aws.endpoint,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    metrics = () => {
      const t = targets(production);
      return {
        client: cloudwatch,
        target: t.cloudwatch,
        counter: t.cloudwatch.counter,
      };
    };
  }, 60_000);
  afterAll(() => aws?.close());
  beforeEach(() => {
    aws.setFaults({ deny: [] });
    aws.resetStats();
  });

  /** Reads with one scan's targets; the counter counts both services' calls. */
  async function read(hostnames: string[], route53 = client) {
    const m = metrics();
    const t = { ...m.target, service: 'route53' };
    const facts = await readRoute53(route53, t, hostnames, m);
    return { facts, counter: m.counter };
  }

  const hostnameOf = (kind: string) =>
    aws.estate.drGaps.find(g => g.kind === kind)!.hostname!;
  /** Hostnames whose failover is configured well, with an enabled PRIMARY health check. */
  const wellConfiguredHostnames = () => {
    const gaps = new Set(aws.estate.drGaps.map(g => g.hostname));
    return aws.estate.services.flatMap(s =>
      s.publicHostname &&
      !gaps.has(s.publicHostname) &&
      !aws.estate.seed.dr.aliasFailover.includes(s.name)
        ? [s.publicHostname]
        : [],
    );
  };
  const wellConfigured = () => wellConfiguredHostnames()[0];
  /** The estate's health check of the hostname's PRIMARY record (tests set its state). */
  const primaryEstateCheck = (hostname: string) => {
    const record = aws.estate.dr.hostedZones
      .get(production)!
      .flatMap(z => z.records)
      .find(r => r.name === `${hostname}.` && r.failover === 'PRIMARY')!;
    return aws.estate.dr.healthChecks
      .get(production)!
      .find(c => c.id === record.healthCheckId)!;
  };

  it('reads Disabled and Inverted, alias targets, and the status of every enabled PRIMARY health check in one GetMetricData call', async () => {
    const hostnames = [
      hostnameOf('health-check-disabled'),
      hostnameOf('health-check-inverted'),
      'ledger.payments.example.com',
      hostnameOf('secondary-in-primary-region'),
      wellConfigured(),
    ];
    const { facts, counter } = await read(hostnames);
    const [disabled, inverted, ledger, enabled, fine] = hostnames.map(facts);
    // A disabled or inverted check fails on its configuration: its status is not read.
    expect(primaryCheckOf(disabled)).toMatchObject({
      disabled: true,
      inverted: false,
    });
    expect(primaryCheckOf(disabled).status).toBeUndefined();
    expect(primaryCheckOf(inverted)).toMatchObject({
      disabled: false,
      inverted: true,
    });
    expect(primaryCheckOf(inverted).status).toBeUndefined();
    for (const f of [enabled, fine]) {
      expect(primaryCheckOf(f)).toMatchObject({
        disabled: false,
        inverted: false,
        status: {
          healthy: true,
          percentageHealthy: expect.any(Number),
          at: NEWEST_MINUTE,
        },
      });
      expect(primaryCheckOf(f).status!.error).toBeUndefined();
      expect(primaryCheckOf(f).status!.percentageHealthy).toBeGreaterThan(18);
    }
    // The ledger fails over on its load balancers' health: aliases, no health check.
    expect(ledger.healthChecks).toEqual([]);
    expect(ledger.failoverRecords).toEqual([
      expect.objectContaining({
        failover: 'PRIMARY',
        healthCheckId: undefined,
        alias: expect.objectContaining({ evaluateTargetHealth: true }),
      }),
      expect.objectContaining({
        failover: 'SECONDARY',
        alias: expect.objectContaining({
          dnsName: expect.stringContaining('.eu-west-1.elb.amazonaws.com'),
        }),
      }),
    ]);
    // Both enabled PRIMARY checks in one GetMetricData call in us-east-1, kept as evidence.
    expect(counter.calls['cloudwatch:GetMetricData']).toBe(1);
    expect(counter.calls['route53:GetHealthCheckStatus']).toBeUndefined();
    expect(
      aws.stats().operations['route53:GetHealthCheckStatus'],
    ).toBeUndefined();
    const [metricCall] = enabled.calls.filter(
      c => c.operation === 'GetMetricData',
    );
    expect(metricCall).toMatchObject({
      service: 'cloudwatch',
      accountId: production,
      region: 'us-east-1',
      at: NOW.toISOString(),
    });
    expect(fine.calls).toContain(metricCall);
    expect(disabled.calls.map(c => c.operation)).not.toContain('GetMetricData');
    const secondaryCheck = enabled.healthChecks.find(
      c =>
        c.id ===
        enabled.failoverRecords.find(r => r.failover === 'SECONDARY')!
          .healthCheckId,
    )!;
    expect(secondaryCheck.status).toBeUndefined();
    expect(verdictOn(fine)).toMatchObject({
      status: 'pass',
      summary: expect.stringMatching(
        new RegExp(
          `\\(Route 53 reports health check ${
            primaryCheckOf(fine).id
          } healthy \\((100|94\\.4|88\\.9) % of checkers healthy at 11:59 UTC\\)\\)$`,
        ),
      ),
    });
  });

  it('shows a PRIMARY whose endpoint fails everywhere as unhealthy: Route 53 answers with the SECONDARY', async () => {
    const hostname = wellConfigured();
    const check = primaryEstateCheck(hostname);
    check.failing = true;
    try {
      const facts = (await read([hostname])).facts(hostname);
      expect(primaryCheckOf(facts).status).toEqual({
        healthy: false,
        percentageHealthy: 0,
        at: NEWEST_MINUTE,
      });
      const verdict = verdictOn(facts);
      expect(verdict.status).toBe('pass');
      expect(verdict.summary).toContain(
        `Route 53 reports the PRIMARY's health check ${check.id} unhealthy (0 % of checkers healthy at 11:59 UTC): Route 53 is answering with the SECONDARY now`,
      );
    } finally {
      check.failing = undefined;
    }
  });

  it('notes a check with no datapoint in the last 10 minutes (created a minute ago), without an error', async () => {
    const hostname = wellConfigured();
    const check = primaryEstateCheck(hostname);
    check.created = new Date(NOW.getTime() - 60_000);
    try {
      const facts = (await read([hostname])).facts(hostname);
      expect(primaryCheckOf(facts).status).toEqual({});
      const verdict = verdictOn(facts);
      expect(verdict.status).toBe('pass');
      expect(verdict.summary).toContain(
        `(no datapoint for health check ${check.id} in the last 10 minutes)`,
      );
    } finally {
      check.created = undefined;
    }
  });

  it('answers error naming the check when GetMetricData is denied in us-east-1, while Route 53 itself was read', async () => {
    const hostname = wellConfigured();
    // Route 53 is global: a client signed for another region reaches it, and is not denied.
    const elsewhere = new Route53Client({
      endpoint: aws.endpoint,
      region: 'eu-west-2',
      credentials: await assumeInto(aws, production),
    });
    aws.setFaults({ deny: [{ account: production, region: 'us-east-1' }] });
    const { facts, counter } = await read([hostname], elsewhere);
    const f = facts(hostname);
    const id = primaryCheckOf(f).id;
    expect(f.error).toBeUndefined();
    expect(f.failoverRecords).toHaveLength(2);
    expect(primaryCheckOf(f).status).toEqual({
      error: expect.stringMatching(
        new RegExp(
          `^cloudwatch:GetMetricData ${id}: AccessDenied(Exception)?: `,
        ),
      ),
    });
    expect(counter.calls['cloudwatch:GetMetricData']).toBe(1);
    // The refused call is the evidence.
    expect(f.calls).toContainEqual(
      expect.objectContaining({
        service: 'cloudwatch',
        operation: 'GetMetricData',
        region: 'us-east-1',
      }),
    );
    const verdict = verdictOn(f);
    expect(verdict.status).toBe('error');
    expect(verdict.summary).toContain(
      `the status of its PRIMARY health check could not be read from CloudWatch: cloudwatch:GetMetricData ${id}: AccessDenied`,
    );
    expect(verdict.fix).toContain('cloudwatch:GetMetricData in us-east-1');
  });

  it("answers a check's Forbidden or InternalError result, or its queries missing from the result, as an error naming it", async () => {
    const [h0, h1, h2, h3] = wellConfiguredHostnames().slice(0, 4);
    const [c0, c1, c2] = [h0, h1, h2].map(h => primaryEstateCheck(h).id);
    const cloudwatch = new CloudWatchClient({
      endpoint: aws.endpoint,
      region: 'us-east-1',
      credentials: await assumeInto(aws, production),
    });
    // The loopback's real answer, rewritten as AWS may answer: per query, by the check it names.
    cloudwatch.middlewareStack.add(
      next => async args => {
        const result = await next(args);
        const input = args.input as GetMetricDataInput;
        const output = result.output as GetMetricDataOutput;
        const named = (id?: string) => {
          const q = input.MetricDataQueries!.find(x => x.Id === id)!;
          return {
            check: q.MetricStat!.Metric!.Dimensions![0].Value,
            metric: q.MetricStat!.Metric!.MetricName,
          };
        };
        output.MetricDataResults = output
          .MetricDataResults!.filter(r => named(r.Id).check !== c2)
          .map(r => {
            const { check, metric } = named(r.Id);
            if (check === c0 && metric === 'HealthCheckStatus')
              return {
                ...r,
                Values: [],
                Timestamps: [],
                StatusCode: 'Forbidden',
                Messages: [{ Code: 'Forbidden', Value: 'not authorized' }],
              };
            if (check === c1 && metric === 'HealthCheckPercentageHealthy')
              return {
                ...r,
                Values: [],
                Timestamps: [],
                StatusCode: 'InternalError',
              };
            return r;
          });
        return result;
      },
      { step: 'initialize', name: 'awsAnswersAwkwardly' },
    );
    const t = targets(production);
    const facts = await readRoute53(client, t.route53, [h0, h1, h2, h3], {
      client: cloudwatch,
      target: t.cloudwatch,
    });
    const [f0, f1, f2, f3] = [h0, h1, h2, h3].map(facts);
    expect(primaryCheckOf(f0).status).toEqual({
      error: `cloudwatch:GetMetricData ${c0}: Forbidden: Forbidden: not authorized`,
    });
    expect(primaryCheckOf(f1).status).toEqual({
      error: `cloudwatch:GetMetricData ${c1}: InternalError`,
    });
    expect(primaryCheckOf(f2).status).toEqual({
      error: `cloudwatch:GetMetricData ${c2}: its HealthCheckStatus and HealthCheckPercentageHealthy queries are missing from the result`,
    });
    // The call whose answer lacked it is still its evidence.
    expect(f2.calls.map(c => c.operation)).toContain('GetMetricData');
    expect(primaryCheckOf(f3).status).toMatchObject({ healthy: true });
    for (const f of [f0, f1, f2])
      expect(verdictOn(f)).toMatchObject({ status: 'error' });
    expect(verdictOn(f3)).toMatchObject({ status: 'pass' });
  });

  it('reads 250 checks a GetMetricData call, not a call per check', async () => {
    const credentials = await assumeInto(aws, production);
    const clients = awsClients({ maxAttempts: 3, endpoint: aws.endpoint });
    const scope = { accountId: production, region: 'us-east-1', credentials };
    const t = targets(production);
    const hostnames = aws.estate.services.flatMap(s =>
      s.publicHostname ? [s.publicHostname] : [],
    );
    const facts = await readRoute53(
      clients.route53.for(scope),
      t.route53,
      hostnames,
      { client: clients.cloudwatch.for(scope), target: t.cloudwatch },
    );
    const withStatus = hostnames
      .map(facts)
      .flatMap(f => f.healthChecks.filter(c => c.status));
    expect(withStatus.length).toBeGreaterThan(250);
    expect(withStatus.length).toBeLessThanOrEqual(500);
    expect(withStatus.every(c => c.status!.healthy === true)).toBe(true);
    expect(t.cloudwatch.counter.calls['cloudwatch:GetMetricData']).toBe(2);
    expect(aws.stats().operations['cloudwatch:GetMetricData']).toMatchObject({
      succeeded: 2,
    });
    // Each hostname keeps the one call its check's answer came on.
    for (const f of hostnames.map(facts).filter(x => x.healthChecks.length))
      expect(f.calls.filter(c => c.operation === 'GetMetricData')).toHaveLength(
        f.healthChecks.some(c => c.status) ? 1 : 0,
      );
  }, 60_000);
});
