import { TestDatabases } from '@backstage/backend-test-utils';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import knexFactory, { Knex } from 'knex';
import { drStack, runningClock } from '../__testUtils__/fixtures';

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
const VAULT = 'component:default/card-tokenisation-vault';
const HOUR = 3600_000;

describe.each(databases.eachSupportedId())(
  'the scorecard kept between reads, on %s',
  databaseId => {
    let aws: AwsLocal;
    let replicaKnex: Knex | undefined;
    /** The replica answering reads, on a clock the tests move. */
    let reader: Awaited<ReturnType<typeof drStack>>;
    /** Another replica on the same database: it scans and records waivers. */
    let writer: Awaited<ReturnType<typeof drStack>>;
    // The reader's clock, moved by the tests; the writer's runs on from the same instant (the 15th, noon UTC).
    const START = '2027-03-15T12:00:00Z';
    let clock = Date.parse(START);
    const writerNow = runningClock(START);

    beforeAll(async () => {
      aws = await startAwsLocal({ now: writerNow });
      const knex = await databases.init(databaseId);
      // On PostgreSQL the other replica has its own connections; SQLite in memory is one connection's database.
      replicaKnex = databaseId.startsWith('POSTGRES')
        ? knexFactory(knex.client.config)
        : undefined;
      reader = await drStack(aws, knex, { now: () => new Date(clock) });
      writer = await drStack(aws, replicaKnex ?? knex, { now: writerNow });
      await writer.scanner.scanAll();
    }, 60_000);

    afterAll(async () => {
      await replicaKnex?.destroy();
      await aws?.close();
    });

    const vaultRow = async () =>
      (await reader.reader.scorecard({})).rows.find(
        r => r.entityRef === VAULT,
      )!;
    const waive = (expiresAt: Date) =>
      writer.store.addWaiver({
        entityRef: VAULT,
        controlId: 'dynamodb-pitr',
        reason:
          'Vault table is rebuilt from the HSM journal until PITR lands in Q1.',
        status: 'approved',
        approver: 'user:default/risk.officer',
        approvedAt: new Date(clock).toISOString(),
        expiresAt: expiresAt.toISOString(),
        createdBy: 'user:default/platform.lead',
        createdAt: new Date(clock).toISOString(),
      });

    it('works the scorecard out once per version of the data, whatever the number of reads', async () => {
      await reader.reader.scorecard({});
      const cells = jest.spyOn(reader.store, 'latestCells');
      const trends = jest.spyOn(reader.store, 'trendPoints');
      const waivers = jest.spyOn(reader.store, 'waivers');
      const version = jest.spyOn(reader.store, 'scorecardVersion');
      try {
        const reads = await Promise.all([
          reader.reader.scorecard({}),
          reader.reader.scorecard({ tier: 'tier-0' }),
          reader.reader.scorecard({}),
        ]);
        expect(reads[0].rows).toHaveLength(reader.services.length);
        expect(new Set(reads[1].rows.map(r => r.tier))).toEqual(
          new Set(['tier-0']),
        );
        expect(version).toHaveBeenCalledTimes(3);
        expect([
          cells.mock.calls.length,
          trends.mock.calls.length,
          waivers.mock.calls.length,
        ]).toEqual([0, 0, 0]);

        // A waiver recorded elsewhere: the next reads rescore once, without reading the scans' results again.
        const waiver = await waive(new Date(clock + 30 * 24 * HOUR));
        await Promise.all([
          reader.reader.scorecard({}),
          reader.reader.scorecard({}),
        ]);
        expect([
          cells.mock.calls.length,
          trends.mock.calls.length,
          waivers.mock.calls.length,
        ]).toEqual([0, 0, 1]);
        await writer.store.revokeWaiver(
          VAULT,
          waiver.id,
          'user:default/risk.officer',
          new Date(clock),
        );
      } finally {
        jest.restoreAllMocks();
      }
    });

    it('shows a scan another replica completed at the very next read', async () => {
      const before = await vaultRow();
      const service = writer.services.find(s => s.entityRef === VAULT)!;
      const rescan = await writer.scanner.rescan(service);
      const after = await vaultRow();
      expect(after.scannedAt).not.toBe(before.scannedAt);
      expect(after.trend).toHaveLength(before.trend.length + 1);
      expect(after.trend[after.trend.length - 1]).toEqual({
        at: after.scannedAt,
        score: after.score.score,
      });

      const scan = await writer.scanner.scanAll();
      const scorecard = await reader.reader.scorecard({});
      expect(scorecard.lastScan?.id).toBe(scan.id);
      expect(
        scorecard.rows.find(r => r.entityRef === VAULT)!.scannedAt,
      ).not.toBe(after.scannedAt);
      expect(rescan.id).not.toBe(scan.id);
    });

    it('shows a waiver another replica records or revokes at the very next read', async () => {
      const before = await vaultRow();
      expect(before.cells['dynamodb-pitr']).toMatchObject({
        status: 'fail',
        waiver: undefined,
      });
      const waiver = await waive(new Date(clock + 7 * 24 * HOUR));
      const waived = await vaultRow();
      expect(waived.cells['dynamodb-pitr'].waiver).toEqual({
        id: waiver.id,
        reason: waiver.reason,
        approver: waiver.approver,
        expiresAt: waiver.expiresAt,
      });
      expect(waived.score.score!).toBeGreaterThan(before.score.score!);

      await writer.store.revokeWaiver(
        VAULT,
        waiver.id,
        'user:default/risk.officer',
        new Date(clock),
      );
      const revoked = await vaultRow();
      expect(revoked.cells['dynamodb-pitr'].waiver).toBeUndefined();
      expect(revoked.score).toEqual(before.score);
    });

    it('does not count a requested waiver, and counts it from the very next read once another replica approves it', async () => {
      const before = await vaultRow();
      const requested = await writer.store.addWaiver({
        entityRef: VAULT,
        controlId: 'dynamodb-pitr',
        reason:
          'Vault table is rebuilt from the HSM journal until PITR lands in Q1.',
        status: 'requested',
        expiresAt: new Date(clock + 7 * 24 * HOUR).toISOString(),
        createdBy: 'user:default/platform.lead',
        createdAt: new Date(clock).toISOString(),
      });
      const waiting = await vaultRow();
      expect(waiting.cells['dynamodb-pitr'].waiver).toBeUndefined();
      expect(waiting.score).toEqual(before.score);

      const approved = await writer.store.approveWaiver(
        VAULT,
        requested.id,
        'user:default/risk.officer',
        new Date(clock),
      );
      expect(approved).toMatchObject({
        status: 'approved',
        approver: 'user:default/risk.officer',
      });
      const waived = await vaultRow();
      expect(waived.cells['dynamodb-pitr'].waiver).toEqual({
        id: requested.id,
        reason: requested.reason,
        approver: 'user:default/risk.officer',
        expiresAt: requested.expiresAt,
      });
      expect(waived.score.score!).toBeGreaterThan(before.score.score!);
      await writer.store.revokeWaiver(
        VAULT,
        requested.id,
        'user:default/risk.officer',
        new Date(clock),
      );
    });

    it('stops counting a waiver once it has expired, with nothing written', async () => {
      const before = await vaultRow();
      const waiver = await waive(new Date(clock + HOUR));
      expect((await vaultRow()).cells['dynamodb-pitr'].waiver?.id).toBe(
        waiver.id,
      );
      clock += HOUR - 1000;
      expect((await vaultRow()).score.weights.waived).toBeGreaterThan(0);
      clock += 1000;
      const expired = await vaultRow();
      expect(expired.cells['dynamodb-pitr'].waiver).toBeUndefined();
      expect(expired.score).toEqual(before.score);
    });

    it('keeps the newest 30 trend points of each service inside the history window', async () => {
      const points = await reader.store.trendPoints(
        new Date(clock - 24 * HOUR),
        2,
      );
      const vault = points.filter(p => p.entityRef === VAULT);
      const history = await reader.store.scoreHistory(
        [VAULT],
        new Date(clock - 24 * HOUR),
      );
      expect(vault.map(p => p.scannedAt)).toEqual(
        history.slice(-2).map(h => h.scannedAt),
      );
      expect(vault.map(p => p.score)).toEqual(
        history.slice(-2).map(h => h.score.score),
      );
      expect(
        await reader.store.trendPoints(new Date(clock + HOUR), 30),
      ).toEqual([]);
    });
  },
);
