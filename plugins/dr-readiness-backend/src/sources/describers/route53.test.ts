import { Route53Client } from '@aws-sdk/client-route-53';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import { assumeInto } from '../../__testUtils__/fixtures';
import { CallCounter, CallTarget, Limiter } from '../calls';
import { readRoute53 } from './route53';

const NOW = new Date('2026-11-25T12:00:00.000Z');

describe('Route 53 describer against the loopback endpoint', () => {
  let aws: AwsLocal;
  let client: Route53Client;
  let production: string;

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25' });
    production = aws.estate.accounts.find(
      a => a.environment === 'production',
    )!.id;
    client = new Route53Client({
      endpoint: aws.endpoint,
      region: 'us-east-1',
      credentials: await assumeInto(aws, production),
    });
  });
  afterAll(() => aws?.close());

  const target = (): CallTarget => ({
    service: 'route53',
    accountId: production,
    region: 'us-east-1',
    limiter: new Limiter(4),
    counter: new CallCounter(),
    now: () => NOW,
  });
  const hostnameOf = (kind: string) =>
    aws.estate.drGaps.find(g => g.kind === kind)!.hostname!;

  it("reads Disabled and Inverted, alias targets, and the checkers' view once per enabled PRIMARY health check", async () => {
    const t = target();
    const hostnames = [
      hostnameOf('health-check-disabled'),
      hostnameOf('health-check-inverted'),
      'ledger.payments.example.com',
      hostnameOf('secondary-in-primary-region'),
    ];
    const facts = await readRoute53(client, t, hostnames);
    const [disabled, inverted, ledger, enabled] = hostnames.map(facts);
    const primaryCheck = (f: typeof disabled) =>
      f.healthChecks.find(
        c =>
          c.id ===
          f.failoverRecords.find(r => r.failover === 'PRIMARY')!.healthCheckId,
      )!;
    // A disabled or inverted check fails on its configuration: its status is not read.
    expect(primaryCheck(disabled)).toMatchObject({
      disabled: true,
      inverted: false,
    });
    expect(primaryCheck(disabled).status).toBeUndefined();
    expect(primaryCheck(enabled)).toMatchObject({
      disabled: false,
      inverted: false,
      status: {
        observations: expect.arrayContaining([
          expect.objectContaining({
            region: 'us-east-1',
            status: 'Success: HTTP Status Code 200, OK',
          }),
        ]),
      },
    });
    expect(primaryCheck(inverted)).toMatchObject({
      disabled: false,
      inverted: true,
    });
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
    // One enabled PRIMARY check: one GetHealthCheckStatus call, kept as evidence.
    expect(t.counter.calls['route53:GetHealthCheckStatus']).toBe(1);
    expect(
      enabled.calls.filter(c => c.operation === 'GetHealthCheckStatus'),
    ).toHaveLength(1);
    const secondaryCheck = enabled.healthChecks.find(
      c =>
        c.id ===
        enabled.failoverRecords.find(r => r.failover === 'SECONDARY')!
          .healthCheckId,
    )!;
    expect(secondaryCheck.status).toBeUndefined();
  });
});
