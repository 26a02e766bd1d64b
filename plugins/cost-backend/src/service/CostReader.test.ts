import { TestDatabases } from '@backstage/backend-test-utils';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import knexFactory, { Knex } from 'knex';
import {
  AS_OF,
  costStack,
  organizationSource,
  revisableSource,
} from '../__testUtils__/fixtures';
import { CatalogDirectory, CostReader } from './CostReader';

// A first refresh is ~20 Cost Explorer requests over loopback: slow on a busy machine.
jest.setTimeout(60_000);

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

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe.each(databases.eachSupportedId())(
  'cost reads after a refresh, with two replicas on one database, on %s',
  databaseId => {
    let aws: AwsLocal;
    let knex: Knex;
    let other: Knex;
    let figures: ReturnType<typeof revisableSource>;
    /** Two replicas: each its own store and reader (and, on PostgreSQL, its own connection pool). */
    let a: Awaited<ReturnType<typeof costStack>>;
    let b: Awaited<ReturnType<typeof costStack>>;
    const ledgerOwner = { all: false as const, products: new Set(['ledger']) };

    beforeAll(async () => {
      aws = await startAwsLocal({ asOf: AS_OF });
      figures = revisableSource(aws);
      knex = await databases.init(databaseId);
      // In-memory SQLite is one connection: there the replicas share it, but not their stores or readers.
      other = databaseId.startsWith('POSTGRES')
        ? knexFactory({
            client: knex.client.config.client,
            connection: knex.client.config.connection,
          })
        : knex;
      a = await costStack(aws, knex, [figures.source]);
      b = await costStack(aws, other, [figures.source]);
      await a.refresh.refreshUsage();
      await a.refresh.refreshForecast();
      await a.refresh.refreshAnomalies();
    }, 60_000);
    afterAll(async () => {
      if (other !== knex) await other.destroy();
      await aws.close();
    });
    beforeEach(() => figures.fail(undefined));

    it('computes the organisation-wide views once while nothing changes', async () => {
      const overview = await a.reader.overview({ all: true });
      expect(await a.reader.overview({ all: true })).toBe(overview);
      expect(await a.reader.forecast({ all: true })).toBe(
        await a.reader.forecast({ all: true }),
      );
      expect(await a.reader.anomalies()).toBe(await a.reader.anomalies());
      const [first, second] = await Promise.all([
        a.reader.product('ledger'),
        a.reader.product('ledger'),
      ]);
      expect(first).toBe(second);
      // Owners get their lines of the same figures.
      const owned = await a.reader.overview(ledgerOwner);
      expect(owned.products).toEqual([
        overview.products.find(p => p.product === 'ledger'),
      ]);
    });

    it('shows figures AWS revised on the very next read after a refresh', async () => {
      const before = await a.reader.overview({ all: true });
      const ledgerBefore = (await a.reader.product('ledger'))!;
      figures.revise(2);
      await a.refresh.refreshUsage();

      const after = await a.reader.overview({ all: true });
      expect(after.totals.monthToDate).toBeCloseTo(
        before.totals.monthToDate * 2,
        0,
      );
      // A later refresh re-reads only months still missing or estimated: October was invoiced
      // (final) before this refresh, so it and the older months stand.
      expect(after.totals.lastFullMonth).toBeCloseTo(
        before.totals.lastFullMonth,
        2,
      );
      expect(after.monthly[0]).toEqual(before.monthly[0]);
      const ledger = (await a.reader.product('ledger'))!;
      expect(ledger.summary.monthToDate).toBeCloseTo(
        ledgerBefore.summary.monthToDate * 2,
        1,
      );
      expect(sum(ledger.byService.map(s => s.monthToDate))).toBeCloseTo(
        ledger.summary.monthToDate,
        0,
      );
      expect(ledger.summary.monthToDate).toBe(
        after.products.find(p => p.product === 'ledger')!.monthToDate,
      );
    });

    it('shows a refresh completed on another replica on the very next read, to leads and owners alike', async () => {
      const before = await a.reader.overview({ all: true });
      const ownedBefore = await a.reader.overview(ledgerOwner);
      const entityBefore = await a.reader.entity(
        'group',
        'ledger-team',
        'group:default/ledger-team',
      );
      figures.revise(3);
      await b.refresh.refreshUsage();

      const after = await a.reader.overview({ all: true });
      expect(after.totals.monthToDate).toBeCloseTo(
        before.totals.monthToDate * 1.5,
        0,
      );
      const owned = await a.reader.overview(ledgerOwner);
      expect(owned.restricted).toBe(true);
      expect(owned.products.map(p => p.product)).toEqual(['ledger']);
      expect(owned.totals.monthToDate).toBeCloseTo(
        ownedBefore.totals.monthToDate * 1.5,
        1,
      );
      expect(owned.totals.monthToDate).toBe(owned.products[0].monthToDate);
      expect(owned.unallocated.lastFullMonth).toBe(0);
      expect((await a.reader.product('ledger'))!.summary.monthToDate).toBe(
        owned.products[0].monthToDate,
      );
      const entity = await a.reader.entity(
        'group',
        'ledger-team',
        'group:default/ledger-team',
      );
      if (!entity.mapped || !entityBefore.mapped)
        throw new Error('ledger-team should be mapped');
      expect(entity.monthToDate).toBeCloseTo(entityBefore.monthToDate * 1.5, 1);
    });

    it('shows another replica’s forecast refresh on the very next read', async () => {
      const before = await a.reader.forecast({ all: true });
      figures.revise(4);
      await b.refresh.refreshForecast();
      const after = await a.reader.forecast({ all: true });
      const rest = (f: typeof before) =>
        f.current!.mean - f.current!.monthToDate;
      expect(rest(after)).toBeCloseTo(rest(before) * 4, 0);
      expect(
        (await a.reader.overview({ all: true })).totals.forecastMonth,
      ).toBe(after.current!.mean);
      const owned = await a.reader.forecast(ledgerOwner);
      expect(owned.current).toBeUndefined();
      expect(owned.byProduct).toEqual(
        after.byProduct.filter(p => p.product === 'ledger'),
      );
    });

    it('shows a refresh that failed on another replica as stale on the very next read, keeping the figures', async () => {
      const before = await a.reader.overview({ all: true });
      expect(before.freshness.accounts).toEqual([
        expect.objectContaining({ accountId: 'organization', stale: false }),
      ]);
      figures.fail('AccessDeniedException');
      const [outcome] = await b.refresh.refreshUsage();
      expect(outcome.status).toBe('failed');

      const after = await a.reader.overview({ all: true });
      expect(after.freshness.accounts).toEqual([
        expect.objectContaining({
          accountId: 'organization',
          stale: true,
          lastError: expect.objectContaining({ code: 'AccessDeniedException' }),
        }),
      ]);
      expect(after.totals).toEqual(before.totals);
      expect((await a.reader.product('ledger'))!.freshness).toEqual(
        after.freshness,
      );
    });
  },
);

