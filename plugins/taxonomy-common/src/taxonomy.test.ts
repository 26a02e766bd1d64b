import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { parseTaxonomy, TaxonomyError } from './taxonomy';

const SHIPPED = path.resolve(__dirname, '../../../taxonomy.yaml');
const shippedText = () => fs.readFileSync(SHIPPED, 'utf8');
const shippedDocument = () => parse(shippedText());

function problemsOf(text: string): string[] {
  try {
    parseTaxonomy(text, 'taxonomy.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(TaxonomyError);
    return (error as TaxonomyError).problems;
  }
  throw new Error('expected the taxonomy to be refused');
}

describe('parseTaxonomy', () => {
  it('loads the shipped taxonomy with its catalog mapping', () => {
    const taxonomy = parseTaxonomy(shippedText(), 'taxonomy.yaml');
    expect(taxonomy.file).toBe('taxonomy.yaml');
    expect(taxonomy.tags.map(tag => tag.key)).toEqual([
      'product',
      'service',
      'team',
      'environment',
      'cost-centre',
      'data-classification',
      'pci-scope',
    ]);
    expect(taxonomy.requiredKeys).toEqual(taxonomy.tags.map(tag => tag.key));
    expect(taxonomy.productKey).toBe('product');
    expect(taxonomy.serviceKey).toBe('service');
    expect(taxonomy.teamKey).toBe('team');
    expect(taxonomy.sharedProductValues).toEqual(['shared']);
    expect(taxonomy.tag('cost-centre')).toEqual({
      key: 'cost-centre',
      description: 'The finance cost centre the owning team books to.',
      required: true,
      pattern: '^CC-[0-9]{4,5}$',
    });
    expect(taxonomy.tag('environment')?.allowed).toEqual([
      'production',
      'staging',
      'shared',
      'development',
    ]);
    expect(taxonomy.tag('Product')).toBeUndefined();
  });

  it('names the cost category products are read from, on the product tag', () => {
    const document = shippedDocument();
    document.tags[0].costCategory = 'Product';
    const taxonomy = parseTaxonomy(stringify(document), 'taxonomy.yaml');
    expect(taxonomy.productCostCategory).toBe('Product');
    expect(taxonomy.tag('product')?.costCategory).toBe('Product');
  });

  it('defaults required to false and needs no rules beyond the catalog mapping', () => {
    const taxonomy = parseTaxonomy(
      stringify({
        apiVersion: 'payments-platform/v1',
        kind: 'TaggingTaxonomy',
        tags: [
          { key: 'product', catalog: 'system' },
          { key: 'service', catalog: 'component' },
          { key: 'team', catalog: 'group', required: true },
        ],
      }),
      'minimal.yaml',
    );
    expect(taxonomy.requiredKeys).toEqual(['team']);
    expect(taxonomy.sharedProductValues).toEqual([]);
    expect(taxonomy.productCostCategory).toBeUndefined();
    expect(taxonomy.tag('product')).toEqual({
      key: 'product',
      required: false,
      catalog: 'system',
    });
  });

  it.each<[string, (d: any) => void, string]>([
    [
      'an invalid pattern',
      d => (d.tags[4].pattern = '^CC-[0-9{4}$'),
      "tags[4] (cost-centre).pattern '^CC-[0-9{4}$' is not a valid regular expression (Unterminated character class); fix the pattern or use allowed: [...]",
    ],
    [
      'a pattern that is not a string',
      d => (d.tags[4].pattern = 1010),
      "tags[4] (cost-centre).pattern 1010 is not a string; quote the regular expression, e.g. pattern: '^CC-[0-9]{4,5}$'",
    ],
    [
      'a wrong apiVersion',
      d => (d.apiVersion = 'payments-platform/v2'),
      "apiVersion 'payments-platform/v2' is not supported; set apiVersion: payments-platform/v1",
    ],
    [
      'a missing kind',
      d => delete d.kind,
      'kind is missing; set kind: TaggingTaxonomy',
    ],
    [
      'a wrong kind',
      d => (d.kind = 'Taxonomy'),
      "kind 'Taxonomy' is not a tagging taxonomy; set kind: TaggingTaxonomy",
    ],
    [
      'missing tags',
      d => delete d.tags,
      'tags is missing; list the tags, at least those with catalog: system, component and group',
    ],
    [
      'empty tags',
      d => (d.tags = []),
      'tags [] is not a non-empty list; list the tags, each as - key: <tag key> followed by its rules',
    ],
    [
      'an unknown top-level field',
      d => (d.metadata = { name: 'x' }),
      'metadata is not a known field; remove it or use one of apiVersion, kind, tags',
    ],
    [
      'a misspelt field',
      d => {
        d.tags[3].alowed = d.tags[3].allowed;
        delete d.tags[3].allowed;
      },
      'tags[3] (environment).alowed is not a known field; rename it to allowed',
    ],
    [
      'a British spelling of a field',
      d => {
        d.tags[2].catalogue = 'group';
        delete d.tags[2].catalog;
      },
      'tags[2] (team).catalogue is not a known field; rename it to catalog',
    ],
    [
      'a duplicate key',
      d => d.tags.push({ key: 'team' }),
      "tags[7] (team).key 'team' is already declared by tags[2]; keys must be unique, so remove or rename one of them",
    ],
    [
      'a missing team mapping',
      d => delete d.tags[2].catalog,
      'tags has no tag with catalog: group, but one tag must name the catalog Group (the owning team); add catalog: group to that tag',
    ],
    [
      'two tags mapped to Systems',
      d => (d.tags[1].catalog = 'system'),
      "tags[1] (service).catalog 'system' is already mapped by tags[0] (product); exactly one tag maps to each catalog kind, so remove catalog from one of them",
    ],
    [
      'an unknown catalog kind',
      d => (d.tags[0].catalog = 'systems'),
      "tags[0] (product).catalog 'systems' is not a catalog kind; use system, component or group",
    ],
    [
      'shared on a tag not mapped to Systems',
      d => (d.tags[3].shared = ['shared']),
      'tags[3] (environment).shared ["shared"] is set, but only the tag with catalog: system names shared cost pools; move it to that tag or remove it',
    ],
    [
      'a cost category on a tag not mapped to Systems',
      d => (d.tags[3].costCategory = 'Product'),
      "tags[3] (environment).costCategory 'Product' is set, but only the tag with catalog: system can be read from a cost category; move it to that tag or remove it",
    ],
    [
      'a cost category name AWS would refuse',
      d => (d.tags[0].costCategory = 'Product: EU'),
      "tags[0] (product).costCategory 'Product: EU' is not an AWS cost category name (1 to 50 letters, digits, spaces, - or _); write the definition's Name, e.g. costCategory: Product",
    ],
    [
      'a shared value outside allowed',
      d => (d.tags[0].allowed = ['card-acquiring', 'wallet']),
      "tags[0] (product).shared 'shared' is not in tags[0] (product).allowed, so no resource could carry it; add it to allowed",
    ],
    [
      'both allowed and pattern',
      d => (d.tags[4].allowed = ['CC-1010']),
      'tags[4] (cost-centre) declares both allowed and pattern, but a tag takes one or the other; keep one of them',
    ],
    [
      'an empty allowed list',
      d => (d.tags[5].allowed = []),
      'tags[5] (data-classification).allowed [] is not a non-empty list of values; list them, e.g. [production, staging]',
    ],
    [
      'a number among allowed values',
      d => d.tags[5].allowed.push(2024),
      "tags[5] (data-classification).allowed[4] 2024 is not a string; quote it, e.g. '2024'",
    ],
    [
      'an allowed value AWS refuses',
      d => d.tags[3].allowed.push('prod,dr'),
      "tags[3] (environment).allowed[4] 'prod,dr' is not a valid AWS tag value (0-256 letters, digits, spaces and _ . : / = + - @); fix the value",
    ],
    [
      'a repeated allowed value',
      d => d.tags[6].allowed.push('in-scope'),
      "tags[6] (pci-scope).allowed[3] 'in-scope' is listed twice; remove the duplicate",
    ],
    [
      'required that is not a boolean',
      d => (d.tags[1].required = 'yes'),
      "tags[1] (service).required 'yes' is not true or false; write required: true or required: false",
    ],
    [
      'a description that is not text',
      d => (d.tags[1].description = ['a', 'b']),
      'tags[1] (service).description ["a","b"] is not text; write it as a sentence',
    ],
    [
      'a key AWS refuses',
      d => (d.tags[4].key = 'cost centre!'),
      "tags[4] (cost centre!).key 'cost centre!' is not a valid AWS tag key (1-128 letters, digits, spaces and _ . : / = + - @); rename it",
    ],
    [
      'a key with the reserved aws: prefix',
      d => (d.tags[3].key = 'AWS:environment'),
      "tags[3] (AWS:environment).key 'AWS:environment' starts with aws:, which AWS reserves for its own tags; choose a key without that prefix",
    ],
    [
      'a missing key',
      d => delete d.tags[5].key,
      'tags[5].key is missing; give the tag its AWS tag key, e.g. key: product',
    ],
    [
      'an entry that is not a mapping',
      d => d.tags.push('owner'),
      "tags[7] 'owner' is not a mapping; write it as - key: <tag key> followed by its rules",
    ],
  ])('names the place, value, rule and fix for %s', (_, edit, problem) => {
    const document = shippedDocument();
    edit(document);
    expect(problemsOf(stringify(document))).toContain(
      `taxonomy.yaml: ${problem}`,
    );
  });

  it('reports every problem at once, one per line', () => {
    const document = shippedDocument();
    document.apiVersion = 'v1';
    document.tags[4].pattern = '^CC-[0-9{4}$';
    document.tags[3].allowed = [];
    document.tags[2].key = 'service';
    document.tags[6].requried = true;
    let error: unknown;
    try {
      parseTaxonomy(stringify(document), 'taxonomy.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TaxonomyError);
    const { message, problems } = error as TaxonomyError;
    expect(problems).toEqual([
      "taxonomy.yaml: apiVersion 'v1' is not supported; set apiVersion: payments-platform/v1",
      'taxonomy.yaml: tags[3] (environment).allowed [] is not a non-empty list of values; list them, e.g. [production, staging]',
      "taxonomy.yaml: tags[4] (cost-centre).pattern '^CC-[0-9{4}$' is not a valid regular expression (Unterminated character class); fix the pattern or use allowed: [...]",
      'taxonomy.yaml: tags[6] (pci-scope).requried is not a known field; rename it to required',
      "taxonomy.yaml: tags[2] (service).key 'service' is already declared by tags[1]; keys must be unique, so remove or rename one of them",
    ]);
    expect(message.split('\n')).toEqual([
      'The tagging taxonomy taxonomy.yaml is invalid (5 problems):',
      ...problems,
    ]);
  });

  it('reports YAML syntax errors with their line and column', () => {
    const text = shippedText().replace(
      '    required: true\n    catalog: component',
      '    required: true\n   catalog: component',
    );
    const [problem] = problemsOf(text);
    const line = text.split('\n').indexOf('   catalog: component') + 1;
    expect(problem).toMatch(
      new RegExp(
        `^taxonomy\\.yaml:${line}:\\d+: YAML syntax error: .+; fix the YAML at that line$`,
      ),
    );
  });

  it('refuses a field written twice in one entry, naming the line', () => {
    const text = shippedText().replace(
      '    catalog: group',
      '    catalog: group\n    required: false',
    );
    const line = text.split('\n').indexOf('    catalog: group') + 2;
    expect(problemsOf(text)).toEqual([
      `taxonomy.yaml:${line}:5: YAML syntax error: Map keys must be unique; fix the YAML at that line`,
    ]);
  });

  it('refuses an empty file and a document that is not a mapping', () => {
    expect(problemsOf('# nothing yet\n')).toEqual([
      'taxonomy.yaml: the file is empty; declare apiVersion: payments-platform/v1, kind: TaggingTaxonomy and tags',
    ]);
    expect(problemsOf('- key: product\n')).toEqual([
      'taxonomy.yaml: the document [{"key":"product"}] is not a mapping; write apiVersion: payments-platform/v1, kind: TaggingTaxonomy and tags as its fields',
    ]);
  });
});
