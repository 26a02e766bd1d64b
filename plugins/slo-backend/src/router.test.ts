import {
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FixedClock } from '@internal/platform-node';
import express from 'express';
import request from 'supertest';
import { SloStore } from './database/SloStore';
import { createRouter } from './router';
import { SloService, weekOf } from './service/SloService';
import { PrometheusSource } from './sources/PrometheusSource';

const REPO = resolvePackagePath('@internal/slo-backend', '../..');
const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
const KEY = 'component:default/ledger-writer#ledger-writes-availability';

/** The API's clock: a Wednesday afternoon; the review weeks below follow from it. */
const clock = new FixedClock('2027-03-17T15:30:00Z');
const now = () => clock.now();
const day = (offsetDays = 0) =>
  new Date(clock.now().getTime() + offsetDays * 86_400_000)
    .toISOString()
    .slice(0, 10);

describe('the SLO API', () => {
  let service: SloService;

  beforeAll(async () => {
    const store = await SloStore.fromKnex(await sqlite.init('SQLITE_3'));
    service = new SloService({
      catalog: catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'ledger-writer',
              namespace: 'default',
              annotations: {
                'backstage.io/managed-by-location': `file:${REPO}/catalog/products/ledger.yaml`,
                'payments-platform/slo-definitions': '../slos/ledger.yaml',
              },
            },
            spec: { type: 'service', owner: 'ledger-team', system: 'ledger' },
          },
        ],
      }),
      auth: mockServices.auth(),
      urlReader: mockServices.urlReader.mock(),
      store,
      // Nothing listens here: statuses are stored as "no data", which is all these routes need.
      prometheus: new PrometheusSource('http://127.0.0.1:9', {
        timeoutMs: 2000,
        concurrency: 2,
      }),
      logger: mockServices.logger.mock(),
      backfillDays: 0,
      now,
    });
    await service.evaluateAll();
  });

  async function appFor(mayWrite: boolean) {
    const app = express();
    app.use(
      await createRouter({
        service,
        httpAuth: mockServices.httpAuth(),
        userInfo: mockServices.userInfo({
          userEntityRef: 'user:default/grace.adeyemi',
        }),
        permissions: mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(() => ({
              result: mayWrite ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
            })),
        }),
        now,
      }),
    );
    app.use(mockErrorHandler());
    return app;
  }

  it('records a review note with its author and returns it', async () => {
    const app = await appFor(true);
    // Any day of the week names its week, which starts on the Monday before (UTC).
    const week = weekOf(day());
    expect(week).toBe(day(-2));
    const created = await request(app)
      .post(`/reviews/${day()}/notes`)
      .send({ sloKey: KEY, kind: 'note', text: 'Budget fine; no action.' })
      .expect(201);
    expect(created.body).toMatchObject({
      sloKey: KEY,
      week,
      kind: 'note',
      text: 'Budget fine; no action.',
      author: 'user:default/grace.adeyemi',
      createdAt: clock.now().toISOString(),
    });
    const review = await request(app).get(`/reviews/${week}`).expect(200);
    expect(
      review.body.groups
        .flatMap((g: any) => g.lines)
        .find((l: any) => l.slo.key === KEY).notes,
    ).toHaveLength(1);
  });

  it('files a note on the current week by the API’s clock, also just after midnight on a Monday', async () => {
    const app = await appFor(true);
    clock.set('2027-03-22T00:05:00Z');
    try {
      const created = await request(app)
        .post('/reviews/current/notes')
        .send({ sloKey: KEY, kind: 'note', text: 'New week.' })
        .expect(201);
      expect(created.body.week).toBe('2027-03-22');
      const review = await request(app).get('/reviews/current').expect(200);
      expect(review.body).toMatchObject({
        week: '2027-03-22',
        previousWeek: '2027-03-15',
      });
      expect(review.body.weeks.slice(0, 2)).toEqual([
        '2027-03-22',
        '2027-03-15',
      ]);
    } finally {
      clock.set('2027-03-17T15:30:00Z');
    }
  });

  it('sends the overview and the review as computed once: ETag, 304 when unchanged, gzip when accepted', async () => {
    const app = await appFor(true);
    const plain = await request(app)
      .get('/overview')
      .set('Accept-Encoding', 'identity')
      .expect(200);
    expect(plain.headers['content-type']).toBe(
      'application/json; charset=utf-8',
    );
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.slos.map((s: any) => s.key)).toEqual([
      KEY,
      'component:default/ledger-writer#ledger-writes-latency',
    ]);
    await request(app)
      .get('/overview')
      .set('If-None-Match', plain.headers.etag)
      .expect(304);
    const gzipped = await request(app)
      .get('/overview')
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.etag).toBe(plain.headers.etag);
    expect(gzipped.body).toEqual(plain.body);

    const review = await request(app).get('/reviews/current').expect(200);
    await request(app)
      .get('/reviews/current')
      .set('If-None-Match', review.headers.etag)
      .expect(304);
    await request(app)
      .post('/reviews/current/notes')
      .send({ sloKey: KEY, kind: 'action', text: 'Page on replication lag' })
      .expect(201);
    const changed = await request(app)
      .get('/reviews/current')
      .set('If-None-Match', review.headers.etag)
      .expect(200);
    expect(changed.headers.etag).not.toBe(review.headers.etag);
    expect(
      changed.body.groups
        .flatMap((g: any) => g.lines)
        .find((l: any) => l.slo.key === KEY)
        .notes.map((n: any) => n.text),
    ).toContain('Page on replication lag');
  });

  it('refuses notes from someone who is neither an owner nor a reviewer', async () => {
    const response = await request(await appFor(false))
      .post('/reviews/current/notes')
      .send({ sloKey: KEY, kind: 'note', text: 'x' })
      .expect(403);
    expect(response.body.error.message).toBe(
      'Review notes on component:default/ledger-writer are for its owners and the SLO reviewers',
    );
  });

  it('names each bad field in a 400, and an unknown SLO in a 404', async () => {
    const app = await appFor(true);
    expect(
      (
        await request(app)
          .post('/reviews/current/notes')
          .send({ sloKey: KEY, kind: 'memo', text: '' })
          .expect(400)
      ).body.error.message,
    ).toBe('Invalid note: kind must be note or action; text is required');
    expect(
      (await request(app).get('/reviews/next-week').expect(400)).body.error
        .message,
    ).toBe(
      'Invalid week: week must be a date written YYYY-MM-DD (any day of the week)',
    );
    expect(
      (
        await request(app)
          .get('/entity?entityRef=api:default/ledger-api')
          .expect(400)
      ).body.error.message,
    ).toBe("entityRef kind 'api' has no SLOs; use a component or a system");
    expect(
      (
        await request(app)
          .post('/reviews/current/notes')
          .send({ sloKey: 'component:default/x#y', kind: 'note', text: 'x' })
          .expect(404)
      ).body.error.message,
    ).toBe(
      "No SLO with key 'component:default/x#y'; keys come from GET /overview",
    );
  });

  it('lets a pipeline ask the gate, and denies when the numbers cannot be read', async () => {
    const answer = await request(await appFor(true))
      .get('/gate')
      .query({ componentRef: 'ledger-writer' })
      .expect(200);
    expect(answer.body).toMatchObject({
      componentRef: 'component:default/ledger-writer',
      decision: 'deny',
    });
    expect(answer.body.reasons.map((r: any) => r.code)).toContain('no-data');
  });

  it('exports the review as Markdown and the rules as YAML', async () => {
    const app = await appFor(true);
    const week = weekOf(day());
    const markdown = await request(app)
      .get(`/reviews/${week}/export.md`)
      .expect(200);
    expect(markdown.headers['content-type']).toBe(
      'text/markdown; charset=utf-8',
    );
    expect(markdown.text).toContain(`# SLO review, week of ${week}`);
    const rules = await request(app)
      .get('/rules')
      .query({ entityRef: 'component:default/ledger-writer' })
      .expect(200);
    expect(rules.text).toContain('ledger-writes-availability');
  });
});
