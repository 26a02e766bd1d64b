import { TestDatabases } from '@backstage/backend-test-utils';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import { canonicalJson, resultEvidence } from '@internal/dr-readiness-node';
import { createHash } from 'node:crypto';
import {
  CONTROL_OF_GAP,
  UNKNOWN_GAPS,
  drStack,
  runningClock,
} from '../__testUtils__/fixtures';
import { recordDemoDrills } from './demoDrills';
import { DrReader } from './DrReader';

const databases = TestDatabases.create({
  ids: [
    'POSTGRES_18',
    'POSTGRES_17',
    'POSTGRES_16',
    'POSTGRES_15',
    'POSTGRES_14',
    'SQLITE_3',
  ],
});
const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'a DR scan of the demo estate, stored on %s',
  databaseId => {
    let aws: AwsLocal;
    let stack: Awaited<ReturnType<typeof drStack>>;
    // A year boundary just after midnight UTC; AWS, the scan and the reads share the clock.
    const now = runningClock('2027-01-01T00:05:00Z');

    beforeAll(async () => {
      aws = await startAwsLocal({ now });
      stack = await drStack(aws, await databases.init(databaseId), { now });
      // The demo's failover drills (measured RTO), as the scheduled scan records them.
      await recordDemoDrills(stack.store, stack.settings.demoDrills, now());
      await stack.scanner.scanAll();
    }, 60_000);

    afterAll(async () => {
      await aws?.close();
    });

    it('fails exactly the control each deliberate gap breaks, for the service that has it', async () => {
      const scorecard = await stack.reader.scorecard({});
      expect(aws.estate.drGaps.length).toBeGreaterThanOrEqual(6);
      for (const gap of aws.estate.drGaps) {
        const row = scorecard.rows.find(r => r.name === gap.service)!;
        const control = CONTROL_OF_GAP[gap.kind];
        expect({
          gap: gap.kind,
          service: gap.service,
          status: row.cells[control]?.status,
        }).toEqual({
          gap: gap.kind,
          service: gap.service,
          status: UNKNOWN_GAPS.has(gap.kind) ? 'error' : 'fail',
        });
        expect(row.score.level).not.toBe('ready');
        expect(row.score.reasons.join('\n')).toContain(
          row.cells[control].summary,
        );
      }
    });

    it('scores the one service without gaps as ready, with no failing or unknown control', async () => {
      const detail = await stack.reader.detail(
        'component:default/ledger-writer',
      );
      expect(detail.tier.id).toBe('tier-0');
      expect(detail.score).toMatchObject({
        score: 1,
        level: 'ready',
        incomplete: false,
      });
      expect(
        detail.results.filter(r => r.status === 'fail' || r.status === 'error'),
      ).toEqual([]);
      expect(
        detail.results.filter(r => r.status === 'pass').length,
      ).toBeGreaterThan(5);
    });

    it('keeps evidence an auditor can re-hash: the API calls made and a SHA-256 over the facts', async () => {
      const detail = await stack.reader.detail(
        'component:default/card-tokenisation-vault',
      );
      const pitr = detail.results.find(r => r.controlId === 'dynamodb-pitr')!;
      expect(pitr.status).toBe('fail');
      expect(pitr.fix).toBeTruthy();
      expect(pitr.calls.map(c => `${c.service}:${c.operation}`)).toContain(
        'dynamodb:DescribeContinuousBackups',
      );
      for (const call of pitr.calls) {
        expect(call.accountId).toMatch(/^\d{12}$/);
        expect(call.requestId).toBeTruthy();
        expect(Date.parse(call.at)).not.toBeNaN();
      }
      const pack = await stack.reader.evidence(
        { entityRef: detail.entityRef },
        'user:default/auditor',
      );
      const record = pack.records.find(r => r.controlId === 'dynamodb-pitr')!;
      const document = resultEvidence({
        entityRef: record.entityRef,
        tier: record.tier,
        result: {
          controlId: record.controlId,
          status: record.status,
          summary: record.summary,
          facts: record.facts,
          calls: record.calls,
          resources: [],
        },
        scanId: record.scanId,
        scannedAt: record.scannedAt,
      });
      expect(
        createHash('sha256').update(canonicalJson(document)).digest('hex'),
      ).toBe(record.evidenceHash);
      // Change one fact and the hash no longer matches.
      const tampered = { ...document, status: 'pass' };
      expect(
        createHash('sha256').update(canonicalJson(tampered)).digest('hex'),
      ).not.toBe(record.evidenceHash);
    });

    it('rescans one service with far fewer calls, moves its history on, and leaves the others alone', async () => {
      const before = await stack.reader.scorecard({});
      const other = before.rows.find(r => r.name === 'ledger-writer')!;
      const vault = stack.services.find(
        s => s.name === 'card-tokenisation-vault',
      )!;
      const fullScan = (await stack.store.lastScheduledScan())!;
      const rescan = await stack.scanner.rescan(vault);
      const total = (calls: Record<string, number>) =>
        Object.values(calls).reduce((a, b) => a + b, 0);
      expect(rescan).toMatchObject({
        trigger: 'rescan',
        entityRef: vault.entityRef,
        status: 'completed',
        servicesScanned: 1,
      });
      expect(total(rescan.calls)).toBeLessThan(total(fullScan.calls));
      const history = await stack.reader.history(vault.entityRef);
      expect(history.points.map(p => p.scanId)).toEqual([
        fullScan.id,
        rescan.id,
      ]);
      const after = await stack.reader.scorecard({});
      expect(after.rows.find(r => r.name === 'ledger-writer')!.scannedAt).toBe(
        other.scannedAt,
      );
      expect(after.rows.find(r => r.name === vault.name)!.scannedAt).not.toBe(
        before.rows.find(r => r.name === vault.name)!.scannedAt,
      );
    });

    it("describes only what a service's tier has controls for: no KMS or Secrets Manager calls for tier-3", async () => {
      const tier3 = stack.services.find(s => s.tier === 'tier-3')!;
      const tier0 = stack.services.find(s => s.name === 'ledger-writer')!;
      const low = await stack.scanner.rescan(tier3);
      const high = await stack.scanner.rescan(tier0);
      expect(low.calls['kms:DescribeKey'] ?? 0).toBe(0);
      expect(low.calls['secretsmanager:DescribeSecret'] ?? 0).toBe(0);
      expect(high.calls['kms:DescribeKey']).toBeGreaterThan(0);
      expect(high.calls['secretsmanager:DescribeSecret']).toBeGreaterThan(0);
    });

    it('counts a waived control out of the score until the waiver expires or is revoked', async () => {
      const ref = 'component:default/card-tokenisation-vault';
      const before = (await stack.reader.detail(ref)).score;
      const waiver = await stack.store.addWaiver({
        entityRef: ref,
        controlId: 'dynamodb-pitr',
        reason:
          'Vault table is rebuilt from the HSM journal; PITR replaced by journal replay until Q1.',
        status: 'approved',
        approver: 'user:default/risk.officer',
        approvedAt: now().toISOString(),
        expiresAt: new Date(now().getTime() + 7 * 86_400_000).toISOString(),
        createdBy: 'user:default/platform.lead',
        createdAt: now().toISOString(),
      });
      const waived = await stack.reader.detail(ref);
      expect(waived.score.score!).toBeGreaterThan(before.score!);
      expect(waived.score.weights.waived).toBeGreaterThan(0);
      expect(
        waived.results.find(r => r.controlId === 'dynamodb-pitr'),
      ).toMatchObject({ status: 'fail', waiver: { id: waiver.id } });

      const eightDaysOn = () => new Date(now().getTime() + 8 * 86_400_000);
      const later = new DrReader({
        store: stack.store,
        services: async () => stack.services,
        settings: stack.settings,
        now: eightDaysOn,
      });
      const expiredView = await later.detail(ref);
      expect(expiredView.score.score).toBe(before.score);
      expect(expiredView.waivers.map(w => w.id)).toContain(waiver.id);

      await stack.store.revokeWaiver(
        ref,
        waiver.id,
        'user:default/risk.officer',
        now(),
      );
      const revoked = await stack.reader.detail(ref);
      expect(revoked.score.score).toBe(before.score);
      expect(revoked.waivers.find(w => w.id === waiver.id)?.revokedBy).toBe(
        'user:default/risk.officer',
      );
    });
  },
);