describe('cost reads between refreshes', () => {
  const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
  let aws: AwsLocal;
  let stack: Awaited<ReturnType<typeof costStack>>;

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
    stack = await costStack(aws, await sqlite.init('SQLITE_3'), [
      revisableSource(aws).source,
    ]);
    await stack.refresh.refreshUsage();
  });
  afterAll(() => aws.close());

  const readerWith = (
    clock: () => Date,
    catalog: () => Promise<CatalogDirectory>,
  ) =>
    new CostReader(
      stack.store,
      {
        ...stack.settings,
        productTag: 'product',
        serviceTag: 'service',
        teamTag: 'team',
      },
      catalog,
      clock,
    );

  it('moves on to the new month at midnight, without waiting for a refresh', async () => {
    let now = new Date(`${AS_OF}T12:00:00Z`);
    const reader = readerWith(
      () => now,
      async () => stack.directory,
    );
    expect(await reader.overview({ all: true })).toMatchObject({
      lastFullMonth: '2026-10',
      currentMonth: '2026-11',
    });
    now = new Date('2026-12-01T00:00:01Z');
    const overview = await reader.overview({ all: true });
    expect(overview).toMatchObject({
      lastFullMonth: '2026-11',
      currentMonth: '2026-12',
    });
    expect(overview.totals.monthToDate).toBe(0);
  });

  it('shows a product added to the catalog on the next read, and keeps its figures while the catalog is unchanged', async () => {
    let directory = stack.directory;
    const reader = readerWith(
      () => new Date(`${AS_OF}T12:00:00Z`),
      async () => directory,
    );
    const overview = await reader.overview({ all: true });
    expect(overview.products.map(p => p.product)).not.toContain('fraud');
    // The catalog is re-read every minute: the same entities again do not mean new figures.
    directory = {
      systems: new Map(directory.systems),
      components: new Map(directory.components),
      groups: new Map(directory.groups),
    };
    expect(await reader.overview({ all: true })).toBe(overview);
    directory = {
      ...directory,
      systems: new Map([
        ...directory.systems,
        ['fraud', { ref: 'system:default/fraud', title: 'Fraud' }],
      ]),
    };
    expect(
      (await reader.overview({ all: true })).products.find(
        p => p.product === 'fraud',
      ),
    ).toMatchObject({ entityRef: 'system:default/fraud', lastFullMonth: 0 });
  });

  it('says why there is no forecast, and cuts an earlier day’s forecast to the days still ahead', async () => {
    let now = new Date(`${AS_OF}T12:00:00Z`);
    const reader = readerWith(
      () => now,
      async () => stack.directory,
    );
    const none = await reader.forecast({ all: true });
    expect(none.current).toBeUndefined();
    expect(none.unavailable).toBe(
      'No forecast fetched yet: the forecast refresh reads AWS once a day',
    );

    await stack.refresh.refreshForecast(); // on the 25th: 25-30 November, then December
    const fresh = (await reader.forecast({ all: true })).current!;
    const rest = fresh.mean - fresh.monthToDate;
    expect(rest).toBeGreaterThan(0);
    now = new Date('2026-11-28T06:00:00Z'); // three of the six days have passed, no refresh since
    const later = (await reader.forecast({ all: true })).current!;
    expect(later.mean - later.monthToDate).toBeCloseTo(rest / 2, 1);
    expect((await reader.overview({ all: true })).totals.forecastMonth).toBe(
      later.mean,
    );

    now = new Date('2027-01-05T06:00:00Z');
    const outdated = await reader.forecast({ all: true });
    expect(outdated.current).toBeUndefined();
    expect(outdated.next).toBeUndefined();
    expect(outdated.unavailable).toBe(
      'The latest forecast (from 2026-11-25) does not cover 2027-01; the next daily forecast refresh will',
    );
  });
});

