import {
  CostExplorerClient,
  Expression,
  GetCostAndUsageCommand,
  UpdateCostAllocationTagsStatusCommand,
} from '@aws-sdk/client-cost-explorer';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  AwsLocal,
  awsLocalClientConfig,
  startAwsLocal,
} from '@internal/aws-local';
import {
  AS_OF,
  costStack,
  organizationSource,
} from '../__testUtils__/fixtures';
import { isTaggable } from './chargeTypes';
import { CostSource, SourceError } from './types';

/**
 * What a real bill has that tags cannot explain, through the loopback endpoint's demo bill: a tag
 * key AWS has not activated (pci-scope), tax, support, credits, refunds, fees and a marketplace
 * line, and amounts in USD whatever the portal is configured to show.
 */

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
jest.setTimeout(60_000);

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const OCTOBER = { Start: '2026-10-01', End: '2026-11-01' };

function client(aws: AwsLocal) {
  return new CostExplorerClient(
    awsLocalClientConfig(aws.endpoint, 'us-east-1'),
  );
}

/** October's amounts straight from Cost Explorer, by RECORD_TYPE x BILLING_ENTITY. */
async function octoberByChargeType(aws: AwsLocal, filter?: Expression) {
  const output = await client(aws).send(
    new GetCostAndUsageCommand({
      TimePeriod: OCTOBER,
      Granularity: 'MONTHLY',
      Metrics: ['AmortizedCost'],
      GroupBy: [
        { Type: 'DIMENSION', Key: 'RECORD_TYPE' },
        { Type: 'DIMENSION', Key: 'BILLING_ENTITY' },
      ],
      Filter: filter,
    }),
  );
  return (output.ResultsByTime?.[0]?.Groups ?? []).map(g => ({
    recordType: g.Keys![0],
    billingEntity: g.Keys![1],
    amount: Number(g.Metrics!.AmortizedCost.Amount),
    unit: g.Metrics!.AmortizedCost.Unit,
  }));
}

