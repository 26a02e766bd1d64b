import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
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
import { SloStore } from '../database/SloStore';
import { createRouter } from '../router';
import { readDeployPolicySettings } from '../service/deployPolicy';
import { readDemoDeploys, recordDemoDeploys } from '../service/demoDeploys';
import { SloService } from '../service/SloService';
import { PrometheusSource } from '../sources/PrometheusSource';

const REPO = resolvePackagePath('@internal/slo-backend', '../..');
const databases = TestDatabases.create({
  ids: ['POSTGRES_18', 'POSTGRES_17', 'POSTGRES_16', 'POSTGRES_15', 'SQLITE_3'],
});

const CARD = 'component:default/card-authorisation-service';
const PAYOUTS = 'component:default/payout-rails-gateway';
const APPROVER = 'user:default/maya.cohen';
const COMMIT = '3f9c2e1a7b5d4c8e9f0a1b2c3d4e5f6a7b8c9d0e';

/** A demo Component, pointing at its product's OpenSLO file, with its DR tier. */
function component(name: string, product: string, tier?: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': `file:${REPO}/catalog/products/${product}.yaml`,
        'backstage.io/managed-by-origin-location': `file:${REPO}/catalog/all.yaml`,
        'payments-platform/slo-definitions': `../slos/${product}.yaml`,
        ...(tier ? { 'payments-platform/dr-tier': tier } : {}),
      },
    },
    spec: { type: 'service', owner: `${product}-team`, system: product },
  };
}

const config = new ConfigReader({
  app: { baseUrl: 'https://portal.payments.example/' },
  slo: {
    budgetPolicies: {
      policies: {
        standard: [
          { belowRemaining: 0.25, requires: 'approval' },
          { exhausted: true, allows: ['fix', 'rollback'] },
          { noData: true, allows: ['rollback'] },
        ],
        strict: [
          { burn: 'page', allows: ['fix', 'rollback'], requires: 'approval' },
        ],
      },
      tiers: { 'tier-0': 'strict' },
      default: 'standard',
    },
    demo: {
      deploys: [
        {
          componentRef: CARD,
          deployId: 'demo-approved',
          change: 'fix',
          approvedBy: APPROVER,
          reason: 'Raises the connection pool',
        },
        { componentRef: CARD, deployId: 'demo-pending', change: 'fix' },
      ],
    },
  },
});

/** The clock of Prometheus' demo history and of the service, moved only by hand. */
const clock = new FixedClock(Date.now());
const now = () => clock.now();

