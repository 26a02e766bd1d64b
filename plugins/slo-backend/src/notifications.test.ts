import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { clockServiceFactory, FixedClock } from '@internal/platform-node';
import {
  PrometheusLocal,
  startPrometheusLocal,
} from '@internal/prometheus-local';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { NotificationEpisodes } from './database/NotificationEpisodes';
import { SloStore } from './database/SloStore';
import { sloPlugin } from './plugin';
import { SloOwnerNotifier } from './service/notifyOwners';
import { SloService } from './service/SloService';
import { PrometheusSource } from './sources/PrometheusSource';

// The app's notifications backend (packages/backend adds it), as a feature object.
const notificationsPlugin =
  require('@backstage/plugin-notifications-backend').default;

jest.setTimeout(180_000);

const REPO = resolvePackagePath('@internal/slo-backend', '../..');

function component(
  name: string,
  product: string,
  owner: string,
  annotations: Record<string, string> = {},
) {
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
        ...annotations,
      },
    },
    spec: { type: 'service', owner, system: product },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

/** A catalog Group with its relations, as the catalog's processors make them from catalog/org. */
function group(name: string, members: string[], children: string[] = []) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children },
    relations: [
      ...members.map(m => ({ type: 'hasMember', targetRef: m })),
      ...children.map(c => ({
        type: 'parentOf',
        targetRef: `group:default/${c}`,
      })),
    ],
  };
}

function user(ref: string, team: string) {
  const { name, namespace } = /^user:(?<namespace>[^/]+)\/(?<name>.+)$/.exec(
    ref,
  )!.groups!;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace },
    spec: { memberOf: [team] },
    relations: [{ type: 'memberOf', targetRef: `group:default/${team}` }],
  };
}

const AMARA = 'user:default/amara.okafor';
const ELENA = 'user:default/elena.popescu';
const GUEST = 'user:development/guest';

/** The demo's card acquiring and FX services, their teams, and the guest on the FX on-call rota. */
const CATALOG = [
  component(
    'card-authorisation-service',
    'card-acquiring',
    'card-acquiring-team',
    {
      'backstage.io/techdocs-ref': 'dir:./runbooks/card-authorisation-service',
    },
  ),
  component('card-tokenisation-vault', 'card-acquiring', 'card-acquiring-team'),
  component('fx-rates-service', 'fx', 'fx-team'),
  group('card-acquiring-team', [AMARA]),
  group('fx-team', [ELENA], ['fx-on-call']),
  group('fx-on-call', [GUEST]),
  user(AMARA, 'card-acquiring-team'),
  user(ELENA, 'fx-team'),
  user(GUEST, 'fx-on-call'),
];

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
const clock = new FixedClock(Date.now());
let prometheus: PrometheusLocal;
let dataDir: string;

/** A minute on the clock, the traffic pushed every 15 s of it as a scrape would read it. */
async function minuteOfTraffic() {
  for (let tick = 0; tick < 4; tick++) {
    clock.advance(15_000);
    await prometheus.pushNow();
  }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slo-notify-prometheus-'));
  prometheus = await startPrometheusLocal({
    dataDir,
    days: 15,
    now: () => clock.now(),
  });
}, 120_000);
afterAll(async () => {
  await prometheus?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('owners told through the real notifications backend', () => {
  it("tells the card acquiring team of the demo's fast burn once, and the guest on FX's rota of FX's spent budget", async () => {
    // The backend's scheduler, to run the scheduled evaluation when the test says.
    let scheduler: SchedulerService | undefined;
    const schedulerOf = createBackendPlugin({
      pluginId: 'scheduler-of',
      register(env) {
        env.registerInit({
          deps: { scheduler: coreServices.scheduler },
          async init(deps) {
            scheduler = deps.scheduler;
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        sloPlugin,
        notificationsPlugin,
        schedulerOf,
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({ entities: CATALOG as any }),
        clockServiceFactory(clock),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            slo: {
              prometheus: { baseUrl: prometheus.url },
              snapshotBackfillDays: 0,
            },
          },
        }),
      ],
    });
    try {
      const inbox = async (userRef: string) =>
        (
          await request(backend.server)
            .get('/api/notifications/notifications')
            .set('Authorization', mockCredentials.user.header(userRef))
            .expect(200)
        ).body.notifications as Array<{
          payload: {
            title: string;
            topic?: string;
            severity?: string;
            link?: string;
            description?: string;
          };
        }>;

      // Three scheduled evaluations, a minute apart, the traffic pushed every 15 s of the clock in
      // between (a scrape's pace): the fast burn goes on all along.
      for (let i = 0; i < 3; i++) {
        await scheduler!.triggerTask('slo-evaluate');
        await minuteOfTraffic();
      }

      const amara = await inbox(AMARA);
      const pages = amara.filter(n => n.payload.topic === 'SLO fast burn');
      expect(pages.map(n => n.payload)).toEqual([
        expect.objectContaining({
          title: expect.stringMatching(
            /^Card authorisation availability is burning its error budget fast: [\d.]+x the sustainable rate over \d+[mh]$/,
          ),
          severity: 'critical',
          link: '/catalog/default/component/card-authorisation-service/slo',
          description: expect.stringContaining(
            'Follow the runbook (/docs/default/component/card-authorisation-service)',
          ),
        }),
      ]);
      // The guest is on FX's on-call rota (a sub-team of fx-team): told of FX, not of card acquiring.
      const guest = await inbox(GUEST);
      expect(guest.map(n => [n.payload.topic, n.payload.severity])).toEqual([
        ['SLO budget exhausted', 'high'],
      ]);
      expect(guest[0].payload.title).toMatch(
        /^FX rates availability has exhausted its error budget/,
      );
      expect((await inbox(ELENA)).map(n => n.payload.title)).toEqual(
        guest.map(n => n.payload.title),
      );
    } finally {
      await backend.stop();
    }
  });
});

describe('a notification that fails', () => {
  it('never fails the evaluation: the statuses are stored, the failure logged, the next evaluation sends', async () => {
    const knex = await sqlite.init('SQLITE_3');
    const store = await SloStore.fromKnex(knex);
    const logger = mockServices.logger.mock();
    let down = true;
    const sent: string[] = [];
    const owners = new SloOwnerNotifier({
      episodes: new NotificationEpisodes(knex),
      notifications: {
        async send(options) {
          if (down) throw new Error('notifications backend unavailable');
          sent.push(options.payload.title);
        },
      },
      logger,
      now: () => clock.now(),
    });
    const service = new SloService({
      catalog: catalogServiceMock({ entities: CATALOG as any }),
      auth: mockServices.auth(),
      urlReader: mockServices.urlReader.mock(),
      store,
      prometheus: new PrometheusSource(prometheus.url, {
        timeoutMs: 10_000,
        concurrency: 8,
      }),
      logger,
      backfillDays: 0,
      now: () => clock.now(),
      owners,
    });

    await expect(service.evaluateAll()).resolves.toMatchObject({ slos: 4 });
    expect((await service.overview()).slos).toHaveLength(4);
    expect(sent).toEqual([]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('notifications backend unavailable'),
    );

    down = false;
    await minuteOfTraffic();
    await service.evaluateAll();
    expect(sent).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Card authorisation availability is burning/),
      ]),
    );
  });
});
