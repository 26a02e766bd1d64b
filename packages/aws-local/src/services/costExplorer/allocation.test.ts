import {
  CostExplorerClient,
  CreateCostCategoryDefinitionCommand,
  CreateCostCategoryDefinitionCommandInput,
  DescribeCostCategoryDefinitionCommand,
  GetCostAndUsageCommand,
  GetCostAndUsageCommandInput,
  ListCostAllocationTagBackfillHistoryCommand,
  ListCostAllocationTagsCommand,
  ListCostCategoryDefinitionsCommand,
  StartCostAllocationTagBackfillCommand,
  UpdateCostAllocationTagsStatusCommand,
} from '@aws-sdk/client-cost-explorer';
import { awsLocalClientConfig } from '../../clientConfig';
import { AwsLocal, startAwsLocal } from '../../server/AwsLocalServer';

const TAXONOMY_KEYS = [
  'cost-centre',
  'data-classification',
  'environment',
  'pci-scope',
  'product',
  'service',
  'team',
];
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

function client(aws: AwsLocal) {
  return new CostExplorerClient(
    awsLocalClientConfig(aws.endpoint, 'us-east-1'),
  );
}

/** group key -> amount of one month. */
async function groupsOf(
  ce: CostExplorerClient,
  GroupBy: GetCostAndUsageCommandInput['GroupBy'],
  Filter?: GetCostAndUsageCommandInput['Filter'],
  TimePeriod = { Start: '2026-10-01', End: '2026-11-01' },
) {
  const { ResultsByTime } = await ce.send(
    new GetCostAndUsageCommand({
      TimePeriod,
      Granularity: 'MONTHLY',
      Metrics: ['UnblendedCost'],
      GroupBy,
      Filter,
    }),
  );
  return new Map(
    ResultsByTime![0].Groups!.map(g => [
      g.Keys![0],
      Number(g.Metrics!.UnblendedCost.Amount),
    ]),
  );
}

const sum = (m: Map<string, number>) =>
  [...m.values()].reduce((a, b) => a + b, 0);

