import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { clockServiceFactory, FixedClock } from '@internal/platform-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { TAXONOMY_FILE } from './__testUtils__/fixtures';
import { costPlugin } from './plugin';

/** Starts the plugin alone, with a config on top of a taxonomy file and a quiet scheduler. */
function start(config: object, clock = new FixedClock('2027-03-01T00:20:00Z')) {
  return startTestBackend({
    features: [
      costPlugin,
      clockServiceFactory(clock),
      mockServices.rootConfig.factory({
        data: {
          taxonomy: { file: TAXONOMY_FILE },
          cost: { schedule: { initialDelaySeconds: 3600 } },
          ...config,
        },
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'System',
            metadata: { name: 'ledger', title: 'Ledger' },
            spec: { owner: 'ledger-team' },
          },
        ],
      }),
    ],
  });
}

describe('the cost plugin', () => {
  it('starts, serves its API and answers an empty store with empty figures, not errors', async () => {
    const clock = new FixedClock('2027-03-01T00:20:00Z');
    const backend = await start({}, clock);
    const { server } = backend;
    try {
      const overview = await request(server)
        .get('/api/cost/overview')
        .expect(200);
      // Its months are the backend's clock's.
      expect(overview.body).toMatchObject({
        currency: 'USD',
        metric: 'AmortizedCost',
        restricted: false,
        freshness: { accounts: [] },
        lastFullMonth: '2027-02',
        currentMonth: '2027-03',
      });
      expect(
        (await request(server).get('/api/cost/forecast').expect(200)).body
          .unavailable,
      ).toBe(
        'No forecast fetched yet: the forecast refresh reads AWS once a day',
      );
      clock.set('2027-04-02T08:00:00Z');
      expect(
        (await request(server).get('/api/cost/overview').expect(200)).body,
      ).toMatchObject({ lastFullMonth: '2027-03', currentMonth: '2027-04' });
      await request(server)
        .get('/api/cost/unallocated?month=2027-05')
        .expect(400);
      expect(overview.body.products).toEqual([
        expect.objectContaining({
          product: 'ledger',
          title: 'Ledger',
          lastFullMonth: 0,
        }),
      ]);
      await request(server).get('/api/cost/products/ledger').expect(404);
    } finally {
      await backend.stop();
    }
  });

  it('refuses to start on a broken taxonomy, naming the file and every problem', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxonomy-'));
    const file = path.join(dir, 'taxonomy.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(TAXONOMY_FILE, 'utf8')
        .replace("'^CC-[0-9]{4,5}$'", () => "'^CC-[0-9{4}$'")
        .replace('catalog: group', 'catalog: team'),
    );
    try {
      await expect(start({ taxonomy: { file } })).rejects.toThrow(
        /cost-centre\)\.pattern '\^CC-\[0-9\{4\}\$' is not a valid regular expression/,
      );
      await expect(start({ taxonomy: { file } })).rejects.toThrow(
        /is invalid \(3 problems\)[\s\S]*\(team\)\.catalog 'team' is not a catalog kind/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  it('refuses to start when the taxonomy file is missing or the cost config is wrong', async () => {
    await expect(
      start({ taxonomy: { file: '/nowhere/taxonomy.yaml' } }),
    ).rejects.toThrow(
      "taxonomy.file '/nowhere/taxonomy.yaml' (/nowhere/taxonomy.yaml) cannot be read",
    );
    await expect(start({ cost: { metric: 'Dollars' } })).rejects.toThrow(
      "Invalid config cost.metric: 'Dollars' is not a Cost Explorer cost metric; use one of AmortizedCost, UnblendedCost, BlendedCost, NetAmortizedCost, NetUnblendedCost",
    );
    await expect(
      start({
        cost: {
          sharedCosts: [
            {
              pool: 'shared',
              split: 'fixed',
              percentages: { ledger: 70, payouts: 40 },
            },
          ],
        },
      }),
    ).rejects.toThrow(
      'Invalid config cost.sharedCosts[0].percentages: add up to 110%; they must be at most 100%',
    );
  });
});