describe('inactive cost allocation tags', () => {
  let aws: AwsLocal;
  beforeEach(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
  });
  afterEach(() => aws.close());

  it('names the inactive key with its fix, leaves it out of coverage and unallocated, and counts the status reads', async () => {
    const stack = await costStack(aws, await sqlite.init('SQLITE_3'), [
      organizationSource(aws),
    ]);
    expect(stack.settings.keys.required).toContain('pci-scope');
    aws.resetStats();
    const [usage] = await stack.refresh.refreshUsage();
    expect(usage.status).toBe('succeeded');
    const stats = aws.stats();
    expect(stats.operations['ce:ListCostAllocationTags']?.succeeded).toBe(1);
    // The status read is a billed request of the refresh like any other.
    expect(usage.awsCalls).toBe(stats.costExplorerRequests);

    const overview = await stack.reader.overview({ all: true });
    const pci = overview.tagActivation!.keys.find(
      k => k.tagKey === 'pci-scope',
    )!;
    expect(pci.status).toBe('inactive');
    expect(pci.fix).toMatch(/Cost allocation tags/);
    expect(pci.fix).toMatch(/UpdateCostAllocationTagsStatus/);
    expect(pci.fix).toMatch(/StartCostAllocationTagBackfill.*12 months/);
    expect(overview.tagActivation!.verified).toBe(true);
    expect(
      overview
        .tagActivation!.keys.filter(k => k.tagKey !== 'pci-scope')
        .every(k => k.status === 'active'),
    ).toBe(true);

    // Coverage is of the keys AWS can group by, and says which it left out: never 0 % from pci-scope.
    expect(overview.tagCoverage.basis).toMatchObject({
      keysLeftOut: ['pci-scope'],
      verified: true,
    });
    expect(overview.tagCoverage.basis!.keysCounted).toContain('product');
    expect(overview.tagCoverage.overall.coveredPercent).toBeGreaterThan(50);

    // The unallocated page names it as not measured rather than 100 % spend "missing" it.
    const report = await stack.reader.unallocated(
      undefined,
      stack.settings.keys.required,
    );
    expect(report.byTagKey.map(k => k.tagKey)).not.toContain('pci-scope');
    expect(report.keysNotMeasured).toEqual([
      expect.objectContaining({ tagKey: 'pci-scope', status: 'inactive' }),
    ]);
    expect(report.verified).toBe(true);
  });

  it('does not count a key activated after last month began: its months hold spend without it until a backfill', async () => {
    const stack = await costStack(aws, await sqlite.init('SQLITE_3'), [
      organizationSource(aws),
    ]);
    await stack.refresh.refreshUsage();
    await client(aws).send(
      new UpdateCostAllocationTagsStatusCommand({
        CostAllocationTagsStatus: [{ TagKey: 'pci-scope', Status: 'Active' }],
      }),
    );
    await stack.refresh.refreshUsage();
    const overview = await stack.reader.overview({ all: true });
    // Activated today: October's figures group nothing by it, so 100% "missing" would be false.
    expect(
      overview.tagActivation!.keys.find(k => k.tagKey === 'pci-scope'),
    ).toMatchObject({
      status: 'activating',
      fix: expect.stringContaining('StartCostAllocationTagBackfill'),
    });
    expect(overview.tagCoverage.basis!.keysLeftOut).toEqual(['pci-scope']);
    const report = await stack.reader.unallocated(
      undefined,
      stack.settings.keys.required,
    );
    expect(report.byTagKey.map(k => k.tagKey)).not.toContain('pci-scope');
    expect(report.keysNotMeasured!.map(k => k.tagKey)).toEqual(['pci-scope']);
  });

  it('does not show spend as unallocated when AWS cannot group by the product tag itself', async () => {
    await client(aws).send(
      new UpdateCostAllocationTagsStatusCommand({
        CostAllocationTagsStatus: [{ TagKey: 'product', Status: 'Inactive' }],
      }),
    );
    const stack = await costStack(aws, await sqlite.init('SQLITE_3'), [
      organizationSource(aws),
    ]);
    await stack.refresh.refreshUsage();
    const overview = await stack.reader.overview({ all: true });
    expect(overview.unallocated.notMeasured).toMatch(
      /^AWS cannot group spend by the "product" tag \(not activated\), so all spend shows without it\. Activate it/,
    );
    expect(overview.tagCoverage.basis!.keysLeftOut).toEqual(
      expect.arrayContaining(['product', 'pci-scope']),
    );
    const report = await stack.reader.unallocated(
      undefined,
      stack.settings.keys.required,
    );
    expect(report.byTagKey.map(k => k.tagKey)).not.toContain('product');
  });

  it('calls coverage unverified when the tag status cannot be read, rather than guessing', async () => {
    const real = organizationSource(aws);
    const denied: CostSource = {
      scope: real.scope,
      usage: query => real.usage(query),
      forecast: (start, end, metric) => real.forecast(start, end, metric),
      anomalies: since => real.anomalies(since),
      // The loopback endpoint denies per account, not per action: the role lacks ce:ListCostAllocationTags.
      costAllocationTags: async () => {
        throw new SourceError(
          'AccessDeniedException',
          'User is not authorized to perform: ce:ListCostAllocationTags',
        );
      },
    };
    const stack = await costStack(aws, await sqlite.init('SQLITE_3'), [denied]);
    const [usage] = await stack.refresh.refreshUsage();
    expect(usage.status).toBe('succeeded');
    const overview = await stack.reader.overview({ all: true });
    expect(overview.tagActivation).toMatchObject({
      verified: false,
      error: { code: 'AccessDeniedException' },
    });
    expect(
      overview.tagActivation!.keys.every(k => k.status === 'unverified'),
    ).toBe(true);
    expect(overview.tagActivation!.keys[0].fix).toMatch(
      /ce:ListCostAllocationTags/,
    );
    expect(overview.tagCoverage.basis).toMatchObject({ verified: false });
    const report = await stack.reader.unallocated(
      undefined,
      stack.settings.keys.required,
    );
    expect(report.verified).toBe(false);
  });
});

