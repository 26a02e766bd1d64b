import { TestDatabases } from '@backstage/backend-test-utils';
import {
  AwsLocal,
  backupJobMinutes,
  DemoEstate,
  newestBackupStart,
  startAwsLocal,
} from '@internal/aws-local';
import type { Route53Facts } from '@internal/dr-readiness-common';
import { FixedClock } from '@internal/platform-node';
import {
  CONTROL_OF_GAP,
  drStack,
  UNKNOWN_GAPS,
} from '../__testUtils__/fixtures';
import { recordDemoDrills } from './demoDrills';
import { recordDemoWaivers } from './demoWaivers';

/**
 * The demo's DR story, pinned at hard instants: the loopback endpoint, the scan and the reads
 * all run on one injected clock. Whatever the day and hour, the nine deliberate gaps fail,
 * ledger-writer passes everything, the unreadable secret is unknown, a waiver counts and an
 * expired one is listed, recovery points and restore tests sit inside or outside their windows
 * as the README says, and nothing passes without evidence.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const estate = DemoEstate.load({});
const PROD = estate.accounts.find(a => a.environment === 'production')!.id;
const [PRIMARY, RECOVERY] = estate.regions;

/** The tier-3 bucket whose twice-daily recovery point the 24-hour RPO check reads. */
const reportsBackup = estate.dr
  .scope(PROD, PRIMARY)
  .protectedResources.find(p => p.resource.service === 'regulatory-reporting')!;

/** The minute before and the minute after a backup of that bucket completes, on 2027-03-01. */
function aroundBackup(): string[] {
  const day = Date.parse('2027-03-01T12:00:00Z');
  const start = newestBackupStart(reportsBackup, day);
  const completes = start + backupJobMinutes(reportsBackup) * MINUTE;
  return [completes - MINUTE, completes + MINUTE].map(t =>
    new Date(t).toISOString(),
  );
}

const INSTANTS = [
  '2027-01-01T00:05:00Z',
  '2027-03-01T00:20:00Z',
  '2027-03-15T12:00:00Z',
  '2028-02-29T23:30:00Z',
  '2027-12-31T23:59:30Z',
  ...aroundBackup(),
];

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

