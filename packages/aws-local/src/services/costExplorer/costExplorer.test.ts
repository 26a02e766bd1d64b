import {
  CostExplorerClient,
  GetAnomaliesCommand,
  GetCostAndUsageCommand,
  GetCostAndUsageCommandInput,
  GetCostForecastCommand,
  GetDimensionValuesCommand,
  GetTagsCommand,
  ResultByTime,
} from '@aws-sdk/client-cost-explorer';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { awsLocalClientConfig } from '../../clientConfig';
import { AwsLocal, startAwsLocal } from '../../server/AwsLocalServer';
import { COST_AND_USAGE_PAGE_ROWS } from '.';

const AS_OF = '2026-11-25';
const PROD = '318402765190';
// pci-scope is on the bill but not activated as a cost allocation tag: Cost Explorer does not offer it.
const ACTIVE_TAXONOMY_KEYS = [
  'cost-centre',
  'data-classification',
  'environment',
  'product',
  'service',
  'team',
];
/** Spend a tag can carry: usage, however priced, billed by AWS (not tax, support, fees, credits, Marketplace). */
const TAGGABLE: GetCostAndUsageCommandInput['Filter'] = {
  And: [
    {
      Dimensions: {
        Key: 'RECORD_TYPE',
        Values: ['Usage', 'DiscountedUsage', 'SavingsPlanCoveredUsage'],
      },
    },
    { Dimensions: { Key: 'BILLING_ENTITY', Values: ['AWS'] } },
  ],
};

// The SDK has no paginator for GetCostAndUsage (its model declares none), so callers follow NextPageToken by hand.
async function allPages(
  client: CostExplorerClient,
  input: GetCostAndUsageCommandInput,
) {
  const pages: ResultByTime[][] = [];
  let NextPageToken: string | undefined;
  do {
    const page = await client.send(
      new GetCostAndUsageCommand({ ...input, NextPageToken }),
    );
    pages.push(page.ResultsByTime ?? []);
    NextPageToken = page.NextPageToken;
  } while (NextPageToken);
  return pages;
}

/** group key -> summed amount, merging periods split across pages. */
function sumByGroup(
  results: ResultByTime[],
  metric = 'UnblendedCost',
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const result of results) {
    for (const group of result.Groups ?? []) {
      const key = group.Keys!.join('|');
      sums.set(
        key,
        (sums.get(key) ?? 0) + Number(group.Metrics![metric].Amount),
      );
    }
  }
  return sums;
}

const total = (sums: Map<string, number>) =>
  [...sums.values()].reduce((a, b) => a + b, 0);

