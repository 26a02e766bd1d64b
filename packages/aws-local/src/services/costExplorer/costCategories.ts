import { AwsError, CallContext } from '../../protocols/types';
import {
  CostSeries,
  DemoEstate,
  SHARED_PRODUCT,
} from '../../estate/DemoEstate';
import {
  addMonths,
  formatDay,
  parseDay,
  startOfMonth,
} from '../../estate/dates';
import { stableUuid } from '../../estate/random';
import { pageOf } from '../paging';
import { compileExpression } from './expression';

/** The demo organisation's cost category: its products, from the `product` tag. */
export const DEMO_COST_CATEGORY = 'Product';
export const DEMO_DEFAULT_VALUE = 'Unallocated';
/** AWS's quota of cost categories per payer account. */
const MAX_COST_CATEGORIES = 50;
const NAME = /^(?! )[\p{L}\p{N}\p{Z}_-]*(?<! )$/u;

interface CostCategoryRule {
  Value?: string;
  Rule?: unknown;
  Type?: 'REGULAR' | 'INHERITED_VALUE';
  InheritedValue?: { DimensionName?: string; DimensionKey?: string };
}

interface SplitChargeRule {
  Source: string;
  Targets: string[];
  Method: 'PROPORTIONAL' | 'FIXED' | 'EVEN';
  Parameters?: Array<{ Type: string; Values: string[] }>;
}

export interface CostCategoryDefinition {
  CostCategoryArn: string;
  Name: string;
  EffectiveStart: string;
  RuleVersion: 'CostCategoryExpression.v1';
  Rules: CostCategoryRule[];
  SplitChargeRules?: SplitChargeRule[];
  DefaultValue?: string;
}

interface CompiledCategory {
  definition: CostCategoryDefinition;
  /** The value a bill line is categorised as ('' = none: no rule matched and no default). */
  valueOf: (s: CostSeries) => string;
}

function invalid(message: string): never {
  throw new AwsError('ValidationException', message);
}

const iso = (day: number) => `${formatDay(day)}T00:00:00Z`;

function arnOf(estate: DemoEstate, name: string): string {
  return `arn:aws:ce::${estate.managementAccount.id}:costcategory/${stableUuid(
    `${estate.seed.seed}:cost-category:${name}`,
  )}`;
}

/** `Product`: one rule per product of the catalog on the `product` tag, the rest `Unallocated`. */
function demoDefinition(estate: DemoEstate): CostCategoryDefinition {
  const productKey = estate.seed.tagKeys.product;
  const products = [...new Set([...estate.products, SHARED_PRODUCT])];
  return {
    CostCategoryArn: arnOf(estate, DEMO_COST_CATEGORY),
    Name: DEMO_COST_CATEGORY,
    EffectiveStart: iso(estate.firstDay),
    RuleVersion: 'CostCategoryExpression.v1',
    Rules: products.map(product => ({
      Type: 'REGULAR',
      Value: product,
      Rule: {
        Tags: { Key: productKey, Values: [product], MatchOptions: ['EQUALS'] },
      },
    })),
    DefaultValue: DEMO_DEFAULT_VALUE,
  };
}

function compile(
  definition: CostCategoryDefinition,
  estate: DemoEstate,
): CompiledCategory {
  const rules = definition.Rules.map((rule, i) => {
    if (rule.Type === 'INHERITED_VALUE') {
      const { DimensionName, DimensionKey } = rule.InheritedValue!;
      return DimensionName === 'TAG'
        ? (s: CostSeries) => s.tags[DimensionKey!] || undefined
        : (s: CostSeries) => estate.accountById(s.accountId)?.name;
    }
    const matches = compileExpression(rule.Rule, `Rules[${i}].Rule`, {
      mode: 'rule',
      estate,
    });
    return (s: CostSeries) => (matches(s) ? rule.Value : undefined);
  });
  const cache = new WeakMap<CostSeries, string>();
  return {
    definition,
    valueOf: s => {
      let value = cache.get(s);
      if (value === undefined) {
        value = definition.DefaultValue ?? '';
        for (const rule of rules) {
          const hit = rule(s);
          if (hit !== undefined) {
            value = hit;
            break;
          }
        }
        cache.set(s, value);
      }
      return value;
    },
  };
}

