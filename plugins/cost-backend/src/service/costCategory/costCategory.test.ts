import {
  CostExplorerClient,
  CreateCostCategoryDefinitionCommand,
  DescribeCostCategoryDefinitionCommand,
  GetCostAndUsageCommand,
  GroupDefinition,
} from '@aws-sdk/client-cost-explorer';
import { ConfigReader } from '@backstage/config';
import { parse as parseHcl } from '@cdktf/hcl2json';
import {
  AwsLocal,
  awsLocalClientConfig,
  startAwsLocal,
} from '@internal/aws-local';
import { parseTaxonomy } from '@internal/taxonomy-common';
import fs from 'node:fs';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  AS_OF,
  TAXONOMY_FILE,
  demoTaxonomy,
  directoryOf,
  NOW,
  organizationSource,
} from '../../__testUtils__/fixtures';
import { refreshQueries } from '../CostRefresh';
import { readCostSettings } from '../settings';
import { costCategoryDefinition } from './definition';
import { costCategoryTerraform } from './terraform';

jest.setTimeout(60_000);

function definitionFor(aws: AwsLocal, config: object, name = 'PortalProduct') {
  const settings = readCostSettings(
    new ConfigReader({ cost: { costCategory: { name }, ...config } }),
    demoTaxonomy(),
  );
  return costCategoryDefinition({
    catalog: directoryOf(aws),
    productTag: settings.keys.product,
    sharedRules: settings.sharedRules,
    settings: settings.costCategory,
    now: NOW(),
  });
}

/** Amount per group value of the last full month, keys `Name$value` / `tag$value` back to values. */
async function totalsBy(
  client: CostExplorerClient,
  groupBy: GroupDefinition,
): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: '2026-10-01', End: '2026-11-01' },
        Granularity: 'MONTHLY',
        Metrics: ['UnblendedCost'],
        GroupBy: [groupBy],
        NextPageToken: token,
      }),
    );
    for (const result of page.ResultsByTime ?? [])
      for (const group of result.Groups ?? []) {
        const key = group.Keys![0];
        const value = key.slice(key.indexOf('$') + 1);
        totals.set(
          value,
          (totals.get(value) ?? 0) +
            Number(group.Metrics!.UnblendedCost.Amount),
        );
      }
    token = page.NextPageToken;
  } while (token);
  return totals;
}

describe('the generated AWS Cost Category', () => {
  let aws: AwsLocal;
  let client: CostExplorerClient;

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
    client = new CostExplorerClient({
      ...awsLocalClientConfig(aws.endpoint, 'us-east-1'),
      maxAttempts: 3,
    });
  });
  afterAll(() => aws.close());

  it('is accepted by CreateCostCategoryDefinition and groups spend as the product tag does', async () => {
    const definition = definitionFor(aws, {
      sharedCosts: [{ pool: 'shared', split: 'proportional' }],
    });
    const { CostCategoryArn } = await client.send(
      new CreateCostCategoryDefinitionCommand(definition),
    );
    const described = await client.send(
      new DescribeCostCategoryDefinitionCommand({ CostCategoryArn }),
    );
    expect(described.CostCategory?.Name).toBe(definition.Name);
    expect(described.CostCategory?.Rules).toHaveLength(definition.Rules.length);

    const byCategory = await totalsBy(client, {
      Type: 'COST_CATEGORY',
      Key: definition.Name,
    });
    const byTag = await totalsBy(client, { Type: 'TAG', Key: 'product' });
    const ruleValues = new Set(definition.Rules.map(r => r.Value));
    expect(ruleValues.size).toBeGreaterThan(1);
    for (const value of ruleValues)
      expect(byCategory.get(value) ?? 0).toBeCloseTo(byTag.get(value) ?? 0, 2);
    // Everything no rule names (untagged, or a mistyped product) lands on the default value.
    const unmatched = [...byTag.entries()]
      .filter(([value]) => !ruleValues.has(value))
      .reduce((sum, [, amount]) => sum + amount, 0);
    expect(unmatched).toBeGreaterThan(0);
    expect(byCategory.get(definition.DefaultValue) ?? 0).toBeCloseTo(
      unmatched,
      2,
    );
  });

  it('starts on the first of the current month by the injected clock, with the catalog products and pools', () => {
    const definition = definitionFor(aws, {});
    expect(definition.EffectiveStart).toBe(`${AS_OF.slice(0, 7)}-01T00:00:00Z`);
    expect(definition.RuleVersion).toBe('CostCategoryExpression.v1');
    const products = [...directoryOf(aws).systems.keys()].filter(
      p => p !== 'shared',
    );
    expect(definition.Rules.map(r => r.Value)).toEqual(
      expect.arrayContaining(products),
    );
    for (const rule of definition.Rules.filter(r => products.includes(r.Value)))
      expect(rule.Rule.Tags).toEqual({
        Key: 'product',
        Values: [rule.Value],
        MatchOptions: ['EQUALS'],
      });
    // The taxonomy's shared pool is split across products, proportionally by default.
    expect(definition.SplitChargeRules).toEqual([
      {
        Source: 'shared',
        Targets: products.sort(),
        Method: 'PROPORTIONAL',
      },
    ]);
  });

  it('maps even and fixed splits, and a shared account, to split charge rules AWS takes', async () => {
    const products = [...directoryOf(aws).systems.keys()]
      .filter(p => p !== 'shared')
      .sort();
    const definition = definitionFor(
      aws,
      {
        sharedCosts: [
          {
            pool: 'shared',
            split: 'fixed',
            percentages: { [products[0]]: 60, [products[1]]: 40 },
          },
          { account: aws.estate.accounts[2].id, split: 'even' },
        ],
      },
      'PortalFixed',
    );
    expect(definition.Rules[0]).toEqual({
      Value: `shared-account-${aws.estate.accounts[2].id}`,
      Rule: {
        Dimensions: {
          Key: 'LINKED_ACCOUNT',
          Values: [aws.estate.accounts[2].id],
          MatchOptions: ['EQUALS'],
        },
      },
      Type: 'REGULAR',
    });
    expect(definition.SplitChargeRules).toEqual([
      {
        Source: 'shared',
        Targets: [products[0], products[1]],
        Method: 'FIXED',
        Parameters: [{ Type: 'ALLOCATION_PERCENTAGES', Values: ['60', '40'] }],
      },
      {
        Source: `shared-account-${aws.estate.accounts[2].id}`,
        Targets: products,
        Method: 'EVEN',
      },
    ]);
    await expect(
      client.send(new CreateCostCategoryDefinitionCommand(definition)),
    ).resolves.toMatchObject({ CostCategoryArn: expect.any(String) });
  });

  it('refuses a fixed split AWS could not apply, naming the config key', () => {
    const [product] = [...directoryOf(aws).systems.keys()].filter(
      p => p !== 'shared',
    );
    expect(() =>
      definitionFor(aws, {
        sharedCosts: [
          { pool: 'shared', split: 'fixed', percentages: { [product]: 70 } },
        ],
      }),
    ).toThrow(/cost\.sharedCosts\[0\]\.percentages add up to 70%/);
  });

  it('writes the same definition as an aws_ce_cost_category resource that HCL parses back', async () => {
    const definition = definitionFor(aws, {
      sharedCosts: [
        { pool: 'shared', split: 'even' },
        { account: aws.estate.accounts[2].id, split: 'proportional' },
      ],
    });
    const parsed: any = await parseHcl(
      'cost-category.tf',
      costCategoryTerraform(definition),
    );
    const [resource] = parsed.resource.aws_ce_cost_category.portalproduct;
    expect(resource.name).toBe(definition.Name);
    expect(resource.rule_version).toBe(definition.RuleVersion);
    expect(resource.default_value).toBe(definition.DefaultValue);
    expect(resource.effective_start).toBe(definition.EffectiveStart);
    const expression = (block: any) => {
      const [inner] = block.rule;
      const [tags] = inner.tags ?? [];
      const [dimension] = inner.dimension ?? [];
      const body = tags ?? dimension;
      return {
        [tags ? 'Tags' : 'Dimensions']: {
          Key: body.key,
          Values: body.values,
          MatchOptions: body.match_options,
        },
      };
    };
    expect(
      resource.rule.map((block: any) => ({
        Value: block.value,
        Rule: expression(block),
        Type: block.type,
      })),
    ).toEqual(definition.Rules);
    expect(
      resource.split_charge_rule.map((block: any) => ({
        Source: block.source,
        Targets: block.targets,
        Method: block.method,
        ...(block.parameter
          ? {
              Parameters: block.parameter.map((p: any) => ({
                Type: p.type,
                Values: p.values,
              })),
            }
          : {}),
      })),
    ).toEqual(definition.SplitChargeRules);
  });
});