describe('Cost Explorer on the loopback endpoint', () => {
  let aws: AwsLocal;
  let ce: CostExplorerClient;

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
    ce = new CostExplorerClient(
      awsLocalClientConfig(aws.endpoint, 'us-east-1'),
    );
  });
  afterAll(() => aws.close());
  beforeEach(() => aws.resetStats());

  it('groups 13 months of taggable spend by product tag, with untagged spend as product$ at about 8%', async () => {
    const pages = await allPages(ce, {
      TimePeriod: { Start: '2025-10-01', End: '2026-11-01' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost', 'AmortizedCost'],
      GroupBy: [{ Type: 'TAG', Key: 'product' }],
      Filter: TAGGABLE,
    });
    const results = pages.flat();
    expect(results).toHaveLength(13);
    const byProduct = sumByGroup(results);
    expect([...byProduct.keys()].sort()).toEqual([
      'product$',
      'product$card-acq',
      'product$card-acquiring',
      'product$fx',
      'product$ledger',
      'product$payouts',
      'product$shared',
      'product$wallet',
    ]);
    const untaggedShare = byProduct.get('product$')! / total(byProduct);
    expect(untaggedShare).toBeGreaterThan(0.07);
    expect(untaggedShare).toBeLessThan(0.09);
    // Savings plans make amortized cost lower than unblended.
    const amortized = total(sumByGroup(results, 'AmortizedCost'));
    expect(amortized).toBeLessThan(total(byProduct));
  });

  it('reads every page of a large grouped daily query, and the pages add up to the monthly figures', async () => {
    const daily: GetCostAndUsageCommandInput = {
      TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [
        { Type: 'TAG', Key: 'service' },
        { Type: 'DIMENSION', Key: 'SERVICE' },
      ],
    };
    const pages = await allPages(ce, daily);
    expect(pages.length).toBeGreaterThan(1);
    expect(aws.stats().operations['ce:GetCostAndUsage'].succeeded).toBe(
      pages.length,
    );
    expect(aws.stats().costExplorerChargeUsd).toBeCloseTo(
      pages.length * 0.01,
      5,
    );
    const rows = pages.flat().reduce((n, r) => n + (r.Groups?.length ?? 0), 0);
    expect(pages.length).toBe(Math.ceil(rows / COST_AND_USAGE_PAGE_ROWS));

    const monthly = await ce.send(
      new GetCostAndUsageCommand({ ...daily, Granularity: 'MONTHLY' }),
    );
    expect(monthly.NextPageToken).toBeUndefined();
    const fromDaily = sumByGroup(pages.flat());
    const fromMonthly = sumByGroup(monthly.ResultsByTime!);
    expect(fromDaily.size).toBe(fromMonthly.size);
    for (const [key, value] of fromMonthly)
      expect(fromDaily.get(key)).toBeCloseTo(value, 4);
  });

  it('rejects a page token from a different query', async () => {
    const first = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [
          { Type: 'TAG', Key: 'service' },
          { Type: 'DIMENSION', Key: 'SERVICE' },
        ],
      }),
    );
    await expect(
      ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-09-01', End: '2026-10-01' },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          NextPageToken: first.NextPageToken,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
  });

  it('marks the current month provisional and closed months final', async () => {
    const { ResultsByTime } = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-09-01', End: '2026-11-25' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
      }),
    );
    expect(
      ResultsByTime!.map(r => [
        r.TimePeriod!.Start,
        r.TimePeriod!.End,
        r.Estimated,
      ]),
    ).toEqual([
      ['2026-09-01', '2026-10-01', false],
      ['2026-10-01', '2026-11-01', false],
      ['2026-11-01', '2026-11-25', true],
    ]);
  });

  it('shows growth and the card-volume peak: December costs more than the October before it', async () => {
    const { ResultsByTime } = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2025-10-01', End: '2026-11-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
      }),
    );
    const perDay = Object.fromEntries(
      ResultsByTime!.map(r => {
        const days =
          (Date.parse(r.TimePeriod!.End!) - Date.parse(r.TimePeriod!.Start!)) /
          86_400_000;
        return [
          r.TimePeriod!.Start!.slice(0, 7),
          Number(r.Total!.UnblendedCost.Amount) / days,
        ];
      }),
    );
    expect(perDay['2025-12']).toBeGreaterThan(perDay['2025-10'] * 1.1); // seasonal peak on top of growth
    expect(perDay['2026-10']).toBeGreaterThan(perDay['2025-10'] * 1.3); // a year of ~3.5% monthly growth
    expect(perDay['2026-01']).toBeLessThan(perDay['2025-12']); // January falls back
  });

  it('filters by tag and dimension expressions, including untagged spend', async () => {
    const query = (Filter: GetCostAndUsageCommandInput['Filter']) =>
      ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          Filter,
        }),
      );
    const amountOf = async (Filter: GetCostAndUsageCommandInput['Filter']) =>
      Number(
        (await query(Filter)).ResultsByTime![0].Total!.UnblendedCost.Amount,
      );

    const all = await amountOf(undefined);
    const ledger = await amountOf({
      Tags: { Key: 'product', Values: ['ledger'] },
    });
    const notLedger = await amountOf({
      Not: { Tags: { Key: 'product', Values: ['ledger'] } },
    });
    expect(ledger + notLedger).toBeCloseTo(all, 4);
    const untagged = await amountOf({
      Tags: { Key: 'product', MatchOptions: ['ABSENT'] },
    });
    const untaggedByEmptyValue = await amountOf({
      Tags: { Key: 'product', Values: [''] },
    });
    expect(untagged).toBeGreaterThan(0);
    expect(untaggedByEmptyValue).toBeCloseTo(untagged, 6);
    const ledgerInProd = await amountOf({
      And: [
        { Tags: { Key: 'product', Values: ['ledger'] } },
        { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PROD] } },
      ],
    });
    expect(ledgerInProd).toBeGreaterThan(0);
    expect(ledgerInProd).toBeLessThan(ledger);
    await expect(
      query({ Dimensions: { Key: 'AZ' as any, Values: ['euw2-az1'] } }),
    ).rejects.toThrow(
      "Filter.Dimensions.Key 'AZ' is not supported; use SERVICE, LINKED_ACCOUNT, REGION, USAGE_TYPE, RECORD_TYPE, BILLING_ENTITY",
    );
  });

  it('shows a linked account only its own spend, the management account all three', async () => {
    const sts = new STSClient(awsLocalClientConfig(aws.endpoint));
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${PROD}:role/cost-reader`,
        RoleSessionName: 'cost',
      }),
    );
    const linked = new CostExplorerClient({
      endpoint: aws.endpoint,
      region: 'us-east-1',
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken,
      },
    });
    const input: GetCostAndUsageCommandInput = {
      TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
    };
    const own = await linked.send(new GetCostAndUsageCommand(input));
    expect(own.ResultsByTime![0].Groups!.map(g => g.Keys![0])).toEqual([PROD]);
    const everyone = await ce.send(new GetCostAndUsageCommand(input));
    expect(
      everyone.DimensionValueAttributes!.map(a => a.Attributes!.description),
    ).toEqual(['prod', 'staging', 'shared']);
  });

  it('finds the one spike, and its impact matches the daily costs it reports', async () => {
    const { Anomalies } = await ce.send(
      new GetAnomaliesCommand({
        DateInterval: { StartDate: '2026-10-15', EndDate: AS_OF },
      }),
    );
    // Two overlapping monitors (AWS services, Products) each report it.
    expect(Anomalies).toHaveLength(2);
    const anomaly = Anomalies!.find(
      a => a.DimensionValue === 'Amazon DynamoDB',
    )!;
    expect(anomaly).toMatchObject({
      AnomalyStartDate: '2026-11-13',
      AnomalyEndDate: '2026-11-16',
      DimensionValue: 'Amazon DynamoDB',
    });
    expect(anomaly.RootCauses![0]).toMatchObject({
      Service: 'Amazon DynamoDB',
      LinkedAccount: PROD,
      LinkedAccountName: 'prod',
      Region: 'eu-west-2',
    });
    const { ResultsByTime } = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-11-13', End: '2026-11-17' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        Filter: {
          And: [
            { Tags: { Key: 'service', Values: ['crypto-custody-signer'] } },
            { Dimensions: { Key: 'SERVICE', Values: ['Amazon DynamoDB'] } },
            { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PROD] } },
          ],
        },
      }),
    );
    const actual = ResultsByTime!.reduce(
      (sum, r) => sum + Number(r.Total!.UnblendedCost.Amount),
      0,
    );
    expect(anomaly.Impact!.TotalActualSpend).toBeCloseTo(actual, 1);
    expect(anomaly.Impact!.TotalImpact).toBeGreaterThan(
      anomaly.Impact!.TotalExpectedSpend! * 4,
    );

    const before = await ce.send(
      new GetAnomaliesCommand({
        DateInterval: { StartDate: '2026-09-01', EndDate: '2026-10-31' },
      }),
    );
    expect(before.Anomalies).toEqual([]);
  });

  it('forecasts from today on, with the interval around the mean, and refuses the past', async () => {
    const forecast = await ce.send(
      new GetCostForecastCommand({
        TimePeriod: { Start: AS_OF, End: '2027-02-01' },
        Metric: 'AMORTIZED_COST',
        Granularity: 'MONTHLY',
        PredictionIntervalLevel: 90,
      }),
    );
    expect(
      forecast.ForecastResultsByTime!.map(r => r.TimePeriod!.Start),
    ).toEqual([AS_OF, '2026-12-01', '2027-01-01']);
    for (const r of forecast.ForecastResultsByTime!) {
      expect(Number(r.PredictionIntervalLowerBound)).toBeLessThan(
        Number(r.MeanValue),
      );
      expect(Number(r.PredictionIntervalUpperBound)).toBeGreaterThan(
        Number(r.MeanValue),
      );
    }
    const sum = forecast.ForecastResultsByTime!.reduce(
      (s, r) => s + Number(r.MeanValue),
      0,
    );
    expect(Number(forecast.Total!.Amount)).toBeCloseTo(sum, 4);
    await expect(
      ce.send(
        new GetCostForecastCommand({
          TimePeriod: { Start: '2026-11-01', End: '2026-12-01' },
          Metric: 'AMORTIZED_COST',
          Granularity: 'MONTHLY',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(
        'TimePeriod.Start 2026-11-01 is in the past',
      ),
    });
  });

  it('validates requests the way Cost Explorer does, naming the field', async () => {
    const send = (input: Partial<GetCostAndUsageCommandInput>) =>
      ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
          ...input,
        }),
      );
    await expect(
      send({ TimePeriod: { Start: '2024-01-01', End: '2024-02-01' } }),
    ).rejects.toThrow(
      'TimePeriod.Start 2024-01-01 is too old: Cost Explorer keeps 13 months of history, from 2025-10-01',
    );
    await expect(send({ Metrics: ['Dollars'] })).rejects.toThrow(
      "Metrics has 'Dollars'",
    );
    await expect(send({ GroupBy: [{ Type: 'TAG' }] })).rejects.toThrow(
      'GroupBy[0].Key is required for Type TAG',
    );
    await expect(
      send({ TimePeriod: { Start: '2026-11-01', End: '2026-10-01' } }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('lists accounts with their names and the activated taxonomy tag keys in use', async () => {
    const period = { Start: '2026-10-01', End: '2026-11-01' };
    const accounts = await ce.send(
      new GetDimensionValuesCommand({
        TimePeriod: period,
        Dimension: 'LINKED_ACCOUNT',
      }),
    );
    expect(
      accounts.DimensionValues!.map(v => v.Attributes!.description).sort(),
    ).toEqual(['prod', 'shared', 'staging']);
    const keys = await ce.send(new GetTagsCommand({ TimePeriod: period }));
    expect(keys.Tags).toEqual(ACTIVE_TAXONOMY_KEYS);
    const teams = await ce.send(
      new GetTagsCommand({ TimePeriod: period, TagKey: 'team' }),
    );
    expect(teams.Tags).toContain('payout-team'); // the deliberate typo, for the cost plugin to flag
  });
});

describe('the estate behind Cost Explorer', () => {
  it('answers each server from its own estate, even in one process', async () => {
    const [small, scaled] = await Promise.all([
      startAwsLocal({ asOf: AS_OF }),
      startAwsLocal({ asOf: AS_OF, scale: { extraProducts: 10 } }),
    ]);
    try {
      const input = {
        TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
        Granularity: 'MONTHLY' as const,
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'TAG' as const, Key: 'product' }],
      };
      const keys = async (aws: AwsLocal) =>
        (
          await new CostExplorerClient(
            awsLocalClientConfig(aws.endpoint, 'us-east-1'),
          ).send(new GetCostAndUsageCommand(input))
        ).ResultsByTime![0].Groups!.length;
      expect(await keys(small)).toBe(8);
      expect(await keys(scaled)).toBe(18);
    } finally {
      await Promise.all([small.close(), scaled.close()]);
    }
  });

  it('gives the same numbers for the same seed and as-of date', async () => {
    const [a, b] = await Promise.all([
      startAwsLocal({ asOf: AS_OF }),
      startAwsLocal({ asOf: AS_OF }),
    ]);
    try {
      const input = {
        TimePeriod: { Start: '2026-11-01', End: '2026-11-25' },
        Granularity: 'DAILY' as const,
        Metrics: ['NetAmortizedCost'],
        GroupBy: [{ Type: 'TAG' as const, Key: 'team' }],
      };
      const first = await new CostExplorerClient(
        awsLocalClientConfig(a.endpoint, 'us-east-1'),
      ).send(new GetCostAndUsageCommand(input));
      const second = await new CostExplorerClient(
        awsLocalClientConfig(b.endpoint, 'us-east-1'),
      ).send(new GetCostAndUsageCommand(input));
      expect(second.ResultsByTime).toEqual(first.ResultsByTime);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('Cost Explorer at the turn of a month', () => {
  const client = (aws: AwsLocal) =>
    new CostExplorerClient(awsLocalClientConfig(aws.endpoint, 'us-east-1'));
  const monthly = (Start: string, End: string) =>
    new GetCostAndUsageCommand({
      TimePeriod: { Start, End },
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
    });

  it('on the 1st has no day of the month yet: an empty period is refused, last month is whole and still Estimated', async () => {
    const aws = await startAwsLocal({ asOf: '2027-03-01' });
    try {
      const ce = client(aws);
      await expect(
        ce.send(monthly('2027-03-01', '2027-03-01')),
      ).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining('must be before TimePeriod.End'),
      });
      const { ResultsByTime } = await ce.send(
        monthly('2027-01-01', '2027-03-01'),
      );
      expect(
        ResultsByTime!.map(r => [r.TimePeriod!.Start, r.Estimated]),
      ).toEqual([
        ['2027-01-01', false],
        ['2027-02-01', true],
      ]);
      const daily = await ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2027-02-27', End: '2027-03-01' },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
        }),
      );
      const [before, yesterday] = daily.ResultsByTime!.map(r =>
        Number(r.Total!.UnblendedCost.Amount),
      );
      // Yesterday is there, still filling in.
      expect(yesterday).toBeGreaterThan(before * 0.7);
      expect(yesterday).toBeLessThan(before * 1.05);
    } finally {
      await aws.close();
    }
  });

  it('finalises last month on the invoice day, the 5th', async () => {
    const estimated = async (asOf: string) => {
      const aws = await startAwsLocal({ asOf });
      try {
        const { ResultsByTime } = await client(aws).send(
          monthly('2027-02-01', asOf),
        );
        return ResultsByTime!.map(r => r.Estimated);
      } finally {
        await aws.close();
      }
    };
    expect(await estimated('2027-03-04')).toEqual([true, true]);
    expect(await estimated('2027-03-05')).toEqual([false, true]);
  });

  it('forecasts the whole month from the 1st, one day from the last day, and DAILY up to 3 months', async () => {
    const periods = async (asOf: string, End: string) => {
      const aws = await startAwsLocal({ asOf });
      try {
        const forecast = await client(aws).send(
          new GetCostForecastCommand({
            TimePeriod: { Start: asOf, End },
            Metric: 'AMORTIZED_COST',
            Granularity: 'MONTHLY',
          }),
        );
        return forecast.ForecastResultsByTime!.map(r => [
          r.TimePeriod!.Start,
          r.TimePeriod!.End,
        ]);
      } finally {
        await aws.close();
      }
    };
    expect(await periods('2027-03-01', '2027-05-01')).toEqual([
      ['2027-03-01', '2027-04-01'],
      ['2027-04-01', '2027-05-01'],
    ]);
    expect(await periods('2028-02-29', '2028-04-01')).toEqual([
      ['2028-02-29', '2028-03-01'],
      ['2028-03-01', '2028-04-01'],
    ]);
    expect(await periods('2026-12-31', '2027-02-01')).toEqual([
      ['2026-12-31', '2027-01-01'],
      ['2027-01-01', '2027-02-01'],
    ]);
    const aws = await startAwsLocal({ asOf: '2027-01-01' });
    try {
      await expect(
        client(aws).send(
          new GetCostForecastCommand({
            TimePeriod: { Start: '2027-01-01', End: '2027-05-01' },
            Metric: 'AMORTIZED_COST',
            Granularity: 'DAILY',
          }),
        ),
      ).rejects.toThrow('DAILY forecasts reach 3 months at most');
    } finally {
      await aws.close();
    }
  });

  it('keeps 13 months of history from the 1st of the month, also on the 31st', async () => {
    const aws = await startAwsLocal({ asOf: '2027-03-31' });
    try {
      const { ResultsByTime } = await client(aws).send(
        monthly('2026-02-01', '2027-03-31'),
      );
      expect(ResultsByTime).toHaveLength(14);
      expect(
        Number(ResultsByTime![0].Total!.UnblendedCost.Amount),
      ).toBeGreaterThan(0);
      await expect(
        client(aws).send(monthly('2026-01-31', '2026-03-01')),
      ).rejects.toThrow('from 2026-02-01');
    } finally {
      await aws.close();
    }
  });

  it('serves the new day after midnight on the server’s clock, with the anomaly 12 days back across the year', async () => {
    let now = new Date('2026-12-31T23:59:00Z');
    const aws = await startAwsLocal({ now: () => now });
    try {
      const ce = client(aws);
      const december = async () =>
        Number(
          (await ce.send(monthly('2026-12-01', '2027-01-01'))).ResultsByTime![0]
            .Total!.UnblendedCost.Amount,
        );
      const before = await december();
      now = new Date('2027-01-01T00:01:00Z');
      expect(await december()).toBeGreaterThan(before); // 31 December is in now
      const { Anomalies } = await ce.send(
        new GetAnomaliesCommand({ DateInterval: { StartDate: '2026-10-01' } }),
      );
      expect(Anomalies!.map(a => a.AnomalyStartDate)).toEqual([
        '2026-12-20',
        '2026-12-20',
      ]);
    } finally {
      await aws.close();
    }
  });
});
