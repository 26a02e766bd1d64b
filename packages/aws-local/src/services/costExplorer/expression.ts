import { AwsError } from '../../protocols/types';
import type { CostSeries } from '../../estate/DemoEstate';

/** Dimensions the endpoint can filter and group by, read from a bill line. */
export const DIMENSIONS: Record<string, (series: CostSeries) => string> = {
  SERVICE: s => s.awsService,
  LINKED_ACCOUNT: s => s.accountId,
  REGION: s => s.region,
  USAGE_TYPE: s => s.usageType,
  RECORD_TYPE: () => 'Usage',
};

const MATCH_OPTIONS = [
  'EQUALS',
  'ABSENT',
  'STARTS_WITH',
  'ENDS_WITH',
  'CONTAINS',
  'CASE_SENSITIVE',
  'CASE_INSENSITIVE',
  'GREATER_THAN_OR_EQUAL',
];

export type SeriesPredicate = (series: CostSeries) => boolean;

function invalid(message: string): never {
  throw new AwsError('ValidationException', message);
}

function valueMatcher(
  values: string[],
  options: string[],
  path: string,
): (value: string | undefined) => boolean {
  for (const option of options) {
    if (!MATCH_OPTIONS.includes(option))
      invalid(
        `${path}.MatchOptions has '${option}'; use ${MATCH_OPTIONS.join(', ')}`,
      );
  }
  if (options.includes('ABSENT'))
    return value => value === undefined || value === '';
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

/** Compiles a Cost Explorer `Expression` into a predicate; an invalid one names its path, like AWS. */
export function compileExpression(
  expression: any,
  path = 'Filter',
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
        invalid(`${path}.${part} needs at least two expressions`);
      const compiled = list.map((e: unknown, i: number) =>
        compileExpression(e, `${path}.${part}[${i}]`),
      );
      return part === 'And'
        ? s => compiled.every((p: SeriesPredicate) => p(s))
        : s => compiled.some((p: SeriesPredicate) => p(s));
    }
    case 'Not': {
      const inner = compileExpression(expression.Not, `${path}.Not`);
      return s => !inner(s);
    }
    case 'Dimensions': {
      const { Key, Values = [], MatchOptions = [] } = expression.Dimensions;
      const read = DIMENSIONS[Key];
      if (!read)
        invalid(
          `${path}.Dimensions.Key '${Key}' is not supported; use ${Object.keys(
            DIMENSIONS,
          ).join(', ')}`,
        );
      if (
        !Array.isArray(Values) ||
        (Values.length === 0 && !MatchOptions.includes('ABSENT'))
      ) {
        invalid(`${path}.Dimensions.Values must list at least one value`);
      }
      const match = valueMatcher(Values, MatchOptions, `${path}.Dimensions`);
      return s => match(read(s));
    }
    case 'Tags': {
      const { Key, Values = [], MatchOptions = [] } = expression.Tags;
      if (!Key) invalid(`${path}.Tags.Key is required`);
      const match = valueMatcher(Values, MatchOptions, `${path}.Tags`);
      return s => match(s.tags[Key]);
    }
    default:
      return invalid(
        `${path}.CostCategories: this estate defines no cost categories; filter by Tags or Dimensions`,
      );
  }
}
