import { AwsError } from '../protocols/types';

/*
 * DynamoDB expressions over items in the AttributeValue wire format: condition expressions
 * (comparisons, BETWEEN, IN, AND/OR/NOT, attribute_exists, attribute_not_exists, attribute_type,
 * begins_with, contains, size), update expressions (SET with + / - / if_not_exists / list_append,
 * REMOVE, ADD, DELETE) and projection expressions, with `#name` and `:value` placeholders checked
 * as DynamoDB checks them (undefined or unused ones are errors). DynamoDB's reserved words are
 * not enforced: a bare `status` passes here and fails on AWS, so use `#status`.
 */

export type AttributeValue = Record<string, any>;
export type Item = Record<string, AttributeValue>;

const TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];

function validation(message: string): never {
  throw new AwsError('ValidationException', message);
}

/** Checks an AttributeValue (recursively) as DynamoDB does: exactly one data type, sane contents. */
export function checkAttributeValue(value: unknown): AttributeValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    validation(
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
  }
  const keys = Object.keys(value).filter(
    k =>
      (value as AttributeValue)[k] !== undefined &&
      (value as AttributeValue)[k] !== null,
  );
  if (keys.length === 0)
    validation(
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
  if (keys.length > 1)
    validation(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  const type = keys[0];
  const v = (value as AttributeValue)[type];
  switch (type) {
    case 'S':
    case 'B':
      if (typeof v !== 'string')
        validation(`Supplied AttributeValue has an invalid ${type} value`);
      break;
    case 'N':
      normaliseNumber(v);
      break;
    case 'SS':
    case 'NS':
    case 'BS': {
      if (!Array.isArray(v) || v.some(e => typeof e !== 'string'))
        validation(`Supplied AttributeValue has an invalid ${type} value`);
      const setName = { SS: 'string', NS: 'number', BS: 'binary' }[type];
      if (v.length === 0)
        validation(
          `One or more parameter values were invalid: An ${setName} set  may not be empty`,
        );
      const members = type === 'NS' ? v.map(normaliseNumber) : v;
      if (new Set(members).size !== members.length)
        validation(`Input collection [${v.join(', ')}] contains duplicates.`);
      break;
    }
    case 'M':
      if (typeof v !== 'object' || Array.isArray(v))
        validation('Supplied AttributeValue has an invalid M value');
      for (const member of Object.values(v)) checkAttributeValue(member);
      break;
    case 'L':
      if (!Array.isArray(v))
        validation('Supplied AttributeValue has an invalid L value');
      for (const member of v) checkAttributeValue(member);
      break;
    case 'NULL':
      if (v !== true)
        validation(
          'One or more parameter values were invalid: Null attribute value types must have the value of true',
        );
      break;
    case 'BOOL':
      if (typeof v !== 'boolean')
        validation('Supplied AttributeValue has an invalid BOOL value');
      break;
    default:
      validation(
        `Supplied AttributeValue has an unknown data type ${type}; use one of ${TYPES.join(
          ', ',
        )}`,
      );
  }
  return { [type]: v };
}

/** A number in one canonical form (`1`, `1.0` and `10e-1` are the same key): sign, digits, exponent. */
export function normaliseNumber(value: unknown): string {
  const match =
    typeof value === 'string'
      ? /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(value)
      : null;
  if (!match || (match[2] === '' && (match[3] ?? '') === ''))
    validation('A value provided cannot be converted into a number');
  const fraction = match[3] ?? '';
  let digits = `${match[2]}${fraction}`.replace(/^0+/, '');
  let exponent = Number(match[4] ?? 0) - fraction.length;
  if (digits === '') return '0';
  while (digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exponent += 1;
  }
  if (digits.length > 38)
    validation(
      'Attempting to store more than 38 significant digits in a Number',
    );
  return `${match[1] === '-' ? '-' : ''}${digits}e${exponent}`;
}

const typeOf = (value: AttributeValue) => Object.keys(value)[0];

/** DynamoDB equality: numbers by value, sets regardless of order, maps and lists deeply. */
export function attributeEquals(
  a: AttributeValue | undefined,
  b: AttributeValue | undefined,
): boolean {
  if (!a || !b || typeOf(a) !== typeOf(b)) return false;
  const type = typeOf(a);
  const x = a[type];
  const y = b[type];
  switch (type) {
    case 'N':
      return normaliseNumber(x) === normaliseNumber(y);
    case 'SS':
    case 'BS':
      return x.length === y.length && x.every((e: string) => y.includes(e));
    case 'NS': {
      const ys = y.map(normaliseNumber);
      return (
        x.length === y.length &&
        x.every((e: string) => ys.includes(normaliseNumber(e)))
      );
    }
    case 'M':
      return (
        Object.keys(x).length === Object.keys(y).length &&
        Object.keys(x).every(k => attributeEquals(x[k], y[k]))
      );
    case 'L':
      return (
        x.length === y.length &&
        x.every((e: AttributeValue, i: number) => attributeEquals(e, y[i]))
      );
    default:
      return x === y;
  }
}

/** Orders two S, N or B values; undefined when they cannot be ordered (other types, or different types). */
function compare(
  a: AttributeValue | undefined,
  b: AttributeValue | undefined,
): number | undefined {
  if (!a || !b || typeOf(a) !== typeOf(b)) return undefined;
  switch (typeOf(a)) {
    case 'N':
      return Number(a.N) - Number(b.N);
    case 'S':
      return Buffer.compare(Buffer.from(a.S, 'utf8'), Buffer.from(b.S, 'utf8'));
    case 'B':
      return Buffer.compare(
        Buffer.from(a.B, 'base64'),
        Buffer.from(b.B, 'base64'),
      );
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens and placeholders

interface Token {
  kind: 'name' | 'placeholderName' | 'value' | 'number' | 'punct' | 'end';
  text: string;
}

function tokenize(expression: string, kind: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*)|(\d+)|(<>|<=|>=|[=<>(),.[\]+-]))/y;
  let position = 0;
  while (position < expression.length) {
    if (/^\s*$/.test(expression.slice(position))) break;
    pattern.lastIndex = position;
    const match = pattern.exec(expression);
    if (!match) {
      const rest = expression.slice(position).trim();
      validation(
        `Invalid ${kind}: Syntax error; token: "${
          rest[0]
        }", near: "${rest.slice(0, 10)}"`,
      );
    }
    position = pattern.lastIndex;
    if (match[1]) tokens.push({ kind: 'placeholderName', text: match[1] });
    else if (match[2]) tokens.push({ kind: 'value', text: match[2] });
    else if (match[3]) tokens.push({ kind: 'name', text: match[3] });
    else if (match[4]) tokens.push({ kind: 'number', text: match[4] });
    else tokens.push({ kind: 'punct', text: match[5] });
  }
  tokens.push({ kind: 'end', text: '<EOF>' });
  return tokens;
}

/** The request's `#name` / `:value` maps, tracking which ones the expressions use. */
export class Placeholders {
  private usedNames = new Set<string>();
  private usedValues = new Set<string>();

  constructor(
    private readonly names: Record<string, string> = {},
    private readonly values: Record<string, AttributeValue> = {},
  ) {
    for (const value of Object.values(values)) checkAttributeValue(value);
  }

  name(placeholder: string): string {
    const name = this.names[placeholder];
    if (name === undefined)
      validation(
        `An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`,
      );
    this.usedNames.add(placeholder);
    return name;
  }

  value(placeholder: string): AttributeValue {
    const value = this.values[placeholder];
    if (value === undefined)
      validation(
        `An expression attribute value used in expression is not defined; attribute value: ${placeholder}`,
      );
    this.usedValues.add(placeholder);
    return value;
  }

  /** DynamoDB rejects names and values given but used by no expression. */
  checkAllUsed() {
    const unusedNames = Object.keys(this.names).filter(
      n => !this.usedNames.has(n),
    );
    if (unusedNames.length > 0)
      validation(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(
          ', ',
        )}}`,
      );
    const unusedValues = Object.keys(this.values).filter(
      v => !this.usedValues.has(v),
    );
    if (unusedValues.length > 0)
      validation(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(
          ', ',
        )}}`,
      );
  }
}