function categories(ctx: CallContext): CompiledCategory[] {
  return ctx.state('ce:costCategories', () => [
    compile(demoDefinition(ctx.estate), ctx.estate),
  ]);
}

/** The cost category of that name, as GroupBy COST_CATEGORY and Filter CostCategories read it. */
export function costCategoryReader(
  ctx: CallContext,
): (name: string) => ((s: CostSeries) => string) | undefined {
  const all = categories(ctx);
  return name => all.find(c => c.definition.Name === name)?.valueOf;
}

/** Names of the cost categories, for messages. */
export function costCategoryNames(ctx: CallContext): string[] {
  return categories(ctx).map(c => c.definition.Name);
}

function valuesOf(category: CompiledCategory, estate: DemoEstate): string[] {
  const values = new Set<string>();
  for (const rule of category.definition.Rules)
    if (rule.Value) values.add(rule.Value);
  if (category.definition.Rules.some(r => r.Type === 'INHERITED_VALUE'))
    for (const s of estate.series) {
      const value = category.valueOf(s);
      if (value) values.add(value);
    }
  if (category.definition.DefaultValue)
    values.add(category.definition.DefaultValue);
  return [...values].sort();
}

const processingStatus = [{ Component: 'COST_EXPLORER', Status: 'APPLIED' }];

function checkValue(value: unknown, field: string) {
  if (typeof value !== 'string' || value.length < 1 || value.length > 50)
    invalid(
      `Failed to create Cost Category: ${field} must be 1 to 50 characters`,
    );
  if (!NAME.test(value))
    invalid(
      `Failed to create Cost Category: ${field} '${value}' may hold letters, digits, spaces, _ and -, and may not start or end with a space`,
    );
}

function readRules(input: any, estate: DemoEstate): CostCategoryRule[] {
  const rules = input.Rules;
  if (!Array.isArray(rules) || rules.length < 1 || rules.length > 500)
    invalid('Failed to create Cost Category: Rules must hold 1 to 500 rules');
  return rules.map((rule: any, i: number) => {
    const field = `Rules[${i}]`;
    const type = rule?.Type ?? 'REGULAR';
    if (type === 'INHERITED_VALUE') {
      const inherited = rule.InheritedValue;
      const name = inherited?.DimensionName;
      if (name !== 'TAG' && name !== 'LINKED_ACCOUNT_NAME')
        invalid(
          `Failed to create Cost Category: ${field}.InheritedValue.DimensionName must be TAG or LINKED_ACCOUNT_NAME for an INHERITED_VALUE rule`,
        );
      if (name === 'TAG' && !inherited.DimensionKey)
        invalid(
          `Failed to create Cost Category: ${field}.InheritedValue.DimensionKey (the tag key) is required when DimensionName is TAG`,
        );
      if (rule.Value !== undefined || rule.Rule !== undefined)
        invalid(
          `Failed to create Cost Category: ${field} is INHERITED_VALUE; it takes InheritedValue, not Value or Rule`,
        );
      return {
        Type: 'INHERITED_VALUE',
        InheritedValue: {
          DimensionName: name,
          ...(inherited.DimensionKey
            ? { DimensionKey: inherited.DimensionKey }
            : {}),
        },
      };
    }
    if (type !== 'REGULAR')
      invalid(
        `Failed to create Cost Category: ${field}.Type '${type}' is not valid; use REGULAR or INHERITED_VALUE`,
      );
    if (rule.Value === undefined || rule.Rule === undefined)
      invalid(
        `Failed to create Cost Category: Invalid Rule: Value and Rule must not be null (${field})`,
      );
    checkValue(rule.Value, `${field}.Value`);
    // Compiling checks the expression as AWS does, naming its path.
    compileExpression(rule.Rule, `${field}.Rule`, { mode: 'rule', estate });
    return { Type: 'REGULAR', Value: rule.Value, Rule: rule.Rule };
  });
}

