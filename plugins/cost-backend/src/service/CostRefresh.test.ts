import {
  CostExplorerClient,
  GetCostAndUsageCommand,
} from '@aws-sdk/client-cost-explorer';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  AwsLocal,
  awsLocalClientConfig,
  startAwsLocal,
} from '@internal/aws-local';
import {
  AS_OF,
  accountSources,
  costStack,
  organizationSource,
} from '../__testUtils__/fixtures';
import { refreshQueries } from './CostRefresh';

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

// A first refresh is ~20 Cost Explorer requests over loopback, with SDK retries: slow on a busy machine.
jest.setTimeout(60_000);

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe.each(databases.eachSupportedId())(
  'cost refresh and reads on %s',
  databaseId => {
    let aws: AwsLocal;
    let stack: Awaited<ReturnType<typeof costStack>>;
    let refreshCalls: { reported: number; counted: number };

    beforeAll(async () => {
      aws = await startAwsLocal({ asOf: AS_OF });
      stack = await costStack(aws, await databases.init(databaseId), [
        organizationSource(aws),
      ]);
      const [usage] = await stack.refresh.refreshUsage();
      if (usage.status !== 'succeeded')
        throw new Error(`the first refresh failed: ${usage.error?.message}`);
      refreshCalls = {
        reported: usage.awsCalls,
        counted: aws.stats().costExplorerRequests,
      };
      await stack.refresh.refreshForecast();
      await stack.refresh.refreshAnomalies();
    });
    afterAll(() => aws.close());

    it('counts the Cost Explorer requests a refresh makes, as AWS bills them', () => {
      expect(refreshCalls.reported).toBe(refreshCalls.counted);
      // A fixed set of queries; the 13-month first run needs a second page for the widest one.
      expect(refreshCalls.counted).toBeGreaterThanOrEqual(
        refreshQueries(stack.settings.keys).length,
      );
      expect(refreshCalls.counted).toBeLessThanOrEqual(
        refreshQueries(stack.settings.keys).length + 2,
      );
    });

    it('shows every demo product with last month matching Cost Explorer to the cent', async () => {
      const overview = await stack.reader.overview({ all: true });
      expect(overview).toMatchObject({
        currency: 'USD',
        metric: 'AmortizedCost',
        lastFullMonth: '2026-10',
        currentMonth: '2026-11',
        restricted: false,
      });
      const catalogProducts = overview.products.filter(p => p.entityRef);
      expect(catalogProducts.map(p => p.product).sort()).toEqual([
        'card-acquiring',
        'fx',
        'ledger',
        'payouts',
        'wallet',
      ]);
      for (const p of catalogProducts) {
        expect(p.lastFullMonth).toBeGreaterThan(0);
        expect(p.monthToDate).toBeGreaterThan(0);
        expect(p.sparkline).toHaveLength(6);
        expect(p.forecastMonth).toBeGreaterThan(p.monthToDate);
      }
      const independent = await new CostExplorerClient(
        awsLocalClientConfig(aws.endpoint, 'us-east-1'),
      ).send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
          Granularity: 'MONTHLY',
          Metrics: ['AmortizedCost'],
        }),
      );
      expect(overview.totals.lastFullMonth).toBeCloseTo(
        Number(independent.ResultsByTime![0].Total!.AmortizedCost.Amount),
        1,
      );
    });

    it('makes untagged spend an explicit unallocated line, and flags a product tag that is not a System', async () => {
      const overview = await stack.reader.overview({ all: true });
      expect(overview.unallocated.sharePercent).toBeGreaterThan(6);
      expect(overview.unallocated.sharePercent).toBeLessThan(10);
      expect(
        overview.products.find(p => p.product === 'card-acq'),
      ).toMatchObject({ entityRef: undefined });

      const report = await stack.reader.unallocated(
        undefined,
        stack.settings.keys.required,
      );
      const product = report.byTagKey.find(k => k.tagKey === 'product')!;
      expect(product.amount).toBeCloseTo(overview.unallocated.lastFullMonth, 1);
      expect(product.lines[0]).toMatchObject({
        accountName: 'prod',
        awsService: 'EC2 - Other',
      });
      expect(sum(product.byAccount.map(a => a.amount))).toBeCloseTo(
        product.amount,
        1,
      );
      // One line lacks only cost-centre: unallocated for that key, not for product.
      const costCentre = report.byTagKey.find(k => k.tagKey === 'cost-centre')!;
      expect(costCentre.amount).toBeGreaterThan(product.amount);
    });

    it('splits the shared platform pool across products by their direct spend, shown separately', async () => {
      const overview = await stack.reader.overview({ all: true });
      expect(overview.shared.lastFullMonth).toBeGreaterThan(0);
      const allocated = overview.products.filter(p => p.entityRef);
      expect(sum(allocated.map(p => p.sharedLastFullMonth))).toBeCloseTo(
        overview.shared.lastFullMonth,
        0,
      );
      const [largest, smallest] = [
        allocated[0],
        allocated[allocated.length - 1],
      ];
      expect(largest.sharedLastFullMonth / largest.lastFullMonth).toBeCloseTo(
        smallest.sharedLastFullMonth / smallest.lastFullMonth,
        2,
      );
    });

    it('weights tag coverage by dollars, per team and overall', async () => {
      const { tagCoverage } = await stack.reader.overview({ all: true });
      expect(tagCoverage.overall.coveredPercent).toBeGreaterThan(80);
      expect(tagCoverage.overall.coveredPercent).toBeLessThan(100);
      const ledger = tagCoverage.byTeam.find(t => t.team === 'ledger-team')!;
      expect(ledger.coveredPercent).toBeLessThan(100); // regulatory-reporting's monitoring lacks cost-centre
      expect(
        tagCoverage.byTeam.find(t => t.team === 'fx-team')!.coveredPercent,
      ).toBe(100);
    });

    it('breaks a product down by service, team, environment, AWS service and account, each adding up', async () => {
      const ledger = (await stack.reader.product('ledger'))!;
      const total = ledger.summary.lastFullMonth;
      for (const breakdown of [
        ledger.byService,
        ledger.byTeam,
        ledger.byEnvironment,
        ledger.byAwsService,
        ledger.byAccount,
      ]) {
        expect(sum(breakdown.map(b => b.lastFullMonth))).toBeCloseTo(total, 0);
      }
      expect(ledger.byService.map(s => s.key).sort()).toEqual([
        'ledger-reconciliation',
        'ledger-writer',
        'regulatory-reporting',
      ]);
      expect(ledger.byEnvironment.map(s => s.key).sort()).toEqual([
        'production',
        'staging',
      ]);
      expect(ledger.byAccount.map(a => a.label).sort()).toEqual([
        'prod',
        'staging',
      ]);
      expect(ledger.monthly).toHaveLength(14);
      expect(ledger.daily.length).toBeGreaterThanOrEqual(39);
      expect(
        ledger.daily
          .filter(d => d.day >= '2026-11-01')
          .every(d => d.provisional),
      ).toBe(true);
      expect(
        ledger.daily.filter(d => d.day < '2026-11-01').some(d => d.provisional),
      ).toBe(false);
      expect(await stack.reader.product('no-such-product')).toBeUndefined();
      // The shared pool has a page of its own (it is the platform team's cost), marked as a pool.
      const pool = (await stack.reader.product('shared'))!;
      expect(pool.summary).toMatchObject({
        product: 'shared',
        sharedPool: true,
        sharedLastFullMonth: 0,
      });
      expect(pool.summary.lastFullMonth).toBeGreaterThan(0);
      expect(pool.byService.map(s => s.key)).toContain('msk-cluster');
    });

    it('forecasts the month as spend so far plus AWS’s forecast of the rest, split by run rate', async () => {
      const forecast = await stack.reader.forecast({ all: true });
      const overview = await stack.reader.overview({ all: true });
      expect(forecast.current!.mean).toBe(overview.totals.forecastMonth);
      expect(forecast.current!.low).toBeLessThan(forecast.current!.mean);
      expect(forecast.current!.high).toBeGreaterThan(forecast.current!.mean);
      expect(forecast.next).toMatchObject({ month: '2026-12' });
      expect(forecast.next!.mean).toBeGreaterThan(forecast.current!.mean); // December peak
      const remainder = forecast.current!.mean - forecast.current!.monthToDate;
      const productRemainders = sum(
        forecast.byProduct.map(p => p.forecastMonth - p.monthToDate),
      );
      expect(productRemainders).toBeLessThanOrEqual(remainder + 0.05);
      expect(productRemainders).toBeGreaterThan(remainder * 0.7); // the rest is shared and unallocated run rate
    });

    it('attributes the anomaly to the product whose AWS service spiked', async () => {
      const anomalies = await stack.reader.anomalies();
      expect(anomalies).toHaveLength(1);
      expect(anomalies[0]).toMatchObject({
        awsService: 'Amazon DynamoDB',
        accountName: 'prod',
        start: '2026-11-13',
      });
      // Card acquiring also runs DynamoDB, but only the wallet's spend on it jumped.
      expect(anomalies[0].products).toEqual(['wallet']);
      // Both monitors reported it: shown once, naming both, with every root cause AWS gave.
      expect(anomalies[0].monitors.map(m => m.name).sort()).toEqual([
        'AWS services',
        'Products',
      ]);
      expect(anomalies[0].rootCauses.length).toBeGreaterThan(1);
      const contributions = anomalies[0].rootCauses.map(c => c.contribution!);
      expect(contributions).toEqual([...contributions].sort((a, b) => b - a));
      expect(anomalies[0].impact).toBeLessThan(
        anomalies[0].rootCauses.reduce((t, c) => t + c.contribution!, 0) * 1.01,
      );
      expect(
        (await stack.reader.product('wallet'))!.anomalies.map(a => a.id),
      ).toEqual([anomalies[0].id]);
    });

    it('answers entity cards, and says what tag to add when an entity has no spend', async () => {
      const service = await stack.reader.entity(
        'component',
        'ledger-writer',
        'component:default/ledger-writer',
      );
      expect(service).toMatchObject({
        mapped: true,
        kind: 'component',
        breakdown: expect.arrayContaining([
          expect.objectContaining({
            key: 'Amazon Relational Database Service',
          }),
        ]),
      });
      const team = await stack.reader.entity(
        'group',
        'payouts-team',
        'group:default/payouts-team',
      );
      if (!team.mapped) throw new Error('payouts-team should be mapped');
      expect(team.breakdown.map(b => b.key)).toEqual(['payouts']);
      expect(
        await stack.reader.entity(
          'component',
          'fraud-scoring',
          'component:default/fraud-scoring',
        ),
      ).toEqual({
        mapped: false,
        entityRef: 'component:default/fraud-scoring',
        tagKey: 'service',
        tagValue: 'fraud-scoring',
        reason: expect.stringContaining(
          'add service=fraud-scoring to its AWS resources',
        ),
      });
    });

    it('answers page views from the database without a single AWS call', async () => {
      aws.resetStats();
      for (let i = 0; i < 10; i++) {
        await stack.reader.overview({ all: true });
        await stack.reader.product('ledger');
        await stack.reader.entity(
          'system',
          'payouts',
          'system:default/payouts',
        );
      }
      expect(aws.stats().totalCalls).toBe(0);
    });

    it('re-reads only the revised months on later refreshes, replacing rather than duplicating', async () => {
      const before = await stack.reader.overview({ all: true });
      aws.resetStats();
      await stack.refresh.refreshUsage();
      const after = await stack.reader.overview({ all: true });
      expect(after.totals.lastFullMonth).toBeCloseTo(
        before.totals.lastFullMonth,
        2,
      );
      expect(after.monthly).toHaveLength(before.monthly.length);
      // One request per query at this size: a fixed set of queries, none of them per product,
      // plus one ListCostAllocationTags and one ListCostAllocationTagBackfillHistory; the demo's
      // inactive pci-scope gets no unallocated query.
      const groupable = stack.settings.keys.required.filter(
        key => key !== 'pci-scope',
      );
      expect(aws.stats().costExplorerRequests).toBe(
        refreshQueries(stack.settings.keys, groupable).length + 2,
      );
      expect(aws.stats().operations['ce:ListCostAllocationTags']).toMatchObject(
        { succeeded: 1 },
      );
      expect(
        aws.stats().operations['ce:ListCostAllocationTagBackfillHistory'],
      ).toMatchObject({ succeeded: 1 });
    });
  },
);