/** A document path: attribute names and list indexes, `a.b[2].c`. */
export type Path = Array<string | number>;

type Operand =
  | { kind: 'path'; path: Path }
  | { kind: 'value'; value: AttributeValue }
  | { kind: 'size'; path: Path };

type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; op: string; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; list: Operand[] }
  | { kind: 'function'; name: string; path: Path; argument?: Operand };

type SetValue =
  | { kind: 'operand'; operand: Operand }
  | { kind: 'ifNotExists'; path: Path; fallback: SetValue }
  | { kind: 'listAppend'; first: SetValue; second: SetValue }
  | { kind: 'arithmetic'; op: '+' | '-'; left: SetValue; right: SetValue };

export interface UpdateActions {
  set: Array<{ path: Path; value: SetValue }>;
  remove: Path[];
  add: Array<{ path: Path; value: AttributeValue }>;
  delete: Array<{ path: Path; value: AttributeValue }>;
}

const CONDITION_FUNCTIONS = [
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
];
const COMPARATORS = ['=', '<>', '<', '<=', '>', '>='];

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly kind: string,
    private readonly placeholders: Placeholders,
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const token = this.peek();
    this.index += 1;
    return token;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'name' && token.text.toUpperCase() === word;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  syntaxError(): never {
    const token = this.peek();
    const near = this.tokens
      .slice(Math.max(0, this.index - 1), this.index + 2)
      .filter(t => t.kind !== 'end')
      .map(t => t.text)
      .join(' ');
    return validation(
      `Invalid ${this.kind}: Syntax error; token: "${token.text}", near: "${near}"`,
    );
  }

  expectPunct(text: string) {
    if (!this.isPunct(text)) this.syntaxError();
    this.next();
  }

  atEnd(): boolean {
    return this.peek().kind === 'end';
  }

  path(): Path {
    const path: Path = [this.element()];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        path.push(this.element());
      } else if (this.isPunct('[')) {
        this.next();
        const index = this.next();
        if (index.kind !== 'number') this.syntaxError();
        this.expectPunct(']');
        path.push(Number(index.text));
      } else {
        return path;
      }
    }
  }

  private element(): string {
    const token = this.next();
    if (token.kind === 'placeholderName')
      return this.placeholders.name(token.text);
    if (token.kind === 'name') return token.text;
    this.index -= 1;
    return this.syntaxError();
  }

  operand(): Operand {
    const token = this.peek();
    if (token.kind === 'value') {
      this.next();
      return { kind: 'value', value: this.placeholders.value(token.text) };
    }
    if (
      token.kind === 'name' &&
      token.text === 'size' &&
      this.peek(1).text === '('
    ) {
      this.next();
      this.expectPunct('(');
      const path = this.path();
      this.expectPunct(')');
      return { kind: 'size', path };
    }
    return { kind: 'path', path: this.path() };
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', operand: this.negation() };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.isPunct('(')) {
      this.next();
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    const token = this.peek();
    if (
      token.kind === 'name' &&
      CONDITION_FUNCTIONS.includes(token.text) &&
      this.peek(1).text === '('
    ) {
      this.next();
      this.expectPunct('(');
      const path = this.path();
      let argument: Operand | undefined;
      if (
        token.text !== 'attribute_exists' &&
        token.text !== 'attribute_not_exists'
      ) {
        this.expectPunct(',');
        argument = this.operand();
      }
      this.expectPunct(')');
      return { kind: 'function', name: token.text, path, argument };
    }
    const left = this.operand();
    const op = this.peek();
    if (op.kind === 'punct' && COMPARATORS.includes(op.text)) {
      this.next();
      return { kind: 'compare', op: op.text, left, right: this.operand() };
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.operand();
      if (!this.isKeyword('AND')) this.syntaxError();
      this.next();
      return { kind: 'between', operand: left, low, high: this.operand() };
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.expectPunct('(');
      const list = [this.operand()];
      while (this.isPunct(',')) {
        this.next();
        list.push(this.operand());
      }
      this.expectPunct(')');
      return { kind: 'in', operand: left, list };
    }
    return this.syntaxError();
  }

  setValue(): SetValue {
    const left = this.setOperand();
    if (this.isPunct('+') || this.isPunct('-')) {
      const op = this.next().text as '+' | '-';
      return { kind: 'arithmetic', op, left, right: this.setOperand() };
    }
    return left;
  }

  private setOperand(): SetValue {
    const token = this.peek();
    if (
      token.kind === 'name' &&
      token.text === 'if_not_exists' &&
      this.peek(1).text === '('
    ) {
      this.next();
      this.expectPunct('(');
      const path = this.path();
      this.expectPunct(',');
      const fallback = this.setValue();
      this.expectPunct(')');
      return { kind: 'ifNotExists', path, fallback };
    }
    if (
      token.kind === 'name' &&
      token.text === 'list_append' &&
      this.peek(1).text === '('
    ) {
      this.next();
      this.expectPunct('(');
      const first = this.setValue();
      this.expectPunct(',');
      const second = this.setValue();
      this.expectPunct(')');
      return { kind: 'listAppend', first, second };
    }
    const operand = this.operand();
    if (operand.kind === 'size') this.syntaxError();
    return { kind: 'operand', operand };
  }

  update(): UpdateActions {
    const actions: UpdateActions = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    while (!this.atEnd()) {
      const clause = this.next();
      const keyword = clause.text.toUpperCase();
      if (
        clause.kind !== 'name' ||
        !['SET', 'REMOVE', 'ADD', 'DELETE'].includes(keyword)
      ) {
        this.index -= 1;
        this.syntaxError();
      }
      if (seen.has(keyword))
        validation(
          `Invalid UpdateExpression: The "${keyword}" section can only be used once in an update expression;`,
        );
      seen.add(keyword);
      do {
        if (this.isPunct(',')) this.next();
        const path = this.path();
        if (keyword === 'SET') {
          this.expectPunct('=');
          actions.set.push({ path, value: this.setValue() });
        } else if (keyword === 'REMOVE') {
          actions.remove.push(path);
        } else {
          const token = this.next();
          if (token.kind !== 'value') {
            this.index -= 1;
            this.syntaxError();
          }
          actions[keyword === 'ADD' ? 'add' : 'delete'].push({
            path,
            value: this.placeholders.value(token.text),
          });
        }
      } while (this.isPunct(','));
    }
    return actions;
  }
}

