import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  resolvePackagePath,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AwsLocal,
  LOCAL_CREDENTIALS,
  startAwsLocal,
} from '@internal/aws-local';
import {
  DR_PUBLIC_HOSTNAME_ANNOTATION,
  DR_TIER_ANNOTATION,
  ScanSummary,
  ServiceDetailResponse,
} from '@internal/dr-readiness-common';
import { clockServiceFactory, FixedClock } from '@internal/platform-node';
import request from 'supertest';
import type { Entity } from '@backstage/catalog-model';
import { appConfigDrReadiness, runningClock } from './__testUtils__/fixtures';
import { drReadinessPlugin } from './plugin';

const REPO = resolvePackagePath('@internal/dr-readiness-backend', '../..');
const DAY = 86_400_000;
const AT = '2027-03-01T00:20:00.000Z';
const CATCH_UP_SECONDS = 2;
const ENV = [
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
] as const;

/**
 * A loopback AWS endpoint on `now` for the suite, given to the backend as the start command does:
 * through the SDK's own variables (restored afterwards).
 */
function awsLocalForTheBackend(now: () => Date): () => AwsLocal {
  const saved: Partial<Record<(typeof ENV)[number], string>> = {};
  let aws: AwsLocal | undefined;
  beforeAll(async () => {
    aws = await startAwsLocal({ now });
    for (const key of ENV) saved[key] = process.env[key];
    process.env.AWS_ENDPOINT_URL = aws.endpoint;
    process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;
    process.env.AWS_REGION = 'eu-west-2';
  });
  afterAll(async () => {
    for (const key of ENV) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await aws?.close();
  });
  return () => aws!;
}

/**
 * The plugin as the backend wires it: its scans, evidence times, waiver expiry and the demo's
 * waivers all follow the backend's clock (clockServiceRef), and so does the loopback endpoint
 * it reads here. The process clock plays no part.
 */
describe('the DR readiness plugin on the backend clock', () => {
  const clock = new FixedClock(AT);
  const awsLocal = awsLocalForTheBackend(() => clock.now());

  it('scans, records the demo waivers and answers by the backend clock', async () => {
    // The mock scheduler is its own factory (typed as a plain SchedulerService).
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory: typeof mockServices.scheduler.factory;
    };
    const backend = await startTestBackend({
      features: [
        drReadinessPlugin,
        clockServiceFactory(clock),
        scheduler.factory({ includeInitialDelayedTasksOnStartup: true }),
        mockServices.rootConfig.factory({
          data: {
            taxonomy: { file: `${REPO}/taxonomy.yaml` },
            aws: { accountDefaults: { roleName: 'payments-portal-readonly' } },
            drReadiness: appConfigDrReadiness(),
          },
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        catalogServiceMock.factory({
          entities: awsLocal().estate.services.map(component),
        }),
      ],
    });
    try {
      const { server } = backend;
      const detail = async (name: string): Promise<ServiceDetailResponse> =>
        (
          await request(server)
            .get(`/api/dr-readiness/services/default/${name}`)
            .expect(200)
        ).body;

      const scorecard = (
        await request(server).get('/api/dr-readiness/scorecard').expect(200)
      ).body;
      expect(scorecard.lastScan).toMatchObject({
        status: 'completed',
        startedAt: AT,
      });
      const ledger = await detail('ledger-writer');
      expect(ledger.score.level).toBe('ready');
      expect(
        new Set(ledger.results.flatMap(r => r.calls.map(c => c.at))),
      ).toEqual(new Set([AT]));

      const settlement = await detail('card-settlement-batch');
      const waived = settlement.results.find(
        r => r.controlId === 'backup-restore-tested',
      )!;
      expect(waived.waiver).toMatchObject({
        createdAt: new Date(Date.parse(AT) - 9 * DAY).toISOString(),
        expiresAt: new Date(Date.parse(AT) + 21 * DAY).toISOString(),
      });
      const vault = await detail('card-tokenisation-vault');
      expect(vault.waivers.map(w => [w.controlId, w.expiresAt])).toEqual([
        ['dynamodb-pitr', new Date(Date.parse(AT) - 15 * DAY).toISOString()],
      ]);

      // A month on, by the backend's clock: that waiver has expired on read...
      clock.advance(30 * DAY);
      expect(
        (await detail('card-settlement-batch')).results.find(
          r => r.controlId === 'backup-restore-tested',
        )!.waiver,
      ).toBeUndefined();
      // ...and the next scheduled scan records the demo's waiver again, and scans at that time.
      await scheduler.triggerTask('dr-readiness-scan');
      const later = await detail('card-settlement-batch');
      expect(
        later.results.find(r => r.controlId === 'backup-restore-tested')!.waiver
          ?.expiresAt,
      ).toBe(new Date(clock.now().getTime() + 21 * DAY).toISOString());
      const history = (
        await request(server)
          .get(
            '/api/dr-readiness/services/default/card-settlement-batch/history',
          )
          .expect(200)
      ).body;
      expect(history.points.map((p: { at: string }) => p.at)).toEqual([
        AT,
        clock.now().toISOString(),
      ]);
    } finally {
      await backend.stop();
    }
  }, 60_000);
});

/** A Component with a DR tier, as the catalog hands it to the plugin. */
function component(s: AwsLocal['estate']['services'][number]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: s.name,
      annotations: {
        [DR_TIER_ANNOTATION]: s.tier,
        ...(s.publicHostname
          ? { [DR_PUBLIC_HOSTNAME_ANNOTATION]: s.publicHostname }
          : {}),
      },
    },
    spec: { owner: s.team, system: s.product, type: 'service' },
  };
}

