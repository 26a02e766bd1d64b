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
  ServiceDetailResponse,
} from '@internal/dr-readiness-common';
import { clockServiceFactory, FixedClock } from '@internal/platform-node';
import request from 'supertest';
import { appConfigDrReadiness } from './__testUtils__/fixtures';
import { drReadinessPlugin } from './plugin';

const REPO = resolvePackagePath('@internal/dr-readiness-backend', '../..');
const DAY = 86_400_000;
const AT = '2027-03-01T00:20:00.000Z';
const ENV = [
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
] as const;

/**
 * The plugin as the backend wires it: its scans, evidence times, waiver expiry and the demo's
 * waivers all follow the backend's clock (clockServiceRef), and so does the loopback endpoint
 * it reads here. The process clock plays no part.
 */
describe('the DR readiness plugin on the backend clock', () => {
  const clock = new FixedClock(AT);
  const saved: Partial<Record<(typeof ENV)[number], string>> = {};
  let aws: AwsLocal;

  beforeAll(async () => {
    aws = await startAwsLocal({ now: () => clock.now() });
    for (const key of ENV) saved[key] = process.env[key];
    // What the start command gives the backend: the SDK's own variables.
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
          entities: aws.estate.services.map(s => ({
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
          })),
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
