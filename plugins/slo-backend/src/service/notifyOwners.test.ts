import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import type { SloBurnStatus, SloStatus } from '@internal/slo-common';
import { FixedClock } from '@internal/platform-node';
import knexFactory, { Knex } from 'knex';
import { NotificationEpisodes } from '../database/NotificationEpisodes';
import { SloStore } from '../database/SloStore';
import { SloOwnerNotifier } from './notifyOwners';

jest.setTimeout(60_000);

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

const KEY =
  'component:default/card-authorisation-service#card-authorisation-availability';
const TEAM = 'group:default/card-acquiring-team';
const RUNBOOK = '/docs/default/component/card-authorisation-service';

/** The notifications service as the notifications backend receives it, or failing. */
function notificationsInbox() {
  const received: NotificationSendOptions[] = [];
  let failing = false;
  const service: NotificationService = {
    async send(options) {
      if (failing) throw new Error('notifications backend unavailable');
      received.push(options);
    },
  };
  return {
    service,
    received,
    fail: (on: boolean) => {
      failing = on;
    },
  };
}

/** The card authorisation availability SLO as an evaluation stores it. */
function status(
  burn: SloBurnStatus,
  options: {
    remaining?: number;
    objectives?: SloStatus['objectives'];
    at?: Date;
  } = {},
): SloStatus {
  const hasData = burn !== 'no-data';
  const remaining = options.remaining ?? 0.62;
  return {
    key: KEY,
    name: 'card-authorisation-availability',
    displayName: 'Card authorisation availability',
    entityRef: 'component:default/card-authorisation-service',
    product: 'card-acquiring',
    team: TEAM,
    source: 'catalog/slos/card-acquiring.yaml',
    target: 0.9995,
    windowLabel: '28d rolling',
    budgetingMethod: 'Occurrences',
    indicatorKind: 'ratio',
    hasData,
    attainment: hasData ? 0.9997 : undefined,
    budget: hasData
      ? {
          remaining,
          allowed: 100,
          consumed: 100 * (1 - remaining),
          exhausted: remaining <= 0,
        }
      : undefined,
    burn: {
      status: burn,
      message: burn,
      worst: hasData
        ? { window: '1h', rate: burn === 'page' ? 20.5 : 0.8 }
        : undefined,
      rates: [],
    },
    evaluatedAt: (options.at ?? new Date()).toISOString(),
    objectives: options.objectives,
  };
}

