import { closestFirst, nearMiss } from './nearMiss';
import type { Taxonomy, TaxonomyTag } from './taxonomy';

/** Names of the catalog entities tag values may name. */
export type CatalogNames = {
  systems: Set<string>;
  components: Set<string>;
  groups: Set<string>;
};

/** One way a resource's tags break the taxonomy, with the fix. */
export type TagViolation = {
  key: string;
  value?: string;
  rule:
    | 'missing'
    | 'not-allowed'
    | 'pattern'
    | 'not-in-catalog'
    | 'unknown-key';
  /** The whole sentence, ending with `; fix: ...`. */
  message: string;
  fix: string;
};

const CATALOG = {
  system: { title: 'System', names: (c: CatalogNames) => c.systems },
  component: { title: 'Component', names: (c: CatalogNames) => c.components },
  group: { title: 'Group', names: (c: CatalogNames) => c.groups },
};

// Long lists of catalog names help nobody; the closest ones come first.
const MAX_SUGGESTIONS = 8;

function violation(
  key: string,
  value: string | undefined,
  rule: TagViolation['rule'],
  problem: string,
  fix: string,
): TagViolation {
  return {
    key,
    ...(value !== undefined ? { value } : {}),
    rule,
    message: `${problem}; fix: ${fix}`,
    fix,
  };
}

function expectedValue(tag: TaxonomyTag): string {
  if (tag.allowed) return `one of ${tag.allowed.join(', ')}`;
  if (tag.pattern) return `a value matching ${tag.pattern}`;
  if (tag.catalog)
    return `the name of a ${CATALOG[tag.catalog].title} in the catalog`;
  return 'a value';
}

function catalogViolation(
  tag: TaxonomyTag & { catalog: keyof typeof CATALOG },
  value: string,
  catalog: CatalogNames,
  shared: string[],
): TagViolation | undefined {
  const { title, names } = CATALOG[tag.catalog];
  if (names(catalog).has(value) || shared.includes(value)) return undefined;
  const candidates = closestFirst(value, [...names(catalog), ...shared]);
  const shown = candidates.slice(0, MAX_SUGGESTIONS).join(', ');
  const more = candidates.length > MAX_SUGGESTIONS ? ', ...' : '';
  const fix =
    candidates.length > 0
      ? `use one of ${shown}${more} or register the ${title}`
      : `register the ${title} ${value} in the catalog`;
  return violation(
    tag.key,
    value,
    'not-in-catalog',
    `tag ${tag.key} is '${value}', which is not a ${title} in the catalog`,
    fix,
  );
}

/**
 * Checks one resource's tags against the taxonomy: missing required tags, values outside
 * allowed or pattern, values naming no catalog entity (only when `catalog` is given) and
 * misspelt keys such as `Product` or `cost_center`. Tags unrelated to the taxonomy are ignored.
 * Each tag gets at most one violation, for the first rule it breaks.
 */
export function validateTags(
  taxonomy: Taxonomy,
  tags: Record<string, string>,
  catalog?: CatalogNames,
): TagViolation[] {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(tags, key);
  const product = has(taxonomy.productKey)
    ? tags[taxonomy.productKey]
    : undefined;
  // Shared infrastructure (e.g. the Kafka cluster) is not a catalog Component of any product.
  const sharedPool =
    product !== undefined && taxonomy.sharedProductValues.includes(product);
  const violations: TagViolation[] = [];

  for (const tag of taxonomy.tags) {
    const value = has(tag.key) ? tags[tag.key] : undefined;
    if (value === undefined || value.trim() === '') {
      if (tag.required) {
        violations.push(
          violation(
            tag.key,
            value,
            'missing',
            `tag ${tag.key} is ${
              value === undefined ? 'missing' : 'empty'
            }, but every resource must carry it`,
            `add the tag ${tag.key} with ${expectedValue(tag)}`,
          ),
        );
      }
      continue;
    }
    if (tag.allowed && !tag.allowed.includes(value)) {
      violations.push(
        violation(
          tag.key,
          value,
          'not-allowed',
          `tag ${tag.key} is '${value}', which is not an allowed value`,
          `use one of ${tag.allowed.join(', ')}`,
        ),
      );
      continue;
    }
    if (tag.pattern && !new RegExp(tag.pattern).test(value)) {
      violations.push(
        violation(
          tag.key,
          value,
          'pattern',
          `tag ${tag.key} is '${value}', which does not match ${tag.pattern}`,
          `use a value matching ${tag.pattern}`,
        ),
      );
      continue;
    }
    const { catalog: kind } = tag;
    if (!catalog || !kind || (kind === 'component' && sharedPool)) continue;
    const found = catalogViolation(
      { ...tag, catalog: kind },
      value,
      catalog,
      kind === 'system' ? taxonomy.sharedProductValues : [],
    );
    if (found) violations.push(found);
  }

  const keys = taxonomy.tags.map(tag => tag.key);
  for (const key of Object.keys(tags)) {
    if (taxonomy.tag(key)) continue;
    const meant = nearMiss(key, keys);
    if (meant) {
      violations.push(
        violation(
          key,
          tags[key],
          'unknown-key',
          `tag ${key} is not in the taxonomy but looks like ${meant}`,
          `rename the tag ${key} to ${meant}`,
        ),
      );
    }
  }
  return violations;
}