describe.each(INSTANTS)('the DR demo at %s', instant => {
  const clock = new FixedClock(instant);
  const now = () => clock.now();
  let aws: AwsLocal;
  let stack: Awaited<ReturnType<typeof drStack>>;

  beforeAll(async () => {
    aws = await startAwsLocal({ estate, now });
    stack = await drStack(aws, await sqlite.init('SQLITE_3'), { now });
    await recordDemoWaivers(stack.store, stack.settings.demoWaivers, now());
    await recordDemoDrills(stack.store, stack.settings.demoDrills, now());
    await stack.scanner.scanAll();
  }, 60_000);

  afterAll(async () => {
    await aws?.close();
  });

  const detail = (name: string) =>
    stack.reader.detail(`component:default/${name}`);

  it('fails the control of each deliberate gap, and those services are not ready', async () => {
    const { rows } = await stack.reader.scorecard({});
    // A metric never published is no evidence: its gap is an error (next test), not a fail.
    const failing = aws.estate.drGaps.filter(g => !UNKNOWN_GAPS.has(g.kind));
    // The nine original gaps and the seven Route 53 / S3 ones at least; more as the estate grows.
    expect(failing.length).toBeGreaterThanOrEqual(16);
    for (const gap of failing) {
      const row = rows.find(r => r.name === gap.service)!;
      expect([
        gap.service,
        row.cells[CONTROL_OF_GAP[gap.kind]]?.status,
      ]).toEqual([gap.service, 'fail']);
      expect([gap.service, row.score.level]).not.toEqual([
        gap.service,
        'ready',
      ]);
    }
  });

  it('measures RPO from CloudWatch: lag over the tier-1 RPO fails, a store with no datapoints is unknown, the rest pass', async () => {
    const lagOf = async (service: string) =>
      (await detail(service)).results.find(
        r => r.controlId === 'replication-lag-within-rpo',
      )!;
    const slow = aws.estate.drGaps.find(
      g => g.kind === 'replication-lag-over-rpo',
    )!;
    const slowResult = await lagOf(slow.service);
    expect(slowResult.status).toBe('fail');
    expect(
      slowResult.resources.find(r => r.arn === slow.resourceArn)!.detail,
    ).toMatch(
      /^p99 (2\d|3[0-5]) min \(max .*\) vs RPO 15 min to eu-west-1, 2016 datapoints$/,
    );
    const missing = aws.estate.drGaps.find(
      g => g.kind === 'replication-metrics-missing',
    )!;
    const missingResult = await lagOf(missing.service);
    expect(missingResult.status).toBe('error');
    expect(
      missingResult.resources.find(r => r.arn === missing.resourceArn),
    ).toMatchObject({
      status: 'error',
      detail: expect.stringContaining(
        'no datapoints for AWS/S3 ReplicationLatency',
      ),
    });
    const ledger = await lagOf('ledger-writer');
    expect(ledger.status).toBe('pass');
    expect(ledger.calls.map(c => c.operation)).toContain('GetMetricData');
  });

  it("judges Route 53 failover on the records and the health checks' status in CloudWatch: disabled, inverted, misplaced and missing records fail, an alias on target health passes", async () => {
    const failover = async (service: string) =>
      (await detail(service)).results.find(
        r => r.controlId === 'route53-failover',
      )!;
    const expected: Record<string, string> = {
      'health-check-disabled':
        'of the PRIMARY A record is disabled: Route 53 considers it healthy whatever the endpoint does',
      'health-check-inverted': 'of the PRIMARY A record is inverted',
      'secondary-in-primary-region': `the SECONDARY A record points into ${PRIMARY}`,
      'no-secondary-record': 'no SECONDARY failover record',
    };
    for (const [kind, words] of Object.entries(expected)) {
      const gap = aws.estate.drGaps.find(g => g.kind === kind)!;
      const result = await failover(gap.service);
      expect([kind, result.status]).toEqual([kind, 'fail']);
      expect(result.summary).toContain(gap.hostname);
      expect(result.summary).toContain(words);
    }
    // An enabled PRIMARY check's status is read from CloudWatch in us-east-1, at the scan's
    // clock; a disabled one fails on its config.
    const payouts = await failover(
      aws.estate.drGaps.find(g => g.kind === 'secondary-in-primary-region')!
        .service,
    );
    const metricCall = payouts.calls.find(
      c => c.operation === 'GetMetricData',
    )!;
    expect(metricCall).toMatchObject({
      service: 'cloudwatch',
      region: 'us-east-1',
    });
    // The newest whole or partial minute before the scan's clock.
    const newestMinute = new Date(
      Math.ceil(Date.parse(metricCall.at) / MINUTE) * MINUTE - MINUTE,
    ).toISOString();
    const { healthChecks } = payouts.facts as Pick<
      Route53Facts,
      'healthChecks'
    >;
    expect(healthChecks.flatMap(c => (c.status ? [c.status] : []))).toEqual([
      {
        healthy: true,
        percentageHealthy: expect.any(Number),
        at: newestMinute,
      },
    ]);
    const wallet = await failover(
      aws.estate.drGaps.find(g => g.kind === 'health-check-disabled')!.service,
    );
    expect(wallet.calls.map(c => c.operation)).not.toContain('GetMetricData');
    const ledger = await failover('ledger-writer');
    expect(ledger.status).toBe('pass');
    expect(ledger.summary).toMatch(
      /^ledger\.payments\.example\.com fails over: PRIMARY A record with alias target .+ evaluated for health and a SECONDARY record in eu-west-1$/,
    );
  });

  it('judges S3 replication on GetBucketLocation and the rule: missing or same-region destinations, no RTC at tier 0 and a prefix filter fail', async () => {
    const expected: Record<string, string[]> = {
      'replication-destination-missing': ['does not exist', 'NoSuchBucket'],
      'replication-destination-same-region': [
        `replicates only within ${PRIMARY}, not to eu-west-1`,
      ],
      'replication-time-control-off': [
        "without S3 Replication Time Control: the tier's RPO of 1 min",
      ],
      'replication-prefix-filter': [
        "only the objects with prefix 'quotes/'",
        'delete markers not replicated',
      ],
    };
    for (const [kind, words] of Object.entries(expected)) {
      const gap = aws.estate.drGaps.find(g => g.kind === kind)!;
      const result = (await detail(gap.service)).results.find(
        r => r.controlId === 's3-replication',
      )!;
      expect([kind, result.status]).toEqual([kind, 'fail']);
      const bucket = result.resources.find(r => r.arn === gap.resourceArn)!;
      expect([kind, bucket.status]).toEqual([kind, 'fail']);
      for (const word of words) expect(bucket.detail).toContain(word);
      expect(result.calls.map(c => c.operation)).toContain('GetBucketLocation');
    }
  });

  it('passes ledger-writer on every applicable control: ready at 100 %', async () => {
    const ledger = await detail('ledger-writer');
    expect(
      ledger.results
        .filter(r => r.status !== 'pass' && r.status !== 'not_applicable')
        .map(r => `${r.controlId}=${r.status}`),
    ).toEqual([]);
    expect(ledger.score).toMatchObject({
      score: 1,
      level: 'ready',
      incomplete: false,
    });
  });

  it("judges DynamoDB replicas, PITR windows, multi-Region keys and RDS instances on AWS's own states", async () => {
    const resultOf = async (gapOrService: string, controlId: string) => {
      const gap = aws.estate.drGaps.find(g => g.kind === gapOrService);
      const result = (await detail(gap?.service ?? gapOrService)).results.find(
        r => r.controlId === controlId,
      )!;
      const resource = gap
        ? result.resources.find(r => r.arn === gap.resourceArn)
        : undefined;
      return { result, resource, gap };
    };
    // Only ACTIVE replicas count; the others are named with their status.
    for (const [kind, status] of [
      ['replica-creating', 'CREATING'],
      ['replica-inaccessible-key', 'INACCESSIBLE_ENCRYPTION_CREDENTIALS'],
    ]) {
      const { result, resource } = await resultOf(
        kind,
        'dynamodb-global-table',
      );
      expect([kind, result.status, resource?.status]).toEqual([
        kind,
        'fail',
        'fail',
      ]);
      expect(resource!.detail).toContain(`${RECOVERY} is ${status}`);
    }
    // PITR on, but its recovery period is shorter than the tier's retention.
    const pitr = await resultOf('pitr-short-window', 'dynamodb-pitr');
    expect(pitr.result.status).toBe('fail');
    expect(pitr.resource!.detail).toMatch(/recovery period 7 days; tier-1/);
    // A version 2017.11.29 global table is read through DescribeGlobalTable, and passes.
    const [legacyService] = estate.seed.dr.legacyGlobalTables;
    const legacy = await resultOf(legacyService, 'dynamodb-global-table');
    expect(legacy.result.status).toBe('pass');
    expect(
      legacy.result.resources.find(r => r.status === 'pass')!.detail,
    ).toContain('2017.11.29');
    expect(legacy.result.calls.map(c => c.operation)).toContain(
      'DescribeGlobalTable',
    );
    // A multi-Region key whose primary lives in the recovery region passes; a replica key
    // PendingDeletion does not count.
    const [flippedService] = estate.seed.dr.keyPrimaryInRecoveryRegion;
    const flipped = await resultOf(flippedService, 'kms-multi-region');
    expect(flipped.result.status).toBe('pass');
    expect(flipped.result.resources.map(r => r.detail)).toContain(
      `multi-Region key: primary key in ${RECOVERY} is Enabled`,
    );
    const pending = await resultOf(
      'replica-key-pending-deletion',
      'kms-multi-region',
    );
    expect(pending.result.status).toBe('fail');
    expect(pending.resource!.detail).toContain(
      `replica key in ${RECOVERY} is PendingDeletion`,
    );
    // A plain RDS instance is discovered and judged beside the Aurora clusters.
    const singleAz = await resultOf('single-az-instance', 'rds-multi-az');
    expect(singleAz.result.status).toBe('fail');
    expect(singleAz.resource).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('single-AZ instance'),
    });
    const instanceBackups = await resultOf(
      'single-az-instance',
      'rds-backup-cross-region',
    );
    expect(instanceBackups.resource).toMatchObject({
      status: 'pass',
      detail: `automated backups replicated to ${RECOVERY}`,
    });
    // A global cluster is replication, not a backup.
    const noCopy = await resultOf(
      'no-cross-region-backup',
      'rds-backup-cross-region',
    );
    expect(noCopy.result.status).toBe('fail');
    expect(noCopy.resource!.detail).toContain('is replication, not a backup');
  });

  it('reads AWS Backup for real: plan membership, recovery point status and encryption, vault lock, plan frequency, failed and unvalidated restores', async () => {
    const backupResult = async (kind: string, controlId: string) => {
      const gap = aws.estate.drGaps.find(g => g.kind === kind)!;
      const result = (await detail(gap.service)).results.find(
        r => r.controlId === controlId,
      )!;
      const resource = result.resources.find(r => r.arn === gap.resourceArn);
      return { status: result.status, resource };
    };
    const expectFail = async (
      kind: string,
      controlId: string,
      expected: RegExp,
    ) => {
      const { status, resource } = await backupResult(kind, controlId);
      expect([kind, status, resource?.status]).toEqual([kind, 'fail', 'fail']);
      expect(resource!.detail).toMatch(expected);
    };
    // Recovery points from an old plan (ListProtectedResources lists it) do not make it protected.
    await expectFail(
      'recovery-points-without-plan',
      'backup-protected',
      /has recovery points \(last backup [^)]+\) but no backup plan's selection covers it/,
    );
    await expectFail(
      'recovery-point-unencrypted',
      'backup-recovery-point-encrypted',
      /not encrypted: /,
    );
    await expectFail(
      'recovery-point-partial',
      'backup-recovery-point-age',
      /is PARTIAL, not COMPLETED; the newest COMPLETED one is/,
    );
    await expectFail(
      'vault-not-locked',
      'backup-vault-locked',
      /payments-standard-eu-west-2 has no Vault Lock/,
    );
    await expectFail(
      'backup-frequency-too-low',
      'backup-plan-frequency-retention',
      /runs every 12 h/,
    );
    await expectFail(
      'restore-failed',
      'backup-restore-tested',
      new RegExp(`in ${PROD}/${RECOVERY} is FAILED`),
    );
    await expectFail(
      'restore-unvalidated',
      'backup-restore-tested',
      /completed but its validation is FAILED/,
    );
    // ledger-writer's restore tests run in the recovery region, from the copies there: they count.
    const ledger = await detail('ledger-writer');
    const restore = ledger.results.find(
      r => r.controlId === 'backup-restore-tested',
    )!;
    const primary = (r: {
      resources: Array<{ region: string; detail: string }>;
    }) => r.resources.find(x => x.region === PRIMARY)!;
    expect(restore.status).toBe('pass');
    expect(primary(restore).detail).toContain(
      `in ${PROD}/${RECOVERY} by restore testing plan`,
    );
    // An Aurora restore's time leaves out its DB instances: said, not hidden.
    expect(primary(restore).detail).toContain('at least');
    for (const id of [
      'backup-plan-frequency-retention',
      'backup-recovery-point-age',
      'backup-copy-cross-region',
    ]) {
      const result = ledger.results.find(r => r.controlId === id)!;
      expect([id, result.status]).toEqual([id, 'pass']);
      expect(primary(result).detail).toContain(
        'no backup can meet a 1 min RPO',
      );
    }
  });

  it('shows ready, partial and not-ready services, and an unknown result where the scan may not read', async () => {
    const { rows } = await stack.reader.scorecard({});
    const levels = new Set(rows.map(r => r.score.level));
    for (const level of ['ready', 'partial', 'not-ready'])
      expect([...levels]).toContain(level);
    for (const unreadable of aws.estate.dr.unreadable) {
      const service = await detail(unreadable.service);
      const secrets = service.results.find(
        r => r.controlId === 'secrets-replicated',
      )!;
      expect(secrets.status).toBe('error');
      expect(secrets.resources).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            arn: unreadable.resourceArn,
            status: 'error',
          }),
        ]),
      );
      expect(secrets.resources.filter(r => r.status === 'pass')).toEqual([]);
      expect(service.score.incomplete).toBe(true);
      expect(service.score.level).not.toBe('ready');
    }
    expect(aws.estate.dr.unreadable.length).toBeGreaterThan(0);
  });

  it('judges each service on the stores the catalog declares: an untagged one fails as not found, a shared one is judged, none at all is unknown', async () => {
    // wallet-aurora lost its tags (dr.gaps untagged-store): no silent drop-out.
    const wallet = await detail('wallet-balance-service');
    for (const id of ['rds-global-or-replica', 'rds-multi-az']) {
      const result = wallet.results.find(r => r.controlId === id)!;
      expect([id, result.status]).toEqual([id, 'fail']);
      expect(result.summary).toContain(
        'declared in the catalog is not found tagged service=wallet-balance-service in any scanned account/region: wallet-aurora',
      );
      expect(result.resources).toContainEqual(
        expect.objectContaining({
          arn: 'resource:default/wallet-aurora',
          status: 'fail',
        }),
      );
    }
    expect(wallet.score.level).not.toBe('ready');

    // card-settlement-batch reads the card authorisation cluster, tagged with its owner.
    const settlement = await detail('card-settlement-batch');
    const aurora = aws.estate.resources.find(
      r =>
        r.store === 'card-authorisation-aurora' &&
        r.accountId === PROD &&
        r.role === 'primary',
    )!;
    const retention = settlement.results.find(
      r => r.controlId === 'rds-backup-retention',
    )!;
    expect(retention.resources).toContainEqual(
      expect.objectContaining({ arn: aurora.arn }),
    );
    expect(retention.summary).not.toContain('not found');

    // fx-rates-service's scratch bucket is tagged with it but declared by no Resource: shown.
    const rates = await detail('fx-rates-service');
    const versioning = rates.results.find(
      r => r.controlId === 's3-versioning',
    )!;
    expect(versioning.resources).toContainEqual(
      expect.objectContaining({
        arn: `arn:aws:s3:::fx-rates-service-scratch-prod-${PROD}`,
        detail: expect.stringContaining(
          "not declared in the catalog: add it to the Component's dependsOn",
        ),
      }),
    );

    // wallet-onboarding declares no store and has none: recovery is not shown, so not ready.
    const onboarding = await detail('wallet-onboarding');
    expect(onboarding.score.level).toBe('unknown');
    expect(onboarding.score.reasons[0]).toMatch(
      /^No data store found: tier tier-2/,
    );
  });

  it('never passes a control without facts and the AWS calls they came from, stamped with the scan clock', async () => {
    const { rows } = await stack.reader.scorecard({});
    const scan = (await stack.store.lastScheduledScan())!;
    expect(scan.startedAt).toBe(new Date(instant).toISOString());
    for (const row of rows) {
      const { results } = await detail(row.name);
      for (const result of results) {
        for (const call of result.calls) expect(call.at).toBe(scan.startedAt);
        if (result.status !== 'pass') continue;
        // A drill is recorded in the DR plugin, not read from AWS: its record is the evidence.
        const facts = (result.facts ?? {}) as {
          drill?: { id?: string; recordedBy?: string };
        };
        const evidenced =
          result.controlId === 'failover-drill-within-rto'
            ? Boolean(facts.drill?.id && facts.drill?.recordedBy)
            : result.calls.length > 0 && Object.keys(facts).length > 0;
        expect([row.name, result.controlId, evidenced]).toEqual([
          row.name,
          result.controlId,
          true,
        ]);
      }
    }
  });

  it("measures ledger-writer's RTO from its recent drill and fails fx-rates-service's drill as older than tier-1's window", async () => {
    const drillResult = async (name: string) =>
      (await detail(name)).results.find(
        r => r.controlId === 'failover-drill-within-rto',
      )!;
    const ledger = await drillResult('ledger-writer');
    expect(ledger.status).toBe('pass');
    expect(ledger.summary).toContain('took 12 min');
    const fx = await drillResult('fx-rates-service');
    expect(fx.status).toBe('fail');
    expect(fx.summary).toContain("older than the tier's 180-day drill window");
    expect((await detail('fx-rates-service')).measuredRto).toMatchObject({
      ageDays: 200,
      withinWindow: false,
    });
    expect((await drillResult('wallet-balance-service')).summary).toBe(
      'No failover drill recorded for wallet-balance-service',
    );
  });

  it('holds the tier-3 recovery point within its 24-hour RPO, and the unprotected bucket outside it', async () => {
    const reports = await detail('regulatory-reporting');
    const age = reports.results.find(
      r => r.controlId === 'backup-recovery-point-age',
    )!;
    expect(age.status).toBe('pass');
    const minutes: number[] = (age.facts as any).resources
      .map((r: { ageMinutes?: number }) => r.ageMinutes)
      .filter((m: unknown) => typeof m === 'number');
    expect(minutes.length).toBeGreaterThan(0);
    expect(Math.max(...minutes)).toBeLessThanOrEqual(24 * 60);
    const settlement = await detail('card-settlement-batch');
    expect(
      settlement.results.find(r => r.controlId === 'backup-recovery-point-age')!
        .status,
    ).toBe('fail');
  });

  it('finds restore tests inside their tier windows, and fx-quote-engine outside its 30 days', async () => {
    const ledger = await detail('ledger-writer');
    expect(
      ledger.results.find(r => r.controlId === 'backup-restore-tested')!.status,
    ).toBe('pass');
    const quotes = await detail('fx-quote-engine');
    const restore = quotes.results.find(
      r => r.controlId === 'backup-restore-tested',
    )!;
    expect(restore.status).toBe('fail');
  });

  it('counts the demo waiver recorded relative to the clock, and lists the expired one without counting it', async () => {
    const settlement = await detail('card-settlement-batch');
    const waived = settlement.results.find(
      r => r.controlId === 'backup-restore-tested',
    )!;
    expect(waived.status).toBe('fail');
    expect(Date.parse(waived.waiver!.expiresAt)).toBeGreaterThan(
      clock.now().getTime(),
    );
    expect(settlement.score.weights.waived).toBeGreaterThan(0);

    const vault = await detail('card-tokenisation-vault');
    const expired = vault.waivers.filter(
      w => Date.parse(w.expiresAt) <= clock.now().getTime(),
    );
    expect(expired.map(w => w.controlId)).toEqual(['dynamodb-pitr']);
    expect(
      vault.results.find(r => r.controlId === 'dynamodb-pitr')!.waiver,
    ).toBeUndefined();
    expect(vault.score.weights.waived).toBe(0);
  });

  it('keeps score history per scan time, and keeps one waiver counting as the days go by', async () => {
    const ref = 'component:default/card-settlement-batch';
    const first = (await stack.store.lastScheduledScan())!;
    for (const days of [6, 6, 6]) {
      clock.advance(days * 24 * HOUR);
      await recordDemoWaivers(stack.store, stack.settings.demoWaivers, now());
      await stack.scanner.scanAll();
      const settlement = await stack.reader.detail(ref);
      expect(
        settlement.results.find(r => r.controlId === 'backup-restore-tested')!
          .waiver,
      ).toBeDefined();
    }
    const history = await stack.reader.history(ref);
    expect(history.points.map(p => p.at)).toEqual(
      [0, 6, 12, 18].map(days =>
        new Date(Date.parse(first.startedAt) + days * 24 * HOUR).toISOString(),
      ),
    );
    // One expired demo waiver, recorded once; the active one renewed before it lapsed.
    const waivers = (await stack.reader.detail(ref)).waivers;
    expect(waivers.length).toBeGreaterThanOrEqual(1);
    expect(
      (await stack.reader.detail('component:default/card-tokenisation-vault'))
        .waivers,
    ).toHaveLength(1);
  }, 60_000);
});
