import {
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import express from 'express';
import request from 'supertest';
import {
  AS_OF,
  costStack,
  NOW,
  organizationSource,
} from '../__testUtils__/fixtures';
import { UntaggedResourceStore } from '../database/UntaggedResourceStore';
import { createRouter } from '../router';
import { AllocationReader } from '../service/AllocationReader';

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

jest.setTimeout(60_000);

describe('the allocation routes', () => {
  let aws: AwsLocal;
  let stack: Awaited<ReturnType<typeof costStack>>;
  let allocation: AllocationReader;

  async function appFor(caller: 'lead' | 'ledger-owner') {
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(() => ({
          result:
            caller === 'lead'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: { claims: ['group:default/ledger-team'] },
          },
        })) as any,
      authorize: async requests =>
        requests.map(r => ({
          result:
            caller === 'lead' ||
            ('resourceRef' in r && r.resourceRef === 'system:default/ledger')
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })),
    });
    const app = express();
    app.use(
      await createRouter({
        reader: stack.reader,
        httpAuth: mockServices.httpAuth(),
        permissions,
        catalog: async () => stack.directory,
        requiredTagKeys: stack.settings.keys.required,
        now: NOW,
        allocation,
      }),
    );
    app.use(mockErrorHandler());
    return app;
  }

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
    const knex = await sqlite.init('SQLITE_3');
    stack = await costStack(aws, knex, [organizationSource(aws)]);
    await stack.refresh.refreshUsage();
    allocation = new AllocationReader(
      stack.store,
      new UntaggedResourceStore(knex),
      {
        costCategory: stack.settings.costCategory,
        sharedRules: stack.settings.sharedRules,
        untaggedResources: stack.settings.untaggedResources,
        keys: stack.settings.keys,
      },
      NOW,
    );
  });
  afterAll(() => aws.close());

  it('gives a lead the cost category as JSON and as Terraform, describing the same rules', async () => {
    const app = await appFor('lead');
    const json = await request(app).get('/cost-category.json').expect(200);
    expect(json.headers['content-disposition']).toContain(
      'cost-category-product.json',
    );
    expect(json.body.RuleVersion).toBe('CostCategoryExpression.v1');
    const tf = await request(app).get('/cost-category.tf').expect(200);
    expect(tf.headers['content-type']).toContain('text/plain');
    const parsed: any = await parseHcl('cost-category.tf', tf.text);
    const [resource] = parsed.resource.aws_ce_cost_category.product;
    expect(resource.rule.map((r: any) => r.value)).toEqual(
      json.body.Rules.map((r: any) => r.Value),
    );
    expect(resource.default_value).toBe(json.body.DefaultValue);
  });

  it('keeps organisation-wide views from someone who owns one product, and rejects unknown parameters', async () => {
    const app = await appFor('ledger-owner');
    for (const path of [
      '/cost-category.json',
      '/cost-category.tf',
      '/untagged-resources',
      '/coverage/teams',
    ]) {
      const denied = await request(app).get(path).expect(403);
      expect(denied.body.error.message).toContain(
        'needs cost.read for all products',
      );
    }
    const lead = await appFor('lead');
    const bad = await request(lead).get('/cost-category.json?format=yaml');
    expect(bad.status).toBe(400);
  });

  it('says untagged resources are not listed when no regions are configured', async () => {
    const response = await request(await appFor('lead'))
      .get('/untagged-resources')
      .expect(200);
    expect(response.body).toMatchObject({ configured: false, groups: [] });
  });

  it('gives tag coverage per team for each of the last six full months', async () => {
    const response = await request(await appFor('lead'))
      .get('/coverage/teams')
      .expect(200);
    expect(response.body.months).toEqual([
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
    ]);
    expect(response.body.teams.length).toBeGreaterThan(1);
    for (const team of response.body.teams) {
      expect(team.coveredPercent).toHaveLength(6);
      for (const percent of team.coveredPercent) {
        expect(percent).toBeGreaterThanOrEqual(0);
        expect(percent).toBeLessThanOrEqual(100);
      }
    }
    // The demo's tagging mistake (a team missing two keys on CloudWatch) shows below 100%.
    expect(
      response.body.teams.some((t: any) =>
        t.coveredPercent.some((p: number) => p < 100),
      ),
    ).toBe(true);
  });
});
