import {
  CostExplorerClient,
  GetAnomaliesCommand,
  GetAnomalyMonitorsCommand,
  GetCostAndUsageCommand,
  GetCostAndUsageCommandInput,
  GetCostForecastCommand,
} from '@aws-sdk/client-cost-explorer';
import { awsLocalClientConfig } from '../../clientConfig';
import { AwsLocal, startAwsLocal } from '../../server/AwsLocalServer';

// The refund is 45 days before today (the seed): 2026-10-11, in October.
const AS_OF = '2026-11-25';
const ACCOUNTS = ['318402765190', '527160349821', '604913285577'];
const MANAGEMENT = '604913285577';
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

describe('the bill behind Cost Explorer: charges no tag can carry', () => {
  let aws: AwsLocal;
  let ce: CostExplorerClient;
  const monthly = (input: Partial<GetCostAndUsageCommandInput>) =>
    ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2025-10-01', End: '2026-11-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        ...input,
      }),
    );
  const amount = (metrics: any) => Number(metrics.UnblendedCost.Amount);

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
    ce = new CostExplorerClient(
      awsLocalClientConfig(aws.endpoint, 'us-east-1'),
    );
  });
  afterAll(() => aws.close());

  it('shows tax, support, fees, credits, a refund and Marketplace as their own RECORD_TYPE and BILLING_ENTITY, in USD', async () => {
    const { ResultsByTime } = await monthly({
      GroupBy: [
        { Type: 'DIMENSION', Key: 'RECORD_TYPE' },
        { Type: 'DIMENSION', Key: 'BILLING_ENTITY' },
      ],
    });
    expect(ResultsByTime).toHaveLength(13);
    const byMonth = ResultsByTime!.map(
      r =>
        new Map(
          r.Groups!.map(g => [g.Keys!.join('|'), g.Metrics!.UnblendedCost]),
        ),
    );
    for (const groups of byMonth) {
      expect([...groups.keys()].sort()).toEqual(
        expect.arrayContaining([
          'Credit|AWS',
          'DiscountedUsage|AWS',
          'RIFee|AWS',
          'SavingsPlanCoveredUsage|AWS',
          'SavingsPlanRecurringFee|AWS',
          'Support|AWS',
          'Tax|AWS',
          'Usage|AWS',
          'Usage|AWS Marketplace',
        ]),
      );
      for (const metric of groups.values()) expect(metric!.Unit).toBe('USD');
      // Credits are negative amounts, as AWS writes them.
      expect(Number(groups.get('Credit|AWS')!.Amount)).toBeLessThan(0);
    }
    const refunds = ResultsByTime!.filter(r =>
      r.Groups!.some(g => g.Keys![0] === 'Refund'),
    );
    expect(refunds.map(r => r.TimePeriod!.Start)).toEqual(['2026-10-01']);
    const refund = refunds[0].Groups!.find(g => g.Keys![0] === 'Refund')!;
    expect(Number(refund.Metrics!.UnblendedCost.Amount)).toBeLessThan(0);
  });

  it('charges tax in every account at a few % of its usage, and support on the management account only', async () => {
    const period = { Start: '2026-10-01', End: '2026-11-01' };
    const byAccount = async (recordTypes: string[]) => {
      const { ResultsByTime } = await monthly({
        TimePeriod: period,
        GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
        Filter: { Dimensions: { Key: 'RECORD_TYPE', Values: recordTypes } },
      });
      return new Map(
        ResultsByTime![0].Groups!.map(g => [g.Keys![0], amount(g.Metrics)]),
      );
    };
    const tax = await byAccount(['Tax']);
    const usage = await byAccount([
      'Usage',
      'DiscountedUsage',
      'SavingsPlanCoveredUsage',
    ]);
    expect([...tax.keys()].sort()).toEqual(ACCOUNTS);
    for (const [account, value] of tax) {
      expect(value / usage.get(account)!).toBeGreaterThan(0.02);
      expect(value / usage.get(account)!).toBeLessThan(0.06);
    }
    expect([...(await byAccount(['Support'])).keys()]).toEqual([MANAGEMENT]);
  });

  it('puts every non-taggable charge under product$: none of them carries a tag', async () => {
    const { ResultsByTime } = await monthly({
      TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
      GroupBy: [{ Type: 'TAG', Key: 'product' }],
      Filter: { Not: TAGGABLE! },
    });
    expect(ResultsByTime![0].Groups!.map(g => g.Keys)).toEqual([['product$']]);
    const all = await monthly({
      TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
    });
    const taggable = await monthly({
      TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
      Filter: TAGGABLE,
    });
    const charges = amount(ResultsByTime![0].Groups![0].Metrics);
    expect(amount(taggable.ResultsByTime![0].Total) + charges).toBeCloseTo(
      amount(all.ResultsByTime![0].Total),
      2,
    );
  });

  it('returns every period even without groups (Groups: [], Estimated) and a free-tier group as "0"', async () => {
    const { ResultsByTime } = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-10-09', End: '2026-10-13' },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
        Filter: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Refund'] } },
      }),
    );
    expect(
      ResultsByTime!.map(r => [
        r.TimePeriod!.Start,
        r.Groups!.length,
        r.Estimated,
      ]),
    ).toEqual([
      ['2026-10-09', 0, false],
      ['2026-10-10', 0, false],
      ['2026-10-11', 1, false],
      ['2026-10-12', 0, false],
    ]);
    const free = await monthly({
      TimePeriod: { Start: '2026-11-01', End: AS_OF },
      Metrics: ['UnblendedCost', 'UsageQuantity'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    });
    const result = free.ResultsByTime![0];
    expect(result.Estimated).toBe(true);
    const lambda = result.Groups!.find(g => g.Keys![0] === 'AWS Lambda')!;
    expect(lambda.Metrics!.UnblendedCost).toEqual({ Amount: '0', Unit: 'USD' });
    expect(Number(lambda.Metrics!.UsageQuantity.Amount)).toBeGreaterThan(0);
  });
});

