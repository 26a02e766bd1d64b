import { parseDocument } from 'yaml';
import { nearMiss } from './nearMiss';

/** One tag key of the taxonomy and the rules its values follow. */
export interface TaxonomyTag {
  /** The AWS tag key, e.g. `cost-centre`. */
  key: string;
  description?: string;
  /** Every resource must carry the tag. */
  required: boolean;
  /** The only values the tag may take. */
  allowed?: string[];
  /** A JavaScript regular expression the value must match, as written (anchor it with ^ and $). */
  pattern?: string;
  /** The catalog kind the value names: System (product), Component (service) or Group (team). */
  catalog?: 'system' | 'component' | 'group';
  /** Only on the System tag: values naming a shared cost pool instead of one product. */
  shared?: string[];
  /**
   * Only on the System tag: an AWS Cost Category whose values are the products, for organisations
   * that allocate in AWS; the cost plugin then groups products by it instead of this tag.
   */
  costCategory?: string;
}

/** The company's tagging taxonomy: the one source of tag names and rules. */
export interface Taxonomy {
  /** The file it was read from, as given to parseTaxonomy. */
  file: string;
  /** The tags in declared order. */
  tags: TaxonomyTag[];
  tag(key: string): TaxonomyTag | undefined;
  requiredKeys: string[];
  /** The key whose values are catalog System names. */
  productKey: string;
  /** The key whose values are catalog Component names. */
  serviceKey: string;
  /** The key whose values are catalog Group names. */
  teamKey: string;
  /** Product values naming shared cost pools rather than a System. */
  sharedProductValues: string[];
  /** The AWS Cost Category products are read from instead of the product tag, when named. */
  productCostCategory?: string;
}

/** Thrown by parseTaxonomy; the message lists every problem, one per line, so one restart fixes them all. */
export class TaxonomyError extends Error {
  /** One line per problem: file, place, value, rule broken and fix. */
  readonly problems: string[];

  constructor(file: string, problems: string[]) {
    super(
      `The tagging taxonomy ${file} is invalid (${problems.length} ${
        problems.length === 1 ? 'problem' : 'problems'
      }):\n${problems.join('\n')}`,
    );
    this.name = 'TaxonomyError';
    this.problems = problems;
  }
}

type CatalogKind = NonNullable<TaxonomyTag['catalog']>;

const API_VERSION = 'payments-platform/v1';
const KIND = 'TaggingTaxonomy';
const TOP_FIELDS = ['apiVersion', 'kind', 'tags'];
const TAG_FIELDS = [
  'key',
  'description',
  'required',
  'allowed',
  'pattern',
  'catalog',
  'shared',
  'costCategory',
];
const CATALOG_KINDS: Record<CatalogKind, string> = {
  system: 'System (the product)',
  component: 'Component (the service)',
  group: 'Group (the owning team)',
};
// AWS's own rules for tag keys and values.
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const TAG_CHARACTERS = 'letters, digits, spaces and _ . : / = + - @';

/** Strings in quotes, anything else as JSON, so the reader sees exactly what was written. */
function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  return JSON.stringify(value) ?? String(value);
}

/** Records one problem: where, the value written (undefined when there is none), the rule broken and the fix. */
type Report = (place: string, value: unknown, rule: string) => void;

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCatalogKind(value: unknown): value is CatalogKind {
  return Object.keys(CATALOG_KINDS).includes(String(value));
}

/** The compiled pattern, or why it does not compile (V8's reason without the pattern repeated). */
function compile(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern);
  } catch (error) {
    const message = String((error as Error).message);
    const reason = message.lastIndexOf('/: ');
    return reason >= 0 ? message.slice(reason + 3) : message;
  }
}

function checkFields(
  value: Record<string, unknown>,
  known: string[],
  place: (field: string) => string,
  report: Report,
) {
  for (const field of Object.keys(value)) {
    if (known.includes(field)) continue;
    // A prefix counts too, so `catalogue` and `allow` find their field.
    const meant =
      nearMiss(field, known) ??
      known.find(
        k => field.length >= 4 && (field.startsWith(k) || k.startsWith(field)),
      );
    const fix = meant
      ? `rename it to ${meant}`
      : `remove it or use one of ${known.join(', ')}`;
    report(place(field), undefined, `is not a known field; ${fix}`);
  }
}

/** Reads a list of unique AWS tag values (allowed, shared); returns the good ones. */
function readValues(raw: unknown, place: string, report: Report): string[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    report(
      place,
      raw,
      'is not a non-empty list of values; list them, e.g. [production, staging]',
    );
    return [];
  }
  const values: string[] = [];
  raw.forEach((value, index) => {
    const at = `${place}[${index}]`;
    if (typeof value !== 'string') {
      report(at, value, `is not a string; quote it, e.g. '${String(value)}'`);
    } else if (!TAG_VALUE.test(value)) {
      report(
        at,
        value,
        `is not a valid AWS tag value (0-256 ${TAG_CHARACTERS}); fix the value`,
      );
    } else if (values.includes(value)) {
      report(at, value, 'is listed twice; remove the duplicate');
    } else {
      values.push(value);
    }
  });
  return values;
}

