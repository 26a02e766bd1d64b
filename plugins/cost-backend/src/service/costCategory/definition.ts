import { InputError } from '@backstage/errors';
import type { CatalogDirectory, SharedCostRule } from '../readers/types';

/**
 * The AWS Cost Category that says what the portal says: one value per product (catalog System),
 * each matching its services' `product` tag, the shared pools split the way `cost.sharedCosts`
 * splits them, and a default value for spend no rule matches. Plain data in the shape
 * CreateCostCategoryDefinition takes (SDK field names), so it can be sent or saved as JSON as is.
 */

/** The expressions the generator writes: a tag value, or a linked account (shared accounts). */
export interface CostCategoryExpression {
  Tags?: { Key: string; Values: string[]; MatchOptions: Array<'EQUALS'> };
  Dimensions?: {
    Key: 'LINKED_ACCOUNT';
    Values: string[];
    MatchOptions: Array<'EQUALS'>;
  };
}

export interface CostCategoryRuleDefinition {
  Value: string;
  Rule: CostCategoryExpression;
  Type: 'REGULAR';
}

export interface CostCategorySplitChargeRuleDefinition {
  Source: string;
  Targets: string[];
  Method: 'PROPORTIONAL' | 'EVEN' | 'FIXED';
  Parameters?: Array<{ Type: 'ALLOCATION_PERCENTAGES'; Values: string[] }>;
}

export interface CostCategoryDefinition {
  Name: string;
  RuleVersion: 'CostCategoryExpression.v1';
  EffectiveStart: string;
  Rules: CostCategoryRuleDefinition[];
  DefaultValue: string;
  SplitChargeRules?: CostCategorySplitChargeRuleDefinition[];
}

export interface CostCategorySettings {
  /** The definition's name (`cost.costCategory.name`). */
  name: string;
  /** The value of spend no rule matches (`cost.costCategory.defaultValue`). */
  defaultValue: string;
}

/** AWS's limits on a definition (CreateCostCategoryDefinition). */
const MAX_RULES = 500;
const MAX_SPLIT_CHARGE_RULES = 10;
/** Names and values: letters, digits, spaces, `-` and `_`, no space at either end, 1..50. */
const VALUE_PATTERN = /^(?! )[\p{L}\p{N}\p{Z}_-]{1,50}(?<! )$/u;

const METHOD: Record<
  SharedCostRule['split'],
  CostCategorySplitChargeRuleDefinition['Method']
> = {
  proportional: 'PROPORTIONAL',
  even: 'EVEN',
  fixed: 'FIXED',
};

const ACCOUNT_POOL = 'account:';

/** A shared account's pool as a cost category value (`:` is not allowed in values). */
export function accountPoolValue(accountId: string): string {
  return `shared-account-${accountId}`;
}

function checkValue(value: string, what: string, fix: string): string {
  if (!VALUE_PATTERN.test(value))
    throw new InputError(
      `Cannot generate the cost category: ${what} '${value}' is not a valid cost category value ` +
        `(1 to 50 letters, digits, spaces, - or _); ${fix}`,
    );
  return value;
}

/** The first day of the clock's month, as the ISO timestamp EffectiveStart takes. */
export function effectiveStartOf(now: Date): string {
  return `${now.toISOString().slice(0, 7)}-01T00:00:00Z`;
}

export function costCategoryDefinition(options: {
  catalog: CatalogDirectory;
  productTag: string;
  sharedRules: SharedCostRule[];
  settings: CostCategorySettings;
  now: Date;
}): CostCategoryDefinition {
  const { catalog, productTag, sharedRules, settings, now } = options;
  const name = checkValue(
    settings.name,
    'cost.costCategory.name',
    'set cost.costCategory.name',
  );
  const defaultValue = checkValue(
    settings.defaultValue,
    'cost.costCategory.defaultValue',
    'set cost.costCategory.defaultValue',
  );
  const pools = new Set(sharedRules.map(rule => rule.pool));
  // A product's services carry its System name as their product tag value; pools are not products.
  const products = [...catalog.systems.keys()]
    .filter(product => !pools.has(product))
    .sort();
  for (const product of products)
    checkValue(
      product,
      'catalog System',
      'rename the System or leave it out of the taxonomy',
    );

  const tagRule = (value: string): CostCategoryRuleDefinition => ({
    Value: value,
    Rule: {
      Tags: { Key: productTag, Values: [value], MatchOptions: ['EQUALS'] },
    },
    Type: 'REGULAR',
  });
  const poolValue = (pool: string) =>
    pool.startsWith(ACCOUNT_POOL)
      ? accountPoolValue(pool.slice(ACCOUNT_POOL.length))
      : checkValue(
          pool,
          'shared pool',
          'rename the taxonomy shared value or cost.sharedCosts pool',
        );
  // Rules match in order: a shared account's whole spend is its pool whatever its tags, as in the portal.
  const rules: CostCategoryRuleDefinition[] = [
    ...sharedRules
      .filter(rule => rule.pool.startsWith(ACCOUNT_POOL))
      .map(
        (rule): CostCategoryRuleDefinition => ({
          Value: poolValue(rule.pool),
          Rule: {
            Dimensions: {
              Key: 'LINKED_ACCOUNT',
              Values: [rule.pool.slice(ACCOUNT_POOL.length)],
              MatchOptions: ['EQUALS'],
            },
          },
          Type: 'REGULAR',
        }),
      ),
    ...sharedRules
      .filter(rule => !rule.pool.startsWith(ACCOUNT_POOL))
      .map(rule => tagRule(poolValue(rule.pool))),
    ...products.map(tagRule),
  ];
  if (rules.length > MAX_RULES)
    throw new InputError(
      `Cannot generate the cost category: ${rules.length} rules (products and pools); AWS allows ${MAX_RULES} per definition`,
    );
  if (sharedRules.length > MAX_SPLIT_CHARGE_RULES)
    throw new InputError(
      `Cannot generate the cost category: cost.sharedCosts has ${sharedRules.length} pools; AWS allows ${MAX_SPLIT_CHARGE_RULES} split charge rules`,
    );

  const splitChargeRules = sharedRules.map((rule, i) => {
    const source = poolValue(rule.pool);
    if (rule.split !== 'fixed')
      return { Source: source, Targets: products, Method: METHOD[rule.split] };
    const entries = Object.entries(rule.percentages ?? {}).filter(([product]) =>
      products.includes(product),
    );
    const total = entries.reduce((sum, [, percent]) => sum + percent, 0);
    // AWS allocates all of a fixed split; the portal leaves an unassigned rest with the pool.
    if (Math.abs(total - 100) > 1e-9)
      throw new InputError(
        `Cannot generate the cost category: cost.sharedCosts[${i}].percentages add up to ${total}% ` +
          `over catalog products; a FIXED split charge rule must allocate 100%`,
      );
    return {
      Source: source,
      Targets: entries.map(([product]) => product),
      Method: 'FIXED' as const,
      Parameters: [
        {
          Type: 'ALLOCATION_PERCENTAGES' as const,
          Values: entries.map(([, percent]) => String(percent)),
        },
      ],
    };
  });

  return {
    Name: name,
    RuleVersion: 'CostCategoryExpression.v1',
    EffectiveStart: effectiveStartOf(now),
    Rules: rules,
    DefaultValue: defaultValue,
    ...(splitChargeRules.length > 0
      ? { SplitChargeRules: splitChargeRules }
      : {}),
  };
}