describe.each(databases.eachSupportedId())(
  'owners told of fast burns and exhausted budgets, once per episode and cluster, on %s',
  databaseId => {
    let knex: Knex;
    let other: Knex;
    const clock = new FixedClock('2026-12-07T10:00:00Z');

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await SloStore.fromKnex(knex);
      // A second replica has its own connection pool on PostgreSQL (in-memory SQLite is one connection).
      other = databaseId.startsWith('POSTGRES')
        ? knexFactory({
            client: knex.client.config.client,
            connection: knex.client.config.connection,
          })
        : knex;
    });
    afterAll(async () => {
      if (other !== knex) await other.destroy();
    });
    afterEach(async () => {
      await knex('slo_notification_episodes').delete();
      clock.set('2026-12-07T10:00:00Z');
    });

    const replica = (client: Knex, inbox: NotificationService) =>
      new SloOwnerNotifier({
        episodes: new NotificationEpisodes(client),
        notifications: inbox,
        logger: mockServices.logger.mock(),
        now: () => clock.now(),
        runbookOf: async ref =>
          ref === 'component:default/card-authorisation-service'
            ? RUNBOOK
            : undefined,
      });

    /** Evaluations five minutes apart, as the scheduler runs them. */
    async function evaluations(
      notifier: SloOwnerNotifier,
      ...statuses: SloBurnStatus[]
    ) {
      for (const burn of statuses) {
        await notifier.evaluated([status(burn, { at: clock.now() })]);
        clock.advance(5 * 60_000);
      }
    }

    it('tells the owning team of a fast burn once, however many evaluations still see it', async () => {
      const inbox = notificationsInbox();
      const notifier = replica(knex, inbox.service);
      await evaluations(notifier, 'ok', 'page', 'page', 'page', 'page');

      expect(inbox.received).toEqual([
        {
          recipients: { type: 'entity', entityRef: TEAM },
          payload: {
            title:
              'Card authorisation availability is burning its error budget fast: 20.5x the sustainable rate over 1h',
            description: `Card authorisation availability (target 99.95%, 28d rolling) burns its error budget at 20.5x the sustainable rate over 1h; 62% of the budget left. Follow the runbook (${RUNBOOK}); the deploy gate holds deploys back while it burns.`,
            link: '/catalog/default/component/card-authorisation-service/slo',
            severity: 'critical',
            topic: 'SLO fast burn',
            scope: `slo:${KEY}:page:2026-12-07T10:05:00.000Z`,
          },
        },
      ]);
      expect(
        (await new NotificationEpisodes(knex).episodes(KEY)).map(e => [
          e.condition,
          e.startedAt,
          e.endedAt,
          e.notifiedAt,
        ]),
      ).toEqual([
        [
          'page',
          '2026-12-07T10:05:00.000Z',
          undefined,
          '2026-12-07T10:05:00.000Z',
        ],
      ]);
    });

    it('tells the recovery, and a new fast burn after it as a new episode', async () => {
      const inbox = notificationsInbox();
      const notifier = replica(knex, inbox.service);
      await evaluations(notifier, 'page', 'page', 'ticket', 'ok', 'page');

      expect(
        inbox.received.map(n => [n.payload.severity, n.payload.scope]),
      ).toEqual([
        ['critical', `slo:${KEY}:page:2026-12-07T10:00:00.000Z`],
        ['low', `slo:${KEY}:page:2026-12-07T10:00:00.000Z:recovered`],
        ['critical', `slo:${KEY}:page:2026-12-07T10:20:00.000Z`],
      ]);
      expect(inbox.received[1].payload.title).toBe(
        'Recovered: Card authorisation availability no longer burns its error budget fast',
      );
      expect(
        (await new NotificationEpisodes(knex).episodes(KEY)).map(e => [
          e.startedAt,
          e.endedAt,
        ]),
      ).toEqual([
        ['2026-12-07T10:00:00.000Z', '2026-12-07T10:10:00.000Z'],
        ['2026-12-07T10:20:00.000Z', undefined],
      ]);
    });

    it('takes an evaluation without data for no recovery: the fast burn goes on, untold again', async () => {
      const inbox = notificationsInbox();
      const notifier = replica(knex, inbox.service);
      await evaluations(notifier, 'page', 'no-data', 'no-data', 'page');
      expect(inbox.received.map(n => n.payload.scope)).toEqual([
        `slo:${KEY}:page:2026-12-07T10:00:00.000Z`,
      ]);
      expect(await new NotificationEpisodes(knex).episodes(KEY)).toHaveLength(
        1,
      );
    });

    it('sends once when two replicas (or a retried task) evaluate the same fast burn at once', async () => {
      const inbox = notificationsInbox();
      const results = await Promise.all([
        replica(knex, inbox.service).evaluated([status('page')]),
        replica(other, inbox.service).evaluated([status('page')]),
        replica(knex, inbox.service).evaluated([status('page')]),
      ]);
      expect(inbox.received).toHaveLength(1);
      expect(results.flatMap(r => r.started)).toHaveLength(1);
      expect(results.flatMap(r => r.sent)).toEqual([
        inbox.received[0].payload.scope,
      ]);
    });

    it('sends on the next evaluation what the notifications backend failed to take', async () => {
      const inbox = notificationsInbox();
      inbox.fail(true);
      const failed = await replica(knex, inbox.service).evaluated([
        status('page'),
      ]);
      expect(failed.failed).toEqual([
        `slo:${KEY}:page:2026-12-07T10:00:00.000Z`,
      ]);
      inbox.fail(false);
      clock.advance(5 * 60_000);
      const retried = await replica(other, inbox.service).evaluated([
        status('page'),
      ]);
      // The same episode, told late: its scope is the start the team's rota sees in the bell.
      expect(retried.sent).toEqual(failed.failed);
      expect(inbox.received).toHaveLength(1);
    });

    it('tells an exhausted budget per objective, naming the objective and the budget left', async () => {
      const inbox = notificationsInbox();
      const notifier = replica(knex, inbox.service);
      const objectives = (exhausted: boolean): SloStatus['objectives'] => [
        {
          target: 0.99,
          hasData: true,
          budget: {
            remaining: 0.7,
            allowed: 10,
            consumed: 3,
            exhausted: false,
          },
          burn: { status: 'ok', message: 'ok', rates: [] },
        },
        {
          displayName: 'Strict',
          target: 0.999,
          hasData: true,
          budget: exhausted
            ? { remaining: -2, allowed: 1, consumed: 3, exhausted: true }
            : { remaining: 0.1, allowed: 1, consumed: 0.9, exhausted: false },
          burn: { status: 'ok', message: 'ok', rates: [] },
        },
      ];
      for (const exhausted of [true, true, false]) {
        await notifier.evaluated([
          status('ticket', {
            remaining: -2,
            objectives: objectives(exhausted),
          }),
        ]);
        clock.advance(5 * 60_000);
      }
      expect(
        inbox.received.map(n => [
          n.recipients,
          n.payload.severity,
          n.payload.title,
          n.payload.scope,
        ]),
      ).toEqual([
        [
          { type: 'entity', entityRef: TEAM },
          'high',
          'Card authorisation availability has exhausted its error budget (Strict, target 99.9%)',
          `slo:${KEY}:exhausted:0.999:2026-12-07T10:00:00.000Z`,
        ],
        [
          { type: 'entity', entityRef: TEAM },
          'low',
          'Recovered: Card authorisation availability has error budget left again',
          `slo:${KEY}:exhausted:0.999:2026-12-07T10:00:00.000Z:recovered`,
        ],
      ]);
      expect(inbox.received[0].payload.description).toContain(
        '0% of the budget left (overspent)',
      );
    });

    it('falls back to the SLO as a whole where the status has no objectives', async () => {
      const inbox = notificationsInbox();
      await replica(knex, inbox.service).evaluated([
        status('ok', { remaining: -0.4 }),
      ]);
      expect(inbox.received.map(n => n.payload.scope)).toEqual([
        `slo:${KEY}:exhausted:0.9995:2026-12-07T10:00:00.000Z`,
      ]);
    });
  },
);