function parse<T>(
  expression: unknown,
  kind: string,
  placeholders: Placeholders,
  rule: (parser: Parser) => T,
): T {
  if (typeof expression !== 'string' || expression.trim() === '')
    validation(`Invalid ${kind}: The expression can not be empty;`);
  const parser = new Parser(tokenize(expression, kind), kind, placeholders);
  const result = rule(parser);
  if (!parser.atEnd()) parser.syntaxError();
  return result;
}

export const parseCondition = (
  expression: unknown,
  kind: string,
  placeholders: Placeholders,
) => parse(expression, kind, placeholders, p => p.condition());
export const parseUpdate = (expression: unknown, placeholders: Placeholders) =>
  parse(expression, 'UpdateExpression', placeholders, p => p.update());
export function parseProjection(
  expression: unknown,
  placeholders: Placeholders,
): Path[] {
  return parse(expression, 'ProjectionExpression', placeholders, p => {
    const paths = [p.path()];
    while (!p.atEnd()) {
      p.expectPunct(',');
      paths.push(p.path());
    }
    return paths;
  });
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** The value at a document path of an item, if there is one. */
export function resolvePath(
  item: Item | undefined,
  path: Path,
): AttributeValue | undefined {
  let current: AttributeValue | undefined = item ? { M: item } : undefined;
  for (const element of path) {
    if (!current) return undefined;
    if (typeof element === 'number') current = current.L?.[element];
    else current = current.M?.[element];
  }
  return current;
}

function sizeOf(value: AttributeValue | undefined): AttributeValue | undefined {
  if (!value) return undefined;
  const type = typeOf(value);
  const v = value[type];
  switch (type) {
    case 'S':
      return { N: String(v.length) };
    case 'B':
      return { N: String(Buffer.from(v, 'base64').length) };
    case 'SS':
    case 'NS':
    case 'BS':
    case 'L':
      return { N: String(v.length) };
    case 'M':
      return { N: String(Object.keys(v).length) };
    default:
      return undefined;
  }
}

function operandValue(
  operand: Operand,
  item: Item | undefined,
): AttributeValue | undefined {
  if (operand.kind === 'value') return operand.value;
  const value = resolvePath(item, operand.path);
  return operand.kind === 'size' ? sizeOf(value) : value;
}

/** Whether a condition holds for an item (undefined: no such item). */
export function evaluateCondition(
  condition: Condition,
  item: Item | undefined,
): boolean {
  switch (condition.kind) {
    case 'and':
      return (
        evaluateCondition(condition.left, item) &&
        evaluateCondition(condition.right, item)
      );
    case 'or':
      return (
        evaluateCondition(condition.left, item) ||
        evaluateCondition(condition.right, item)
      );
    case 'not':
      return !evaluateCondition(condition.operand, item);
    case 'compare': {
      const left = operandValue(condition.left, item);
      const right = operandValue(condition.right, item);
      if (condition.op === '=') return attributeEquals(left, right);
      if (condition.op === '<>') return !attributeEquals(left, right);
      const order = compare(left, right);
      if (order === undefined) return false;
      switch (condition.op) {
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
        case '>':
          return order > 0;
        default:
          return order >= 0;
      }
    }
    case 'between': {
      const value = operandValue(condition.operand, item);
      const low = compare(value, operandValue(condition.low, item));
      const high = compare(value, operandValue(condition.high, item));
      return low !== undefined && high !== undefined && low >= 0 && high <= 0;
    }
    case 'in': {
      const value = operandValue(condition.operand, item);
      return condition.list.some(candidate =>
        attributeEquals(value, operandValue(candidate, item)),
      );
    }
    default:
      return evaluateFunction(condition, item);
  }
}

function evaluateFunction(
  condition: Extract<Condition, { kind: 'function' }>,
  item: Item | undefined,
): boolean {
  const value = resolvePath(item, condition.path);
  const argument = condition.argument
    ? operandValue(condition.argument, item)
    : undefined;
  switch (condition.name) {
    case 'attribute_exists':
      return value !== undefined;
    case 'attribute_not_exists':
      return value === undefined;
    case 'attribute_type':
      if (!argument?.S || !TYPES.includes(argument.S)) {
        validation(
          `Invalid ConditionExpression: Invalid attribute type name found; type: ${
            argument?.S
          }, valid types: {${TYPES.join(',')}}`,
        );
      }
      return value !== undefined && typeOf(value) === argument.S;
    case 'begins_with':
      if (value?.S !== undefined && argument?.S !== undefined)
        return value.S.startsWith(argument.S);
      if (value?.B !== undefined && argument?.B !== undefined)
        return (
          Buffer.from(value.B, 'base64').indexOf(
            Buffer.from(argument.B, 'base64'),
          ) === 0
        );
      return false;
    default: {
      // contains
      if (!value || !argument) return false;
      if (value.S !== undefined)
        return argument.S !== undefined && value.S.includes(argument.S);
      if (value.SS !== undefined)
        return argument.S !== undefined && value.SS.includes(argument.S);
      if (value.NS !== undefined)
        return (
          argument.N !== undefined &&
          value.NS.some(
            (n: string) => normaliseNumber(n) === normaliseNumber(argument.N),
          )
        );
      if (value.BS !== undefined)
        return argument.B !== undefined && value.BS.includes(argument.B);
      if (value.L !== undefined)
        return value.L.some((e: AttributeValue) =>
          attributeEquals(e, argument),
        );
      return false;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Updates

const invalidPath = (): never =>
  validation(
    'The document path provided in the update expression is invalid for update',
  );

function addNumbers(a: string, b: string, sign: 1 | -1): string {
  const result = Number(a) + sign * Number(b);
  return String(
    Number.isInteger(result) ? result : Number(result.toPrecision(15)),
  );
}

function evaluateSetValue(value: SetValue, item: Item): AttributeValue {
  switch (value.kind) {
    case 'operand': {
      const resolved = operandValue(value.operand, item);
      if (!resolved)
        validation(
          'The provided expression refers to an attribute that does not exist in the item',
        );
      return resolved;
    }
    case 'ifNotExists':
      return (
        resolvePath(item, value.path) ?? evaluateSetValue(value.fallback, item)
      );
    case 'listAppend': {
      const first = evaluateSetValue(value.first, item);
      const second = evaluateSetValue(value.second, item);
      if (!first.L || !second.L)
        validation(
          'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: M',
        );
      return { L: [...first.L, ...second.L] };
    }
    default: {
      const left = evaluateSetValue(value.left, item);
      const right = evaluateSetValue(value.right, item);
      if (left.N === undefined || right.N === undefined) {
        validation(
          `An operand in the update expression has an incorrect data type`,
        );
      }
      return { N: addNumbers(left.N, right.N, value.op === '+' ? 1 : -1) };
    }
  }
}

/** Sets (or with `undefined` removes) the value at a path of the item; the parent must exist. */
function writePath(item: Item, path: Path, value: AttributeValue | undefined) {
  let container: AttributeValue = { M: item };
  for (const element of path.slice(0, -1)) {
    const next =
      typeof element === 'number'
        ? container.L?.[element]
        : container.M?.[element];
    if (!next) invalidPath();
    container = next;
  }
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    if (!container.L) invalidPath();
    if (value === undefined) {
      if (last < container.L.length) container.L.splice(last, 1);
    } else if (last >= container.L.length) {
      container.L.push(value);
    } else {
      container.L[last] = value;
    }
  } else {
    if (!container.M) invalidPath();
    if (value === undefined) delete container.M[last];
    else container.M[last] = value;
  }
}

function setUnion(
  existing: AttributeValue | undefined,
  added: AttributeValue,
): AttributeValue {
  const type = typeOf(added);
  if (existing && typeOf(existing) !== type)
    validation(
      'An operand in the update expression has an incorrect data type',
    );
  const members: string[] = [...(existing?.[type] ?? [])];
  for (const member of added[type]) {
    const present =
      type === 'NS'
        ? members.some(m => normaliseNumber(m) === normaliseNumber(member))
        : members.includes(member);
    if (!present) members.push(member);
  }
  return { [type]: members };
}

/** Applies update actions to a copy of the item; the result and the top-level attributes touched. */
export function applyUpdate(
  item: Item,
  actions: UpdateActions,
): { item: Item; touched: string[] } {
  const next: Item = structuredClone(item);
  const touched = new Set<string>();
  const paths = [
    ...actions.set.map(a => a.path),
    ...actions.remove,
    ...actions.add.map(a => a.path),
    ...actions.delete.map(a => a.path),
  ];
  const seen = new Set<string>();
  for (const path of paths) {
    const key = JSON.stringify(path);
    if (seen.has(key))
      validation(
        `Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [${path.join(
          ', ',
        )}], path two: [${path.join(', ')}]`,
      );
    seen.add(key);
    touched.add(String(path[0]));
  }
  // Values are computed from the item as it was, as DynamoDB does.
  const setValues = actions.set.map(action => ({
    path: action.path,
    value: evaluateSetValue(action.value, item),
  }));
  for (const { path, value } of setValues) writePath(next, path, value);
  for (const path of actions.remove) writePath(next, path, undefined);
  for (const { path, value } of actions.add) {
    const existing = resolvePath(next, path);
    if (value.N !== undefined) {
      if (existing && existing.N === undefined)
        validation(
          'An operand in the update expression has an incorrect data type',
        );
      writePath(next, path, { N: addNumbers(existing?.N ?? '0', value.N, 1) });
    } else if (value.SS || value.NS || value.BS) {
      writePath(next, path, setUnion(existing, value));
    } else {
      validation(
        `Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: ${typeOf(
          value,
        )}`,
      );
    }
  }
  for (const { path, value } of actions.delete) {
    const type = typeOf(value);
    if (!['SS', 'NS', 'BS'].includes(type)) {
      validation(
        `Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: ${type}`,
      );
    }
    const existing = resolvePath(next, path);
    if (!existing) continue;
    if (typeOf(existing) !== type)
      validation(
        'An operand in the update expression has an incorrect data type',
      );
    const removed = type === 'NS' ? value.NS.map(normaliseNumber) : value[type];
    const left = existing[type].filter(
      (m: string) => !removed.includes(type === 'NS' ? normaliseNumber(m) : m),
    );
    writePath(next, path, left.length > 0 ? { [type]: left } : undefined);
  }
  return { item: next, touched: [...touched] };
}

/** The parts of an item a projection names (top-level attributes and nested paths). */
export function project(item: Item, paths: Path[]): Item {
  const result: Item = {};
  for (const path of paths) {
    const value = resolvePath(item, path);
    if (value === undefined) continue;
    if (path.length === 1) {
      result[path[0] as string] = value;
      continue;
    }
    // Nested: rebuild the maps (and compacted lists) down to the value.
    let target: AttributeValue = { M: result };
    let source: AttributeValue = { M: item };
    for (const [i, element] of path.entries()) {
      source =
        typeof element === 'number' ? source.L[element] : source.M[element];
      const last = i === path.length - 1;
      const child: AttributeValue = last
        ? source
        : { [typeOf(source)]: typeOf(source) === 'L' ? [] : {} };
      if (typeof element === 'number') {
        target.L.push(child);
      } else {
        target.M[element] ??= child;
      }
      target =
        typeof element === 'number'
          ? target.L[target.L.length - 1]
          : target.M[element];
    }
  }
  return result;
}
