import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { realTaxonomy, tempDirectory } from '../__testUtils__/fixtures';
import {
  createTaxonomyValidateAction,
  hclEscape,
  hclMap,
  hclTemplateEscape,
} from './taxonomyValidate';

// A workspace of our own: the mock context's default one is never removed.
const workspace = tempDirectory('taxonomy-validate');
afterAll(() => workspace.cleanup());

const taxonomy = realTaxonomy();
const action = createTaxonomyValidateAction({ taxonomy });

const goodTags = {
  'pci-scope': 'connected',
  service: 'refund-service',
  product: 'card-acquiring',
  team: 'card-acquiring-team',
  environment: 'production',
  'cost-centre': 'CC-1042',
  'data-classification': 'confidential',
};

async function run(input: Record<string, unknown>) {
  const ctx = createMockActionContext({
    workspacePath: workspace.dir,
    input: input as any,
  });
  await action.handler(ctx as any);
  return ctx;
}

function outputs(ctx: { output: jest.Mock | any }) {
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

describe('payments:taxonomy:validate', () => {
  it('declares its id, dry-run support, examples and schemas', () => {
    expect(action.id).toBe('payments:taxonomy:validate');
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples?.length).toBeGreaterThan(0);
    expect(action.examples?.[0].example).toContain(
      'action: payments:taxonomy:validate',
    );
    expect(action.schema?.input).toMatchObject({
      type: 'object',
      required: ['tags'],
    });
    expect(
      (action.schema?.output as any).properties.terraformDefaultTags,
    ).toBeDefined();
  });

  it('outputs valid tags in taxonomy order and as Terraform default_tags', async () => {
    const ctx = await run({
      tags: { ...goodTags, 'owner-email': 'a@b.example' },
    });
    const out = outputs(ctx);
    expect(Object.keys(out.tags)).toEqual([
      'product',
      'service',
      'team',
      'environment',
      'cost-centre',
      'data-classification',
      'pci-scope',
      'owner-email',
    ]);
    expect(out.terraformDefaultTags).toEqual(out.tags);
    expect(out.terraformDefaultTagsHcl).toBe(
      [
        '{',
        '  "product" = "card-acquiring"',
        '  "service" = "refund-service"',
        '  "team" = "card-acquiring-team"',
        '  "environment" = "production"',
        '  "cost-centre" = "CC-1042"',
        '  "data-classification" = "confidential"',
        '  "pci-scope" = "connected"',
        '  "owner-email" = "a@b.example"',
        '}',
      ].join('\n'),
    );
  });

  it('fails listing every violation with key, value, rule and fix', async () => {
    const { product, ...withoutProduct } = goodTags;
    const error = await run({
      tags: {
        ...withoutProduct,
        environment: 'prod',
        'cost-centre': 'CC12',
        Product: product,
      },
    }).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toContain(
      'input.tags break the tagging taxonomy taxonomy.yaml (4 problems)',
    );
    expect(error.message).toContain(
      '- tags.product (missing): tag product is missing, but every resource must carry it; fix: add the tag product',
    );
    expect(error.message).toContain(
      "- tags.environment 'prod' (not-allowed): tag environment is 'prod', which is not an allowed value; fix: use one of production, staging, shared, development",
    );
    expect(error.message).toContain(
      "- tags.cost-centre 'CC12' (pattern): tag cost-centre is 'CC12', which does not match ^CC-[0-9]{4,5}$; fix: use a value matching ^CC-[0-9]{4,5}$",
    );
    expect(error.message).toContain(
      "- tags.Product 'card-acquiring' (unknown-key): tag Product is not in the taxonomy but looks like product; fix: rename the tag Product to product",
    );
  });

  it('checks product and team against the catalog names given, and only those kinds', async () => {
    const error = await run({
      tags: { ...goodTags, product: 'card-aquiring', team: 'ledger-team' },
      catalog: {
        products: ['card-acquiring', 'wallet'],
        teams: ['group:default/card-acquiring-team'],
      },
    }).catch(e => e);
    expect(error.message).toContain('(2 problems)');
    expect(error.message).toContain(
      "- tags.product 'card-aquiring' (not-in-catalog)",
    );
    expect(error.message).toContain('fix: use one of card-acquiring');
    expect(error.message).toContain(
      "- tags.team 'ledger-team' (not-in-catalog)",
    );
    // No services were given, so refund-service is not checked against the catalog.
    expect(error.message).not.toContain('tags.service');

    const ctx = await run({
      tags: goodTags,
      catalog: {
        products: ['card-acquiring'],
        teams: ['group:default/card-acquiring-team'],
      },
    });
    expect(outputs(ctx).tags.team).toBe('card-acquiring-team');
  });

  it('accepts the shared cost pool as a product', async () => {
    const ctx = await run({
      tags: { ...goodTags, product: 'shared' },
      catalog: { products: ['card-acquiring'] },
    });
    expect(outputs(ctx).tags.product).toBe('shared');
  });

  it('rejects tags AWS would reject', async () => {
    const error = await run({
      tags: {
        ...goodTags,
        'aws:owner': 'x',
        note: 'costs ${var.x}',
        service: 'a"b',
      },
    }).catch(e => e);
    expect(error.message).toContain('(3 problems)');
    expect(error.message).toContain("tags.aws:owner 'x' (aws-tag-key)");
    expect(error.message).toContain(
      "tags.note 'costs ${var.x}' (aws-tag-value)",
    );
    expect(error.message).toContain(`tags.service 'a"b' (aws-tag-value)`);
  });

  it('escapes strings for HCL', () => {
    expect(hclTemplateEscape('a ${b} %{c}')).toBe('a $${b} %%{c}');
    expect(hclEscape('say "hi" \\ ${x}\n')).toBe('say \\"hi\\" \\\\ $${x}\\n');
    expect(hclMap({ a: 'b' })).toBe('{\n  "a" = "b"\n}');
  });
});