describe('charges no tag can carry', () => {
  let aws: AwsLocal;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
  });
  afterAll(() => aws.close());

  it('shows tax, support, credits, fees and marketplace as lines of their own, in the total and not unallocated', async () => {
    const stack = await costStack(aws, await sqlite.init('SQLITE_3'), [
      organizationSource(aws),
    ]);
    await stack.refresh.refreshUsage();
    const overview = await stack.reader.overview({ all: true });
    const charges = overview.charges!;
    const line = (recordType: string, billingEntity = 'AWS') =>
      charges.lines.find(
        l => l.recordType === recordType && l.billingEntity === billingEntity,
      );
    for (const recordType of [
      'Tax',
      'Support',
      'SavingsPlanRecurringFee',
      'RIFee',
    ])
      expect(line(recordType)?.lastFullMonth).toBeGreaterThan(0);
    // Credits are negative on the bill and stay negative here.
    expect(line('Credit')?.lastFullMonth).toBeLessThan(0);
    expect(charges.lines.some(l => l.billingEntity === 'AWS Marketplace')).toBe(
      true,
    );

    const bill = await octoberByChargeType(aws);
    const chargesOnBill = bill.filter(
      g => !isTaggable(g.recordType, g.billingEntity),
    );
    expect(charges.lastFullMonth).toBeCloseTo(
      sum(chargesOnBill.map(g => g.amount)),
      1,
    );
    // The grand total is the whole bill: usage plus charges, credits subtracted.
    expect(overview.totals.lastFullMonth).toBeCloseTo(
      sum(bill.map(g => g.amount)),
      1,
    );
    // The monthly chart's bar adds up to the same total: the charges are a series of their own.
    const october = overview.monthly.find(m => m.month === '2026-10')!;
    expect(october.charges).toBeCloseTo(charges.lastFullMonth, 1);
    expect(
      sum(Object.values(october.byProduct)) +
        october.shared +
        october.unallocated +
        october.charges!,
    ).toBeCloseTo(overview.totals.lastFullMonth, 0);

    // Untagged tax and support are not "unallocated spend someone must own".
    const untagged = await octoberByChargeType(aws, {
      Tags: { Key: 'product', MatchOptions: ['ABSENT'] },
    });
    const untaggedUsage = sum(
      untagged
        .filter(g => isTaggable(g.recordType, g.billingEntity))
        .map(g => g.amount),
    );
    const untaggedCharges = untagged.filter(
      g => !isTaggable(g.recordType, g.billingEntity),
    );
    expect(untaggedCharges.length).toBeGreaterThan(0);
    expect(overview.unallocated.lastFullMonth).toBeCloseTo(untaggedUsage, 1);
    const report = await stack.reader.unallocated(
      undefined,
      stack.settings.keys.required,
    );
    expect(
      report.byTagKey.find(k => k.tagKey === 'product')!.amount,
    ).toBeCloseTo(untaggedUsage, 1);
  });

  it('spreads support and credits over products by direct spend when configured, shown apart from direct cost', async () => {
    const stack = await costStack(
      aws,
      await sqlite.init('SQLITE_3'),
      [organizationSource(aws)],
      {
        cost: {
          chargeSpread: [
            { recordTypes: ['Support', 'Credit'], split: 'proportional' },
          ],
        },
      },
    );
    await stack.refresh.refreshUsage();
    const overview = await stack.reader.overview({ all: true });
    const charges = overview.charges!;
    const spreadLines = charges.lines.filter(l => l.spread === 'proportional');
    expect(spreadLines.map(l => l.recordType).sort()).toEqual(
      expect.arrayContaining(['Credit', 'Support']),
    );
    expect(
      charges.lines.find(l => l.recordType === 'Tax')!.spread,
    ).toBeUndefined();
    expect(charges.spreadLastFullMonth).toBeCloseTo(
      sum(spreadLines.map(l => l.lastFullMonth)),
      1,
    );
    const products = overview.products.filter(p => p.entityRef);
    expect(sum(products.map(p => p.chargesLastFullMonth ?? 0))).toBeCloseTo(
      charges.spreadLastFullMonth,
      1,
    );
    const [largest, smallest] = [products[0], products[products.length - 1]];
    expect(largest.chargesLastFullMonth! / largest.lastFullMonth).toBeCloseTo(
      smallest.chargesLastFullMonth! / smallest.lastFullMonth,
      3,
    );
    // The product's own page shows the same spread share.
    expect(
      (await stack.reader.product(largest.product))!.summary
        .chargesLastFullMonth,
    ).toBe(largest.chargesLastFullMonth);
    // Direct cost stays direct: the spread is a column of its own.
    const plain = await costStack(aws, await sqlite.init('SQLITE_3'), [
      organizationSource(aws),
    ]);
    await plain.refresh.refreshUsage();
    const without = await plain.reader.overview({ all: true });
    expect(products[0].lastFullMonth).toBe(
      without.products.find(p => p.product === products[0].product)!
        .lastFullMonth,
    );
    expect(overview.totals.lastFullMonth).toBeCloseTo(
      without.totals.lastFullMonth,
      2,
    );
  });

  it('refuses a spread rule naming a record type Cost Explorer does not have, naming the key', async () => {
    await expect(
      costStack(aws, await sqlite.init('SQLITE_3'), [], {
        cost: { chargeSpread: [{ recordTypes: ['Suport'] }] },
      }),
    ).rejects.toThrow(
      /^Invalid config cost\.chargeSpread\[0\]\.recordTypes: 'Suport' is not a Cost Explorer RECORD_TYPE of a charge; use Tax, Support, Credit/,
    );
    await expect(
      costStack(aws, await sqlite.init('SQLITE_3'), [], {
        cost: {
          chargeSpread: [{ recordTypes: ['Support'], split: 'fixed' }],
        },
      }),
    ).rejects.toThrow(
      "Invalid config cost.chargeSpread[0].split: 'fixed' is not a spread; use proportional (to each product's direct spend) or even",
    );
    await expect(
      costStack(aws, await sqlite.init('SQLITE_3'), [], {
        cost: { chargeSpread: [{ recordTypes: ['Usage'] }] },
      }),
    ).rejects.toThrow(/cost\.chargeSpread\[0\]\.recordTypes: 'Usage' is usage/);
  });
});

