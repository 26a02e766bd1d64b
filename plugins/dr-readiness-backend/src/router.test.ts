import {
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import {
  drWaivePermission,
  EvidencePack,
  ScorecardResponse,
  ServiceDetailResponse,
} from '@internal/dr-readiness-common';
import express from 'express';
import request from 'supertest';
import { drStack, runningClock } from './__testUtils__/fixtures';
import { createRouter } from './router';
import { DrReader } from './service/DrReader';

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
const VAULT = 'component:default/card-tokenisation-vault';

describe('the DR readiness API', () => {
  let aws: AwsLocal;
  let stack: Awaited<ReturnType<typeof drStack>>;
  // The first of a month just after midnight UTC, and a Monday: one clock for AWS, scan and API.
  const now = runningClock('2027-03-01T00:20:00Z');

  beforeAll(async () => {
    aws = await startAwsLocal({ now });
    stack = await drStack(aws, await sqlite.init('SQLITE_3'), {
      config: { rescan: { minIntervalSeconds: 300 } },
      now,
    });
    await stack.scanner.scanAll();
  }, 60_000);

  afterAll(async () => {
    await aws?.close();
  });

  /** The API as a user who may read everything and, when `approver`, waive controls. */
  async function appFor(options: { approver: boolean; user?: string }) {
    const app = express();
    app.use(
      await createRouter({
        reader: stack.reader,
        scanner: stack.scanner,
        store: stack.store,
        settings: stack.settings,
        httpAuth: mockServices.httpAuth(),
        userInfo: mockServices.userInfo({
          userEntityRef: options.user ?? 'user:default/risk.officer',
        }),
        permissions: mockServices.permissions.mock({
          authorizeConditional: async requests =>
            requests.map(r => ({
              result:
                r.permission.name !== drWaivePermission.name || options.approver
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
            })),
        }),
        now,
      }),
    );
    app.use(mockErrorHandler());
    return app;
  }

  it('serves the org scorecard: every tiered service with its cells, filtered by team, product and tier', async () => {
    const app = await appFor({ approver: false });
    const all: ScorecardResponse = (
      await request(app).get('/scorecard').expect(200)
    ).body;
    expect(all.rows.length).toBe(stack.services.length);
    expect(all.lastScan?.status).toBe('completed');
    const vault = all.rows.find(r => r.entityRef === VAULT)!;
    expect(vault.cells['dynamodb-pitr']).toMatchObject({ status: 'fail' });
    expect(vault.trend).toHaveLength(1);
    const team: ScorecardResponse = (
      await request(app)
        .get('/scorecard')
        .query({ team: 'card-acquiring-team' })
        .expect(200)
    ).body;
    expect(new Set(team.rows.map(r => r.team))).toEqual(
      new Set(['card-acquiring-team']),
    );
    const tier0: ScorecardResponse = (
      await request(app)
        .get('/scorecard')
        .query({ tier: 'tier-0', product: 'ledger' })
        .expect(200)
    ).body;
    expect(tier0.rows.map(r => r.name)).toEqual(['ledger-writer']);
    expect(
      (await request(app).get('/scorecard').query({ tier: 'gold' }).expect(400))
        .body.error.message,
    ).toBe('tier "gold" is not one of tier-0, tier-1, tier-2, tier-3');
  });

  it('sends the same scorecard gzipped or not, with its time of request', async () => {
    const app = await appFor({ approver: false });
    const plain = await request(app)
      .get('/scorecard')
      .query({ tier: 'tier-0' })
      .set('Accept-Encoding', 'identity')
      .expect(200);
    const gzipped = await request(app)
      .get('/scorecard')
      .query({ tier: 'tier-0' })
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    expect([
      plain.headers['content-encoding'],
      gzipped.headers['content-encoding'],
    ]).toEqual([undefined, 'gzip']);
    expect(plain.headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    expect(Number(plain.headers['content-length'])).toBe(
      Buffer.byteLength(plain.text),
    );
    const { generatedAt: plainAt, ...plainBody } =
      plain.body as ScorecardResponse;
    const { generatedAt: gzippedAt, ...gzippedBody } =
      gzipped.body as ScorecardResponse;
    expect(gzippedBody).toEqual(plainBody);
    expect(Date.parse(gzippedAt)).toBeGreaterThanOrEqual(Date.parse(plainAt));
    expect(plainBody).toEqual(
      JSON.parse(
        JSON.stringify({
          ...(await stack.reader.scorecard({ tier: 'tier-0' })),
          generatedAt: undefined,
        }),
      ),
    );
  });

  it('serves a service with its tier, results, evidence hashes, and a 404 that says how to opt in', async () => {
    const app = await appFor({ approver: false });
    const detail: ServiceDetailResponse = (
      await request(app)
        .get('/services/default/card-tokenisation-vault')
        .expect(200)
    ).body;
    expect(detail.tier).toMatchObject({
      id: 'tier-0',
      rtoMinutes: 15,
      rpoMinutes: 1,
    });
    const pitr = detail.results.find(r => r.controlId === 'dynamodb-pitr')!;
    expect(pitr).toMatchObject({
      status: 'fail',
      title: expect.any(String),
      weight: expect.any(Number),
    });
    expect(pitr.evidenceHash).toMatch(/^[0-9a-f]{64}$/);
    const missing = await request(app)
      .get('/services/default/no-such-service')
      .expect(404);
    expect(missing.body.error.message).toContain('add the annotation');
  });

  it('exports the evidence pack of a service as JSON and of a tier as CSV, with hashes and times', async () => {
    const app = await appFor({ approver: false });
    const json = await request(app)
      .get('/evidence')
      .query({ entityRef: VAULT, format: 'json' })
      .expect(200);
    expect(json.headers['content-disposition']).toMatch(
      /attachment; filename="dr-evidence-component-default-card-tokenisation-vault-\d{4}-\d{2}-\d{2}\.json"/,
    );
    // The app on another origin reads the file name from this header.
    expect(json.headers['access-control-expose-headers']).toContain(
      'Content-Disposition',
    );
    const pack: EvidencePack = json.body;
    expect(pack.generatedBy).toBe('user:default/risk.officer');
    expect(pack.records.length).toBeGreaterThan(5);
    expect(
      pack.records.every(
        r =>
          /^[0-9a-f]{64}$/.test(r.evidenceHash) && Date.parse(r.scannedAt) > 0,
      ),
    ).toBe(true);
    // Every finding rests on API calls; only "no public hostname declared" comes from the catalog.
    expect(
      pack.records.filter(r => r.calls.length === 0).map(r => r.controlId),
    ).toEqual(['route53-failover']);

    const csv = await request(app)
      .get('/evidence')
      .query({ tier: 'tier-0', format: 'csv' })
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toContain('evidenceHash');
    const tier0Services = stack.services
      .filter(s => s.tier === 'tier-0')
      .map(s => s.entityRef);
    expect(
      lines
        .slice(1)
        .every(line => tier0Services.some(ref => line.startsWith(ref))),
    ).toBe(true);
    expect(
      (
        await request(app)
          .get('/evidence')
          .query({ format: 'xml', tier: 'tier-0' })
          .expect(400)
      ).body.error.message,
    ).toBe('Invalid query: format must be json or csv');
    expect(
      (await request(app).get('/evidence').expect(400)).body.error.message,
    ).toContain('needs exactly one of entityRef');
  });

  it('records a waiver only for DR approvers, names each bad field, and lists revoked waivers too', async () => {
    const denied = await request(await appFor({ approver: false }))
      .post('/services/default/card-tokenisation-vault/waivers')
      .send({
        controlId: 'dynamodb-pitr',
        reason: 'Journal replay covers it until Q1.',
        approver: 'user:default/ciso',
        expiresAt: '2099-01-01',
      })
      .expect(403);
    expect(denied.body.error.message).toContain('dr.waive');

    const app = await appFor({ approver: true });
    const bad = await request(app)
      .post('/services/default/card-tokenisation-vault/waivers')
      .send({ controlId: 'dynamodb-pitr', reason: 'x' })
      .expect(400);
    expect(bad.body.error.message).toContain('approver is required');
    expect(bad.body.error.message).toContain('expiresAt is required');

    const expiresAt = new Date(now().getTime() + 30 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const created = await request(app)
      .post('/services/default/card-tokenisation-vault/waivers')
      .send({
        controlId: 'dynamodb-pitr',
        reason: 'Journal replay covers the vault until PITR lands in Q1.',
        approver: 'user:default/ciso',
        expiresAt,
      })
      .expect(201);
    expect(created.body).toMatchObject({
      controlId: 'dynamodb-pitr',
      approver: 'user:default/ciso',
      createdBy: 'user:default/risk.officer',
    });
    const waived: ServiceDetailResponse = (
      await request(app)
        .get('/services/default/card-tokenisation-vault')
        .expect(200)
    ).body;
    expect(
      waived.results.find(r => r.controlId === 'dynamodb-pitr')?.waiver?.id,
    ).toBe(created.body.id);

    const revoked = await request(app)
      .delete(
        `/services/default/card-tokenisation-vault/waivers/${created.body.id}`,
      )
      .expect(200);
    expect(revoked.body.revokedBy).toBe('user:default/risk.officer');
    const after: ServiceDetailResponse = (
      await request(app)
        .get('/services/default/card-tokenisation-vault')
        .expect(200)
    ).body;
    expect(
      after.results.find(r => r.controlId === 'dynamodb-pitr')?.waiver,
    ).toBeUndefined();
    expect(
      after.waivers.find(w => w.id === created.body.id)?.revokedAt,
    ).toBeTruthy();
  });

  it('rescans one service on demand, then refuses another rescan within the limit with Retry-After', async () => {
    const app = await appFor({ approver: false });
    const first = await request(app)
      .post('/services/default/ledger-writer/rescan')
      .expect(200);
    expect(first.body.scan).toMatchObject({
      trigger: 'rescan',
      status: 'completed',
      entityRef: 'component:default/ledger-writer',
    });
    const second = await request(app)
      .post('/services/default/ledger-writer/rescan')
      .expect(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(250);
    expect(second.body.error.message).toContain('try again in');
    const detail: ServiceDetailResponse = (
      await request(app).get('/services/default/ledger-writer').expect(200)
    ).body;
    expect(Date.parse(detail.rescanAvailableAt!)).toBeGreaterThan(
      now().getTime(),
    );
    const history = (
      await request(app)
        .get('/services/default/ledger-writer/history')
        .expect(200)
    ).body;
    expect(history.points).toHaveLength(2);
  });

  it('asks per service, in batches, when reading is conditional (e.g. owners only), and lists only those allowed', async () => {
    // 2,015 services: one authorize request for all of them exceeded the permission backend's body limit.
    const synthetic = Array.from({ length: 2000 }, (_, i) => ({
      entityRef: `component:default/synthetic-${i}`,
      name: `synthetic-${i}`,
      product: 'synthetic',
      team: i % 2 ? 'odd-team' : 'even-team',
      tier: 'tier-3',
    }));
    const services = [...stack.services, ...synthetic];
    const batches: number[] = [];
    const app = express();
    app.use(
      await createRouter({
        reader: new DrReader({
          store: stack.store,
          services: async () => services,
          settings: stack.settings,
          now,
        }),
        scanner: stack.scanner,
        store: stack.store,
        settings: stack.settings,
        httpAuth: mockServices.httpAuth(),
        userInfo: mockServices.userInfo({
          userEntityRef: 'user:default/even.engineer',
        }),
        permissions: mockServices.permissions.mock({
          authorizeConditional: async requests =>
            requests.map(() => ({
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: {},
              },
            })),
          authorize: async requests => {
            batches.push(requests.length);
            const allowed = new Set(
              services
                .filter(s => s.team === 'even-team')
                .map(s => s.entityRef),
            );
            return requests.map(r => ({
              result: allowed.has((r as { resourceRef?: string }).resourceRef!)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
            }));
          },
        }),
        now,
      }),
    );
    app.use(mockErrorHandler());
    const scorecard: ScorecardResponse = (
      await request(app).get('/scorecard').expect(200)
    ).body;
    expect(scorecard.rows).toHaveLength(1000);
    expect(scorecard.rows.every(r => r.team === 'even-team')).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(services.length);
    expect(Math.max(...batches)).toBeLessThanOrEqual(250);
  });
});
