import { AwsError } from '../../protocols/types';

/**
 * The subset of AWS Config's advanced query language (a SQL SELECT without FROM) the loopback
 * answers, per AWS's "Query Components" and "Limitations" pages:
 *   SELECT property [, ...] [WHERE condition] [GROUP BY property [, ...]]
 *     [ORDER BY property [ASC|DESC] [, ...]]
 * Conditions: = != <> < <= > >= IN BETWEEN LIKE (suffix wildcards, >= 3 literal characters),
 * AND, OR, NOT, parentheses. Aggregates: COUNT SUM AVG MIN MAX of one property (COUNT(*)).
 * Paths crossing arrays match and return every element. `SELECT *` selects the top-level scalars.
 */

export type Scalar = string | number | boolean;

export type SelectItem =
  | { kind: 'property'; path: string }
  | { kind: 'aggregate'; fn: Aggregate; path: string | '*'; name: string };

type Aggregate = 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';

export type Condition =
  | { op: 'and' | 'or'; left: Condition; right: Condition }
  | { op: 'not'; inner: Condition }
  | {
      op: 'compare';
      path: string;
      comparator: '=' | '!=' | '<' | '<=' | '>' | '>=';
      value: Scalar;
    }
  | { op: 'in'; path: string; values: Scalar[] }
  | { op: 'between'; path: string; low: Scalar; high: Scalar }
  | { op: 'like'; path: string; pattern: RegExp };

export interface Query {
  select: SelectItem[];
  where?: Condition;
  groupBy: string[];
  orderBy: Array<{ key: string; descending: boolean }>;
  /** GROUP BY or an aggregate function: AWS pages such queries by 500 by default. */
  aggregate: boolean;
}

/** The top-level properties of a configuration item a query may name. */
export const TOP_LEVEL = new Set([
  'accountId',
  'arn',
  'availabilityZone',
  'awsRegion',
  'configuration',
  'configurationItemCaptureTime',
  'configurationItemStatus',
  'configurationStateId',
  'relationships',
  'resourceCreationTime',
  'resourceId',
  'resourceName',
  'resourceType',
  'supplementaryConfiguration',
  'tags',
  'version',
]);

/** What `SELECT *` returns (AWS: "only the top-level, scalar properties of a CI"). */
export const STAR_FIELDS = [
  'accountId',
  'awsRegion',
  'arn',
  'availabilityZone',
  'configurationItemCaptureTime',
  'resourceCreationTime',
  'resourceId',
  'resourceName',
  'resourceType',
  'version',
];

const UNSUPPORTED = new Set([
  'ALL',
  'AS',
  'DISTINCT',
  'FROM',
  'HAVING',
  'JOIN',
  'UNION',
  'NULL',
  'LIMIT',
  'OFFSET',
]);
const KEYWORDS = new Set([
  'SELECT',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'BETWEEN',
  'LIKE',
  'GROUP',
  'ORDER',
  'BY',
  'ASC',
  'DESC',
  'TRUE',
  'FALSE',
]);
const AGGREGATES = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']);

type Token =
  | { type: 'word'; text: string; upper: string; at: number }
  | { type: 'string'; text: string; at: number }
  | { type: 'number'; text: string; at: number }
  | { type: 'symbol'; text: string; at: number };

