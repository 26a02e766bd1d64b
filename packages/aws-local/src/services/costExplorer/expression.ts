import { AwsError } from '../../protocols/types';
import type { CostSeries, DemoEstate } from '../../estate/DemoEstate';

/** Dimensions the endpoint can filter and group by, read from a bill line. */
export const DIMENSIONS: Record<string, (series: CostSeries) => string> = {
  SERVICE: s => s.awsService,
  LINKED_ACCOUNT: s => s.accountId,
  REGION: s => s.region,
  USAGE_TYPE: s => s.usageType,
  RECORD_TYPE: s => s.recordType,
  BILLING_ENTITY: s => s.billingEntity,
};

/**
 * What GetCostAndUsage, GetCostForecast, GetDimensionValues and GetTags take: AWS documents
 * more, and rejects them (`MatchOptions contain not allowed match option`).
 */
const QUERY_MATCH_OPTIONS = {
  Dimensions: ['EQUALS', 'CASE_SENSITIVE'],
  Tags: ['EQUALS', 'ABSENT', 'CASE_SENSITIVE'],
  CostCategories: ['EQUALS', 'ABSENT', 'CASE_SENSITIVE'],
};
/** Cost category rules also take the "starts with / ends with / contains" operators of the console. */
const RULE_MATCH_OPTIONS = [
  'EQUALS',
  'ABSENT',
  'STARTS_WITH',
  'ENDS_WITH',
  'CONTAINS',
  'CASE_SENSITIVE',
  'CASE_INSENSITIVE',
];

export type SeriesPredicate = (series: CostSeries) => boolean;

/** What an expression may refer to besides the bill line: cost categories, by name. */
export interface ExpressionScope {
  /** `rule` relaxes MatchOptions to what cost category rules take. */
  mode: 'query' | 'rule';
  estate?: DemoEstate;
  costCategory?: (name: string) => ((s: CostSeries) => string) | undefined;
}

const QUERY: ExpressionScope = { mode: 'query' };

function invalid(message: string): never {
  throw new AwsError('ValidationException', message);
}

function valueMatcher(
  values: string[],
  options: string[],
  allowed: string[],
  path: string,
): (value: string | undefined) => boolean {
  for (const option of options) {
    if (!allowed.includes(option))
      invalid(
        `${path}.MatchOptions contain not allowed match option '${option}'. Allowed MatchOptions:${allowed.join(
          ', ',
        )}`,
      );
  }
  if (options.includes('ABSENT')) {
    if (values.length > 0)
      invalid(
        `${path}: expression must not have values set when ABSENT is provided`,
      );
    return value => value === undefined || value === '';
  }
  const fold = options.includes('CASE_INSENSITIVE')
    ? (s: string) => s.toLowerCase()
    : (s: string) => s;
  const wanted = values.map(fold);
  const tests: Record<string, (v: string, w: string) => boolean> = {
    STARTS_WITH: (v, w) => v.startsWith(w),
    ENDS_WITH: (v, w) => v.endsWith(w),
    CONTAINS: (v, w) => v.includes(w),
  };
  const test =
    tests[options.find(o => tests[o]) ?? ''] ??
    ((v: string, w: string) => v === w);
  // Cost Explorer writes "no tag" as the empty value, so EQUALS '' selects untagged spend.
  return value =>
    wanted.some(w =>
      value === undefined || value === '' ? w === '' : test(fold(value), w),
    );
}

function readValues(part: any, path: string): string[] {
  const { Values = [] } = part;
  if (!Array.isArray(Values) || Values.some(v => typeof v !== 'string'))
    invalid(`${path}.Values must be a list of strings`);
  return Values;
}

/** Compiles a Cost Explorer `Expression` into a predicate; an invalid one names its path, like AWS. */
export function compileExpression(
  expression: any,
  path = 'Filter',
  scope: ExpressionScope = QUERY,
): SeriesPredicate {
  if (typeof expression !== 'object' || expression === null)
    invalid(`${path} must be an Expression object`);
  const parts = [
    'And',
    'Or',
    'Not',
    'Dimensions',
    'Tags',
    'CostCategories',
  ].filter(k => expression[k] !== undefined);
  if (parts.length !== 1) {
    invalid(
      `${path} must have exactly one of And, Or, Not, Dimensions, Tags, CostCategories (has ${
        parts.length ? parts.join(', ') : 'none'
      })`,
    );
  }
  const [part] = parts;
  switch (part) {
    case 'And':
    case 'Or': {
      const list = expression[part];
      if (!Array.isArray(list) || list.length < 2)
        invalid(
          `${path}.${part}: ${part} expression must have at least 2 operands`,
        );
      const compiled = list.map((e: unknown, i: number) =>
        compileExpression(e, `${path}.${part}[${i}]`, scope),
      );
      return part === 'And'
        ? s => compiled.every((p: SeriesPredicate) => p(s))
        : s => compiled.some((p: SeriesPredicate) => p(s));
    }
    case 'Not': {
      const inner = compileExpression(expression.Not, `${path}.Not`, scope);
      return s => !inner(s);
    }
    case 'Dimensions': {
      const { Key, MatchOptions = [] } = expression.Dimensions;
      const where = `${path}.Dimensions`;
      let read = DIMENSIONS[Key];
      // Cost category rules read the account name too (LINKED_ACCOUNT_NAME).
      if (!read && scope.mode === 'rule' && Key === 'LINKED_ACCOUNT_NAME')
        read = s => scope.estate?.accountById(s.accountId)?.name ?? s.accountId;
      if (!read)
        invalid(
          `${where}.Key '${Key}' is not supported; use ${Object.keys(
            DIMENSIONS,
          ).join(', ')}`,
        );
      const values = readValues(expression.Dimensions, where);
      if (values.length === 0)
        invalid(`${where}.Values must list at least one value`);
      const match = valueMatcher(
        values,
        MatchOptions,
        scope.mode === 'rule'
          ? RULE_MATCH_OPTIONS.filter(o => o !== 'ABSENT')
          : QUERY_MATCH_OPTIONS.Dimensions,
        where,
      );
      return s => match(read!(s));
    }
    case 'Tags': {
      const { Key, MatchOptions = [] } = expression.Tags;
      const where = `${path}.Tags`;
      if (!Key) invalid(`${where}.Key is required`);
      const match = valueMatcher(
        readValues(expression.Tags, where),
        MatchOptions,
        scope.mode === 'rule' ? RULE_MATCH_OPTIONS : QUERY_MATCH_OPTIONS.Tags,
        where,
      );
      return s => match(s.tags[Key]);
    }
    default: {
      const { Key, MatchOptions = [] } = expression.CostCategories;
      const where = `${path}.CostCategories`;
      if (scope.mode === 'rule')
        invalid(
          `${where}: this endpoint does not take a cost category inside a cost category rule; use Dimensions or Tags`,
        );
      if (!Key) invalid(`${where}.Key is required (the cost category's name)`);
      const read = scope.costCategory?.(Key);
      if (!read)
        invalid(
          `${where}.Key '${Key}' is not a cost category of this account; list them with ListCostCategoryDefinitions`,
        );
      const match = valueMatcher(
        readValues(expression.CostCategories, where),
        MatchOptions,
        QUERY_MATCH_OPTIONS.CostCategories,
        where,
      );
      return s => match(read(s));
    }
  }
}