function checkKey(key: unknown, place: string, report: Report) {
  if (key === undefined) {
    report(
      place,
      undefined,
      'is missing; give the tag its AWS tag key, e.g. key: product',
    );
  } else if (typeof key !== 'string') {
    report(place, key, `is not a string; quote it, e.g. key: '${String(key)}'`);
  } else if (!TAG_KEY.test(key)) {
    report(
      place,
      key,
      `is not a valid AWS tag key (1-128 ${TAG_CHARACTERS}); rename it`,
    );
  } else if (key.toLowerCase().startsWith('aws:')) {
    report(
      place,
      key,
      'starts with aws:, which AWS reserves for its own tags; choose a key without that prefix',
    );
  }
}

/** `costCategory` on the System tag: the AWS Cost Category products may be read from instead. */
function checkCostCategory(
  costCategory: unknown,
  catalog: unknown,
  place: string,
  report: Report,
) {
  if (costCategory !== undefined) {
    if (catalog !== 'system')
      report(
        `${place}.costCategory`,
        costCategory,
        'is set, but only the tag with catalog: system can be read from a cost category; move it to that tag or remove it',
      );
    else if (
      typeof costCategory !== 'string' ||
      !/^(?! )[\p{L}\p{N}\p{Z}_-]{1,50}(?<! )$/u.test(costCategory)
    )
      report(
        `${place}.costCategory`,
        costCategory,
        "is not an AWS cost category name (1 to 50 letters, digits, spaces, - or _); write the definition's Name, e.g. costCategory: Product",
      );
  }
}

/** Reads one entry of `tags`; returns undefined when it has no usable key. */
function readTag(
  raw: unknown,
  index: number,
  report: Report,
): TaxonomyTag | undefined {
  if (!isMapping(raw)) {
    report(
      `tags[${index}]`,
      raw,
      'is not a mapping; write it as - key: <tag key> followed by its rules',
    );
    return undefined;
  }
  const { key, description, required = false, allowed, pattern } = raw;
  const { catalog, shared, costCategory } = raw;
  const place =
    typeof key === 'string' ? `tags[${index}] (${key})` : `tags[${index}]`;
  checkFields(raw, TAG_FIELDS, field => `${place}.${field}`, report);
  checkKey(key, `${place}.key`, report);

  if (description !== undefined && typeof description !== 'string') {
    report(
      `${place}.description`,
      description,
      'is not text; write it as a sentence',
    );
  }
  if (typeof required !== 'boolean') {
    report(
      `${place}.required`,
      required,
      'is not true or false; write required: true or required: false',
    );
  }
  if (allowed !== undefined && pattern !== undefined) {
    report(
      place,
      undefined,
      'declares both allowed and pattern, but a tag takes one or the other; keep one of them',
    );
  }
  const allowedValues =
    allowed === undefined
      ? undefined
      : readValues(allowed, `${place}.allowed`, report);
  const compiled = typeof pattern === 'string' ? compile(pattern) : undefined;
  if (pattern !== undefined && typeof pattern !== 'string') {
    report(
      `${place}.pattern`,
      pattern,
      "is not a string; quote the regular expression, e.g. pattern: '^CC-[0-9]{4,5}$'",
    );
  } else if (typeof compiled === 'string') {
    report(
      `${place}.pattern`,
      pattern,
      `is not a valid regular expression (${compiled}); fix the pattern or use allowed: [...]`,
    );
  }
  if (catalog !== undefined && !isCatalogKind(catalog)) {
    report(
      `${place}.catalog`,
      catalog,
      'is not a catalog kind; use system, component or group',
    );
  }
  let sharedValues: string[] | undefined;
  if (shared !== undefined) {
    if (catalog !== 'system') {
      report(
        `${place}.shared`,
        shared,
        'is set, but only the tag with catalog: system names shared cost pools; move it to that tag or remove it',
      );
    }
    sharedValues = readValues(shared, `${place}.shared`, report);
    for (const value of sharedValues) {
      if (allowedValues && !allowedValues.includes(value)) {
        report(
          `${place}.shared`,
          value,
          `is not in ${place}.allowed, so no resource could carry it; add it to allowed`,
        );
      }
      if (compiled instanceof RegExp && !compiled.test(value)) {
        report(
          `${place}.shared`,
          value,
          `does not match ${place}.pattern, so no resource could carry it; change the value or the pattern`,
        );
      }
    }
  }

  checkCostCategory(costCategory, catalog, place, report);

  if (typeof key !== 'string') return undefined;
  return {
    key,
    ...(typeof description === 'string' ? { description } : {}),
    required: required === true,
    ...(allowedValues ? { allowed: allowedValues } : {}),
    ...(typeof pattern === 'string' ? { pattern } : {}),
    ...(isCatalogKind(catalog) ? { catalog } : {}),
    ...(sharedValues ? { shared: sharedValues } : {}),
    ...(typeof costCategory === 'string' ? { costCategory } : {}),
  };
}

