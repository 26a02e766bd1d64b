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
      },
      {
        zoneId: 'Z1',
        name: 'wallet.pay.example.com.',
        type: 'A',
        failover: 'SECONDARY',
        setIdentifier: 'euw1',
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
      'wallet.pay.example.com fails over: PRIMARY A record with health check hc-1 and a SECONDARY record',
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
      'wallet.pay.example.com does not fail over: the PRIMARY record has no health check, so Route 53 never fails over',
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
});
