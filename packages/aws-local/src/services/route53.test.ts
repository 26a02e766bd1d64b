import {
  GetHealthCheckStatusCommand,
  HealthCheck,
  ListHealthChecksCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  NoSuchHostedZone,
  ResourceRecordSet,
  Route53Client,
  paginateListHealthChecks,
  paginateListHostedZones,
} from '@aws-sdk/client-route-53';
import { AwsLocal, startAwsLocal } from '../server/AwsLocalServer';
import {
  PROD,
  assumedConfig,
  gapOf,
  resetFaults,
} from './__testUtils__/clients';

// Route 53 is global: AWS's own endpoint signs for us-east-1, and so should clients of the loopback one.
const GLOBAL = 'us-east-1';

describe('Route 53 on the loopback endpoint', () => {
  let aws: AwsLocal;
  let route53: Route53Client;
  const publicServices = () =>
    aws.estate.services.filter(s => s.publicHostname);

  async function everyRecord(zoneId: string, maxItems: number) {
    const records: ResourceRecordSet[] = [];
    let pages = 0;
    let start: {
      StartRecordName?: string;
      StartRecordType?: any;
      StartRecordIdentifier?: string;
    } = {};
    for (;;) {
      const page = await route53.send(
        new ListResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          MaxItems: maxItems,
          ...start,
        }),
      );
      pages += 1;
      records.push(...page.ResourceRecordSets!);
      if (!page.IsTruncated) return { records, pages };
      start = {
        StartRecordName: page.NextRecordName,
        StartRecordType: page.NextRecordType,
        StartRecordIdentifier: page.NextRecordIdentifier,
      };
    }
  }

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25' });
    route53 = new Route53Client(await assumedConfig(aws, PROD, GLOBAL));
  });
  afterAll(() => aws.close());
  beforeEach(() => resetFaults(aws));

  it('holds the public zone with a PRIMARY/SECONDARY failover pair and HTTPS health checks per public hostname', async () => {
    const zones = [];
    for await (const page of paginateListHostedZones(
      { client: route53, pageSize: 1 },
      {},
    ))
      zones.push(...page.HostedZones!);
    expect(zones.map(z => z.Name)).toEqual(['payments.example.com.']);
    expect(zones[0].Id).toMatch(/^\/hostedzone\/Z[A-Z0-9]+$/);

    const checks = [];
    for await (const page of paginateListHealthChecks(
      { client: route53, pageSize: 2 },
      {},
    ))
      checks.push(...page.HealthChecks!);
    for (const check of checks)
      expect(check.HealthCheckConfig).toMatchObject({
        Type: 'HTTPS',
        ResourcePath: '/health',
        Port: 443,
      });

    // Paged two at a time with StartRecordName / StartRecordType / StartRecordIdentifier.
    const { records, pages } = await everyRecord(zones[0].Id!, 2);
    expect(pages).toBe(Math.ceil(records.length / 2));
    expect(
      new Set(records.map(r => `${r.Name}|${r.Type}|${r.SetIdentifier}`)).size,
    ).toBe(records.length);
    expect(records.slice(0, 2).map(r => r.Type)).toEqual(['NS', 'SOA']);

    const gap = gapOf(aws, 'no-secondary-record');
    expect(publicServices().length).toBeGreaterThanOrEqual(3);
    for (const service of publicServices()) {
      const failover = records
        .filter(r => r.Name === `${service.publicHostname}.`)
        .map(r => r.Failover);
      expect(failover).toEqual(
        service.publicHostname === gap.hostname
          ? ['PRIMARY']
          : ['PRIMARY', 'SECONDARY'],
      );
    }
    const checkIds = new Set(checks.map(c => c.Id));
    const aliasOnly = new Set(
      aws.estate.seed.dr.aliasFailover.map(
        name =>
          `${publicServices().find(s => s.name === name)!.publicHostname}.`,
      ),
    );
    const failoverRecords = records.filter(r => r.Failover);
    // Failover on the load balancer's health: an alias that evaluates it, no health check.
    expect(
      failoverRecords
        .filter(r => aliasOnly.has(r.Name!))
        .map(r => [r.HealthCheckId, r.AliasTarget?.EvaluateTargetHealth]),
    ).toEqual([
      [undefined, true],
      [undefined, true],
    ]);
    expect(
      failoverRecords
        .filter(r => !aliasOnly.has(r.Name!))
        .every(r => checkIds.has(r.HealthCheckId!)),
    ).toBe(true);
    expect(checks).toHaveLength(
      records.filter(r => r.Failover && r.HealthCheckId).length,
    );
  });

  it('models the messy failover shapes: a disabled and an inverted health check, a SECONDARY in the primary region', async () => {
    const checks: HealthCheck[] = [];
    for await (const page of paginateListHealthChecks(
      { client: route53, pageSize: 100 },
      {},
    ))
      checks.push(...page.HealthChecks!);
    const { HostedZones } = await route53.send(new ListHostedZonesCommand({}));
    const { records } = await everyRecord(HostedZones![0].Id!, 300);
    const primaryCheckOf = (hostname: string) => {
      const id = records.find(
        r => r.Name === `${hostname}.` && r.Failover === 'PRIMARY',
      )!.HealthCheckId;
      return checks.find(c => c.Id === id)!.HealthCheckConfig!;
    };
    expect(
      primaryCheckOf(gapOf(aws, 'health-check-disabled').hostname!),
    ).toMatchObject({ Disabled: true, Inverted: false });
    expect(
      primaryCheckOf(gapOf(aws, 'health-check-inverted').hostname!),
    ).toMatchObject({ Disabled: false, Inverted: true });
    const misplaced = gapOf(aws, 'secondary-in-primary-region');
    const secondary = records.find(
      r => r.Name === `${misplaced.hostname}.` && r.Failover === 'SECONDARY',
    )!;
    expect(secondary.AliasTarget).toMatchObject({
      HostedZoneId: 'ZHURV8PSTC4K8',
      DNSName: expect.stringMatching(/\.eu-west-2\.elb\.amazonaws\.com\.$/),
    });
    // Every other hostname's checks are enabled and upright.
    expect(
      checks.filter(
        c => c.HealthCheckConfig!.Disabled || c.HealthCheckConfig!.Inverted,
      ),
    ).toHaveLength(2);
  });

  it("answers GetHealthCheckStatus with each checker's newest observation, and NoSuchHealthCheck for an unknown id", async () => {
    const { HealthChecks } = await route53.send(
      new ListHealthChecksCommand({}),
    );
    const status = await route53.send(
      new GetHealthCheckStatusCommand({ HealthCheckId: HealthChecks![0].Id }),
    );
    expect(status.HealthCheckObservations).toHaveLength(8);
    expect(status.HealthCheckObservations![0]).toMatchObject({
      Region: 'us-east-1',
      IPAddress: expect.any(String),
      StatusReport: {
        Status: 'Success: HTTP Status Code 200, OK',
        CheckedTime: expect.any(Date),
      },
    });
    expect(
      aws.stats().operations['route53:GetHealthCheckStatus'],
    ).toMatchObject({ succeeded: 1 });
    await expect(
      route53.send(
        new GetHealthCheckStatusCommand({
          HealthCheckId: '00000000-0000-0000-0000-000000000000',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'NoSuchHealthCheck',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('starts a record listing at a given name, and answers an unknown zone with NoSuchHostedZone', async () => {
    const { HostedZones } = await route53.send(new ListHostedZonesCommand({}));
    const wallet = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: HostedZones![0].Id,
        StartRecordName: 'wallet.payments.example.com',
        StartRecordType: 'A',
        MaxItems: 1,
      }),
    );
    expect(wallet.ResourceRecordSets!.map(r => [r.Name, r.Failover])).toEqual([
      ['wallet.payments.example.com.', 'PRIMARY'],
    ]);
    expect(wallet).toMatchObject({
      IsTruncated: true,
      NextRecordName: 'wallet.payments.example.com.',
      NextRecordType: 'A',
    });
    await expect(
      route53.send(
        new ListResourceRecordSetsCommand({ HostedZoneId: 'ZNOSUCHZONE' }),
      ),
    ).rejects.toBeInstanceOf(NoSuchHostedZone);
  });

  it('only the account that owns the zone sees it', async () => {
    const staging = new Route53Client(
      await assumedConfig(aws, '527160349821', GLOBAL),
    );
    expect(
      (await staging.send(new ListHostedZonesCommand({}))).HostedZones,
    ).toEqual([]);
  });

  it('throttles with Throttling, which the SDK retries, and denies with AccessDenied', async () => {
    aws.setFaults({ throttleNext: 1 });
    const output = await route53.send(new ListHostedZonesCommand({}));
    expect(output.$metadata.attempts).toBe(2);
    expect(aws.stats().operations['route53:ListHostedZones']).toMatchObject({
      throttled: 1,
      succeeded: 1,
    });
    aws.setFaults({ deny: [`prod/${GLOBAL}`] });
    await expect(
      route53.send(new ListHostedZonesCommand({})),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
  });
});