describe('cost allocation tags', () => {
  let now = new Date('2026-11-25T09:00:00Z');
  let aws: AwsLocal;
  let ce: CostExplorerClient;
  beforeAll(async () => {
    aws = await startAwsLocal({ now: () => now });
    ce = client(aws);
  });
  afterAll(() => aws.close());

  it('lists the taxonomy keys seen on the bill, all Active but pci-scope; a key never billed is not listed', async () => {
    const { CostAllocationTags } = await ce.send(
      new ListCostAllocationTagsCommand({}),
    );
    expect(CostAllocationTags!.map(t => t.TagKey)).toEqual(TAXONOMY_KEYS);
    for (const tag of CostAllocationTags!)
      expect(tag).toMatchObject({
        Type: 'UserDefined',
        Status: tag.TagKey === 'pci-scope' ? 'Inactive' : 'Active',
        LastUpdatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        LastUsedDate: '2026-11-01T00:00:00Z',
      });
    const inactive = await ce.send(
      new ListCostAllocationTagsCommand({ Status: 'Inactive' }),
    );
    expect(inactive.CostAllocationTags!.map(t => t.TagKey)).toEqual([
      'pci-scope',
    ]);
    const asked = await ce.send(
      new ListCostAllocationTagsCommand({
        TagKeys: ['product', 'owner-email'],
        Type: 'UserDefined',
      }),
    );
    expect(asked.CostAllocationTags!.map(t => t.TagKey)).toEqual(['product']);
  });

  it('pages with MaxResults and NextToken, and refuses MaxResults outside 1..1000 and more than 100 TagKeys', async () => {
    const keys: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await ce.send(
        new ListCostAllocationTagsCommand({ MaxResults: 3, NextToken }),
      );
      keys.push(...page.CostAllocationTags!.map(t => t.TagKey!));
      NextToken = page.NextToken;
      pages += 1;
    } while (NextToken);
    expect(pages).toBe(3);
    expect(keys).toEqual(TAXONOMY_KEYS);
    await expect(
      ce.send(new ListCostAllocationTagsCommand({ MaxResults: 1001 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      ce.send(
        new ListCostAllocationTagsCommand({
          TagKeys: Array.from({ length: 101 }, (_, i) => `k${i}`),
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('groups all spend of an inactive key under key$, and a filter sees the key absent everywhere', async () => {
    const all = await groupsOf(ce, [{ Type: 'DIMENSION', Key: 'RECORD_TYPE' }]);
    const pci = await groupsOf(ce, [{ Type: 'TAG', Key: 'pci-scope' }]);
    expect([...pci.keys()]).toEqual(['pci-scope$']);
    expect(pci.get('pci-scope$')).toBeCloseTo(sum(all), 2);
    const inScope = await groupsOf(ce, [{ Type: 'TAG', Key: 'product' }], {
      Tags: { Key: 'pci-scope', Values: ['in-scope'] },
    });
    expect(inScope.size).toBe(0);
    const absent = await groupsOf(
      ce,
      [{ Type: 'DIMENSION', Key: 'RECORD_TYPE' }],
      { Tags: { Key: 'pci-scope', MatchOptions: ['ABSENT'] } },
    );
    expect(sum(absent)).toBeCloseTo(sum(all), 2);
  });

  it('activates a key from today on; a backfill (one at a time, at most 12 months back) brings past months in', async () => {
    const update = await ce.send(
      new UpdateCostAllocationTagsStatusCommand({
        CostAllocationTagsStatus: [
          { TagKey: 'pci-scope', Status: 'Active' },
          { TagKey: 'owner-email', Status: 'Active' },
        ],
      }),
    );
    expect(update.Errors).toEqual([
      expect.objectContaining({ TagKey: 'owner-email' }),
    ]);
    const listed = await ce.send(
      new ListCostAllocationTagsCommand({ TagKeys: ['pci-scope'] }),
    );
    expect(listed.CostAllocationTags![0]).toMatchObject({
      Status: 'Active',
      LastUpdatedDate: '2026-11-25T09:00:00Z',
    });
    // Activation is not retroactive: last month is still all pci-scope$.
    expect([
      ...(await groupsOf(ce, [{ Type: 'TAG', Key: 'pci-scope' }])).keys(),
    ]).toEqual(['pci-scope$']);

    const backfill = (BackfillFrom: string) =>
      ce.send(new StartCostAllocationTagBackfillCommand({ BackfillFrom }));
    await expect(backfill('2026-01-15T00:00:00Z')).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('must be the first day of a month'),
    });
    await expect(backfill('2025-10-01T00:00:00Z')).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('within the previous 12 months'),
    });
    const started = await backfill('2025-11-01T00:00:00Z');
    expect(started.BackfillRequest).toMatchObject({
      BackfillFrom: '2025-11-01T00:00:00Z',
      BackfillStatus: 'PROCESSING',
    });
    await expect(backfill('2025-12-01T00:00:00Z')).rejects.toMatchObject({
      name: 'BackfillLimitExceededException',
    });

    now = new Date('2026-11-25T12:00:00Z');
    const history = await ce.send(
      new ListCostAllocationTagBackfillHistoryCommand({}),
    );
    expect(history.BackfillRequests).toEqual([
      expect.objectContaining({
        BackfillFrom: '2025-11-01T00:00:00Z',
        BackfillStatus: 'SUCCEEDED',
        CompletedAt: expect.any(String),
      }),
    ]);
    const october = await groupsOf(ce, [{ Type: 'TAG', Key: 'pci-scope' }]);
    expect([...october.keys()].sort()).toEqual([
      'pci-scope$',
      'pci-scope$connected',
      'pci-scope$in-scope',
      'pci-scope$out-of-scope',
    ]);
    // Before the backfill's start the key still groups nothing.
    const october2025 = await groupsOf(
      ce,
      [{ Type: 'TAG', Key: 'pci-scope' }],
      undefined,
      { Start: '2025-10-01', End: '2025-11-01' },
    );
    expect([...october2025.keys()]).toEqual(['pci-scope$']);

    await ce.send(
      new UpdateCostAllocationTagsStatusCommand({
        CostAllocationTagsStatus: [{ TagKey: 'pci-scope', Status: 'Inactive' }],
      }),
    );
    expect([
      ...(await groupsOf(ce, [{ Type: 'TAG', Key: 'pci-scope' }])).keys(),
    ]).toEqual(['pci-scope$']);
  });
});

describe('cost categories', () => {
  let aws: AwsLocal;
  let ce: CostExplorerClient;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: '2026-11-25' });
    ce = client(aws);
  });
  afterAll(() => aws.close());

  it('lists and describes the demo Product category: a rule per product on the product tag, the rest Unallocated', async () => {
    const { CostCategoryReferences } = await ce.send(
      new ListCostCategoryDefinitionsCommand({}),
    );
    expect(CostCategoryReferences).toEqual([
      expect.objectContaining({
        Name: 'Product',
        DefaultValue: 'Unallocated',
        EffectiveStart: '2025-10-01T00:00:00Z',
        Values: expect.arrayContaining(['wallet', 'shared', 'Unallocated']),
      }),
    ]);
    const { CostCategory } = await ce.send(
      new DescribeCostCategoryDefinitionCommand({
        CostCategoryArn: CostCategoryReferences![0].CostCategoryArn,
      }),
    );
    expect(CostCategory).toMatchObject({
      Name: 'Product',
      RuleVersion: 'CostCategoryExpression.v1',
      DefaultValue: 'Unallocated',
    });
    expect(CostCategory!.Rules!.length).toBe(
      CostCategoryReferences![0].NumberOfRules,
    );
    expect(CostCategory!.Rules).toContainEqual({
      Type: 'REGULAR',
      Value: 'wallet',
      Rule: {
        Tags: { Key: 'product', Values: ['wallet'], MatchOptions: ['EQUALS'] },
      },
    });
    await expect(
      ce.send(
        new DescribeCostCategoryDefinitionCommand({
          CostCategoryArn: `${CostCategoryReferences![0].CostCategoryArn}0`,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('groups by COST_CATEGORY as Product$<value> and filters by CostCategories, agreeing with the product tag', async () => {
    const byCategory = await groupsOf(
      ce,
      [{ Type: 'COST_CATEGORY', Key: 'Product' }],
      TAGGABLE,
    );
    const byTag = await groupsOf(
      ce,
      [{ Type: 'TAG', Key: 'product' }],
      TAGGABLE,
    );
    for (const product of ['card-acquiring', 'wallet', 'ledger', 'shared'])
      expect(byCategory.get(`Product$${product}`)).toBeCloseTo(
        byTag.get(`product$${product}`)!,
        4,
      );
    // The mis-tagged card-acq and the untagged spend match no rule: Unallocated.
    expect(byCategory.get('Product$Unallocated')).toBeCloseTo(
      byTag.get('product$')! + byTag.get('product$card-acq')!,
      4,
    );
    const wallet = await groupsOf(
      ce,
      [{ Type: 'DIMENSION', Key: 'RECORD_TYPE' }],
      { CostCategories: { Key: 'Product', Values: ['wallet'] } },
    );
    expect(sum(wallet)).toBeCloseTo(byTag.get('product$wallet')!, 4);
  });

  it('creates a category as AWS validates it, and groups by it at once', async () => {
    const created = await ce.send(
      new CreateCostCategoryDefinitionCommand({
        Name: 'Team',
        RuleVersion: 'CostCategoryExpression.v1',
        EffectiveStart: '2026-01-01T00:00:00Z',
        Rules: [
          {
            Value: 'Platform',
            Rule: {
              Dimensions: { Key: 'LINKED_ACCOUNT', Values: ['604913285577'] },
            },
          },
          {
            Type: 'INHERITED_VALUE',
            InheritedValue: { DimensionName: 'TAG', DimensionKey: 'team' },
          },
        ],
        SplitChargeRules: [
          {
            Source: 'Platform',
            Targets: ['wallet-team', 'ledger-team'],
            Method: 'PROPORTIONAL',
          },
        ],
        DefaultValue: 'No team',
      }),
    );
    expect(created).toMatchObject({
      CostCategoryArn: expect.stringMatching(
        /^arn:aws:ce::604913285577:costcategory\//,
      ),
      EffectiveStart: '2026-01-01T00:00:00Z',
    });
    const byTeam = await groupsOf(ce, [{ Type: 'COST_CATEGORY', Key: 'Team' }]);
    expect(byTeam.get('Team$Platform')).toBeGreaterThan(0);
    expect(byTeam.get('Team$wallet-team')).toBeGreaterThan(0);
    await expect(
      ce.send(
        new CreateCostCategoryDefinitionCommand({
          Name: 'Team',
          RuleVersion: 'CostCategoryExpression.v1',
          Rules: [
            { Value: 'x', Rule: { Tags: { Key: 'team', Values: ['x'] } } },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(
        "a cost category named 'Team' already exists",
      ),
    });
  });

  const valid: CreateCostCategoryDefinitionCommandInput = {
    Name: 'Environment',
    RuleVersion: 'CostCategoryExpression.v1',
    Rules: [
      {
        Value: 'prod',
        Rule: { Tags: { Key: 'environment', Values: ['production'] } },
      },
      {
        Value: 'other',
        Rule: { Tags: { Key: 'environment', Values: ['staging'] } },
      },
    ],
  };
  it.each<[string, Partial<CreateCostCategoryDefinitionCommandInput>, string]>([
    [
      'a name over 50 characters',
      { Name: 'x'.repeat(51) },
      'Name must be 1 to 50 characters',
    ],
    [
      'another rule version',
      { RuleVersion: 'v2' as any },
      "RuleVersion 'v2' is not valid",
    ],
    ['no rules', { Rules: [] }, 'Rules must hold 1 to 500 rules'],
    [
      'a rule without Value',
      { Rules: [{ Rule: { Tags: { Key: 'team', Values: ['a'] } } }] },
      'Value and Rule must not be null',
    ],
    [
      'an inherited value from SERVICE',
      {
        Rules: [
          {
            Type: 'INHERITED_VALUE',
            InheritedValue: { DimensionName: 'SERVICE' as any },
          },
        ],
      },
      'DimensionName must be TAG or LINKED_ACCOUNT_NAME',
    ],
    [
      'an inherited TAG without its key',
      {
        Rules: [
          { Type: 'INHERITED_VALUE', InheritedValue: { DimensionName: 'TAG' } },
        ],
      },
      'DimensionKey (the tag key) is required',
    ],
    [
      'a bad rule expression',
      {
        Rules: [
          {
            Value: 'a',
            Rule: { Dimensions: { Key: 'AZ' as any, Values: ['x'] } },
          },
        ],
      },
      "Rules[0].Rule.Dimensions.Key 'AZ' is not supported",
    ],
    [
      'a mid-month effective start',
      { EffectiveStart: '2026-03-15T00:00:00Z' },
      'must be the first day of a month',
    ],
    [
      'an effective start over 12 months back',
      { EffectiveStart: '2025-10-01T00:00:00Z' },
      'within the previous 12 months',
    ],
    [
      'a FIXED split without percentages',
      {
        SplitChargeRules: [
          { Source: 'other', Targets: ['prod'], Method: 'FIXED' },
        ],
      },
      'uses Method FIXED; give Parameters',
    ],
    [
      'FIXED percentages not adding to 100',
      {
        SplitChargeRules: [
          {
            Source: 'other',
            Targets: ['prod'],
            Method: 'FIXED',
            Parameters: [{ Type: 'ALLOCATION_PERCENTAGES', Values: ['60'] }],
          },
        ],
      },
      'add up to 60',
    ],
    [
      'a split to a value it does not have',
      {
        SplitChargeRules: [
          { Source: 'other', Targets: ['dev'], Method: 'EVEN' },
        ],
      },
      "Targets has 'dev', which is not a value",
    ],
  ])('refuses %s (ValidationException)', async (_what, change, message) => {
    await expect(
      ce.send(
        new CreateCostCategoryDefinitionCommand({ ...valid, ...change } as any),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(message),
    });
  });

  it('refuses a 51st category with ServiceQuotaExceededException', async () => {
    const { CostCategoryReferences } = await ce.send(
      new ListCostCategoryDefinitionsCommand({}),
    );
    for (let i = CostCategoryReferences!.length; i < 50; i++)
      await ce.send(
        new CreateCostCategoryDefinitionCommand({
          ...valid,
          Name: `Category ${i}`,
        }),
      );
    await expect(
      ce.send(
        new CreateCostCategoryDefinitionCommand({
          ...valid,
          Name: 'One too many',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ServiceQuotaExceededException' });
  });
});
