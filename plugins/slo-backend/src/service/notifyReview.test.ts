import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import type { SloStatus } from '@internal/slo-common';
import { FixedClock } from '@internal/platform-node';
import knexFactory, { Knex } from 'knex';
import { NotificationEpisodes } from '../database/NotificationEpisodes';
import { SloStore } from '../database/SloStore';
import {
  announcementTime,
  ReviewAnnouncementTime,
  ReviewAnnouncer,
} from './notifyReview';
import { SloService } from './SloService';

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

/** Monday 7 December 2026 and the week before. */
const WEEK = '2026-12-07';
const LAST_WEEK = '2026-11-30';
const LONDON: ReviewAnnouncementTime = {
  at: '09:00',
  timeZone: 'Europe/London',
};

const CARD = 'group:default/card-acquiring-team';
const FX = 'group:default/fx-team';
const LEDGER = 'group:default/ledger-team';

function status(
  service: string,
  name: string,
  team: string,
  remaining: number,
  burn: SloStatus['burn']['status'],
): SloStatus {
  return {
    key: `component:default/${service}#${name}`,
    name,
    entityRef: `component:default/${service}`,
    team,
    source: 'slos.yaml',
    target: 0.999,
    windowLabel: '28d rolling',
    budgetingMethod: 'Occurrences',
    indicatorKind: 'ratio',
    hasData: true,
    attainment: 0.999,
    budget: {
      remaining,
      allowed: 10,
      consumed: 10 * (1 - remaining),
      exhausted: remaining <= 0,
    },
    burn: { status: burn, message: burn, rates: [] },
    evaluatedAt: '2026-12-07T07:00:00.000Z',
  };
}

const STATUSES = [
  status('card-authorisation-service', 'card-availability', CARD, 0.6, 'page'),
  status('fx-rates-service', 'fx-availability', FX, -0.3, 'ok'),
  status('ledger-writer', 'ledger-availability', LEDGER, 0.9, 'ok'),
];

function inbox() {
  const received: NotificationSendOptions[] = [];
  const service: NotificationService = {
    async send(options) {
      received.push(options);
    },
  };
  return { service, received };
}

