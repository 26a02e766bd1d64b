import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CatalogNames,
  Taxonomy,
  TagViolation,
  validateTags,
} from '@internal/taxonomy-common';
import yaml from 'yaml';

export const TAXONOMY_VALIDATE_ACTION_ID = 'payments:taxonomy:validate';

// AWS's own rules for tag keys and values (the taxonomy holds its own tags to them too); tags
// outside the taxonomy go to AWS through default_tags as well, so they must follow them.
const AWS_TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const AWS_TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const AWS_TAG_CHARACTERS = 'letters, digits, spaces and _ . : / = + - @';

type CatalogInput = {
  products?: string[];
  services?: string[];
  teams?: string[];
};

/** A violation as the action reports it. */
type Problem = Pick<TagViolation, 'key' | 'fix'> & {
  value?: string;
  rule: TagViolation['rule'] | 'aws-tag-key' | 'aws-tag-value';
  message: string;
};

/** Catalog names given as names or entity refs (`group:default/payments-team`) -> names. */
function names(values: string[] | undefined): Set<string> {
  return new Set(
    (values ?? []).map(value => {
      try {
        return parseEntityRef(value).name;
      } catch {
        return value;
      }
    }),
  );
}

/** Checks the tags against the taxonomy and, for the kinds whose names were given, the catalog. */
export function tagProblems(
  taxonomy: Taxonomy,
  tags: Record<string, string>,
  catalog: CatalogInput | undefined,
): Problem[] {
  const given = {
    system: catalog?.products !== undefined,
    component: catalog?.services !== undefined,
    group: catalog?.teams !== undefined,
  };
  const catalogNames: CatalogNames | undefined = catalog && {
    systems: names(catalog.products),
    components: names(catalog.services),
    groups: names(catalog.teams),
  };
  const problems: Problem[] = validateTags(taxonomy, tags, catalogNames)
    // A kind whose names were not given is not checked against the catalog.
    .filter(violation => {
      if (violation.rule !== 'not-in-catalog') return true;
      const kind = taxonomy.tag(violation.key)?.catalog;
      return kind !== undefined && given[kind];
    });

  // Every tag reaches AWS through default_tags, so it must also be a valid AWS tag.
  for (const [key, value] of Object.entries(tags)) {
    if (problems.some(p => p.key === key)) continue;
    if (!AWS_TAG_KEY.test(key) || key.toLowerCase().startsWith('aws:')) {
      const fix = `rename it to 1-128 ${AWS_TAG_CHARACTERS}, not starting with aws:`;
      problems.push({
        key,
        value,
        rule: 'aws-tag-key',
        fix,
        message: `tag key '${key}' is not a valid AWS tag key; fix: ${fix}`,
      });
    } else if (!AWS_TAG_VALUE.test(value)) {
      const fix = `use 0-256 ${AWS_TAG_CHARACTERS}`;
      problems.push({
        key,
        value,
        rule: 'aws-tag-value',
        fix,
        message: `tag ${key} is '${value}', which is not a valid AWS tag value; fix: ${fix}`,
      });
    }
  }
  return problems;
}

/** The tags in taxonomy order, then any other tags in the order given. */
export function orderTags(
  taxonomy: Taxonomy,
  tags: Record<string, string>,
): Record<string, string> {
  const ordered: Record<string, string> = {};
  for (const { key } of taxonomy.tags) {
    if (Object.prototype.hasOwnProperty.call(tags, key))
      ordered[key] = tags[key];
  }
  for (const [key, value] of Object.entries(tags)) {
    if (!taxonomy.tag(key)) ordered[key] = value;
  }
  return ordered;
}

