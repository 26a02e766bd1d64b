import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import express from 'express';
import request from 'supertest';
import {
  AS_OF,
  NOW,
  costStack,
  organizationSource,
  revisableSource,
} from './__testUtils__/fixtures';
import { createRouter } from './router';

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });

// A first refresh is ~20 Cost Explorer requests over loopback: slow on a busy machine.
jest.setTimeout(60_000);

describe('the cost API', () => {
  let aws: AwsLocal;
  let stack: Awaited<ReturnType<typeof costStack>>;

  /** An app whose caller is a lead (allow), owns only the ledger (conditional) or nothing (deny). */
  async function appFor(
    caller: 'lead' | 'ledger-owner' | 'nobody' | 'intruder',
    options: {
      directory?: typeof stack.directory;
      batches?: number[];
      reader?: typeof stack.reader;
    } = {},
  ) {
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(() => ({
          result: {
            lead: AuthorizeResult.ALLOW,
            'ledger-owner': AuthorizeResult.CONDITIONAL,
            nobody: AuthorizeResult.DENY,
            intruder: AuthorizeResult.CONDITIONAL,
          }[caller],
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: { claims: ['group:default/ledger-team'] },
          },
        })) as any,
      authorize: async requests => {
        options.batches?.push(requests.length);
        return requests.map(r => ({
          result:
            caller === 'lead' ||
            (caller === 'ledger-owner' &&
              'resourceRef' in r &&
              r.resourceRef === 'system:default/ledger') ||
            // Owns what they registered in their own namespace.
            (caller === 'intruder' &&
              'resourceRef' in r &&
              String(r.resourceRef).includes(':intruder/'))
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        }));
      },
    });
    const app = express();
    app.use(
      await createRouter({
        reader: options.reader ?? stack.reader,
        httpAuth: mockServices.httpAuth(),
        permissions,
        catalog: async () => options.directory ?? stack.directory,
        requiredTagKeys: stack.settings.keys.required,
        now: NOW,
      }),
    );
    app.use(mockErrorHandler());
    return app;
  }

  beforeAll(async () => {
    aws = await startAwsLocal({ asOf: AS_OF });
    stack = await costStack(aws, await sqlite.init('SQLITE_3'), [
      organizationSource(aws),
    ]);
    await stack.refresh.refreshUsage();
    await stack.refresh.refreshAnomalies();
  });
  afterAll(() => aws.close());

  it('gives a lead the whole organisation', async () => {
    const response = await request(await appFor('lead'))
      .get('/overview')
      .expect(200);
    expect(response.body.restricted).toBe(false);
    expect(response.body.products.length).toBeGreaterThanOrEqual(6);
    expect(response.body.unallocated.lastFullMonth).toBeGreaterThan(0);
  });

  it('tells a lead which tag keys AWS cannot group by and what the bill holds besides usage, and keeps both from an owner', async () => {
    const lead = await request(await appFor('lead'))
      .get('/overview')
      .expect(200);
    expect(lead.body.tagActivation.keys).toContainEqual(
      expect.objectContaining({ tagKey: 'pci-scope', status: 'inactive' }),
    );
    expect(lead.body.tagCoverage.basis.keysLeftOut).toEqual(['pci-scope']);
    expect(lead.body.charges.lines.map((l: any) => l.recordType)).toEqual(
      expect.arrayContaining(['Tax', 'Support', 'Credit']),
    );
    const unallocated = await request(await appFor('lead'))
      .get('/unallocated')
      .expect(200);
    expect(unallocated.body.keysNotMeasured).toEqual([
      expect.objectContaining({
        tagKey: 'pci-scope',
        fix: expect.stringContaining('StartCostAllocationTagBackfill'),
      }),
    ]);
    const owner = await request(await appFor('ledger-owner'))
      .get('/overview')
      .expect(200);
    expect(owner.body.charges).toBeUndefined();
    expect(owner.body.tagActivation).toBeUndefined();
  });

  it('shows an owner only their products, without the organisation-wide lines', async () => {
    const app = await appFor('ledger-owner');
    const response = await request(app).get('/overview').expect(200);
    expect(response.body.restricted).toBe(true);
    expect(
      response.body.products.map((p: { product: string }) => p.product),
    ).toEqual(['ledger']);
    expect(response.body.totals.lastFullMonth).toBe(
      response.body.products[0].lastFullMonth,
    );
    expect(response.body.unallocated.lastFullMonth).toBe(0);
    await request(app).get('/products/ledger').expect(200);
    const denied = await request(app).get('/products/payouts').expect(403);
    expect(denied.body.error.message).toContain(
      'You may not read the cost of system:default/payouts',
    );
    await request(app).get('/unallocated').expect(403);
    expect(
      (await request(app).get('/anomalies').expect(200)).body.anomalies,
    ).toEqual([]);
  });

  it('denies cost to someone without cost.read', async () => {
    const app = await appFor('nobody');
    expect(
      (await request(app).get('/overview').expect(200)).body.products,
    ).toEqual([]);
    await request(app)
      .get('/entity')
      .query({ entityRef: 'system:default/ledger' })
      .expect(403);
  });

  it("gives nobody another product's cost through a same-named entity they registered elsewhere", async () => {
    const app = await appFor('intruder');
    for (const entityRef of [
      'system:intruder/ledger',
      'component:intruder/ledger-writer',
      'group:intruder/ledger-team',
    ]) {
      const response = await request(app)
        .get('/entity')
        .query({ entityRef })
        .expect(200);
      const [kind, name] = entityRef.split(/[:/]/).filter((_, i) => i !== 1);
      expect(response.body).toEqual({
        mapped: false,
        entityRef,
        reason: `not mapped: cost tags name entities in the 'default' namespace, so the spend tagged ${name} belongs to ${kind}:default/${name}, not ${entityRef}`,
      });
    }
    // The real owner still reads it.
    const owner = await request(await appFor('ledger-owner'))
      .get('/entity')
      .query({ entityRef: 'system:default/ledger' })
      .expect(200);
    expect(owner.body.mapped).toBe(true);
    expect(owner.body.lastFullMonthAmount).toBeGreaterThan(0);
  });

  it("refuses the deploy gate's token, even where its config forgot to restrict it", async () => {
    const app = express();
    app.use(
      await createRouter({
        reader: stack.reader,
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.service('deploy-gate'),
        }),
        permissions: mockServices.permissions(),
        catalog: async () => stack.directory,
        requiredTagKeys: stack.settings.keys.required,
        now: NOW,
      }),
    );
    app.use(mockErrorHandler());
    for (const route of [
      '/overview',
      '/unallocated',
      '/export.csv?view=products',
    ])
      expect(
        (await request(app).get(route).expect(403)).body.error.message,
      ).toBe(
        "The external access token of 'deploy-gate' may not read cost: it is for the deploy gate (GET /api/slo/gate) only",
      );
  });

  it('names the bad parameter and the fix in a 400', async () => {
    const app = await appFor('lead');
    expect(
      (await request(app).get('/unallocated?month=2026-13').expect(400)).body
        .error.message,
    ).toBe(
      'Invalid query: month must be a month written YYYY-MM, e.g. 2026-10',
    );
    expect(
      (await request(app).get('/unallocated?month=2026-12').expect(400)).body
        .error.message,
    ).toBe(
      'Invalid query: month 2026-12 has not begun; pick 2026-11 or an earlier month',
    );
    await request(app).get('/unallocated?month=2026-11').expect(200);
    expect(
      (await request(app).get('/export.csv?view=everything').expect(400)).body
        .error.message,
    ).toBe('Invalid query: view must be products, monthly or unallocated');
    expect(
      (
        await request(app)
          .get('/entity?entityRef=api:default/ledger-api')
          .expect(400)
      ).body.error.message,
    ).toBe(
      "entityRef kind 'api' has no cost; use a system, component or group",
    );
    expect(
      (await request(app).get('/overview?team=x').expect(400)).body.error
        .message,
    ).toBe('Invalid query: unknown parameter team');
    expect(
      (await request(app).get('/unallocated?colour=red').expect(400)).body.error
        .message,
    ).toBe('Invalid query: unknown parameter colour');
  });

  it('answers an unknown product with 404 and an unmapped entity with what to tag', async () => {
    const app = await appFor('lead');
    expect(
      (await request(app).get('/products/fraud').expect(404)).body.error
        .message,
    ).toBe(
      "No cost recorded for product 'fraud': no spend carries that product tag",
    );
    const entity = await request(app)
      .get('/entity')
      .query({ entityRef: 'component:default/fraud-scoring' })
      .expect(200);
    expect(entity.body).toMatchObject({
      mapped: false,
      tagKey: 'service',
      tagValue: 'fraud-scoring',
    });
  });

  it('exports CSV a spreadsheet opens', async () => {
    const app = await appFor('lead');
    const response = await request(app)
      .get('/export.csv?view=products')
      .expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="cost-products.csv"',
    );
    const [header, ...rows] = response.text.trim().split('\n');
    expect(header).toBe(
      'product,title,owner,last_full_month_2026-10,month_to_date_2026-11,forecast_month,month_over_month_percent,share_percent,shared_allocated,currency',
    );
    expect(rows.find(r => r.startsWith('ledger,'))).toMatch(
      /^ledger,Ledger,group:default\/ledger-team,\d+(\.\d+)?,/,
    );
    const unallocated = await request(app)
      .get('/export.csv?view=unallocated')
      .expect(200);
    expect(unallocated.text).toContain(
      ',product,318402765190,prod,EC2 - Other,',
    );
  });

  it('filters the organisation’s overview per caller, whoever asked first', async () => {
    const [lead, owner, nobody] = await Promise.all([
      appFor('lead'),
      appFor('ledger-owner'),
      appFor('nobody'),
    ]);
    const first = (await request(lead).get('/overview').expect(200)).body;
    const owned = (await request(owner).get('/overview').expect(200)).body;
    expect(owned.products).toEqual([
      first.products.find((p: { product: string }) => p.product === 'ledger'),
    ]);
    expect(owned.totals.lastFullMonth).toBe(owned.products[0].lastFullMonth);
    expect(owned).toMatchObject({
      restricted: true,
      unallocated: { lastFullMonth: 0 },
      shared: { lastFullMonth: 0 },
      tagCoverage: { byTeam: [] },
    });
    expect(
      owned.monthly.every(
        (m: { byProduct: object }) =>
          Object.keys(m.byProduct).join() === 'ledger',
      ),
    ).toBe(true);
    expect(
      (await request(nobody).get('/overview').expect(200)).body.products,
    ).toEqual([]);
    // The owners' requests took nothing away from the lead's view.
    expect((await request(lead).get('/overview').expect(200)).body).toEqual(
      first,
    );
    expect(first.products.length).toBeGreaterThanOrEqual(6);
  });

  it('answers with the figures of the refresh that just completed, and 304 while nothing changed', async () => {
    const figures = revisableSource(aws);
    const own = await costStack(aws, await sqlite.init('SQLITE_3'), [
      figures.source,
    ]);
    await own.refresh.refreshUsage();
    const app = await appFor('lead', { reader: own.reader });
    const first = await request(app).get('/overview').expect(200);
    const ledger = await request(app).get('/products/ledger').expect(200);
    expect(first.headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    await request(app)
      .get('/overview')
      .set('if-none-match', first.headers.etag)
      .expect(304);

    figures.revise(2);
    await own.refresh.refreshUsage();
    const second = await request(app)
      .get('/overview')
      .set('if-none-match', first.headers.etag)
      .expect(200);
    expect(second.headers.etag).not.toBe(first.headers.etag);
    // The month AWS still estimates is re-read (an invoiced month is final and stands).
    expect(second.body.totals.monthToDate).toBeCloseTo(
      first.body.totals.monthToDate * 2,
      0,
    );
    const revised = await request(app)
      .get('/products/ledger')
      .set('if-none-match', ledger.headers.etag)
      .expect(200);
    expect(revised.body.summary.monthToDate).toBeCloseTo(
      ledger.body.summary.monthToDate * 2,
      1,
    );
  });

  it('asks about an owner’s products in batches the permission backend accepts, even with 1,000 products', async () => {
    const systems = new Map(stack.directory.systems);
    for (let i = 1; i <= 1000; i++)
      systems.set(`product-${i}`, {
        ref: `system:default/product-${i}`,
        title: `Product ${i}`,
        owner: 'group:default/team',
      });
    const batches: number[] = [];
    const response = await request(
      await appFor('ledger-owner', {
        directory: { ...stack.directory, systems },
        batches,
      }),
    )
      .get('/overview')
      .expect(200);
    expect(
      response.body.products.map((p: { product: string }) => p.product),
    ).toEqual(['ledger']);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(systems.size);
    expect(Math.max(...batches)).toBeLessThanOrEqual(250);
  });
});