let prometheus: PrometheusLocal;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-gate-prometheus-'));
  prometheus = await startPrometheusLocal({ dataDir, days: 15, now });
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe.each(databases.eachSupportedId())(
  'the deploy gate with an error-budget policy and approvals, on %s',
  databaseId => {
    let service: SloService;
    let store: SloStore;

    beforeAll(async () => {
      store = await SloStore.fromKnex(await databases.init(databaseId));
      service = new SloService({
        catalog: catalogServiceMock({
          entities: [
            component('card-authorisation-service', 'card-acquiring', 'tier-0'),
            component('payout-rails-gateway', 'payouts', 'tier-1'),
          ] as any,
        }),
        auth: mockServices.auth(),
        urlReader: mockServices.urlReader.mock(),
        store,
        prometheus: new PrometheusSource(prometheus.url, {
          timeoutMs: 10_000,
          concurrency: 8,
        }),
        logger: mockServices.logger.mock(),
        backfillDays: 0,
        now,
        deployPolicy: readDeployPolicySettings(config),
      });
    }, 60_000);

    /** The API as a user (the approver when `approver`) or a pipeline's token sees it. */
    async function appAs(
      options: { approver?: boolean; credentials?: BackstageCredentials } = {},
    ) {
      const app = express();
      app.use(
        await createRouter({
          service,
          httpAuth: mockServices.httpAuth({
            defaultCredentials: options.credentials,
          }),
          userInfo: mockServices.userInfo({ userEntityRef: APPROVER }),
          permissions: mockServices.permissions.mock({
            authorize: async requests =>
              requests.map(() => ({
                result: options.approver
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
              })),
          }),
          now,
          requestsPerMinute: 1000,
        }),
      );
      app.use(mockErrorHandler());
      return app;
    }
    const pipeline = () =>
      appAs({
        credentials: mockCredentials.service('external:deploy-gate', {}),
      });

    it('holds a fix during a fast burn until an approver approves that deploy, then lets it through naming them', async () => {
      const gate = await pipeline();
      const ask = (query: object) =>
        request(gate)
          .get('/gate')
          .query({ componentRef: 'card-authorisation-service', ...query })
          .expect(200);
      const held = (
        await ask({ deployId: 'run-2', commit: COMMIT, change: 'fix' })
      ).body;
      expect(held).toMatchObject({
        componentRef: CARD,
        decision: 'deny',
        deployId: 'run-2',
        commit: COMMIT,
        change: 'fix',
        policy: { name: 'strict', outcome: 'needs-approval' },
        approvalUrl:
          'https://portal.payments.example/slo/approve?componentRef=component%3Adefault%2Fcard-authorisation-service&deployId=run-2',
      });
      // A feature is refused outright; a rollback always passes.
      expect((await ask({ deployId: 'run-1' })).body.policy).toMatchObject({
        outcome: 'only-fix-or-rollback',
      });
      expect(
        (await ask({ deployId: 'run-3', change: 'rollback' })).body.decision,
      ).toBe('allow');

      // Only an approver records an approval, as themselves, with a reason, for a deploy the gate saw.
      await request(await appAs())
        .post('/approvals')
        .send({ componentRef: CARD, deployId: 'run-2', reason: 'Hotfix' })
        .expect(403);
      const approverApp = await appAs({ approver: true });
      expect(
        (
          await request(approverApp)
            .post('/approvals')
            .send({ componentRef: CARD, deployId: 'run-2', reason: '  ' })
            .expect(400)
        ).body.error.message,
      ).toBe(
        'Invalid approval: reason is required: why this deploy may go ahead',
      );
      expect(
        (
          await request(approverApp)
            .post('/approvals')
            .send({
              componentRef: CARD,
              deployId: 'run-2',
              reason: 'Hotfix',
              approvedBy: 'user:default/someone-else',
            })
            .expect(400)
        ).body.error.message,
      ).toBe('Invalid approval: unknown field approvedBy');
      await request(approverApp)
        .post('/approvals')
        .send({ componentRef: CARD, deployId: 'never-asked', reason: 'x' })
        .expect(404);
      const approval = (
        await request(approverApp)
          .post('/approvals')
          .send({ componentRef: CARD, deployId: 'run-2', reason: 'Hotfix' })
          .expect(201)
      ).body;
      expect(approval).toMatchObject({
        componentRef: CARD,
        deployId: 'run-2',
        commit: COMMIT,
        kind: 'approval',
        reason: 'Hotfix',
        approvedBy: APPROVER,
        approvedAt: clock.now().toISOString(),
        expiresAt: new Date(
          clock.now().getTime() + 24 * 3_600_000,
        ).toISOString(),
      });

      const allowed = (
        await ask({ deployId: 'run-2', commit: COMMIT, change: 'fix' })
      ).body;
      expect(allowed).toMatchObject({
        decision: 'allow',
        policy: { outcome: 'approved' },
        approval: { id: approval.id, approvedBy: APPROVER },
      });
      // The approval is for that deploy and commit only.
      expect(
        (await ask({ deployId: 'run-2', commit: 'abcdef1', change: 'fix' }))
          .body.decision,
      ).toBe('deny');
      expect(
        (await ask({ deployId: 'run-4', change: 'fix' })).body.decision,
      ).toBe('deny');

      const listed = (
        await request(await appAs())
          .get('/approvals')
          .query({ componentRef: CARD, deployId: 'run-2' })
          .expect(200)
      ).body;
      // The latest call of the deploy, with what the pipeline was told; its calls newest first.
      expect(listed.deploy).toMatchObject({
        deployId: 'run-2',
        commit: 'abcdef1',
        decision: 'deny',
        policy: { name: 'strict', outcome: 'needs-approval' },
      });
      expect(listed.deploy.reasons.map((r: any) => r.code)).toContain(
        'fast-burn',
      );
      expect(listed.approvals.map((a: any) => a.id)).toEqual([approval.id]);
      expect(
        listed.calls.map((c: any) => [c.policyOutcome, c.approvedBy]),
      ).toEqual([
        ['needs-approval', undefined],
        ['approved', APPROVER],
        ['needs-approval', undefined],
      ]);
    });

    it('records every gate call, with who approved the ones an approval let through', async () => {
      const calls = await store.gates().calls({
        componentRefs: [CARD],
        from: new Date(clock.now().getTime() - 60_000),
        to: new Date(clock.now().getTime() + 60_000),
      });
      expect(
        calls
          .filter(c => c.deployId === 'run-2')
          .map(c => [c.commit, c.decision, c.policyOutcome, c.approvedBy]),
      ).toEqual([
        [COMMIT, 'deny', 'needs-approval', undefined],
        [COMMIT, 'allow', 'approved', APPROVER],
        ['abcdef1', 'deny', 'needs-approval', undefined],
      ]);
      expect(calls.map(c => c.deployId)).toEqual(
        expect.arrayContaining(['run-1', 'run-3', 'run-4']),
      );
      expect(
        await store.gates().calls({
          componentRefs: [PAYOUTS],
          from: new Date(0),
          to: clock.now(),
        }),
      ).toEqual([]);
    });

    it('lets only a fix or a rollback through a spent budget; an exception lets a feature through', async () => {
      const gate = await pipeline();
      const ask = async (query: object) =>
        (
          await request(gate)
            .get('/gate')
            .query({ componentRef: PAYOUTS, ...query })
            .expect(200)
        ).body;
      expect((await ask({ deployId: 'p-1' })).policy).toEqual({
        name: 'standard',
        outcome: 'only-fix-or-rollback',
        message: expect.stringContaining(
          'Only fix or rollback may deploy while the error budget is exhausted',
        ),
      });
      await request(await appAs({ approver: true }))
        .post('/approvals')
        .send({
          componentRef: PAYOUTS,
          deployId: 'p-1',
          reason: 'Regulatory deadline',
          kind: 'exception',
        })
        .expect(201);
      expect(await ask({ deployId: 'p-1' })).toMatchObject({
        decision: 'allow',
        policy: { outcome: 'excepted' },
        approval: { kind: 'exception', approvedBy: APPROVER },
      });
    });

    it('names each bad gate parameter, and keeps approvals from the pipeline token', async () => {
      const gate = await pipeline();
      expect(
        (
          await request(gate)
            .get('/gate')
            .query({
              componentRef: CARD,
              change: 'hotfix',
              deployId: 'a b',
              commit: 'main',
            })
            .expect(400)
        ).body.error.message,
      ).toBe(
        'Invalid query: deployId must be letters, digits and . _ : / @ + - only, e.g. the CI run id; commit must be a commit SHA (7 to 64 hex digits); change must be feature, fix or rollback (default feature)',
      );
      await request(gate)
        .get('/approvals')
        .query({ componentRef: CARD })
        .expect(403);
      await request(gate)
        .post('/approvals')
        .send({ componentRef: CARD, deployId: 'run-2', reason: 'x' })
        .expect(403);
    });

    it('records the demo’s held deploys once a week: one approved by its approver, one waiting', async () => {
      const demo = readDemoDeploys(config);
      const logger = mockServices.logger.mock();
      expect(await recordDemoDeploys(service, demo, { now, logger })).toBe(2);
      expect(await recordDemoDeploys(service, demo, { now, logger })).toBe(0);
      const approved = await service.approvals.list(CARD, 'demo-approved');
      expect(approved.approvals).toEqual([
        expect.objectContaining({
          approvedBy: APPROVER,
          reason: 'Raises the connection pool',
        }),
      ]);
      expect(approved.calls.map(c => c.policyOutcome)).toEqual([
        'approved',
        'needs-approval',
      ]);
      // This week's review lists the week's approvals and exceptions.
      const review = await service.review('current');
      expect(review.approvals?.map(a => [a.deployId, a.approvedBy])).toEqual(
        expect.arrayContaining([
          ['demo-approved', APPROVER],
          ['run-2', APPROVER],
        ]),
      );
      const pending = await service.approvals.list(CARD, 'demo-pending');
      expect(pending.deploy?.policy?.outcome).toBe('needs-approval');
      expect(pending.approvals).toEqual([]);
    });
  },
);