describe('a DR scan when AWS misbehaves', () => {
  let aws: AwsLocal;
  // A leap day's last half hour; each test's stack and the endpoint share it.
  let now: () => Date;

  beforeEach(async () => {
    now = runningClock('2028-02-29T23:30:00Z');
    aws = await startAwsLocal({ now });
  });

  afterEach(async () => {
    await aws?.close();
  });

  it('reports a region it may not read as a gap, and still scores what it could read', async () => {
    const production = aws.estate.accounts.find(
      a => a.environment === 'production',
    )!;
    const stack = await drStack(aws, await sqlite.init('SQLITE_3'), { now });
    aws.setFaults({ deny: [{ account: production.id, region: 'eu-west-1' }] });
    const scan = await stack.scanner.scanAll();
    expect(scan.status).toBe('completed');
    expect(scan.gaps).toEqual([
      expect.objectContaining({
        accountId: production.id,
        region: 'eu-west-1',
        operation: 'tagging:GetResources',
        code: 'AccessDeniedException',
      }),
    ]);
    // What passed on what was read is unknown: the ledger may have more in eu-west-1.
    const ledger = await stack.reader.detail('component:default/ledger-writer');
    const multiAz = ledger.results.find(r => r.controlId === 'rds-multi-az')!;
    expect(multiAz.status).toBe('error');
    expect(multiAz.summary).toContain(
      `could not list resources in ${production.id}/eu-west-1: AccessDeniedException`,
    );
    expect(ledger.score.incomplete).toBe(true);
    expect(ledger.score.level).not.toBe('ready');
    const scorecard = await stack.reader.scorecard({});
    expect(scorecard.lastScan?.gaps).toHaveLength(1);
    expect(scorecard.rows.every(r => r.scannedAt)).toBe(true);
  });

  it('rides out throttling through the SDK retries, with nothing missing', async () => {
    const stack = await drStack(aws, await sqlite.init('SQLITE_3'), { now });
    // Six throttles spread over the first calls: each is retried (5 attempts) and succeeds.
    await recordDemoDrills(stack.store, stack.settings.demoDrills, now());
    aws.setFaults({ throttleNext: 6 });
    const scan = await stack.scanner.scanAll();
    expect(scan.gaps).toEqual([]);
    const throttled = Object.values(aws.stats().operations).reduce(
      (sum, op: any) => sum + (op.throttled ?? 0),
      0,
    );
    expect(throttled).toBe(6);
    const ledger = await stack.reader.detail('component:default/ledger-writer');
    expect(ledger.score.level).toBe('ready');
  }, 60_000);

  it('stops a scan whose replica shuts down: interrupted, nothing of it stored, the last results kept', async () => {
    const stack = await drStack(aws, await sqlite.init('SQLITE_3'), { now });
    const first = await stack.scanner.scanAll();
    aws.resetStats();
    aws.setFaults({ latencyMs: 50 });
    try {
      const stop = new AbortController();
      const scanning = stack.scanner.scanAll(stop.signal);
      while (aws.stats().totalCalls < 5)
        await new Promise(resolve => setTimeout(resolve, 10));
      stop.abort();
      await expect(scanning).rejects.toThrow(/abort/i);
    } finally {
      aws.setFaults({ latencyMs: 0 });
    }
    const [stopped] = await stack.store.scans(1);
    expect(stopped).toMatchObject({
      trigger: 'scheduled',
      status: 'interrupted',
      finishedAt: expect.any(String),
    });
    const history = await stack.reader.history(
      'component:default/ledger-writer',
    );
    expect(history.points.map(p => p.scanId)).toEqual([first.id]);
  });

  it('marks every earlier scheduled scan still running as interrupted, but not a rescan another replica may be running', async () => {
    const stack = await drStack(aws, await sqlite.init('SQLITE_3'), { now });
    const aMinuteAgo = new Date(now().getTime() - 60_000);
    const dead = await stack.store.startScan({
      trigger: 'scheduled',
      startedAt: aMinuteAgo,
    });
    const rescan = await stack.store.startScan({
      trigger: 'rescan',
      entityRef: 'component:default/ledger-writer',
      startedAt: aMinuteAgo,
    });
    await stack.scanner.scanAll();
    expect((await stack.store.scan(dead))?.status).toBe('interrupted');
    expect((await stack.store.scan(rescan))?.status).toBe('running');
  });

  it('marks a scan whose process stopped as interrupted, and keeps the last complete results', async () => {
    const stack = await drStack(aws, await sqlite.init('SQLITE_3'), { now });
    const first = await stack.scanner.scanAll();
    const orphan = await stack.store.startScan({
      trigger: 'scheduled',
      startedAt: new Date(now().getTime() - 2 * 3600_000),
    });
    const second = await stack.scanner.scanAll();
    expect((await stack.store.scan(orphan))?.status).toBe('interrupted');
    expect(second.status).toBe('completed');
    const history = await stack.reader.history(
      'component:default/ledger-writer',
    );
    expect(history.points.map(p => p.scanId)).toEqual([first.id, second.id]);
  });
});
