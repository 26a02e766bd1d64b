import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  resolvePackagePath,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { NotModifiedError } from '@backstage/errors';
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
                'backstage.io/managed-by-origin-location': `file:${REPO}/catalog/all.yaml`,
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

  async function appFor(
    mayWrite: boolean,
    options: { credentials?: BackstageCredentials } = {},
  ) {
    const app = express();
    app.use(
      await createRouter({
        service,
        httpAuth: mockServices.httpAuth({
          defaultCredentials: options.credentials,
        }),
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
  it('exports review notes as text: a note cannot forge a heading, a table row or HTML', async () => {
    const app = await appFor(true);
    const week = weekOf(day());
    await request(app)
      .post(`/reviews/${week}/notes`)
      .send({
        sloKey: KEY,
        kind: 'action',
        text: 'Replay the batch\n## Heading\n| a | b |\n<script>alert(1)</script>',
        owner: '<b>ledger-team</b>',
      })
      .expect(201);
    const markdown = (
      await request(app).get(`/reviews/${week}/export.md`).expect(200)
    ).text;
    const lines = markdown.split('\n');
    expect(lines.filter(l => l.startsWith('#'))).toEqual([
      `# SLO review, week of ${week}`,
      '## ledger - ledger-team',
    ]);
    // The table's header, its separator and one row per SLO; no row made of the note.
    expect(lines.filter(l => l.startsWith('|'))).toHaveLength(4);
    expect(markdown).not.toMatch(/<script>|<b>/);
    expect(lines).toContain(
      '- [ ] Action on Ledger writes availability: Replay the batch ## Heading \\| a \\| b \\| \\<script\\>alert(1)\\</script\\> (owner: \\<b\\>ledger-team\\</b\\>) - user:default/grace.adeyemi, 2027-03-17 15:30',
    );
  });

  it('answers an impossible date with a 400 naming the week, not a 500', async () => {
    const app = await appFor(true);
    for (const [path, date] of [
      ['/reviews/2026-02-30', '2026-02-30'],
      ['/reviews/2026-13-01/export.md', '2026-13-01'],
    ]) {
      expect(
        (await request(app).get(path).expect(400)).body.error.message,
      ).toBe(
        `Invalid week: week '${date}' is not a day of the calendar; write an existing date as YYYY-MM-DD (any day of the week, e.g. 2026-02-23), or current`,
      );
    }
    await request(app)
      .post('/reviews/2026-02-30/notes')
      .send({ sloKey: KEY, kind: 'note', text: 'x' })
      .expect(400);
    // Any real day names its week (the Monday before): 2027-03-17 is a Wednesday.
    expect(
      (await request(app).get('/reviews/2027-03-17').expect(200)).body.week,
    ).toBe('2027-03-15');
  });

  it('files notes only to the current week and the 53 before it, by the API’s clock', async () => {
    const app = await appFor(true);
    const note = { sloKey: KEY, kind: 'note', text: 'Looking back.' };
    const refused = (week: string) =>
      `Invalid week: notes can be written to the weeks from 2026-03-09 to 2027-03-15 (the current week, by the portal's clock), not to the week of ${week}; use a day in that range, or current`;
    expect(
      (
        await request(app)
          .post('/reviews/2027-03-22/notes')
          .send(note)
          .expect(400)
      ).body.error.message,
    ).toBe(refused('2027-03-22'));
    expect(
      (
        await request(app)
          .post('/reviews/2026-03-08/notes')
          .send(note)
          .expect(400)
      ).body.error.message,
    ).toBe(refused('2026-03-02'));
    await request(app).post('/reviews/1970-01-01/notes').send(note).expect(400);
    expect(
      (
        await request(app)
          .post('/reviews/2026-03-09/notes')
          .send(note)
          .expect(201)
      ).body.week,
    ).toBe('2026-03-09');
    expect(
      (
        await request(app)
          .post('/reviews/2027-03-21/notes')
          .send(note)
          .expect(201)
      ).body.week,
    ).toBe('2027-03-15');
  });

  it('lets an external-access token ask the gate only; plugins and users read everything', async () => {
    const gate = await appFor(true, {
      credentials: mockCredentials.service('external:deploy-gate', {}),
    });
    await request(gate)
      .get('/gate')
      .query({ componentRef: 'ledger-writer' })
      .expect(200);
    const refused = await request(gate).get('/overview').expect(403);
    expect(refused.body.error.message).toBe(
      "The external access token of 'external:deploy-gate' may only ask the deploy gate (GET /gate); SLO pages, reviews and rules are for signed-in users",
    );
    const week = weekOf(day());
    for (const path of [
      '/entity?entityRef=component:default/ledger-writer',
      `/reviews/${week}`,
      `/reviews/${week}/export.md`,
      '/rules',
      `/burn-down?key=${encodeURIComponent(KEY)}`,
    ])
      await request(gate).get(path).expect(403);
    const plugin = await appFor(true, {
      credentials: mockCredentials.service('plugin:catalog'),
    });
    await request(plugin).get('/overview').expect(200);
    await request(await appFor(true))
      .get('/overview')
      .expect(200);
  });
});

/** An OpenSLO file of one service's availability SLO. */
const openSlo = (service: string) => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${service}-availability
spec:
  service: ${service}
  indicator:
    metadata:
      name: ${service}-availability-sli
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: 'sum(increase(http_server_requests_total{service="${service}",code!~"5.."}[{{.window}}]))'
        total:
          metricSource:
            type: Prometheus
            spec:
              query: 'sum(increase(http_server_requests_total{service="${service}"}[{{.window}}]))'
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - targetPercent: 99.9
`;

/** A component in its own repository on the Git host, its OpenSLO file next to its catalog-info.yaml. */
const repoComponent = (name: string, definitions = './slos.yaml') => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/managed-by-location': `url:https://git.example.com/payments/${name}/blob/main/catalog-info.yaml`,
      'backstage.io/managed-by-origin-location': `url:https://git.example.com/payments/${name}/blob/main/catalog-info.yaml`,
      'payments-platform/slo-definitions': definitions,
    },
  },
  spec: { type: 'service', owner: 'payments-team', system: 'payments' },
});