/** Escapes HCL template sequences (`${` and `%{`) so HCL reads the text literally. */
export function hclTemplateEscape(value: string): string {
  // A function replacement, since '$$' in a replacement string means one '$'.
  return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** A string as the body of an HCL quoted string: quotes, backslashes, control characters, templates. */
export function hclEscape(value: string): string {
  return hclTemplateEscape(value)
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}

/** The tags as an HCL map expression, one `"key" = "value"` per line. */
export function hclMap(tags: Record<string, string>): string {
  const lines = Object.entries(tags).map(
    ([key, value]) => `  "${hclEscape(key)}" = "${hclEscape(value)}"`,
  );
  return `{\n${lines.join('\n')}\n}`;
}

/** Shown in the scaffolder's action list (/create/actions). */
const TAXONOMY_VALIDATE_EXAMPLES = [
  {
    description: 'Validate the tags of a new service',
    example: yaml.stringify({
      steps: [
        {
          id: 'tags',
          action: TAXONOMY_VALIDATE_ACTION_ID,
          name: 'Check the tags',
          input: {
            tags: {
              product:
                '${{ parameters.system | parseEntityRef | pick("name") }}',
              service: '${{ parameters.name }}',
              team: '${{ parameters.owner | parseEntityRef | pick("name") }}',
              environment: 'production',
              'cost-centre': '${{ parameters.costCentre }}',
              'data-classification': 'confidential',
              'pci-scope': 'out-of-scope',
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Also check that product and team name catalog entities, and render Terraform default_tags',
    example: yaml.stringify({
      steps: [
        {
          id: 'tags',
          action: TAXONOMY_VALIDATE_ACTION_ID,
          input: {
            tags: {
              product: 'card-acquiring',
              service: 'refund-service',
              team: 'card-acquiring-team',
              environment: 'production',
              'cost-centre': 'CC-1042',
              'data-classification': 'confidential',
              'pci-scope': 'connected',
            },
            catalog: {
              products: ['card-acquiring', 'wallet'],
              teams: ['group:default/card-acquiring-team'],
            },
          },
        },
        {
          id: 'fetch',
          action: 'fetch:template',
          input: {
            url: './skeleton',
            values: {
              // In the skeleton: default_tags { tags = ${{ values.defaultTags }} }
              defaultTags:
                '${{ steps.tags.output.terraformDefaultTags | dump }}',
            },
          },
        },
      ],
    }),
  },
];

/**
 * `payments:taxonomy:validate`: checks a new service's tags against the tagging taxonomy
 * (taxonomy.yaml) before anything is published, and hands the template the validated tags and
 * their Terraform `default_tags` form.
 */
export function createTaxonomyValidateAction(options: { taxonomy: Taxonomy }) {
  const { taxonomy } = options;
  const keys = taxonomy.tags.map(tag => tag.key);
  return createTemplateAction({
    id: TAXONOMY_VALIDATE_ACTION_ID,
    description: `Validates tags against the tagging taxonomy (${keys.join(
      ', ',
    )}): required keys, allowed values, patterns, misspelt keys and, when catalog names are given, that product, service and team name catalog entities. Fails listing every problem with its fix; outputs the tags in taxonomy order and as Terraform default_tags.`,
    supportsDryRun: true,
    examples: TAXONOMY_VALIDATE_EXAMPLES,
    schema: {
      input: {
        tags: z =>
          z
            .record(z.string(), z.string())
            .describe(
              `The tags, key to value. Taxonomy keys: ${keys.join(
                ', ',
              )}. Other keys pass through when they are valid AWS tags.`,
            ),
        catalog: z =>
          z
            .object({
              products: z
                .array(z.string())
                .optional()
                .describe(
                  `Catalog System names (or refs) the ${taxonomy.productKey} tag may take`,
                ),
              services: z
                .array(z.string())
                .optional()
                .describe(
                  `Catalog Component names (or refs) the ${taxonomy.serviceKey} tag may take`,
                ),
              teams: z
                .array(z.string())
                .optional()
                .describe(
                  `Catalog Group names (or refs) the ${taxonomy.teamKey} tag may take`,
                ),
            })
            .optional()
            .describe(
              'Catalog names to check product, service and team against; a kind left out is not checked',
            ),
      },
      output: {
        tags: z =>
          z
            .record(z.string(), z.string())
            .describe(
              'The validated tags, taxonomy keys first in taxonomy order',
            ),
        terraformDefaultTags: z =>
          z
            .record(z.string(), z.string())
            .describe(
              'The same tags with HCL template sequences escaped; `| dump` renders it as JSON, which is a valid HCL object expression for default_tags { tags = ... }',
            ),
        terraformDefaultTagsHcl: z =>
          z
            .string()
            .describe(
              'The tags as an HCL map, one "key" = "value" per line, ready for default_tags { tags = ... }',
            ),
      },
    },
    async handler(ctx) {
      const { tags, catalog } = ctx.input;
      const problems = tagProblems(taxonomy, tags, catalog);
      if (problems.length > 0) {
        const lines = problems.map(
          p =>
            `- tags.${p.key}${p.value === undefined ? '' : ` '${p.value}'`} (${
              p.rule
            }): ${p.message}`,
        );
        throw new InputError(
          `input.tags break the tagging taxonomy ${taxonomy.file} (${
            problems.length
          } ${problems.length === 1 ? 'problem' : 'problems'}):\n${lines.join(
            '\n',
          )}`,
        );
      }
      const ordered = orderTags(taxonomy, tags);
      const escaped = Object.fromEntries(
        Object.entries(ordered).map(([key, value]) => [
          key,
          hclTemplateEscape(value),
        ]),
      );
      ctx.logger.info(
        `Tags follow the taxonomy: ${Object.entries(ordered)
          .map(([key, value]) => `${key}=${value}`)
          .join(', ')}`,
      );
      ctx.output('tags', ordered);
      ctx.output('terraformDefaultTags', escaped);
      ctx.output('terraformDefaultTagsHcl', hclMap(ordered));
    },
  });
}