/**
 * A fresh portal: the first scheduled scan runs while the catalog has loaded one service of the
 * demo organisation. Backstage's own scheduler (not the mock) runs the catch-up on its cadence:
 * once the catalog has the rest, they are scanned within a run, and only they; runs with nothing
 * new call no AWS API.
 */
describe('the DR catch-up on the Backstage scheduler', () => {
  // Real elapsed time from a fixed start: the scheduler keeps real time, the plugin this clock.
  const now = runningClock(AT);
  const awsLocal = awsLocalForTheBackend(now);

  it('scans the services the catalog gains after the first scan within its cadence, and only them', async () => {
    const estate = awsLocal().estate.services;
    let entities = estate
      .filter(s => s.name === 'ledger-writer')
      .map(component);
    let catalogReads = 0;
    const catalog = catalogServiceMock.mock({
      getEntities: async () => {
        catalogReads += 1;
        return { items: entities };
      },
    });
    const backend = await startTestBackend({
      features: [
        drReadinessPlugin,
        clockServiceFactory({ now }),
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            taxonomy: { file: `${REPO}/taxonomy.yaml` },
            aws: { accountDefaults: { roleName: 'payments-portal-readonly' } },
            drReadiness: {
              ...appConfigDrReadiness(),
              schedule: { everyMinutes: 360, initialDelaySeconds: 0 },
              catchUp: { everySeconds: CATCH_UP_SECONDS },
              demo: { waivers: [] },
            },
          },
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
        catalog.factory,
      ],
    });
    const sleep = (ms: number) =>
      new Promise(resolve => setTimeout(resolve, ms));
    const scans = async (): Promise<ScanSummary[]> =>
      (
        await request(backend.server)
          .get('/api/dr-readiness/scans?limit=50')
          .expect(200)
      ).body.scans;
    /** Polls until `probe` returns something, or fails naming `what`. */
    const eventually = async <T>(
      what: string,
      probe: () => Promise<T | undefined>,
    ): Promise<T> => {
      for (const deadline = performance.now() + 60_000; ; ) {
        const value = await probe();
        if (value !== undefined) return value;
        if (performance.now() > deadline)
          throw new Error(`gave up waiting for ${what}`);
        await sleep(100);
      }
    };
    /** Waits for `runs` more catch-up runs: each reads the catalog once. */
    const catchUpRuns = async (runs: number) => {
      const from = catalogReads;
      await eventually(`${runs} catch-up runs`, async () =>
        catalogReads >= from + runs ? true : undefined,
      );
    };
    try {
      const first = await eventually('the first scheduled scan', async () =>
        (
          await scans()
        ).find(s => s.trigger === 'scheduled' && s.status === 'completed'),
      );
      expect(first.servicesScanned).toBe(1);

      // Nothing new: the catch-up runs, reads the catalog, and calls no AWS API.
      const callsAfterFirst = awsLocal().stats().totalCalls;
      await catchUpRuns(2);
      expect(awsLocal().stats().totalCalls).toBe(callsAfterFirst);
      expect((await scans()).map(s => s.id)).toEqual([first.id]);

      // The catalog has processed the rest of the demo organisation.
      entities = estate.map(component);
      const gainedAt = performance.now();
      const caughtUp = await eventually('a catch-up scan', async () =>
        (
          await scans()
        ).find(s => s.trigger === 'catch-up' && s.status === 'completed'),
      );
      // Due a cadence after the previous run, claimed at the scheduler's next poll (the cadence).
      expect(performance.now() - gainedAt).toBeLessThan(
        (2 * CATCH_UP_SECONDS + 5) * 1000,
      );
      expect([...caughtUp.entityRefs!].sort()).toEqual(
        estate
          .filter(s => s.name !== 'ledger-writer')
          .map(s => `component:default/${s.name}`)
          .sort(),
      );
      const scorecard = (
        await request(backend.server).get('/api/dr-readiness/scorecard')
      ).body;
      const row = (name: string) =>
        scorecard.rows.find((r: { name: string }) => r.name === name);
      expect(row('card-tokenisation-vault').cells['dynamodb-pitr'].status).toBe(
        'fail',
      );
      // ledger-writer keeps the first scan's results.
      expect(Date.parse(row('ledger-writer').scannedAt)).toBeLessThanOrEqual(
        Date.parse(first.finishedAt!),
      );
      expect(scorecard.notYetScanned).toBe(0);

      // Caught up: later runs scan nothing and call no AWS API.
      const callsAfterCatchUp = awsLocal().stats().totalCalls;
      await catchUpRuns(2);
      expect(awsLocal().stats().totalCalls).toBe(callsAfterCatchUp);
      expect((await scans()).map(s => s.id)).toEqual([caughtUp.id, first.id]);
    } finally {
      await backend.stop();
    }
  }, 120_000);
});
