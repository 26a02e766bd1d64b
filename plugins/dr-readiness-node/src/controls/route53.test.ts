import type { ServiceFacts } from '@internal/dr-readiness-common';
import { call, service } from '../__fixtures__/facts';
import { check } from '../__fixtures__/contract';

describe('route53-failover', () => {
  const route53 = (
    overrides: Partial<NonNullable<ServiceFacts['route53']>> = {},
  ): ServiceFacts['route53'] => ({
    hostname: 'wallet.pay.example.com',
    healthChecks: [
      {
        id: 'hc-1',
        type: 'HTTPS',
        fqdn: 'wallet-euw2.pay.example.com',
        resourcePath: '/health',
        disabled: false,
        inverted: false,
        status: {
          healthy: true,
          percentageHealthy: 94.44444,
          at: '2026-11-25T11:59:00.000Z',
        },
      },
    ],
    failoverRecords: [
      {
        zoneId: 'Z1',
        name: 'wallet.pay.example.com.',
        type: 'A',
        failover: 'PRIMARY',
        setIdentifier: 'euw2',
        healthCheckId: 'hc-1',
        alias: {
          dnsName: 'dualstack.wallet-1.eu-west-2.elb.amazonaws.com.',
          hostedZoneId: 'ZHURV8PSTC4K8',
          evaluateTargetHealth: false,
        },
      },
      {
        zoneId: 'Z1',
        name: 'wallet.pay.example.com.',
        type: 'A',
        failover: 'SECONDARY',
        setIdentifier: 'euw1',
        alias: {
          dnsName: 'dualstack.wallet-2.eu-west-1.elb.amazonaws.com.',
          hostedZoneId: 'Z32O12XQLNTSW2',
          evaluateTargetHealth: true,
        },
      },
    ],
    calls: [
      call('route53', 'ListResourceRecordSets', 'r53-1', 'us-east-1'),
      call('route53', 'ListResourceRecordSets', 'r53-1', 'us-east-1'),
    ],
    ...overrides,
  });

  it('passes with a health-checked PRIMARY and a SECONDARY record, deduplicating the calls', () => {
    const result = check(
      'route53-failover',
      service([], { route53: route53() }),
    );
    expect(result.status).toBe('pass');
    expect(result.summary).toBe(
      'wallet.pay.example.com fails over: PRIMARY A record with health check hc-1 and a SECONDARY record in eu-west-1 (Route 53 reports health check hc-1 healthy (94.4 % of checkers healthy at 11:59 UTC))',
    );
    expect(result.calls).toHaveLength(1);
  });

  it('does not apply without a public hostname, and says which annotation declares one', () => {
    const result = check('route53-failover', service([]));
    expect(result.status).toBe('not_applicable');
    expect(result.summary).toContain(
      'annotation payments-platform/public-hostname',
    );
  });

  it('answers error when Route 53 could not be read', () => {
    const result = check(
      'route53-failover',
      service([], {
        route53: route53({
          error: 'Route 53 could not be read in 318402765190: AccessDenied: no',
        }),
      }),
    );
    expect(result.status).toBe('error');
    expect(result.summary).toBe(
      'Route 53 could not be read for wallet.pay.example.com: Route 53 could not be read in 318402765190: AccessDenied: no',
    );
    expect(result.fix).toContain('route53:ListResourceRecordSets');
    expect(result.fix).toContain('cloudwatch:GetMetricData in us-east-1');
    expect(result.fix).not.toContain('GetHealthCheckStatus');
  });

  it('fails without a SECONDARY record, or when the PRIMARY has no health check', () => {
    const noSecondary = check(
      'route53-failover',
      service([], {
        route53: route53({ failoverRecords: [route53()!.failoverRecords[0]] }),
      }),
    );
    expect(noSecondary.summary).toBe(
      'wallet.pay.example.com does not fail over: no SECONDARY failover record',
    );
    expect(noSecondary.fix).toContain(
      'failover_routing_policy { type = "PRIMARY" }',
    );

    const unchecked = check(
      'route53-failover',
      service([], {
        route53: route53({
          healthChecks: [],
          failoverRecords: route53()!.failoverRecords.map(r => ({
            ...r,
            healthCheckId: undefined,
          })),
        }),
      }),
    );
    expect(unchecked.summary).toBe(
      "wallet.pay.example.com does not fail over: the PRIMARY A record has no health check and is no alias that evaluates its target's health, so Route 53 never fails over",
    );
  });

  it('fails a PRIMARY whose health check no longer exists', () => {
    const result = check(
      'route53-failover',
      service([], { route53: route53({ healthChecks: [] }) }),
    );
    expect(result.summary).toBe(
      'wallet.pay.example.com does not fail over: health check hc-1 of the PRIMARY A record does not exist',
    );
  });

  const NOW_MINUTE = '2026-11-25T11:59:00.000Z';
  const [primary, secondary] = route53()!.failoverRecords;
  const [healthCheck] = route53()!.healthChecks;
  const withCheck = (overrides: Partial<typeof healthCheck>) =>
    route53({ healthChecks: [{ ...healthCheck, ...overrides }] });

  it('fails a PRIMARY whose health check is disabled: Route 53 then considers it healthy, always', () => {
    const result = check(
      'route53-failover',
      service([], { route53: withCheck({ disabled: true }) }),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toContain(
      'health check hc-1 of the PRIMARY A record is disabled: Route 53 considers it healthy whatever the endpoint does, so it never triggers failover',
    );
    expect(result.fix).toContain('disabled = false');
  });

  it('fails a PRIMARY whose health check is inverted', () => {
    const result = check(
      'route53-failover',
      service([], { route53: withCheck({ inverted: true }) }),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toContain(
      'health check hc-1 of the PRIMARY A record is inverted',
    );
  });

  it('passes a PRIMARY alias that evaluates its target health without any health check', () => {
    const result = check(
      'route53-failover',
      service([], {
        route53: route53({
          healthChecks: [],
          failoverRecords: [
            {
              ...primary,
              healthCheckId: undefined,
              alias: { ...primary.alias!, evaluateTargetHealth: true },
            },
            secondary,
          ],
        }),
      }),
    );
    expect(result.status).toBe('pass');
    expect(result.summary).toBe(
      'wallet.pay.example.com fails over: PRIMARY A record with alias target dualstack.wallet-1.eu-west-2.elb.amazonaws.com. evaluated for health and a SECONDARY record in eu-west-1',
    );
  });

  it('fails a SECONDARY that points into the primary region, naming the evidence', () => {
    const result = check(
      'route53-failover',
      service([], {
        route53: route53({
          failoverRecords: [
            primary,
            {
              ...secondary,
              alias: {
                ...secondary.alias!,
                dnsName: 'dualstack.wallet-3.eu-west-2.elb.amazonaws.com.',
              },
            },
          ],
        }),
      }),
    );
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(
      'wallet.pay.example.com does not fail over: the SECONDARY A record points into eu-west-2 (alias target dualstack.wallet-3.eu-west-2.elb.amazonaws.com.), the primary region, not into eu-west-1',
    );
  });

  it('places a SECONDARY by its load balancer hosted zone or set identifier, and fails one that names no region', () => {
    const placed = (record: typeof secondary) =>
      check(
        'route53-failover',
        service([], {
          route53: route53({ failoverRecords: [primary, record] }),
        }),
      );
    expect(
      placed({
        ...secondary,
        alias: { ...secondary.alias!, dnsName: 'wallet.example.net.' },
      }).status,
    ).toBe('pass');
    expect(
      placed({
        ...secondary,
        alias: undefined,
        setIdentifier: 'wallet-secondary-eu-west-1',
      }).status,
    ).toBe('pass');
    const unknown = placed({
      ...secondary,
      alias: undefined,
      setIdentifier: 'dr',
    });
    expect(unknown.status).toBe('fail');
    expect(unknown.summary).toContain(
      'the SECONDARY A record names no region (no regional alias target, Region or region in its set identifier dr), so it is not known to point into eu-west-1',
    );
  });

  it('shows a PRIMARY whose health check Route 53 reports unhealthy: it is answering with the SECONDARY', () => {
    const failing = check(
      'route53-failover',
      service([], {
        route53: withCheck({
          status: {
            healthy: false,
            percentageHealthy: 0,
            at: '2026-11-25T11:58:00.000Z',
          },
        }),
      }),
    );
    expect(failing.status).toBe('pass');
    expect(failing.summary).toBe(
      "wallet.pay.example.com fails over: PRIMARY A record with health check hc-1 and a SECONDARY record in eu-west-1 (Route 53 reports the PRIMARY's health check hc-1 unhealthy (0 % of checkers healthy at 11:58 UTC): Route 53 is answering with the SECONDARY now)",
    );
    expect(failing.facts).toMatchObject({
      checkers: [
        "Route 53 reports the PRIMARY's health check hc-1 unhealthy (0 % of checkers healthy at 11:58 UTC): Route 53 is answering with the SECONDARY now",
      ],
    });
    // Beside a configuration problem, the failover already under way is still said.
    const alsoBroken = check(
      'route53-failover',
      service([], {
        route53: route53({
          healthChecks: [
            {
              ...healthCheck,
              status: {
                healthy: false,
                percentageHealthy: 5.6,
                at: NOW_MINUTE,
              },
            },
          ],
          failoverRecords: [primary],
        }),
      }),
    );
    expect(alsoBroken.status).toBe('fail');
    expect(alsoBroken.summary).toBe(
      "wallet.pay.example.com does not fail over: no SECONDARY failover record (Route 53 reports the PRIMARY's health check hc-1 unhealthy (5.6 % of checkers healthy at 11:59 UTC): Route 53 is answering with the SECONDARY now)",
    );
  });

  it('notes a health check with no datapoint in the last 10 minutes, without an error', () => {
    const result = check(
      'route53-failover',
      service([], { route53: withCheck({ status: {} }) }),
    );
    expect(result.status).toBe('pass');
    expect(result.summary).toBe(
      'wallet.pay.example.com fails over: PRIMARY A record with health check hc-1 and a SECONDARY record in eu-west-1 (no datapoint for health check hc-1 in the last 10 minutes)',
    );
    expect(result.fix).toBeUndefined();
  });

  it.each([
    [
      'the call was denied',
      'cloudwatch:GetMetricData hc-1: AccessDenied: not authorized to perform cloudwatch:GetMetricData',
    ],
    [
      'the result was Forbidden',
      'cloudwatch:GetMetricData hc-1: Forbidden: Forbidden: no access to AWS/Route53',
    ],
    [
      'the result was InternalError',
      'cloudwatch:GetMetricData hc-1: InternalError',
    ],
    [
      "the check's queries were missing",
      'cloudwatch:GetMetricData hc-1: its HealthCheckStatus and HealthCheckPercentageHealthy queries are missing from the result',
    ],
  ])(
    'answers error naming the check when its status could not be read: %s',
    (_case, error) => {
      const unreadable = check(
        'route53-failover',
        service([], { route53: withCheck({ status: { error } }) }),
      );
      expect(unreadable.status).toBe('error');
      expect(unreadable.summary).toBe(
        `wallet.pay.example.com: the status of its PRIMARY health check could not be read from CloudWatch: ${error}`,
      );
      expect(unreadable.fix).toBe(
        "Give the DR scan role cloudwatch:GetMetricData in us-east-1 of the account holding the wallet.pay.example.com zone (Route 53 publishes its health checks' metrics there only), then rescan.",
      );
      expect(unreadable.facts).toMatchObject({ error });
    },
  );

  it('answers error for a PRIMARY check whose status was not read at all, and reads none of a disabled, inverted or calculated one', () => {
    const unread = check(
      'route53-failover',
      service([], { route53: withCheck({ status: undefined }) }),
    );
    expect(unread.status).toBe('error');
    expect(unread.summary).toContain(
      'cloudwatch:GetMetricData hc-1: its status was not read',
    );
    const calculated = check(
      'route53-failover',
      service([], {
        route53: withCheck({ type: 'CALCULATED', status: undefined }),
      }),
    );
    expect(calculated.status).toBe('pass');
    expect(calculated.facts).toMatchObject({ checkers: [] });
  });
});