describe('a shared account as a cost pool', () => {
  it('takes the whole account out of direct cost and splits it evenly, whatever its tags say', async () => {
    const aws = await startAwsLocal({ asOf: AS_OF });
    try {
      const shared = aws.estate.accounts.find(a => a.name === 'shared')!;
      const stack = await costStack(
        aws,
        await sqlite.init('SQLITE_3'),
        [organizationSource(aws)],
        {
          cost: { sharedCosts: [{ account: shared.id, split: 'even' }] },
        },
      );
      await stack.refresh.refreshUsage();
      const overview = await stack.reader.overview({ all: true });
      const independent = await new CostExplorerClient(
        awsLocalClientConfig(aws.endpoint, 'us-east-1'),
      ).send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
          Granularity: 'MONTHLY',
          Metrics: ['AmortizedCost'],
          // Its usage: its tax, support and fees are charge lines of their own, not the pool's.
          Filter: {
            And: [
              { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [shared.id] } },
              {
                Dimensions: {
                  Key: 'RECORD_TYPE',
                  Values: [
                    'Usage',
                    'DiscountedUsage',
                    'SavingsPlanCoveredUsage',
                  ],
                },
              },
              { Dimensions: { Key: 'BILLING_ENTITY', Values: ['AWS'] } },
            ],
          },
        }),
      );
      const sharedAccountTotal = Number(
        independent.ResultsByTime![0].Total!.AmortizedCost.Amount,
      );
      // The shared account also holds an untagged bucket: as a pool it is shared, not unallocated.
      expect(overview.shared.lastFullMonth).toBeCloseTo(sharedAccountTotal, 1);
      const catalogProducts = overview.products.filter(p => p.entityRef);
      const shares = new Set(catalogProducts.map(p => p.sharedLastFullMonth));
      expect(shares.size).toBe(1);
      expect(
        catalogProducts[0].sharedLastFullMonth * catalogProducts.length,
      ).toBeCloseTo(sharedAccountTotal, 0);
      expect(
        overview.products.find(p => p.product === 'shared'),
      ).toBeUndefined();
    } finally {
      await aws.close();
    }
  });

  it('refuses a rule that names neither or both of pool and account', async () => {
    const aws = await startAwsLocal({ asOf: AS_OF });
    try {
      await expect(
        costStack(aws, await sqlite.init('SQLITE_3'), [], {
          cost: {
            sharedCosts: [
              { pool: 'shared', account: '604913285577', split: 'even' },
            ],
          },
        }),
      ).rejects.toThrow(
        'Invalid config cost.sharedCosts[0]: needs exactly one of pool (a product tag value) or account (a 12-digit account id)',
      );
    } finally {
      await aws.close();
    }
  });
});