describe('Cost Explorer refuses what AWS refuses', () => {
  let aws: AwsLocal;
  let ce: CostExplorerClient;
  const query = (input: Partial<GetCostAndUsageCommandInput>) =>
    ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        ...input,
      }),
    );

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
    ce = new CostExplorerClient(
      awsLocalClientConfig(aws.endpoint, 'us-east-1'),
    );
  });
  afterAll(() => aws.close());

  it.each([
    [
      'Dimensions CONTAINS',
      {
        Dimensions: {
          Key: 'SERVICE',
          Values: ['EC2'],
          MatchOptions: ['CONTAINS'],
        },
      },
      'Filter.Dimensions.MatchOptions contain not allowed match option',
    ],
    [
      'Dimensions ABSENT',
      {
        Dimensions: { Key: 'SERVICE', Values: ['x'], MatchOptions: ['ABSENT'] },
      },
      'Allowed MatchOptions:EQUALS, CASE_SENSITIVE',
    ],
    [
      'Tags STARTS_WITH',
      {
        Tags: {
          Key: 'product',
          Values: ['card'],
          MatchOptions: ['STARTS_WITH'],
        },
      },
      'Allowed MatchOptions:EQUALS, ABSENT, CASE_SENSITIVE',
    ],
    [
      'Tags CASE_INSENSITIVE',
      {
        Tags: {
          Key: 'product',
          Values: ['Wallet'],
          MatchOptions: ['CASE_INSENSITIVE'],
        },
      },
      "not allowed match option 'CASE_INSENSITIVE'",
    ],
    [
      'CostCategories ENDS_WITH',
      {
        CostCategories: {
          Key: 'Product',
          Values: ['let'],
          MatchOptions: ['ENDS_WITH'],
        },
      },
      'Filter.CostCategories.MatchOptions',
    ],
    [
      'Tags ABSENT with values',
      {
        Tags: { Key: 'product', Values: ['wallet'], MatchOptions: ['ABSENT'] },
      },
      'must not have values set when ABSENT is provided',
    ],
    [
      'And of one',
      { And: [{ Tags: { Key: 'product', Values: ['wallet'] } }] },
      'And expression must have at least 2 operands',
    ],
  ] as const)('rejects a Filter with %s', async (_name, Filter, message) => {
    await expect(query({ Filter: Filter as any })).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(message),
    });
  });

  it('takes the MatchOptions AWS allows for each key type', async () => {
    const total = async (Filter: any) =>
      Number(
        (await query({ Filter })).ResultsByTime![0].Total!.UnblendedCost.Amount,
      );
    const wallet = await total({
      Tags: {
        Key: 'product',
        Values: ['wallet'],
        MatchOptions: ['EQUALS', 'CASE_SENSITIVE'],
      },
    });
    expect(wallet).toBeGreaterThan(0);
    expect(
      await total({
        CostCategories: {
          Key: 'Product',
          Values: ['wallet'],
          MatchOptions: ['EQUALS'],
        },
      }),
    ).toBeCloseTo(wallet, 4);
    expect(
      await total({
        Dimensions: {
          Key: 'RECORD_TYPE',
          Values: ['Tax'],
          MatchOptions: ['EQUALS', 'CASE_SENSITIVE'],
        },
      }),
    ).toBeGreaterThan(0);
  });

  it('takes at most 2 GroupBy, and only cost categories that exist', async () => {
    await expect(
      query({
        GroupBy: [
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'DIMENSION', Key: 'RECORD_TYPE' },
          { Type: 'TAG', Key: 'product' },
        ],
      }),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('GroupBy has 3 groupings; at most 2'),
    });
    await expect(
      query({ GroupBy: [{ Type: 'COST_CATEGORY', Key: 'Team' }] }),
    ).rejects.toThrow("GroupBy[0].Key 'Team' is not a cost category");
  });

  it.each(['USAGE_QUANTITY', 'NORMALIZED_USAGE_AMOUNT'])(
    'refuses GetCostForecast Metric %s: that is GetUsageForecast’s',
    async Metric => {
      await expect(
        ce.send(
          new GetCostForecastCommand({
            TimePeriod: { Start: AS_OF, End: '2026-12-01' },
            Metric: Metric as any,
            Granularity: 'MONTHLY',
          }),
        ),
      ).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining(
          'forecast usage with GetUsageForecast',
        ),
      });
    },
  );

  it('throttles with LimitExceededException, which the SDK retries', async () => {
    const once = new CostExplorerClient({
      ...awsLocalClientConfig(aws.endpoint, 'us-east-1'),
      maxAttempts: 1,
    });
    aws.setFaults({
      throttleNext: 1,
      throttleOperations: ['ce:GetCostAndUsage'],
    });
    await expect(
      once.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
          Granularity: 'MONTHLY',
          Metrics: ['UnblendedCost'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'LimitExceededException' });
    aws.setFaults({ throttleNext: 1 });
    const retried = await query({});
    expect(retried.ResultsByTime).toHaveLength(1);
    aws.setFaults({ throttleNext: 0, throttleOperations: [] });
  });
});

