import {
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FixedClock } from '@internal/platform-node';
import {
  DEMO_SERVICES,
  PrometheusLocal,
  remoteWrite,
  startPrometheusLocal,
} from '@internal/prometheus-local';
import express from 'express';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { SloStore } from './database/SloStore';
import { createRouter } from './router';
import { SloService } from './service/SloService';
import { PrometheusSource } from './sources/PrometheusSource';

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
const clock = new FixedClock(Date.now());
const now = () => clock.now();
const MINUTE = 60_000;
/** The canary started taking traffic 30 minutes before the gate is asked. */
const canarySince = () => new Date(now().getTime() - 30 * MINUTE).toISOString();

/** Requests and 5xx per minute of each track; `track: false` writes the series without the label. */
interface Traffic {
  perMinute: number;
  errorsPerMinute: number;
}
const SCENARIOS: Record<
  string,
  { canary: Traffic; stable: Traffic; track?: false }
> = {
  // One canary pod among many: 0.5% errors on the canary is 0.012% of the whole service.
  diluted: {
    canary: { perMinute: 100, errorsPerMinute: 0.5 },
    stable: { perMinute: 4000, errorsPerMinute: 0 },
  },
  'as-good': {
    canary: { perMinute: 100, errorsPerMinute: 0.05 },
    stable: { perMinute: 4000, errorsPerMinute: 2 },
  },
  'few-events': {
    canary: { perMinute: 2, errorsPerMinute: 0 },
    stable: { perMinute: 4000, errorsPerMinute: 0 },
  },
  unlabelled: {
    canary: { perMinute: 100, errorsPerMinute: 0 },
    stable: { perMinute: 4000, errorsPerMinute: 0 },
    track: false,
  },
};

/** Counters every 15 s over the last 40 minutes, per track and status code. */
function series(service: string) {
  const scenario = SCENARIOS[service];
  const end = now().getTime();
  const start = end - 40 * MINUTE;
  return (['canary', 'stable'] as const).flatMap(track => {
    const t = scenario[track];
    const labels = (code: string) => ({
      __name__: 'http_server_requests_total',
      service,
      code,
      pod: `${service}-${track}`,
      ...(scenario.track === false ? {} : { track }),
    });
    const samples = (perMinute: number) => {
      const points = [];
      for (let at = start; at <= end; at += 15_000)
        points.push({
          value: ((at - start) / MINUTE) * perMinute,
          timestampMs: at,
        });
      return points;
    };
    return [
      {
        labels: labels('200'),
        samples: samples(t.perMinute - t.errorsPerMinute),
      },
      { labels: labels('500'), samples: samples(t.errorsPerMinute) },
    ];
  });
}

function sloFile(service: string) {
  const q = (matchers: string) =>
    `sum(increase(http_server_requests_total{${matchers}}[{{.window}}]))`;
  return `apiVersion: openslo/v1
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
              query: '${q(`service="${service}",code!~"5.."`)}'
        total:
          metricSource:
            type: Prometheus
            spec:
              query: '${q(`service="${service}"`)}'
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Availability
      targetPercent: 99.9
`;
}

