import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { FixedClock } from '@internal/platform-node';
import {
  DEMO_SLO_OBJECTIVES,
  DEMO_SLO_STORY,
  PrometheusLocal,
  startPrometheusLocal,
} from '@internal/prometheus-local';
import knexFactory, { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SloStore } from '../database/SloStore';
import { PrometheusSource } from '../sources/PrometheusSource';
import { SloService, weekOf } from './SloService';

const REPO = resolvePackagePath('@internal/slo-backend', '../..');
const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
const databases = TestDatabases.create({
  ids: [
    'POSTGRES_18',
    'POSTGRES_17',
    'POSTGRES_16',
    'POSTGRES_15',
    'POSTGRES_14',
    'SQLITE_3',
  ],
});

/**
 * A demo Component as the catalog serves it: read from its product file (a target of the registered
 * catalog/all.yaml), pointing at the product's SLO file.
 */
function component(
  name: string,
  product: string,
  owner: string,
  definitions?: string,
  location = `file:${REPO}/catalog/products/${product}.yaml`,
  origin = `file:${REPO}/catalog/all.yaml`,
) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': origin,
        ...(definitions
          ? { 'payments-platform/slo-definitions': definitions }
          : {}),
      },
    },
    spec: { type: 'service', owner, system: product },
  };
}

const DEMO = [
  component(
    'card-authorisation-service',
    'card-acquiring',
    'card-acquiring-team',
    '../slos/card-acquiring.yaml',
  ),
  component(
    'card-tokenisation-vault',
    'card-acquiring',
    'card-acquiring-team',
    '../slos/card-acquiring.yaml',
  ),
  component(
    'payout-scheduler',
    'payouts',
    'payouts-team',
    '../slos/payouts.yaml',
  ),
  component(
    'payout-rails-gateway',
    'payouts',
    'payouts-team',
    '../slos/payouts.yaml',
  ),
  component(
    'wallet-balance-service',
    'wallet',
    'wallet-team',
    '../slos/wallet.yaml',
  ),
  component(
    'crypto-custody-signer',
    'wallet',
    'wallet-team',
    '../slos/wallet.yaml',
  ),
  component('fx-rates-service', 'fx', 'fx-team', '../slos/fx.yaml'),
  component('ledger-writer', 'ledger', 'ledger-team', '../slos/ledger.yaml'),
  component(
    'regulatory-reporting',
    'ledger',
    'ledger-team',
    '../slos/ledger.yaml',
  ),
  component('chargeback-service', 'card-acquiring', 'card-acquiring-team'),
];

/**
 * The one clock of these tests, shared by the demo Prometheus (its history ends there, its live
 * samples are stamped with it) and the SLO service: the process's time when the suite starts
 * (faketime moves it to the dates the test command tries), then moved only by hand.
 */
const clock = new FixedClock(Date.now());
const now = () => clock.now();
const thisWeek = () => weekOf(clock.now().toISOString().slice(0, 10));

let prometheus: PrometheusLocal;
let dataDir: string;
let brokenDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-prometheus-'));
  prometheus = await startPrometheusLocal({ dataDir, days: 15, now });
  brokenDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-broken-'));
  fs.writeFileSync(
    path.join(brokenDir, 'slos.yaml'),
    fs
      .readFileSync(path.join(REPO, 'catalog/slos/fx.yaml'), 'utf8')
      .replace('targetPercent: 99.9', 'target: 99.9')
      .replace(
        /name: fx-rates-availability\n/,
        'name: fx-quotes-availability\n',
      ),
  );
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(brokenDir, { recursive: true, force: true });
});

function serviceOn(
  store: SloStore,
  entities: object[],
  baseUrl = prometheus.url,
  backfillDays = 9,
) {
  return new SloService({
    catalog: catalogServiceMock({ entities: entities as any }),
    auth: mockServices.auth(),
    urlReader: mockServices.urlReader.mock(),
    store,
    prometheus: new PrometheusSource(baseUrl, {
      timeoutMs: 10_000,
      concurrency: 8,
    }),
    logger: mockServices.logger.mock(),
    backfillDays,
    now,
  });
}

