import { TestDatabases } from '@backstage/backend-test-utils';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import { accountSources, costStack } from '../__testUtils__/fixtures';
import { oldestMonthToRead } from './CostRefresh';

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

// Several refreshes of three accounts over loopback at moving dates.
jest.setTimeout(120_000);

describe('which months a refresh reads', () => {
  const final = (...months: string[]) => new Set(months);

  it('starts at the oldest month of the window that is missing or still estimated', () => {
    expect(
      oldestMonthToRead(
        '2026-03-01',
        '2027-04-10',
        final('2026-03', '2026-04', '2026-06'),
      ),
    ).toBe('2026-05-01');
    expect(oldestMonthToRead('2026-03-01', '2027-04-10', final())).toBe(
      '2026-03-01',
    );
  });

  it('reads only the current month once every earlier month is final', () => {
    const all = final(
      ...Array.from({ length: 13 }, (_, i) =>
        new Date(Date.UTC(2026, 2 + i, 1)).toISOString().slice(0, 7),
      ),
    );
    expect(oldestMonthToRead('2026-03-01', '2027-04-10', all)).toBe(
      '2027-04-01',
    );
  });
});

describe('an account that failed for months', () => {
  let at = new Date('2027-01-10T12:00:00Z');
  const now = () => at;
  let aws: AwsLocal;

  beforeAll(async () => {
    aws = await startAwsLocal({ now });
  });
  afterAll(() => aws.close());

  it('gets its missing months back on its next good refresh, the same figures as a first refresh', async () => {
    const [db, freshDb] = [
      await sqlite.init('SQLITE_3'),
      await sqlite.init('SQLITE_3'),
    ];
    const stack = await costStack(aws, db, await accountSources(aws), {}, now);
    const staging = aws.estate.accounts.find(a => a.name === 'staging')!;
    const firstOutcomes = await stack.refresh.refreshUsage();
    expect(firstOutcomes.map(o => o.error?.message ?? o.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);

    aws.setFaults({ deny: ['staging'] });
    for (const day of ['2027-02-10', '2027-03-10', '2027-04-10']) {
      at = new Date(`${day}T12:00:00Z`);
      const outcomes = await stack.refresh.refreshUsage();
      expect(outcomes.find(o => o.scope === staging.id)?.status).toBe('failed');
    }
    // While it fails, the page names the months it has no figures for.
    const during = await stack.reader.freshness();
    expect(during.accounts.find(a => a.accountId === staging.id)).toMatchObject(
      { stale: true, missingMonths: ['2027-02', '2027-03'] },
    );
    expect(
      during.accounts
        .filter(a => a.accountId !== staging.id)
        .map(a => a.missingMonths),
    ).toEqual([undefined, undefined]);

    aws.setFaults({ deny: [] });
    await stack.refresh.refreshUsage();
    const after = await stack.reader.freshness();
    expect(after.accounts.every(a => !a.stale && !a.missingMonths)).toBe(true);

    // A first refresh over an empty database at the same moment reads the same figures for the
    // months staging missed (the demo's story moves with its today, so months other accounts read
    // earlier, and finalised, are not compared).
    const fresh = await costStack(
      aws,
      freshDb,
      await accountSources(aws),
      {},
      now,
    );
    await fresh.refresh.refreshUsage();
    const stagingFacts = (knex: typeof db) =>
      knex('cost_facts')
        .where({ scope: staging.id, granularity: 'MONTHLY' })
        .whereIn('period_start', ['2027-02-01', '2027-03-01'])
        .orderBy(['view', 'period_start', 'key1', 'key2'])
        .select('view', 'period_start', 'key1', 'key2', 'amount');
    const recovered = await stagingFacts(db);
    expect(recovered.length).toBeGreaterThan(20);
    expect(new Set(recovered.map(r => r.view)).size).toBeGreaterThan(10);
    expect(recovered).toEqual(await stagingFacts(freshDb));
    const staged = await stack.store.monthsRead(staging.id);
    expect(staged.filter(m => m.month >= '2027-01')).toEqual([
      { scope: staging.id, month: '2027-01', final: true },
      { scope: staging.id, month: '2027-02', final: true },
      { scope: staging.id, month: '2027-03', final: true },
      { scope: staging.id, month: '2027-04', final: false },
    ]);
  });

  it('re-reads last month until AWS invoices it (the 5th), and not after', async () => {
    at = new Date('2027-06-03T12:00:00Z');
    const stack = await costStack(
      aws,
      await sqlite.init('SQLITE_3'),
      await accountSources(aws),
      {},
      now,
    );
    await stack.refresh.refreshUsage();
    const may = async () =>
      (await stack.store.monthsRead())
        .filter(m => m.month === '2027-05')
        .map(m => m.final);
    expect(await may()).toEqual([false, false, false]);
    const reads = async () => {
      aws.resetStats();
      await stack.refresh.refreshUsage();
      return aws.stats().operations['ce:GetCostAndUsage'].calls;
    };
    const beforeInvoice = await reads();
    at = new Date('2027-06-06T12:00:00Z');
    const onInvoice = await reads();
    expect(await may()).toEqual([true, true, true]);
    at = new Date('2027-06-07T12:00:00Z');
    const afterInvoice = await reads();
    // Once May is final only June is read: fewer pages than while May was still estimated.
    expect(afterInvoice).toBeLessThanOrEqual(beforeInvoice);
    expect(onInvoice).toBe(beforeInvoice);
  });
});