/** Checks the tag list as a whole: unique keys and exactly one tag per catalog kind. */
function checkTagList(
  tags: Array<{ tag: TaxonomyTag; index: number }>,
  report: Report,
) {
  const byKey = new Map<string, string>();
  const byKind = new Map<string, string>();
  for (const { tag, index } of tags) {
    const place = `tags[${index}] (${tag.key})`;
    const first = byKey.get(tag.key);
    if (first) {
      report(
        `${place}.key`,
        tag.key,
        `is already declared by ${first}; keys must be unique, so remove or rename one of them`,
      );
    } else {
      byKey.set(tag.key, `tags[${index}]`);
    }
    if (!tag.catalog) continue;
    const mapped = byKind.get(tag.catalog);
    if (mapped) {
      report(
        `${place}.catalog`,
        tag.catalog,
        `is already mapped by ${mapped}; exactly one tag maps to each catalog kind, so remove catalog from one of them`,
      );
    } else {
      byKind.set(tag.catalog, place);
    }
  }
  for (const [kind, title] of Object.entries(CATALOG_KINDS)) {
    if (!byKind.has(kind)) {
      report(
        'tags',
        undefined,
        `has no tag with catalog: ${kind}, but one tag must name the catalog ${title}; add catalog: ${kind} to that tag`,
      );
    }
  }
}

/** YAML syntax errors, one line each with line and column; the parsed value when there are none. */
function readYaml(
  text: string,
  file: string,
): { value?: unknown; problems: string[] } {
  const document = parseDocument(text, { uniqueKeys: true });
  const problems = document.errors.map(error => {
    const position = error.linePos?.[0];
    const where = position ? `${file}:${position.line}:${position.col}` : file;
    const message = error.message
      .split('\n')[0]
      .replace(/ at line \d+, column \d+:$/, '');
    return `${where}: YAML syntax error: ${message}; fix the YAML at that line`;
  });
  if (problems.length > 0) return { problems };
  try {
    return { value: document.toJS(), problems };
  } catch (error) {
    // toJS throws on what the parser lets through, such as an alias to no anchor.
    const message = (error as Error).message;
    return { problems: [`${file}: YAML error: ${message}; fix the YAML`] };
  }
}

/**
 * Parses and checks the taxonomy file's text. Every problem is collected and thrown together
 * as a TaxonomyError, so a broken taxonomy never half-loads.
 */
export function parseTaxonomy(text: string, file: string): Taxonomy {
  const { value: root, problems } = readYaml(text, file);
  if (problems.length > 0) throw new TaxonomyError(file, problems);
  const report: Report = (place, value, rule) =>
    problems.push(
      `${file}: ${place}${
        value === undefined ? '' : ` ${show(value)}`
      } ${rule}`,
    );
  const fields = `apiVersion: ${API_VERSION}, kind: ${KIND} and tags`;

  if (root === undefined || root === null) {
    report('the file', undefined, `is empty; declare ${fields}`);
    throw new TaxonomyError(file, problems);
  }
  if (!isMapping(root)) {
    report(
      'the document',
      root,
      `is not a mapping; write ${fields} as its fields`,
    );
    throw new TaxonomyError(file, problems);
  }
  checkFields(root, TOP_FIELDS, field => field, report);
  if (root.apiVersion !== API_VERSION) {
    const rule =
      root.apiVersion === undefined ? 'is missing' : 'is not supported';
    report(
      'apiVersion',
      root.apiVersion,
      `${rule}; set apiVersion: ${API_VERSION}`,
    );
  }
  if (root.kind !== KIND) {
    const rule =
      root.kind === undefined ? 'is missing' : 'is not a tagging taxonomy';
    report('kind', root.kind, `${rule}; set kind: ${KIND}`);
  }

  const tags: Array<{ tag: TaxonomyTag; index: number }> = [];
  if (root.tags === undefined) {
    report(
      'tags',
      undefined,
      'is missing; list the tags, at least those with catalog: system, component and group',
    );
  } else if (!Array.isArray(root.tags) || root.tags.length === 0) {
    report(
      'tags',
      root.tags,
      'is not a non-empty list; list the tags, each as - key: <tag key> followed by its rules',
    );
  } else {
    root.tags.forEach((raw, index) => {
      const tag = readTag(raw, index, report);
      if (tag) tags.push({ tag, index });
    });
    checkTagList(tags, report);
  }
  if (problems.length > 0) throw new TaxonomyError(file, problems);

  const list = tags.map(({ tag }) => tag);
  const byKey = new Map(list.map(tag => [tag.key, tag]));
  const mappedTo = (kind: CatalogKind) =>
    list.find(tag => tag.catalog === kind) as TaxonomyTag;
  return {
    file,
    tags: list,
    tag: key => byKey.get(key),
    requiredKeys: list.filter(tag => tag.required).map(tag => tag.key),
    productKey: mappedTo('system').key,
    serviceKey: mappedTo('component').key,
    teamKey: mappedTo('group').key,
    sharedProductValues: mappedTo('system').shared ?? [],
    productCostCategory: mappedTo('system').costCategory,
  };
}