describe.each(databases.eachSupportedId())(
  'SLOs from the demo definitions and a real Prometheus, on %s',
  databaseId => {
    let service: SloService;
    let store: SloStore;
    let evaluation: { slos: number; queries: number };

    beforeAll(async () => {
      store = await SloStore.fromKnex(await databases.init(databaseId));
      service = serviceOn(store, [
        ...DEMO,
        component(
          'fx-quote-engine',
          'fx',
          'fx-team',
          './slos.yaml',
          `file:${brokenDir}/catalog-info.yaml`,
          `file:${brokenDir}/catalog-info.yaml`,
        ),
      ]);
      evaluation = await service.evaluateAll();
    }, 120_000);

    const statusOf = async (name: string) =>
      (await service.overview()).slos.find(s => s.name === name)!;

    it('evaluates every SLO of every annotated component, with a bounded number of queries', async () => {
      expect(evaluation.slos).toBe(11);
      // Per ratio SLO counted by Occurrences: good and total over the window and over the 7 distinct
      // burn-rate windows (the page rule's 6h long window is the slow ticket rule's short one), shared
      // by all its objectives; one range query per threshold SLO and per Timeslices SLO (hour slices).
      expect(evaluation.queries).toBe(9 * 2 * (1 + 7) + 1 + 1);
      const overview = await service.overview();
      expect(overview.prometheus).toMatchObject({
        url: prometheus.url,
        connected: true,
        queries: evaluation.queries,
      });
    });

    it('tells a fast burn (page), a slow burn (ticket), spent budgets and healthy SLOs apart', async () => {
      const { slos } = await service.overview();
      expect(
        Object.fromEntries(
          slos.map(s => [
            s.name,
            { burn: s.burn.status, exhausted: s.budget?.exhausted },
          ]),
        ),
      ).toEqual(DEMO_SLO_STORY);
      const fx = await statusOf('fx-rates-availability');
      expect(fx.budget!.remaining).toBeLessThan(0);
      const ledger = await statusOf('ledger-writes-availability');
      expect(ledger).toMatchObject({ hasData: true, burn: { status: 'ok' } });
      expect(ledger.attainment).toBeGreaterThan(0.999);
      expect(ledger.evaluatedAt).toBe(clock.now().toISOString());
      expect(await statusOf('ledger-writes-latency')).toMatchObject({
        hasData: true,
        indicatorKind: 'threshold',
        target: 0.995,
      });
      // Two objectives, each judged: the strict one spent, the loose one fine; the status shows the worst.
      const wallet = await statusOf('wallet-balance-availability');
      expect(
        wallet.objectives!.map(o => ({
          burn: o.burn.status,
          exhausted: o.budget?.exhausted,
        })),
      ).toEqual(DEMO_SLO_OBJECTIVES['wallet-balance-availability']);
      expect(wallet.target).toBe(0.9998);
      // Hours counted as slices, not requests.
      const vault = await statusOf('card-tokenisation-availability');
      expect(vault).toMatchObject({
        hasData: true,
        budgetingMethod: 'Timeslices',
      });
      expect(vault.budget!.allowed).toBeGreaterThan(0);
      expect(vault.budget!.allowed).toBeLessThan(28 * 24);
    });

    it('shows a bad definition on its entity while the other SLOs still show', async () => {
      const broken = await service.entity(
        'component:default/fx-quote-engine',
        'component',
        'fx-quote-engine',
      );
      expect(broken.slos).toEqual([]);
      expect(broken.problems.map(p => p.message)).toEqual([
        expect.stringContaining(
          'spec.objectives[0].target 99.9 must be between 0 and 1 (use targetPercent: 99.9 for percentages)',
        ),
      ]);
      const system = await service.entity(
        'system:default/card-acquiring',
        'system',
        'card-acquiring',
      );
      expect(system.slos.map(s => s.name).sort()).toEqual([
        'card-authorisation-availability',
        'card-authorisation-latency',
        'card-tokenisation-availability',
      ]);
      expect(
        system.slos.find(s => s.name === 'card-authorisation-availability')!
          .definitionYaml,
      ).toContain('target: 0.9995');
      const none = await service.entity(
        'component:default/chargeback-service',
        'component',
        'chargeback-service',
      );
      expect(none).toMatchObject({
        unannotated: true,
        hint: expect.stringContaining('payments-platform/slo-definitions'),
      });
    });

    it('compares this week with last week from snapshots reconstructed from Prometheus history', async () => {
      const review = await service.review('current');
      expect(review.week).toBe(thisWeek());
      expect(review.weeks[0]).toBe(review.week);
      const lines = review.groups.flatMap(g => g.lines);
      expect(lines).toHaveLength(11);
      const card = lines.find(
        l => l.slo.name === 'card-authorisation-availability',
      )!;
      expect(card).toMatchObject({ breached: true, worstBurn: 'page' });
      const wallet = lines.find(
        l => l.slo.name === 'wallet-balance-availability',
      )!;
      expect(wallet.attainmentChange).toBeDefined();
      const previous = await service.review(review.previousWeek);
      expect(previous.groups.flatMap(g => g.lines).length).toBeGreaterThan(0);
    });

    it('keeps review notes and action items per SLO per week, and exports the week as Markdown', async () => {
      const week = thisWeek();
      const key =
        'component:default/card-authorisation-service#card-authorisation-availability';
      await service.addNote(
        week,
        {
          sloKey: key,
          kind: 'note',
          text: 'Pool exhaustion at the scheme edge; raised max connections.',
        },
        'user:default/amara.okafor',
      );
      const action = await service.addNote(
        week,
        {
          sloKey: key,
          kind: 'action',
          text: 'Alert on pool saturation',
          owner: 'card-acquiring-team',
        },
        'user:default/amara.okafor',
      );
      await service.setNoteDone(action.id, true);
      const line = (await service.review(week)).groups
        .flatMap(g => g.lines)
        .find(l => l.slo.key === key)!;
      expect(line.notes.map(n => [n.kind, n.text, n.author, n.done])).toEqual([
        [
          'note',
          'Pool exhaustion at the scheme edge; raised max connections.',
          'user:default/amara.okafor',
          undefined,
        ],
        [
          'action',
          'Alert on pool saturation',
          'user:default/amara.okafor',
          true,
        ],
      ]);
      const markdown = await service.markdown(week);
      expect(markdown).toContain(`# SLO review, week of ${week}`);
      expect(markdown).toContain(
        '| Card authorisation availability | 99.95% |',
      );
      expect(markdown).toContain(
        '- [x] Action on Card authorisation availability: Alert on pool saturation (owner: card-acquiring-team) - user:default/amara.okafor',
      );
    });

    it('answers the deploy gate from a live evaluation, with reasons and numbers', async () => {
      const burning = await service.gate(
        'component:default/card-authorisation-service',
      );
      expect(burning.decision).toBe('deny');
      expect(
        burning.reasons.filter(r => r.blocking).map(r => r.code),
      ).toContain('fast-burn');
      const healthy = await service.gate('component:default/ledger-writer');
      expect(healthy.decision).toBe('allow');
      const unknown = await service.gate(
        'component:default/chargeback-service',
      );
      expect(unknown).toMatchObject({
        decision: 'deny',
        reasons: [expect.objectContaining({ code: 'no-slos' })],
      });
    });

    it('draws the burn-down with two range queries, ending at the budget left now', async () => {
      const source = (service as any).options.prometheus as PrometheusSource;
      const before = source.queries;
      const burnDown = await service.burnDown(
        'component:default/wallet-balance-service#wallet-balance-availability',
      );
      expect(source.queries - before).toBe(2);
      const points = burnDown!.points.filter(p => p.remaining !== null);
      expect(points.length).toBeGreaterThan(20);
      const left = (await statusOf('wallet-balance-availability')).budget!
        .remaining;
      // A rolling window: the last point is the status's own query at the same instant.
      expect(points[points.length - 1].remaining!).toBeCloseTo(left, 6);
      expect(burnDown!.points[burnDown!.points.length - 1].time).toBe(
        clock.now().toISOString(),
      );
    });

    it('draws no event burn-down for an SLO counted by time slices, and says why instead of "no data"', async () => {
      const source = (service as any).options.prometheus as PrometheusSource;
      const before = source.queries;
      const burnDown = await service.burnDown(
        'component:default/card-tokenisation-vault#card-tokenisation-availability',
      );
      expect(source.queries - before).toBe(0);
      expect(burnDown!.points).toEqual([]);
      expect(burnDown!.unavailable).toBe(
        'The burn-down is drawn for SLOs counted by events; this one counts time slices (Timeslices), so its budget left is the figure above.',
      );
    });

    it('exports multi-window multi-burn-rate rules for a component', async () => {
      const rules = await service.rules('component:default/ledger-writer');
      expect(rules).toContain('ledger-writes-availability');
      expect(rules).toMatch(/record: slo:sli_error:ratio_rate/);
      expect(rules).toMatch(/alert: /);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'reads memoised per data version, with two replicas on one database, on %s',
  databaseId => {
    const CARD =
      'component:default/card-authorisation-service#card-authorisation-availability';
    let knex: Knex;
    let other: Knex;
    let a: SloService;
    let b: SloService;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      // The other replica: its own connection pool on PostgreSQL (in-memory SQLite is one connection), its own store and service.
      other = databaseId.startsWith('POSTGRES')
        ? knexFactory({
            client: knex.client.config.client,
            connection: knex.client.config.connection,
          })
        : knex;
      const replica = async (k: Knex, entities: object[]) =>
        serviceOn(await SloStore.fromKnex(k), entities, prometheus.url, 0);
      a = await replica(knex, DEMO.slice(0, 2));
      b = await replica(other, DEMO.slice(0, 4));
      await a.evaluateAll();
    }, 60_000);
    afterAll(async () => {
      if (other !== knex) await other.destroy();
    });

    const lines = async (service: SloService) =>
      (await service.review('current')).groups.flatMap(g => g.lines);

    it('computes each view once while nothing changes', async () => {
      expect(await a.overview()).toBe(await a.overview());
      expect(await a.review('current')).toBe(await a.review(thisWeek()));
      const [first, second] = await Promise.all([
        a.reviewView('current'),
        a.reviewView('current'),
      ]);
      expect(first).toBe(second);
      expect(first.etag).toBe(second.etag);
    });

    it('shows an evaluation stored by another replica on the very next read', async () => {
      const overview = await a.overview();
      const before = await lines(a);
      expect(overview.slos.map(s => s.entityRef)).not.toContain(
        'component:default/payout-scheduler',
      );
      // The other replica evaluates a second later.
      clock.advance(1000);
      await b.evaluateAll();
      const after = await a.overview();
      expect(after).not.toBe(overview);
      expect(after.prometheus.evaluatedAt).not.toBe(
        overview.prometheus.evaluatedAt,
      );
      expect(after.slos.length).toBeGreaterThan(overview.slos.length);
      expect(after.slos.map(s => s.entityRef)).toContain(
        'component:default/payout-scheduler',
      );
      expect((await lines(a)).length).toBe(after.slos.length);
      expect((await lines(a)).length).toBeGreaterThan(before.length);
      expect(
        (await a.entity('system:default/payouts', 'system', 'payouts')).slos
          .length,
      ).toBeGreaterThan(0);
    });

    it('shows a review note written or ticked off through another replica on the very next read', async () => {
      const line = async () => (await lines(a)).find(l => l.slo.key === CARD)!;
      expect((await line()).notes).toEqual([]);
      const overview = await a.overview();
      const view = await a.reviewView('current');
      const action = await b.addNote(
        thisWeek(),
        {
          sloKey: CARD,
          kind: 'action',
          text: 'Raise the pool size',
          owner: 'card-acquiring-team',
        },
        'user:default/amara.okafor',
      );
      expect((await line()).notes).toEqual([
        expect.objectContaining({
          id: action.id,
          text: 'Raise the pool size',
          done: false,
        }),
      ]);
      expect((await a.reviewView('current')).etag).not.toBe(view.etag);
      await b.setNoteDone(action.id, true);
      expect((await line()).notes).toEqual([
        expect.objectContaining({ id: action.id, done: true }),
      ]);
      expect(await a.markdown(thisWeek())).toContain(
        '- [x] Action on Card authorisation availability: Raise the pool size',
      );
      // Notes do not change the overview: still the same computation.
      expect(await a.overview()).toBe(overview);
    });

    it('reads the same review from snapshots stored before their burn status had a column', async () => {
      const expected = await a.review('current');
      expect(
        expected.groups.flatMap(g => g.lines).map(l => l.worstBurn),
      ).toContain('page');
      await knex('slo_snapshots').update({ burn_status: null });
      await knex('slo_versions').increment('evaluations', 1);
      const legacy = await a.review('current');
      expect(legacy).not.toBe(expected);
      expect(legacy).toEqual(expected);
    });
  },
);

describe('SLOs when Prometheus is down', () => {
  it('stores every SLO as "no data" saying why, never as 100%', async () => {
    const store = await SloStore.fromKnex(await sqlite.init('SQLITE_3'));
    const service = serviceOn(store, DEMO.slice(0, 1), 'http://127.0.0.1:9');
    await service.evaluateAll();
    const overview = await service.overview();
    expect(overview.prometheus.connected).toBe(false);
    expect(overview.slos.length).toBeGreaterThan(0);
    for (const slo of overview.slos) {
      expect(slo).toMatchObject({
        hasData: false,
        burn: { status: 'no-data' },
      });
      expect(slo.attainment).toBeUndefined();
      expect(slo.message).toContain('did not answer');
    }
  });
});

describe('SLOs of a service created after the last evaluation', () => {
  it('are evaluated live on its page instead of being reported missing', async () => {
    const store = await SloStore.fromKnex(await sqlite.init('SQLITE_3'));
    // The scheduled evaluation ran before the ledger writer was registered.
    await serviceOn(store, DEMO.slice(0, 1)).evaluateAll();
    const later = serviceOn(store, [DEMO[0], DEMO[7]]);
    const answer = await later.entity(
      'component:default/ledger-writer',
      'component',
      'ledger-writer',
    );
    expect(answer.unannotated).toBeUndefined();
    expect(answer.evaluatedLive).toBe(true);
    expect(answer.slos.map(s => s.name)).toContain(
      'ledger-writes-availability',
    );
    expect(
      answer.slos.every(s => s.entityRef === 'component:default/ledger-writer'),
    ).toBe(true);
    // A component without the annotation still gets the hint.
    const bare = await later.entity(
      'component:default/chargeback-service',
      'component',
      'chargeback-service',
    );
    expect(bare.unannotated).toBe(true);
  }, 60_000);
});

describe('an evaluation stopped because its replica shuts down', () => {
  it('stores nothing: the SLOs keep their last evaluation instead of turning to "no data"', async () => {
    const store = await SloStore.fromKnex(await sqlite.init('SQLITE_3'));
    const service = serviceOn(store, DEMO.slice(0, 3));
    await service.evaluateAll();
    const before = await service.overview();
    const stop = new AbortController();
    const evaluating = service.evaluateAll(stop.signal);
    stop.abort();
    await expect(evaluating).rejects.toThrow(/abort/i);
    const after = await service.overview();
    expect(after.prometheus.evaluatedAt).toBe(before.prometheus.evaluatedAt);
    expect(after.slos).toEqual(before.slos);
    expect(after.slos.every(s => s.hasData)).toBe(true);
  }, 60_000);
});