describe('a cost category as the products mapping', () => {
  it('is named by the taxonomy product tag, or by cost.productCostCategory, which wins', () => {
    const document = parseYaml(fs.readFileSync(TAXONOMY_FILE, 'utf8'));
    document.tags[0].costCategory = 'Product';
    const taxonomy = parseTaxonomy(stringifyYaml(document), 'taxonomy.yaml');
    expect(
      readCostSettings(new ConfigReader({}), taxonomy).keys.productCostCategory,
    ).toEqual({ name: 'Product', defaultValue: 'Unallocated' });
    expect(
      readCostSettings(
        new ConfigReader({
          cost: {
            productCostCategory: 'Allocation',
            costCategory: { defaultValue: 'Nobody' },
          },
        }),
        taxonomy,
      ).keys.productCostCategory,
    ).toEqual({ name: 'Allocation', defaultValue: 'Nobody' });
    expect(
      readCostSettings(new ConfigReader({}), demoTaxonomy()).keys
        .productCostCategory,
    ).toBeUndefined();
  });

  let aws: AwsLocal;
  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
  });
  afterAll(() => aws.close());

  it('groups products by COST_CATEGORY when cost.productCostCategory names one, with the same totals as the tag', async () => {
    const settings = readCostSettings(
      new ConfigReader({ cost: { productCostCategory: 'Product' } }),
      demoTaxonomy(),
    );
    const byCategory = refreshQueries(settings.keys)[0];
    expect(byCategory.groupBy[0]).toEqual({
      costCategory: 'Product',
      defaultValue: 'Unallocated',
    });
    const source = organizationSource(aws);
    const query = {
      start: '2026-10-01',
      end: '2026-11-01',
      granularity: 'MONTHLY' as const,
      metric: 'UnblendedCost',
    };
    const category = await source.usage({
      ...query,
      groupBy: [byCategory.groupBy[0], { dimension: 'SERVICE' }],
    });
    const tag = await source.usage({
      ...query,
      groupBy: [{ tag: 'product' }, { dimension: 'SERVICE' }],
    });
    const totals = (rows: typeof tag.rows) => {
      const map = new Map<string, number>();
      for (const r of rows) map.set(r.key1, (map.get(r.key1) ?? 0) + r.amount);
      return map;
    };
    const byProduct = totals(category.rows);
    const byTag = totals(tag.rows);
    // The demo category's default value reads as no product, as an untagged line does.
    expect(byProduct.has('Unallocated')).toBe(false);
    expect(byProduct.get('')).toBeGreaterThan(0);
    for (const product of directoryOf(aws).systems.keys())
      expect(byProduct.get(product) ?? 0).toBeCloseTo(
        byTag.get(product) ?? 0,
        2,
      );
  });
});