let prometheus: PrometheusLocal;
let dataDir: string;
let app: express.Express;
let store: SloStore;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-canary-'));
  prometheus = await startPrometheusLocal({
    dataDir: path.join(dataDir, 'prometheus'),
    days: 1,
    services: [DEMO_SERVICES[1]],
    now,
  });
  await remoteWrite(
    prometheus.url,
    Object.keys(SCENARIOS).flatMap(s => series(s)),
  );
  const entities = Object.keys(SCENARIOS).map(name => {
    fs.writeFileSync(path.join(dataDir, `${name}.yaml`), sloFile(name));
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `file:${dataDir}/catalog-info.yaml`,
          'backstage.io/managed-by-origin-location': `file:${dataDir}/catalog-info.yaml`,
          'payments-platform/slo-definitions': `./${name}.yaml`,
        },
      },
      spec: { type: 'service', owner: 'payments-team' },
    } as any;
  });
  store = await SloStore.fromKnex(await sqlite.init('SQLITE_3'));
  const service = new SloService({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    urlReader: mockServices.urlReader.mock(),
    store,
    prometheus: new PrometheusSource(prometheus.url, {
      timeoutMs: 10_000,
      concurrency: 4,
    }),
    logger: mockServices.logger.mock(),
    backfillDays: 0,
    now,
  });
  app = express();
  app.use(
    await createRouter({
      service,
      httpAuth: mockServices.httpAuth({
        defaultCredentials: {
          $$type: '@backstage/BackstageCredentials',
          principal: { type: 'user', userEntityRef: 'user:default/farid' },
        } as any,
      }),
      userInfo: mockServices.userInfo({
        userEntityRef: 'user:default/farid',
        ownershipEntityRefs: ['user:default/farid'],
      }),
      permissions: mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      }),
      now,
    }),
  );
  app.use(mockErrorHandler());
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const gate = (service: string, extra: Record<string, string> = {}) =>
  request(app)
    .get('/gate')
    .query({
      componentRef: `component:default/${service}`,
      deployId: `run-${service}`,
      track: 'canary',
      canarySince: canarySince(),
      ...extra,
    });

/** What the whole-service evaluation alone says: the reasons that are not the canary's. */
const wholeService = (body: any) =>
  body.reasons.filter((r: any) => !r.code.startsWith('canary-'));

describe('the deploy gate judges a canary on its own SLI (real Prometheus, series labelled by track)', () => {
  it('denies a canary whose errors the whole-service ratio dilutes, while stable is clean', async () => {
    const { body } = await gate('diluted').expect(200);
    expect(wholeService(body).some((r: any) => r.blocking)).toBe(false);
    expect(body.decision).toBe('deny');
    expect(body.track).toBe('canary');
    const [judgement] = body.canary.judgements;
    expect(judgement).toMatchObject({
      verdict: 'deny',
      code: 'canary-worse-than-stable',
      canary: { ratio: expect.closeTo(0.005, 3) },
      stable: { ratio: 0 },
    });
    expect(judgement.canary.events).toBeGreaterThan(2500);
    expect(body.canary.window).toEqual({
      from: canarySince(),
      to: now().toISOString(),
    });
    // Recorded with the track and the canary's verdict.
    const [call] = await store.gates().recentCalls('component:default/diluted');
    expect(call).toMatchObject({
      decision: 'deny',
      track: 'canary',
      canaryVerdict: 'deny',
      deployId: 'run-diluted',
    });
  });

  it('allows a canary as good as stable', async () => {
    const { body } = await gate('as-good').expect(200);
    expect(body.canary.judgements[0]).toMatchObject({
      verdict: 'allow',
      code: 'canary-within-budget',
    });
    expect(body.decision).toBe('allow');
  });

  it('denies a canary with too few events, naming what is missing', async () => {
    const { body } = await gate('few-events').expect(200);
    expect(body.decision).toBe('deny');
    expect(body.canary.judgements[0]).toMatchObject({
      verdict: 'deny',
      code: 'canary-few-events',
      reason: expect.stringMatching(
        /too few canary events: \d+ over the canary window, at least 100 needed/,
      ),
    });
  });

  it('denies when the data carries no track label', async () => {
    const { body } = await gate('unlabelled').expect(200);
    expect(body.decision).toBe('deny');
    expect(body.canary.judgements[0]).toMatchObject({
      verdict: 'deny',
      code: 'canary-no-track',
      reason: expect.stringContaining("carries a 'track' label"),
    });
  });

  it('judges the whole service only without track=canary, and refuses a canary without its window', async () => {
    const { body } = await request(app)
      .get('/gate')
      .query({ componentRef: 'component:default/diluted' })
      .expect(200);
    expect(body.decision).toBe('allow');
    expect(body.canary).toBeUndefined();
    const refused = await request(app)
      .get('/gate')
      .query({ componentRef: 'component:default/diluted', track: 'canary' })
      .expect(400);
    expect(refused.body.error.message).toContain('canarySince');
    await gate('diluted', {
      canarySince: new Date(now().getTime() + MINUTE).toISOString(),
    }).expect(400);
  });
});