function readSplitChargeRules(
  input: any,
  values: Set<string>,
): SplitChargeRule[] | undefined {
  const rules = input.SplitChargeRules;
  if (rules === undefined) return undefined;
  if (!Array.isArray(rules) || rules.length < 1 || rules.length > 10)
    invalid(
      'Failed to create Cost Category: SplitChargeRules must hold 1 to 10 rules',
    );
  const sources = new Set<string>();
  const targets = new Set<string>();
  const read = rules.map((rule: any, i: number) => {
    const field = `SplitChargeRules[${i}]`;
    if (typeof rule?.Source !== 'string')
      invalid(
        `Failed to create Cost Category: ${field}.Source is required: a value of this cost category ('' for uncategorized costs)`,
      );
    if (rule.Source !== '' && !values.has(rule.Source))
      invalid(
        `Failed to create Cost Category: ${field}.Source '${rule.Source}' is not a value of this cost category`,
      );
    if (
      !Array.isArray(rule.Targets) ||
      rule.Targets.length < 1 ||
      rule.Targets.length > 500
    )
      invalid(
        `Failed to create Cost Category: ${field}.Targets must list 1 to 500 values of this cost category`,
      );
    for (const target of rule.Targets) {
      if (!values.has(target))
        invalid(
          `Failed to create Cost Category: ${field}.Targets has '${target}', which is not a value of this cost category`,
        );
      if (target === rule.Source || sources.has(target))
        invalid(
          `Failed to create Cost Category: ${field}.Targets has '${target}', which is a source; a value is either split or receives splits`,
        );
    }
    if (sources.has(rule.Source) || targets.has(rule.Source))
      invalid(
        `Failed to create Cost Category: ${field}.Source '${rule.Source}' is already a source or target of another split charge rule`,
      );
    sources.add(rule.Source);
    rule.Targets.forEach((t: string) => targets.add(t));
    const method = rule.Method;
    if (!['PROPORTIONAL', 'FIXED', 'EVEN'].includes(method))
      invalid(
        `Failed to create Cost Category: ${field}.Method '${method}' is not valid; use PROPORTIONAL, FIXED or EVEN`,
      );
    if (method !== 'FIXED') {
      if (rule.Parameters !== undefined)
        invalid(
          `Failed to create Cost Category: ${field}.Parameters are only for Method FIXED`,
        );
      return { Source: rule.Source, Targets: rule.Targets, Method: method };
    }
    const [parameter] = rule.Parameters ?? [];
    const percentages: unknown[] = parameter?.Values ?? [];
    if (
      rule.Parameters?.length !== 1 ||
      parameter.Type !== 'ALLOCATION_PERCENTAGES' ||
      percentages.length !== rule.Targets.length
    )
      invalid(
        `Failed to create Cost Category: ${field} uses Method FIXED; give Parameters [{ Type: ALLOCATION_PERCENTAGES, Values: one percentage per target }]`,
      );
    const sum = percentages.reduce<number>((a, v) => a + Number(v), 0);
    if (
      percentages.some(v => !Number.isFinite(Number(v))) ||
      Math.abs(sum - 100) > 1e-6
    )
      invalid(
        `Failed to create Cost Category: ${field}.Parameters ALLOCATION_PERCENTAGES add up to ${sum}; they must add up to 100`,
      );
    return {
      Source: rule.Source,
      Targets: rule.Targets,
      Method: method,
      Parameters: [
        { Type: 'ALLOCATION_PERCENTAGES', Values: percentages.map(String) },
      ],
    };
  });
  return read;
}

