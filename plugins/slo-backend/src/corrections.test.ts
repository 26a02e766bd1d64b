import {
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FixedClock } from '@internal/platform-node';
import {
  PrometheusLocal,
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

const REPO = resolvePackagePath('@internal/slo-backend', '../..');
const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
const FX = 'component:default/fx-rates-service';
const KEY = `${FX}#fx-rates-availability`;
const DAY_MS = 86_400_000;

/** The clock of the demo Prometheus and the service: the process's time, moved only by hand. */
const clock = new FixedClock(Date.now());
const now = () => clock.now();

/** The demo's fx outage: six days ago (UTC), 12:00 to 15:00 (packages/prometheus-local traffic). */
function fxOutage() {
  const today = Date.parse(
    `${clock.now().toISOString().slice(0, 10)}T00:00:00Z`,
  );
  const start = today - 6 * DAY_MS + 12 * 3_600_000;
  return {
    from: new Date(start - 10 * 60_000).toISOString(),
    to: new Date(start + 3 * 3_600_000 + 10 * 60_000).toISOString(),
  };
}

let prometheus: PrometheusLocal;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-corrections-'));
  prometheus = await startPrometheusLocal({ dataDir, days: 8, now });
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a correction against a real Prometheus', () => {
  it("leaves a provider's outage out of the budget: the gate and the burn-down at once, the stored status at the next evaluation", async () => {
    const store = await SloStore.fromKnex(await sqlite.init('SQLITE_3'));
    const service = new SloService({
      catalog: catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'fx-rates-service',
              namespace: 'default',
              annotations: {
                'backstage.io/managed-by-location': `file:${REPO}/catalog/products/fx.yaml`,
                'backstage.io/managed-by-origin-location': `file:${REPO}/catalog/all.yaml`,
                'payments-platform/slo-definitions': '../slos/fx.yaml',
              },
            },
            spec: { type: 'service', owner: 'fx-team', system: 'fx' },
          } as any,
        ],
      }),
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
    const app = express();
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
          ownershipEntityRefs: ['user:default/farid', 'group:default/fx-team'],
        }),
        permissions: mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(() => ({ result: AuthorizeResult.ALLOW })),
        }),
        now,
      }),
    );
    app.use(mockErrorHandler());
    const stored = async () =>
      (await service.overview()).slos.find(s => s.key === KEY)!;

    await service.evaluateAll();
    const before = await stored();
    expect(before.budget!.exhausted).toBe(true);
    expect(
      (await request(app).get('/gate').query({ componentRef: FX })).body
        .decision,
    ).toBe('deny');

    const correction = (
      await request(app)
        .post('/corrections')
        .send({
          sloKey: KEY,
          ...fxOutage(),
          category: 'provider',
          reason: 'Rates provider outage (their incident 4711), not ours',
        })
        .expect(201)
    ).body;

    // The gate evaluates live: it leaves the outage out at once.
    const gate = (await request(app).get('/gate').query({ componentRef: FX }))
      .body;
    expect(gate.slos[0].budget.exhausted).toBe(false);
    // The burn-down marks the correction.
    const burnDown = (
      await request(app).get('/burn-down').query({ key: KEY }).expect(200)
    ).body;
    expect(burnDown.corrections).toEqual([correction]);
    // And the deploys: both gate calls of the component, the first denied.
    expect(burnDown.deploys).toHaveLength(2);
    expect(burnDown.deploys[0]).toMatchObject({ decision: 'deny' });
    // The stored status changes at the next evaluation.
    expect((await stored()).budget).toEqual(before.budget);
    clock.set(clock.now().getTime() + 60_000);
    await service.evaluateAll();
    const after = await stored();
    expect(after.budget!.exhausted).toBe(false);
    expect(after.budget!.remaining).toBeGreaterThan(0.5);

    // Revoked: the outage counts again from the next evaluation on.
    await request(app).delete(`/corrections/${correction.id}`).expect(200);
    await service.evaluateAll();
    expect((await stored()).budget!.exhausted).toBe(true);
  }, 60_000);
});