function invalid(message: string): never {
  throw new AwsError('InvalidExpressionException', message);
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const c = expression[i];
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (c === "'" || c === '"') {
      // Both quote styles work in Config's console; '' escapes a quote.
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= expression.length)
          invalid(`Unterminated string literal starting at position ${i + 1}`);
        if (expression[j] === c) {
          if (expression[j + 1] === c) {
            text += c;
            j += 2;
            continue;
          }
          break;
        }
        text += expression[j];
        j += 1;
      }
      tokens.push({ type: 'string', text, at: i });
      i = j + 1;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(expression.slice(i));
    if (number && !/[A-Za-z_]/.test(expression[i + number[0].length] ?? '')) {
      tokens.push({ type: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.:]*/.exec(expression.slice(i));
    if (word) {
      tokens.push({
        type: 'word',
        text: word[0],
        upper: word[0].toUpperCase(),
        at: i,
      });
      i += word[0].length;
      continue;
    }
    const symbol = /^(<=|>=|<>|!=|[=<>(),*])/.exec(expression.slice(i));
    if (symbol) {
      tokens.push({ type: 'symbol', text: symbol[0], at: i });
      i += symbol[0].length;
      continue;
    }
    invalid(`Unexpected character '${c}' at position ${i + 1}`);
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  isWord(upper: string, offset = 0): boolean {
    const t = this.tokens[this.pos + offset];
    return t?.type === 'word' && t.upper === upper;
  }

  isSymbol(text: string): boolean {
    const t = this.peek();
    return t?.type === 'symbol' && t.text === text;
  }

  describe(t: Token | undefined): string {
    return t ? `'${t.text}' at position ${t.at + 1}` : 'the end of the query';
  }

  expectWord(upper: string) {
    if (!this.isWord(upper))
      invalid(`Expected ${upper} but found ${this.describe(this.peek())}`);
    this.pos += 1;
  }

  expectSymbol(text: string) {
    if (!this.isSymbol(text))
      invalid(`Expected '${text}' but found ${this.describe(this.peek())}`);
    this.pos += 1;
  }

  property(): string {
    const t = this.peek();
    if (t?.type !== 'word' || KEYWORDS.has(t.upper) || UNSUPPORTED.has(t.upper))
      invalid(`Expected a property but found ${this.describe(t)}`);
    this.pos += 1;
    const root = t.text.split('.')[0];
    if (!TOP_LEVEL.has(root) || t.text.endsWith('.') || t.text.includes('..'))
      invalid(
        `Unknown property '${t.text}'; properties start with one of ${[
          ...TOP_LEVEL,
        ].join(', ')}`,
      );
    return t.text;
  }

  literal(): Scalar {
    const t = this.peek();
    if (!t) invalid('Expected a value but found the end of the query');
    this.pos += 1;
    if (t.type === 'string') return t.text;
    if (t.type === 'number') return Number(t.text);
    if (t.type === 'word' && t.upper === 'TRUE') return true;
    if (t.type === 'word' && t.upper === 'FALSE') return false;
    if (t.type === 'word' && t.upper === 'NULL')
      invalid('NULL value queries are not supported');
    return invalid(`Expected a value but found ${this.describe(t)}`);
  }

  selectItem(): SelectItem {
    const t = this.peek();
    if (
      t?.type === 'word' &&
      AGGREGATES.has(t.upper) &&
      this.isSymbolAt(1, '(')
    ) {
      this.pos += 2;
      let path: string;
      if (this.isSymbol('*')) {
        if (t.upper !== 'COUNT') invalid(`${t.upper}(*) is not supported`);
        this.pos += 1;
        path = '*';
      } else {
        const inner = this.peek();
        if (inner?.type === 'word' && AGGREGATES.has(inner.upper))
          invalid(
            'Aggregate functions cannot take other functions as arguments',
          );
        path = this.property();
      }
      if (this.isSymbol(','))
        invalid('Aggregate functions accept a single argument');
      this.expectSymbol(')');
      return {
        kind: 'aggregate',
        fn: t.upper as Aggregate,
        path,
        name: `${t.upper}(${path})`,
      };
    }
    return { kind: 'property', path: this.property() };
  }

  isSymbolAt(offset: number, text: string) {
    const t = this.tokens[this.pos + offset];
    return t?.type === 'symbol' && t.text === text;
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.isWord('OR')) {
      this.pos += 1;
      left = { op: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  conjunction(): Condition {
    let left = this.negation();
    while (this.isWord('AND')) {
      this.pos += 1;
      left = { op: 'and', left, right: this.negation() };
    }
    return left;
  }

  negation(): Condition {
    if (this.isWord('NOT')) {
      this.pos += 1;
      return { op: 'not', inner: this.negation() };
    }
    if (this.isSymbol('(')) {
      this.pos += 1;
      const inner = this.condition();
      this.expectSymbol(')');
      return inner;
    }
    return this.predicate();
  }

  predicate(): Condition {
    const path = this.property();
    let negate = false;
    if (this.isWord('NOT')) {
      this.pos += 1;
      negate = true;
    }
    let condition: Condition;
    const t = this.peek();
    if (this.isWord('IN')) {
      this.pos += 1;
      this.expectSymbol('(');
      const values = [this.literal()];
      while (this.isSymbol(',')) {
        this.pos += 1;
        values.push(this.literal());
      }
      this.expectSymbol(')');
      condition = { op: 'in', path, values };
    } else if (this.isWord('BETWEEN')) {
      this.pos += 1;
      const low = this.literal();
      this.expectWord('AND');
      condition = { op: 'between', path, low, high: this.literal() };
    } else if (this.isWord('LIKE')) {
      this.pos += 1;
      const pattern = this.literal();
      if (typeof pattern !== 'string') invalid('LIKE takes a string pattern');
      condition = { op: 'like', path, pattern: likePattern(pattern) };
    } else if (
      !negate &&
      t?.type === 'symbol' &&
      ['=', '!=', '<>', '<', '<=', '>', '>='].includes(t.text)
    ) {
      this.pos += 1;
      condition = {
        op: 'compare',
        path,
        comparator: (t.text === '<>' ? '!=' : t.text) as '=',
        value: this.literal(),
      };
    } else {
      return invalid(
        `Expected a comparison after '${path}' but found ${this.describe(t)}`,
      );
    }
    return negate ? { op: 'not', inner: condition } : condition;
  }

  propertyList(): string[] {
    const list = [this.property()];
    while (this.isSymbol(',')) {
      this.pos += 1;
      list.push(this.property());
    }
    return list;
  }

  parse(): Query {
    for (const t of this.tokens)
      if (t.type === 'word' && UNSUPPORTED.has(t.upper))
        invalid(`${t.upper} is not supported in AWS Config queries`);
    this.expectWord('SELECT');
    let select: SelectItem[];
    if (this.isSymbol('*')) {
      this.pos += 1;
      select = STAR_FIELDS.map(path => ({ kind: 'property', path }));
    } else {
      select = [this.selectItem()];
      while (this.isSymbol(',')) {
        this.pos += 1;
        select.push(this.selectItem());
      }
    }
    let where: Condition | undefined;
    if (this.isWord('WHERE')) {
      this.pos += 1;
      where = this.condition();
    }
    let groupBy: string[] = [];
    if (this.isWord('GROUP')) {
      this.pos += 1;
      this.expectWord('BY');
      groupBy = this.propertyList();
      if (groupBy.length > 3)
        invalid('GROUP BY clauses may contain up to three properties');
    }
    const orderBy: Query['orderBy'] = [];
    if (this.isWord('ORDER')) {
      this.pos += 1;
      this.expectWord('BY');
      do {
        if (orderBy.length > 0) this.pos += 1;
        const item = this.selectItem();
        const key = item.kind === 'aggregate' ? item.name : item.path;
        let descending = false;
        if (this.isWord('ASC') || this.isWord('DESC')) {
          descending = this.isWord('DESC');
          this.pos += 1;
        }
        orderBy.push({ key, descending });
      } while (this.isSymbol(','));
    }
    if (this.peek()) invalid(`Unexpected ${this.describe(this.peek())}`);
    const aggregate =
      groupBy.length > 0 || select.some(s => s.kind === 'aggregate');
    if (aggregate) {
      for (const s of select)
        if (s.kind === 'property' && !groupBy.includes(s.path))
          invalid(
            `'${s.path}' must appear in the GROUP BY clause or be used in an aggregate function`,
          );
    }
    return { select, where, groupBy, orderBy, aggregate };
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** LIKE patterns: suffix wildcards only (`%`, `_`), after at least three literal characters. */
function likePattern(pattern: string): RegExp {
  const first = pattern.search(/[%_]/);
  if (first < 0) return new RegExp(`^${escapeRegExp(pattern)}$`);
  if (!/^[%_]+$/.test(pattern.slice(first)))
    invalid(
      `LIKE '${pattern}': only suffix wildcards are supported (e.g. 'AWS::EC2::%')`,
    );
  if (first < 3)
    invalid(
      `LIKE '${pattern}': wildcard matches must start with at least three characters`,
    );
  const tail = pattern
    .slice(first)
    .split('')
    .map(c => (c === '%' ? '.*' : '.'))
    .join('');
  return new RegExp(`^${escapeRegExp(pattern.slice(0, first))}${tail}$`, 's');
}

/** Parses an expression; InvalidExpressionException names what is wrong. */
export function parseQuery(expression: string): Query {
  return new Parser(tokenize(expression)).parse();
}

/** Every leaf value a dotted path reaches, through arrays. */
export function valuesAt(doc: unknown, path: string): unknown[] {
  let current: unknown[] = [doc];
  for (const segment of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (item && typeof item === 'object' && !Array.isArray(item)) {
          const v = (item as Record<string, unknown>)[segment];
          if (v !== undefined && v !== null) next.push(v);
        }
      }
    }
    current = next;
  }
  return current.flatMap(v => (Array.isArray(v) ? v : [v]));
}

function sameValue(value: unknown, literal: Scalar): boolean {
  if (value === literal) return true;
  if (typeof value === 'object') return false;
  return String(value) === String(literal);
}

function order(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  if (x === y) return 0;
  return x < y ? -1 : 1;
}

export function matches(doc: unknown, condition: Condition): boolean {
  switch (condition.op) {
    case 'and':
      return matches(doc, condition.left) && matches(doc, condition.right);
    case 'or':
      return matches(doc, condition.left) || matches(doc, condition.right);
    case 'not':
      return !matches(doc, condition.inner);
    default:
      break;
  }
  const values = valuesAt(doc, condition.path).filter(
    v => typeof v !== 'object',
  );
  switch (condition.op) {
    case 'in':
      return values.some(v => condition.values.some(l => sameValue(v, l)));
    case 'between':
      return values.some(
        v => order(v, condition.low) >= 0 && order(v, condition.high) <= 0,
      );
    case 'like':
      return values.some(v => condition.pattern.test(String(v)));
    case 'compare': {
      const { comparator, value } = condition;
      return values.some(v => {
        if (comparator === '=') return sameValue(v, value);
        if (comparator === '!=') return !sameValue(v, value);
        const c = order(v, value);
        if (comparator === '<') return c < 0;
        if (comparator === '<=') return c <= 0;
        if (comparator === '>') return c > 0;
        return c >= 0;
      });
    }
    default:
      return false;
  }
}

/** The part of `value` a path names, keeping the nesting (arrays element by element). */
function prune(value: unknown, segments: string[]): unknown {
  if (segments.length === 0) return value;
  if (Array.isArray(value)) return value.map(v => prune(v, segments) ?? {});
  if (value && typeof value === 'object') {
    const child = prune(
      (value as Record<string, unknown>)[segments[0]],
      segments.slice(1),
    );
    return child === undefined ? undefined : { [segments[0]]: child };
  }
  return undefined;
}

function merge(target: unknown, source: unknown): unknown {
  if (Array.isArray(target) && Array.isArray(source))
    return source.map((s, i) => merge(target[i], s));
  if (
    target &&
    source &&
    typeof target === 'object' &&
    typeof source === 'object' &&
    !Array.isArray(target) &&
    !Array.isArray(source)
  ) {
    const out: Record<string, unknown> = { ...(target as object) };
    for (const [k, v] of Object.entries(source))
      out[k] = k in out ? merge(out[k], v) : v;
    return out;
  }
  return source === undefined ? target : source;
}

/** A result row: the selected properties only, nested by their dotted paths. */
export function project(
  doc: unknown,
  paths: string[],
): Record<string, unknown> {
  let row: unknown = {};
  for (const path of paths) {
    const part = prune(doc, path.split('.'));
    if (part !== undefined) row = merge(row, part);
  }
  return row as Record<string, unknown>;
}

function aggregateValue(
  docs: unknown[],
  item: Extract<SelectItem, { kind: 'aggregate' }>,
): number | string | undefined {
  if (item.path === '*') return docs.length;
  const path = item.path;
  const values = docs.flatMap(d =>
    valuesAt(d, path).filter(v => typeof v !== 'object'),
  );
  if (item.fn === 'COUNT')
    return docs.filter(d => valuesAt(d, path).length > 0).length;
  if (values.length === 0) return undefined;
  if (item.fn === 'MIN')
    return values.reduce((a, b) => (order(a, b) <= 0 ? a : b)) as number;
  if (item.fn === 'MAX')
    return values.reduce((a, b) => (order(a, b) >= 0 ? a : b)) as number;
  const numbers = values.map(Number).filter(Number.isFinite);
  const sum = numbers.reduce((a, b) => a + b, 0);
  if (item.fn === 'SUM') return sum;
  return numbers.length ? sum / numbers.length : undefined;
}

/** Runs a parsed query over item documents (already in Config's default order); rows as objects. */
export function runQuery(
  query: Query,
  docs: unknown[],
): Array<Record<string, unknown>> {
  const selected = query.where
    ? docs.filter(d => matches(d, query.where!))
    : docs;
  let rows: Array<{ row: Record<string, unknown>; sortDoc: unknown }>;
  if (query.aggregate) {
    const groups = new Map<string, unknown[]>();
    for (const doc of selected) {
      const key = JSON.stringify(
        query.groupBy.map(p => valuesAt(doc, p)[0] ?? null),
      );
      const group = groups.get(key);
      if (group) group.push(doc);
      else groups.set(key, [doc]);
    }
    if (groups.size === 0 && query.groupBy.length === 0) groups.set('[]', []);
    rows = [...groups.values()].map(group => {
      let row = project(group[0] ?? {}, query.groupBy);
      for (const item of query.select)
        if (item.kind === 'aggregate') {
          const value = aggregateValue(group, item);
          if (value !== undefined) row = { ...row, [item.name]: value };
        }
      return { row, sortDoc: row };
    });
  } else {
    const paths = query.select.map(s => (s as { path: string }).path);
    rows = selected.map(doc => ({ row: project(doc, paths), sortDoc: doc }));
  }
  if (query.orderBy.length > 0) {
    const keyOf = (
      r: { row: Record<string, unknown>; sortDoc: unknown },
      key: string,
    ) => (key in r.row ? r.row[key] : valuesAt(r.sortDoc, key)[0]);
    rows = rows
      .map((r, i) => ({ r, i }))
      .sort((a, b) => {
        for (const { key, descending } of query.orderBy) {
          const x = keyOf(a.r, key);
          const y = keyOf(b.r, key);
          if (x === undefined && y === undefined) continue;
          if (x === undefined) return 1;
          if (y === undefined) return -1;
          const c = order(x, y);
          if (c !== 0) return descending ? -c : c;
        }
        return a.i - b.i;
      })
      .map(({ r }) => r);
  }
  return rows.map(r => r.row);
}

/** QueryInfo.SelectFields: the properties and functions as the query names them. */
export function selectFields(query: Query): Array<{ Name: string }> {
  return query.select.map(s => ({
    Name: s.kind === 'aggregate' ? s.name : s.path,
  }));
}