function readEffectiveStart(input: any, estate: DemoEstate): number {
  const thisMonth = startOfMonth(estate.asOfDay);
  if (input.EffectiveStart === undefined) return thisMonth;
  const raw = String(input.EffectiveStart);
  const day = parseDay(raw.slice(0, 10));
  if (day === undefined)
    invalid(
      `Failed to create Cost Category: EffectiveStart '${raw}' is not an ISO 8601 date`,
    );
  if (startOfMonth(day) !== day)
    invalid(
      `Failed to create Cost Category: EffectiveStart '${raw}' must be the first day of a month (a billing period start)`,
    );
  if (day < addMonths(thisMonth, -12) || day > thisMonth)
    invalid(
      `Failed to create Cost Category: EffectiveStart '${raw}' must be within the previous 12 months: from ${formatDay(
        addMonths(thisMonth, -12),
      )} to ${formatDay(thisMonth)}`,
    );
  return day;
}

function createCostCategoryDefinition(input: any, ctx: CallContext) {
  const { estate } = ctx;
  const all = categories(ctx);
  checkValue(input.Name, 'Name');
  if (input.RuleVersion !== 'CostCategoryExpression.v1')
    invalid(
      `Failed to create Cost Category: RuleVersion '${input.RuleVersion}' is not valid; use CostCategoryExpression.v1`,
    );
  const rules = readRules(input, estate);
  if (input.DefaultValue !== undefined)
    checkValue(input.DefaultValue, 'DefaultValue');
  const start = readEffectiveStart(input, estate);
  if (all.some(c => c.definition.Name === input.Name))
    invalid(
      `Failed to create Cost Category: a cost category named '${input.Name}' already exists; update it (UpdateCostCategoryDefinition) or pick another name`,
    );
  if (all.length >= MAX_COST_CATEGORIES)
    throw new AwsError(
      'ServiceQuotaExceededException',
      `This account has ${all.length} cost categories, the most it may have; delete one first`,
    );
  const draft: CostCategoryDefinition = {
    CostCategoryArn: arnOf(estate, input.Name),
    Name: input.Name,
    EffectiveStart: iso(start),
    RuleVersion: 'CostCategoryExpression.v1',
    Rules: rules,
    ...(input.DefaultValue !== undefined
      ? { DefaultValue: input.DefaultValue }
      : {}),
  };
  const compiled = compile(draft, estate);
  const split = readSplitChargeRules(
    input,
    new Set(valuesOf(compiled, estate)),
  );
  if (split) draft.SplitChargeRules = split;
  all.push(compiled);
  return {
    CostCategoryArn: draft.CostCategoryArn,
    EffectiveStart: draft.EffectiveStart,
  };
}

function describeCostCategoryDefinition(input: any, ctx: CallContext) {
  if (!input.CostCategoryArn)
    invalid(
      'CostCategoryArn is required (ListCostCategoryDefinitions lists them)',
    );
  const found = categories(ctx).find(
    c => c.definition.CostCategoryArn === input.CostCategoryArn,
  );
  if (!found)
    throw new AwsError(
      'ResourceNotFoundException',
      `No cost category with ARN ${input.CostCategoryArn}`,
    );
  return {
    CostCategory: { ...found.definition, ProcessingStatus: processingStatus },
  };
}

function listCostCategoryDefinitions(input: any, ctx: CallContext) {
  const size = input.MaxResults ?? 100;
  if (!Number.isInteger(size) || size < 1 || size > 100)
    invalid(`MaxResults ${size} must be a whole number from 1 to 100`);
  const all = categories(ctx).map(c => ({
    CostCategoryArn: c.definition.CostCategoryArn,
    Name: c.definition.Name,
    EffectiveStart: c.definition.EffectiveStart,
    NumberOfRules: c.definition.Rules.length,
    ProcessingStatus: processingStatus,
    Values: valuesOf(c, ctx.estate),
    ...(c.definition.DefaultValue
      ? { DefaultValue: c.definition.DefaultValue }
      : {}),
  }));
  const page = pageOf(all, input, ctx.account.id, size, 'NextToken');
  return { CostCategoryReferences: page.items, NextToken: page.nextToken };
}

export const costCategoryOperations = {
  CreateCostCategoryDefinition: createCostCategoryDefinition,
  DescribeCostCategoryDefinition: describeCostCategoryDefinition,
  ListCostCategoryDefinitions: listCostCategoryDefinitions,
};