describe('a refresh when AWS misbehaves', () => {
  let aws: AwsLocal;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
  });
  afterAll(() => aws.close());
  beforeEach(() => aws.setFaults({ throttleNext: 0, deny: [] }));

  it('rides out throttling with the SDK’s retries', async () => {
    const stack = await costStack(aws, await sqlite.init('SQLITE_3'), [
      organizationSource(aws),
    ]);
    aws.resetStats();
    aws.setFaults({ throttleNext: 2 });
    const [outcome] = await stack.refresh.refreshUsage();
    expect(outcome.status).toBe('succeeded');
    // The refresh's first requests (ListCostAllocationTags, then GetCostAndUsage) took the throttling.
    const throttled = Object.entries(aws.stats().operations)
      .filter(([operation]) => operation.startsWith('ce:'))
      .reduce((n, [, counts]) => n + counts.throttled, 0);
    expect(throttled).toBe(2);
    expect(
      (await stack.reader.overview({ all: true })).products.length,
    ).toBeGreaterThan(5);
  });

  it('stops between pages when its replica shuts down: recorded as interrupted, figures kept, not shown as stale', async () => {
    const stack = await costStack(aws, await sqlite.init('SQLITE_3'), [
      organizationSource(aws),
    ]);
    await stack.refresh.refreshUsage();
    const before = await stack.reader.overview({ all: true });
    aws.resetStats();
    aws.setFaults({ latencyMs: 50 });
    try {
      const stop = new AbortController();
      const refreshing = stack.refresh.refreshUsage(stop.signal);
      while ((aws.stats().operations['ce:GetCostAndUsage']?.calls ?? 0) < 2)
        await new Promise(resolve => setTimeout(resolve, 10));
      stop.abort();
      await expect(refreshing).rejects.toThrow(/abort/i);
    } finally {
      aws.setFaults({ latencyMs: 0 });
    }
    const [history] = await stack.store.refreshHistory('usage');
    expect(history.latest.status).toBe('interrupted');
    const after = await stack.reader.overview({ all: true });
    expect(after.totals).toEqual(before.totals);
    expect(after.freshness.accounts).toEqual([
      expect.objectContaining({ accountId: 'organization', stale: false }),
    ]);
  });

  it('reports an account it may not read as stale with its error and age, and still shows the others', async () => {
    const stack = await costStack(
      aws,
      await sqlite.init('SQLITE_3'),
      await accountSources(aws),
    );
    const staging = aws.estate.accounts.find(a => a.name === 'staging')!;
    const first = await stack.refresh.refreshUsage();
    expect(first.map(o => o.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    const before = await stack.reader.overview({ all: true });

    aws.setFaults({ deny: ['staging'] });
    const second = await stack.refresh.refreshUsage();
    expect(second.find(o => o.scope === staging.id)).toMatchObject({
      status: 'failed',
      error: { code: 'AccessDeniedException' },
    });
    expect(second.filter(o => o.status === 'succeeded')).toHaveLength(2);

    const overview = await stack.reader.overview({ all: true });
    const stale = overview.freshness.accounts.find(
      a => a.accountId === staging.id,
    )!;
    expect(stale).toMatchObject({
      stale: true,
      accountName: 'staging',
      lastError: { code: 'AccessDeniedException' },
    });
    expect(stale.lastSuccessAt).toBeDefined();
    // The staging figures from the last good refresh are kept, not silently dropped.
    expect(overview.totals.lastFullMonth).toBeCloseTo(
      before.totals.lastFullMonth,
      2,
    );

    aws.setFaults({ deny: [] });
    await stack.refresh.refreshUsage();
    expect((await stack.reader.freshness()).accounts.every(a => !a.stale)).toBe(
      true,
    );
  });
});