describe('forecasts of accounts fetched on different days', () => {
  const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('cuts each to the days still ahead and adds them up', async () => {
    const aws = await startAwsLocal({ asOf: AS_OF });
    try {
      const stack = await costStack(aws, await sqlite.init('SQLITE_3'), [
        organizationSource(aws),
      ]);
      await stack.refresh.refreshUsage();
      await stack.refresh.refreshForecast(); // on the 25th: 25-30 November
      const reader = new CostReader(
        stack.store,
        {
          ...stack.settings,
          productTag: 'product',
          serviceTag: 'service',
          teamTag: 'team',
        },
        async () => stack.directory,
        () => new Date('2026-11-28T06:00:00Z'),
      );
      const alone = (await reader.forecast({ all: true })).current!;
      // Another account's forecast, last fetched on the 26th: 26-30 November, of which 28-30 remain.
      await stack.store.replaceForecast(
        '111111111111',
        [
          {
            start: '2026-11-26',
            end: '2026-12-01',
            mean: 500,
            low: 400,
            high: 600,
          },
        ],
        new Date('2026-11-26T01:00:00Z'),
      );
      const both = (await reader.forecast({ all: true })).current!;
      expect(both.mean - alone.mean).toBeCloseTo(300, 1);
      expect(both.low - alone.low).toBeCloseTo(240, 1);
      expect(both.high - alone.high).toBeCloseTo(360, 1);
    } finally {
      await aws.close();
    }
  });
});

describe('a backend that runs across a month boundary', () => {
  const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('keeps cost per 1,000 units for months after it started', async () => {
    let now = new Date(`${AS_OF}T12:00:00Z`);
    const aws = await startAwsLocal({ now: () => now });
    try {
      const stack = await costStack(
        aws,
        await sqlite.init('SQLITE_3'),
        [revisableSource(aws).source],
        {
          cost: {
            unitMetrics: [
              { product: 'ledger', metric: 'postings', everyMonth: 2_000_000 },
            ],
          },
        },
        () => now,
      );
      await stack.refresh.refreshUsage();
      now = new Date('2027-01-10T12:00:00Z');
      await stack.refresh.refreshUsage();
      const ledger = (await stack.reader.product('ledger'))!;
      expect(ledger.summary.unitCost!.trend.slice(-2)).toEqual([
        expect.objectContaining({ month: '2026-11', units: 2_000_000 }),
        expect.objectContaining({ month: '2026-12', units: 2_000_000 }),
      ]);
    } finally {
      await aws.close();
    }
  }, 60_000);
});