describe.each(databases.eachSupportedId())(
  "Monday's review announced to each team, once per team and week, on %s",
  databaseId => {
    let knex: Knex;
    let other: Knex;
    let sloService: SloService;
    const clock = new FixedClock('2026-12-01T10:00:00Z');

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      other = databaseId.startsWith('POSTGRES')
        ? knexFactory({
            client: knex.client.config.client,
            connection: knex.client.config.connection,
          })
        : knex;
      const store = await SloStore.fromKnex(knex);
      sloService = new SloService({
        catalog: catalogServiceMock(),
        auth: mockServices.auth(),
        urlReader: mockServices.urlReader.mock(),
        store,
        logger: mockServices.logger.mock(),
        backfillDays: 0,
        now: () => clock.now(),
      });
      // Last week's review: an open action item on card authorisation, a closed one, a plain note.
      const [cardKey, fxKey] = STATUSES.map(s => s.key);
      await sloService.addNote(
        LAST_WEEK,
        {
          sloKey: cardKey,
          kind: 'action',
          text: 'Raise the scheme connection pool',
          owner: 'user:default/amara.okafor',
        },
        'user:default/tomasz.nowak',
      );
      const closed = await sloService.addNote(
        LAST_WEEK,
        { sloKey: cardKey, kind: 'action', text: 'Page the scheme' },
        'user:default/tomasz.nowak',
      );
      await sloService.setNoteDone(closed.id, true);
      await sloService.addNote(
        LAST_WEEK,
        { sloKey: fxKey, kind: 'note', text: 'Quiet week' },
        'user:default/elena.popescu',
      );
      clock.set('2026-12-07T07:00:00Z');
      await store.saveEvaluation({
        statuses: STATUSES.map(s => ({
          status: s,
          yaml: '',
          breached: s.burn.status === 'page' || s.budget!.exhausted,
        })),
        problems: [],
        day: WEEK,
        queries: 0,
        startedAt: clock.now(),
        finishedAt: clock.now(),
      });
      // This week: an open action item on FX.
      await sloService.addNote(
        WEEK,
        { sloKey: fxKey, kind: 'action', text: 'Cache the rates feed' },
        'user:default/elena.popescu',
      );
    });
    afterAll(async () => {
      if (other !== knex) await other.destroy();
    });
    afterEach(async () => {
      await knex('slo_review_announcements').delete();
    });

    const announcer = (
      client: Knex,
      notifications: NotificationService,
      when = LONDON,
    ) =>
      new ReviewAnnouncer({
        reviews: sloService.reviews,
        episodes: new NotificationEpisodes(client),
        notifications,
        logger: mockServices.logger.mock(),
        now: () => clock.now(),
        when,
      });

    it('tells each team on Monday from the time of day, with its SLOs and open action items, once', async () => {
      const told = inbox();
      clock.set('2026-12-07T09:30:00Z'); // 09:30 in London in December
      const [first, second] = await Promise.all([
        announcer(knex, told.service).run(),
        announcer(other, told.service).run(),
      ]);
      const rerun = await announcer(knex, told.service).run();

      expect([...first.sent, ...second.sent].sort()).toEqual([
        CARD,
        FX,
        LEDGER,
      ]);
      expect(rerun).toEqual({ week: WEEK, sent: [], failed: [] });
      const byTeam = new Map(
        told.received.map(n => [
          (n.recipients as { entityRef: string }).entityRef,
          n.payload,
        ]),
      );
      expect(told.received).toHaveLength(3);
      expect(byTeam.get(CARD)).toEqual({
        title: 'SLO review, week of 2026-12-07: 1 SLO, 1 open action item',
        description:
          'SLOs: card-availability: 60% budget left, burn page. Open action items: "Raise the scheme connection pool" (owner user:default/amara.okafor). Review the week and sign off your team\'s section.',
        link: '/slo/review/2026-12-07',
        severity: 'high',
        topic: 'SLO weekly review',
        scope: `slo-review:${CARD}:${WEEK}`,
      });
      expect(byTeam.get(FX)).toMatchObject({
        title: 'SLO review, week of 2026-12-07: 1 SLO, 1 open action item',
        description: expect.stringContaining(
          'fx-availability: 0% budget left (exhausted), burn ok. Open action items: "Cache the rates feed".',
        ),
      });
      expect(byTeam.get(LEDGER)).toMatchObject({
        title: 'SLO review, week of 2026-12-07: 1 SLO, 0 open action items',
        severity: 'normal',
      });
      expect(await new NotificationEpisodes(knex).announced(WEEK)).toEqual([
        CARD,
        FX,
        LEDGER,
      ]);
    });

    it('tells nobody before the time on Monday, nor on Tuesday', async () => {
      const told = inbox();
      for (const at of ['2026-12-07T08:59:00Z', '2026-12-08T09:30:00Z']) {
        clock.set(at);
        expect(await announcer(knex, told.service).run()).toEqual({
          sent: [],
          failed: [],
        });
      }
      expect(told.received).toEqual([]);
    });

    it('reads the time of day in the configured time zone', async () => {
      const told = inbox();
      const newYork = announcementTime('09:00', 'America/New_York');
      clock.set('2026-12-07T13:30:00Z'); // 08:30 in New York
      expect((await announcer(knex, told.service, newYork).run()).sent).toEqual(
        [],
      );
      clock.set('2026-12-07T14:05:00Z'); // 09:05 in New York
      expect(
        (await announcer(knex, told.service, newYork).run()).sent,
      ).toHaveLength(3);
    });
  },
);

describe('announcement time config', () => {
  it('names the key and the fix for a wrong time or time zone', () => {
    expect(() => announcementTime('9am', undefined)).toThrow(
      "Invalid config slo.review.announceAt: '9am' must be a 24-hour time of day HH:MM, e.g. 09:00",
    );
    expect(() => announcementTime(undefined, 'Mars/Olympus')).toThrow(
      "Invalid config slo.review.timeZone: 'Mars/Olympus' is not an IANA time zone; use a name such as Europe/London or UTC",
    );
    expect(announcementTime(undefined, undefined)).toEqual({
      at: '09:00',
      timeZone: 'UTC',
    });
  });
});
