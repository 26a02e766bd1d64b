import { TestDatabases } from '@backstage/backend-test-utils';
import {
  AwsLocal,
  backupJobMinutes,
  DemoEstate,
  newestBackupStart,
  startAwsLocal,
} from '@internal/aws-local';
import { FixedClock } from '@internal/platform-node';
import { CONTROL_OF_GAP, drStack } from '../__testUtils__/fixtures';
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
const [PRIMARY] = estate.regions;

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
    await stack.scanner.scanAll();
  }, 60_000);

  afterAll(async () => {
    await aws?.close();
  });

  const detail = (name: string) =>
    stack.reader.detail(`component:default/${name}`);

  it('fails the control of each of the nine deliberate gaps, and those services are not ready', async () => {
    const { rows } = await stack.reader.scorecard({});
    expect(aws.estate.drGaps).toHaveLength(9);
    for (const gap of aws.estate.drGaps) {
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

  it('never passes a control without facts and the AWS calls they came from, stamped with the scan clock', async () => {
    const { rows } = await stack.reader.scorecard({});
    const scan = (await stack.store.lastScheduledScan())!;
    expect(scan.startedAt).toBe(new Date(instant).toISOString());
    for (const row of rows) {
      const { results } = await detail(row.name);
      for (const result of results) {
        for (const call of result.calls) expect(call.at).toBe(scan.startedAt);
        if (result.status !== 'pass') continue;
        expect([row.name, result.controlId, result.calls.length > 0]).toEqual([
          row.name,
          result.controlId,
          true,
        ]);
        expect(result.facts).toBeTruthy();
        expect(Object.keys(result.facts as object).length).toBeGreaterThan(0);
      }
    }
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