describe('the SLO API reading OpenSLO definitions from the Git host', () => {
  const COMPONENTS = 20;
  let entities: any[];
  let reads: Array<{ url: string; etag?: string }>;
  let service: SloService;
  let clock2: FixedClock;

  /** The Git host: counts every read, answers NotModifiedError to a matching ETag. */
  const urlReader: UrlReaderService = {
    async readUrl(url, options) {
      reads.push({ url, etag: options?.etag });
      const name = url.match(/payments\/([^/]+)\//)?.[1];
      if (!name || !url.endsWith('/slos.yaml'))
        throw new Error(`no file at ${url}`);
      if (options?.etag === `v1-${name}`) throw new NotModifiedError();
      const text = openSlo(name);
      return {
        buffer: async () => Buffer.from(text),
        stream: () => {
          throw new Error('unused');
        },
        etag: `v1-${name}`,
      };
    },
    readTree: async () => {
      throw new Error('unused');
    },
    search: async () => {
      throw new Error('unused');
    },
  };

  async function app(requestsPerMinute = 1000) {
    const router = express();
    router.use(
      await createRouter({
        service,
        httpAuth: mockServices.httpAuth(),
        userInfo: mockServices.userInfo(),
        permissions: mockServices.permissions(),
        now: () => clock2.now(),
        requestsPerMinute,
      }),
    );
    router.use(mockErrorHandler());
    return router;
  }

  beforeEach(async () => {
    clock2 = new FixedClock('2027-03-17T15:30:00Z');
    reads = [];
    entities = Array.from({ length: COMPONENTS }, (_, i) =>
      repoComponent(`svc-${i}`),
    );
    const entityRef = (e: any) => `component:default/${e.metadata.name}`;
    const catalog = {
      getEntities: async () => ({ items: [...entities] }),
      getEntityByRef: async (ref: string) =>
        entities.find(e => entityRef(e) === ref),
    };
    service = new SloService({
      catalog: catalog as any,
      auth: mockServices.auth(),
      urlReader,
      store: await SloStore.fromKnex(await sqlite.init('SQLITE_3')),
      logger: mockServices.logger.mock(),
      backfillDays: 0,
      now: () => clock2.now(),
      definitionsMaxAgeMs: 5 * 60_000,
    });
    await service.evaluateAll();
  });

  it('serves the gate, rules, burn-down and pages from one read per file, not one per request', async () => {
    const api = await app();
    // The evaluation read each component's file once.
    expect(reads).toHaveLength(COMPONENTS);
    for (let i = 0; i < COMPONENTS; i++) {
      const gate = await request(api)
        .get('/gate')
        .query({ componentRef: `svc-${i}` })
        .expect(200);
      expect(gate.body.componentRef).toBe(`component:default/svc-${i}`);
      const rules = await request(api).get('/rules').expect(200);
      expect(rules.text).toContain(`svc-${i}-availability`);
      await request(api)
        .get('/burn-down')
        .query({ key: `component:default/svc-${i}#svc-${i}-availability` })
        .expect(404);
      await request(api)
        .get('/entity')
        .query({ entityRef: `component:default/svc-${i}` })
        .expect(200);
      // A component no one registered: looked up alone, nothing read.
      const unknown = await request(api)
        .get('/entity')
        .query({ entityRef: `component:default/unknown-${i}` })
        .expect(200);
      expect(unknown.body.unannotated).toBe(true);
    }
    expect(reads).toHaveLength(COMPONENTS);
  });

  it('reads a component registered since the last read alone, once, and the rest again by ETag after the evaluation interval', async () => {
    const api = await app();
    entities.push(repoComponent('svc-new'));
    for (let i = 0; i < 20; i++) {
      await request(api)
        .get('/gate')
        .query({ componentRef: 'svc-new' })
        .expect(200);
      const rules = await request(api)
        .get('/rules')
        .query({ entityRef: 'component:default/svc-new' })
        .expect(200);
      expect(rules.text).toContain('svc-new-availability');
    }
    expect(reads.slice(COMPONENTS)).toEqual([
      { url: 'https://git.example.com/payments/svc-new/blob/main/slos.yaml' },
    ]);
    clock2.advance(5 * 60_000);
    const rules = await request(api).get('/rules').expect(200);
    expect(rules.text).toContain('svc-new-availability');
    const again = reads.slice(COMPONENTS + 1);
    expect(again).toHaveLength(COMPONENTS + 1);
    expect(again.every(r => r.etag === `v1-${r.url.split('/')[4]}`)).toBe(true);
    await request(api).get('/rules').expect(200);
    expect(reads).toHaveLength(2 * COMPONENTS + 2);
  });

  it('refuses a definitions annotation outside the entity’s repository, saying why, and reads nothing for it', async () => {
    entities.push(
      repoComponent('svc-climb', '../../../etc/passwd'),
      repoComponent('svc-elsewhere', 'https://evil.example.net/slos.yaml'),
      repoComponent(
        'svc-other-repo',
        'https://git.example.com/payments/svc-0/blob/main/slos.yaml',
      ),
      repoComponent('svc-absolute', '/etc/passwd'),
    );
    reads = [];
    await service.evaluateAll();
    expect(reads.map(r => r.url)).not.toContainEqual(
      expect.stringMatching(/passwd|evil|svc-climb|svc-other|svc-absolute/),
    );
    const { problems } = await service.overview();
    const problemOf = (name: string) =>
      problems.find(p => p.entityRef === `component:default/${name}`)?.message;
    const fix =
      "keep the OpenSLO file in the entity's own repository and write the annotation as a path relative to its catalog-info.yaml, e.g. ./slos.yaml";
    expect(problemOf('svc-climb')).toBe(
      `payments-platform/slo-definitions '../../../etc/passwd' points outside the entity's own location (https://git.example.com/payments/etc/passwd is not under https://git.example.com/payments/svc-climb/blob/main/); ${fix}`,
    );
    expect(problemOf('svc-elsewhere')).toBe(
      `payments-platform/slo-definitions 'https://evil.example.net/slos.yaml' is on evil.example.net, not where the entity comes from (https://git.example.com/payments/svc-elsewhere/blob/main/); ${fix}`,
    );
    expect(problemOf('svc-other-repo')).toContain('points outside the entity');
    expect(problemOf('svc-absolute')).toBe(
      `payments-platform/slo-definitions '/etc/passwd' is an absolute path; ${fix}`,
    );
  });

  it('answers 429 with Retry-After past slo.rateLimit.requestsPerMinute per caller, and again when the bucket refills', async () => {
    const api = await app(6);
    const ask = (user = 'user:default/grace.adeyemi') =>
      request(api)
        .get('/gate')
        .query({ componentRef: 'svc-0' })
        .set('Authorization', mockCredentials.user.header(user));
    for (let i = 0; i < 6; i++) await ask().expect(200);
    const refused = await ask().expect(429);
    expect(refused.headers['retry-after']).toBe('10');
    expect(refused.body.error.message).toBe(
      'Too many SLO requests from user:default/grace.adeyemi: at most 6 a minute to /entity, /burn-down, /gate and /rules (slo.rateLimit.requestsPerMinute); try again in 10 s',
    );
    // Another caller has their own bucket; the overview is not limited.
    await ask('user:default/amara.okafor').expect(200);
    await request(api)
      .get('/overview')
      .set('Authorization', mockCredentials.user.header())
      .expect(200);
    clock2.advance(9_000);
    await ask().expect(429);
    clock2.advance(1_000);
    await ask().expect(200);
    await ask().expect(429);
  });
});