describe('the currency AWS reports', () => {
  let aws: AwsLocal;
  let usd: Awaited<ReturnType<typeof costStack>>;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
    usd = await costStack(aws, await sqlite.init('SQLITE_3'), [
      organizationSource(aws),
    ]);
    await usd.refresh.refreshUsage();
  });
  afterAll(() => aws.close());

  it('never relabels USD as the configured currency: shows the AWS unit and says how to convert', async () => {
    const [first] = await octoberByChargeType(aws);
    expect(first.unit).toBe('USD');
    const stack = await costStack(
      aws,
      await sqlite.init('SQLITE_3'),
      [organizationSource(aws)],
      { cost: { currency: 'EUR' } },
    );
    await stack.refresh.refreshUsage();
    const overview = await stack.reader.overview({ all: true });
    const reference = await usd.reader.overview({ all: true });
    expect(overview.currency).toBe('USD');
    expect(overview.totals.lastFullMonth).toBe(reference.totals.lastFullMonth);
    expect(overview.currencyNote).toMatchObject({
      shownIn: 'USD',
      configured: 'EUR',
      awsUnits: ['USD'],
    });
    expect(overview.currencyNote!.message).toMatch(/cost\.exchangeRate/);
    expect(reference.currencyNote).toBeUndefined();
    const report = await stack.reader.unallocated(
      undefined,
      stack.settings.keys.required,
    );
    expect(report.currency).toBe('USD');
  });

  it('converts with a configured rate and says so, with the rate and its date', async () => {
    const rate = { from: 'USD', to: 'EUR', rate: 0.9, asOf: '2026-11-30' };
    const stack = await costStack(
      aws,
      await sqlite.init('SQLITE_3'),
      [organizationSource(aws)],
      { cost: { currency: 'EUR', exchangeRate: rate } },
    );
    await stack.refresh.refreshUsage();
    await stack.refresh.refreshForecast();
    await usd.refresh.refreshForecast();
    const overview = await stack.reader.overview({ all: true });
    const reference = await usd.reader.overview({ all: true });
    expect(overview.currency).toBe('EUR');
    expect(overview.totals.lastFullMonth).toBeCloseTo(
      reference.totals.lastFullMonth * 0.9,
      1,
    );
    expect(overview.products[0].lastFullMonth).toBeCloseTo(
      reference.products[0].lastFullMonth * 0.9,
      1,
    );
    expect(overview.charges!.lastFullMonth).toBeCloseTo(
      reference.charges!.lastFullMonth * 0.9,
      1,
    );
    expect(overview.currencyNote).toMatchObject({
      shownIn: 'EUR',
      conversion: rate,
    });
    expect(overview.currencyNote!.message).toMatch(/0\.9 EUR per USD/);
    expect(overview.currencyNote!.message).toMatch(/2026-11-30/);
    const forecast = await stack.reader.forecast({ all: true });
    expect(forecast.currency).toBe('EUR');
    expect(forecast.current!.mean).toBeCloseTo(
      (await usd.reader.forecast({ all: true })).current!.mean * 0.9,
      0,
    );
  });

  it('refuses an exchange rate that does not convert into cost.currency, naming the key', async () => {
    const attempt = async (exchangeRate: object, currency = 'EUR') =>
      costStack(aws, await sqlite.init('SQLITE_3'), [], {
        cost: { currency, exchangeRate },
      });
    const good = { from: 'USD', to: 'EUR', rate: 0.9, asOf: '2026-11-30' };
    await expect(attempt({ ...good, to: 'GBP' })).rejects.toThrow(
      "Invalid config cost.exchangeRate.to: 'GBP' differs from cost.currency 'EUR'",
    );
    await expect(attempt({ ...good, rate: -1 })).rejects.toThrow(
      'Invalid config cost.exchangeRate.rate: -1 must be a positive number: EUR per 1 USD',
    );
    await expect(attempt({ ...good, asOf: '30/11/2026' })).rejects.toThrow(
      "Invalid config cost.exchangeRate.asOf: '30/11/2026' must be the day the rate is from, written YYYY-MM-DD",
    );
    await expect(attempt({ ...good, from: 'usd' })).rejects.toThrow(
      "Invalid config cost.exchangeRate.from: 'usd' must be a three-letter ISO 4217 currency code",
    );
  });
});