describe('anomaly monitors that overlap', () => {
  let aws: AwsLocal;
  let ce: CostExplorerClient;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
    ce = new CostExplorerClient(
      awsLocalClientConfig(aws.endpoint, 'us-east-1'),
    );
  });
  afterAll(() => aws.close());

  it('lists both monitors, page by page', async () => {
    const first = await ce.send(
      new GetAnomalyMonitorsCommand({ MaxResults: 1 }),
    );
    expect(first.AnomalyMonitors).toHaveLength(1);
    const second = await ce.send(
      new GetAnomalyMonitorsCommand({
        MaxResults: 1,
        NextPageToken: first.NextPageToken,
      }),
    );
    expect(second.NextPageToken).toBeUndefined();
    const monitors = [...first.AnomalyMonitors!, ...second.AnomalyMonitors!];
    expect(monitors).toEqual([
      expect.objectContaining({
        MonitorName: 'AWS services',
        MonitorType: 'DIMENSIONAL',
        MonitorDimension: 'SERVICE',
      }),
      expect.objectContaining({
        MonitorName: 'Products',
        MonitorType: 'CUSTOM',
        MonitorSpecification: {
          Tags: expect.objectContaining({ Key: 'product' }),
        },
      }),
    ]);
  });

  it('reports the spike once per monitor: own AnomalyId and MonitorArn, same dates, several root causes adding up to the impact', async () => {
    const { AnomalyMonitors } = await ce.send(
      new GetAnomalyMonitorsCommand({}),
    );
    const perMonitor = await Promise.all(
      AnomalyMonitors!.map(m =>
        ce.send(
          new GetAnomaliesCommand({
            MonitorArn: m.MonitorArn,
            DateInterval: { StartDate: '2026-10-15' },
          }),
        ),
      ),
    );
    const anomalies = perMonitor.map(r => {
      expect(r.Anomalies).toHaveLength(1);
      return r.Anomalies![0];
    });
    expect(anomalies.map(a => a.MonitorArn)).toEqual(
      AnomalyMonitors!.map(m => m.MonitorArn),
    );
    expect(new Set(anomalies.map(a => a.AnomalyId)).size).toBe(2);
    expect(new Set(anomalies.map(a => a.AnomalyStartDate)).size).toBe(1);
    for (const anomaly of anomalies) {
      const causes = anomaly.RootCauses!;
      expect(causes.length).toBeGreaterThan(1);
      expect(causes.map(c => c.Region).sort()).toEqual([
        'eu-west-1',
        'eu-west-2',
      ]);
      for (const cause of causes)
        expect(cause).toMatchObject({
          Service: 'Amazon DynamoDB',
          LinkedAccountName: 'prod',
          UsageType: expect.stringContaining('WriteRequestUnits'),
        });
      const sum = causes.reduce((s, c) => s + c.Impact!.Contribution!, 0);
      expect(sum).toBeCloseTo(anomaly.Impact!.TotalImpact!, 0);
    }
  });

  it('pages GetAnomalies with MaxResults and NextPageToken, and refuses a token of another query', async () => {
    const input = { DateInterval: { StartDate: '2026-10-15' }, MaxResults: 1 };
    const first = await ce.send(new GetAnomaliesCommand(input));
    expect(first.Anomalies).toHaveLength(1);
    const second = await ce.send(
      new GetAnomaliesCommand({ ...input, NextPageToken: first.NextPageToken }),
    );
    expect(second.Anomalies).toHaveLength(1);
    expect(second.NextPageToken).toBeUndefined();
    expect(second.Anomalies![0].AnomalyId).not.toBe(
      first.Anomalies![0].AnomalyId,
    );
    await expect(
      ce.send(
        new GetAnomaliesCommand({
          DateInterval: { StartDate: '2026-09-01' },
          MaxResults: 1,
          NextPageToken: first.NextPageToken,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
  });
});
