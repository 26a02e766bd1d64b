import {
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FixedClock } from '@internal/platform-node';
import express from 'express';
import request from 'supertest';
import { SloStore } from './database/SloStore';
import { createRouter } from './router';
import { SloService } from './service/SloService';
import { PrometheusSource } from './sources/PrometheusSource';

const REPO = resolvePackagePath('@internal/slo-backend', '../..');
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
const KEY = 'component:default/ledger-writer#ledger-writes-availability';
const TEAM = 'group:default/ledger-team';

/** A Wednesday: this week is 2027-03-15, last week 2027-03-08, next week 2027-03-22. */
const clock = new FixedClock('2027-03-17T15:30:00Z');
const now = () => clock.now();

const ledgerWriter = {
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
};

describe.each(databases.eachSupportedId())(
  'the SLO review workflow: corrections, action items carried over, sign-offs, on %s',
  databaseId => {
    let service: SloService;

    beforeEach(async () => {
      clock.set('2027-03-17T15:30:00Z');
      const store = await SloStore.fromKnex(await databases.init(databaseId));
      service = new SloService({
        catalog: catalogServiceMock({ entities: [ledgerWriter as any] }),
        auth: mockServices.auth(),
        urlReader: mockServices.urlReader.mock(),
        store,
        // Nothing listens here: statuses are "no data", which is all the review workflow needs.
        prometheus: new PrometheusSource('http://127.0.0.1:9', {
          timeoutMs: 2000,
          concurrency: 2,
        }),
        logger: mockServices.logger.mock(),
        backfillDays: 0,
        now,
      });
      await service.evaluateAll();
      // Snapshots in the weeks around this one, so each week's review has the SLO's line.
      const statuses = await store.latestStatuses();
      for (const day of [
        '2027-03-09',
        '2027-03-23',
        '2027-03-30',
        '2027-04-06',
      ])
        await store.backfillSnapshots(
          day,
          statuses.map(status => ({ status, breached: false })),
        );
    });

    /** The API for a user: `mayReview` is what the policy answers (owners of the SLO, reviewers). */
    async function appFor(options: {
      user: string;
      groups?: string[];
      mayReview: boolean;
    }) {
      const app = express();
      app.use(
        await createRouter({
          service,
          httpAuth: mockServices.httpAuth({
            defaultCredentials: {
              $$type: '@backstage/BackstageCredentials',
              principal: { type: 'user', userEntityRef: options.user },
            } as any,
          }),
          userInfo: mockServices.userInfo({
            userEntityRef: options.user,
            ownershipEntityRefs: [options.user, ...(options.groups ?? [])],
          }),
          permissions: mockServices.permissions.mock({
            authorize: async requests =>
              requests.map(() => ({
                result: options.mayReview
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
              })),
          }),
          now,
        }),
      );
      app.use(mockErrorHandler());
      return app;
    }

    const owner = () =>
      appFor({ user: 'user:default/ada', groups: [TEAM], mayReview: true });
    const outsider = () =>
      appFor({ user: 'user:default/eve', groups: [], mayReview: false });
    const lineOf = (review: any) =>
      review.groups
        .flatMap((g: any) => g.lines)
        .find((l: any) => l.slo.key === KEY);

    it('records a correction by the signed-in user, lists it in the week and the rules, and revokes it keeping the record', async () => {
      const app = await owner();
      const created = await request(app)
        .post('/corrections')
        .send({
          sloKey: KEY,
          from: '2027-03-16T02:00:00Z',
          to: '2027-03-16T03:30:00+00:00',
          category: 'maintenance',
          reason: 'Database failover drill, announced',
        })
        .expect(201);
      expect(created.body).toMatchObject({
        sloKey: KEY,
        from: '2027-03-16T02:00:00.000Z',
        to: '2027-03-16T03:30:00.000Z',
        category: 'maintenance',
        author: 'user:default/ada',
        createdAt: '2027-03-17T15:30:00.000Z',
      });
      // The author is who is signed in, never a field of the request.
      const forged = await request(app)
        .post('/corrections')
        .send({
          sloKey: KEY,
          from: '2027-03-16T02:00:00Z',
          to: '2027-03-16T03:00:00Z',
          category: 'other',
          reason: 'x',
          author: 'user:default/someone-else',
        })
        .expect(400);
      expect(forged.body.error.message).toMatch(/author/);

      const week = (await request(app).get('/reviews/2027-03-15').expect(200))
        .body;
      expect(lineOf(week).corrections).toEqual([created.body]);
      expect(
        lineOf((await request(app).get('/reviews/2027-03-08').expect(200)).body)
          .corrections,
      ).toEqual([]);

      const rules = await request(app)
        .get('/rules')
        .query({ entityRef: 'component:default/ledger-writer' })
        .expect(200);
      expect(rules.text).toContain('cannot leave a past range out');
      expect(rules.text).toContain(
        `amtool silence add alertname=SloErrorBudgetBurn slo="ledger-writes-availability" service="ledger-writer" --start=2027-03-16T02:00:00.000Z --end=2027-03-16T03:30:00.000Z`,
      );

      clock.set('2027-03-17T16:00:00Z');
      const revoked = await request(app)
        .delete(`/corrections/${created.body.id}`)
        .expect(200);
      expect(revoked.body).toMatchObject({
        id: created.body.id,
        revokedBy: 'user:default/ada',
        revokedAt: '2027-03-17T16:00:00.000Z',
      });
      const listed = await request(app)
        .get('/corrections')
        .query({ sloKey: KEY })
        .expect(200);
      expect(listed.body.corrections).toEqual([revoked.body]);
      expect(
        lineOf((await request(app).get('/reviews/2027-03-15').expect(200)).body)
          .corrections,
      ).toEqual([]);
      expect((await request(app).get('/rules').expect(200)).text).not.toContain(
        'amtool',
      );
    });

    it('names the bad field of a correction, and refuses it to someone who is neither owner nor reviewer', async () => {
      const app = await owner();
      const refusal = async (body: object) =>
        (
          await request(app)
            .post('/corrections')
            .send({
              sloKey: KEY,
              from: '2027-03-16T02:00:00Z',
              to: '2027-03-16T03:00:00Z',
              category: 'maintenance',
              reason: 'Failover',
              ...body,
            })
            .expect(400)
        ).body.error.message;
      expect(await refusal({ category: 'holiday', reason: '' })).toBe(
        'Invalid correction: category must be one of maintenance, provider, other; reason is required: why the range is left out of the budget',
      );
      expect(await refusal({ from: '2027-03-16' })).toBe(
        "Invalid correction: from '2027-03-16' is not a time; write an ISO time with its zone, e.g. 2026-12-01T02:00:00Z",
      );
      expect(await refusal({ to: '2027-03-16T01:00:00Z' })).toBe(
        'Invalid correction: from (2027-03-16T02:00:00Z) must be before to (2027-03-16T01:00:00Z)',
      );
      expect(
        await refusal({
          from: '2027-04-20T00:00:00Z',
          to: '2027-04-20T02:00:00Z',
        }),
      ).toMatch(
        /^Invalid correction: to \(2027-04-20T02:00:00Z\) is more than 30 days ahead/,
      );
      expect(
        await refusal({
          from: '2027-01-01T00:00:00Z',
          to: '2027-03-01T00:00:00Z',
        }),
      ).toMatch(/longer than the SLO's window \(1M\)/);

      expect(
        (
          await request(app)
            .post('/corrections')
            .send({
              sloKey: 'component:default/ledger-writer#nope',
              from: '2027-03-16T02:00:00Z',
              to: '2027-03-16T03:00:00Z',
              category: 'provider',
              reason: 'x',
            })
            .expect(404)
        ).body.error.message,
      ).toMatch(/No SLO with key/);
      await request(await outsider())
        .post('/corrections')
        .send({
          sloKey: KEY,
          from: '2027-03-16T02:00:00Z',
          to: '2027-03-16T03:00:00Z',
          category: 'provider',
          reason: 'Card scheme outage',
        })
        .expect(403)
        .expect(res =>
          expect(res.body.error.message).toBe(
            'Corrections on component:default/ledger-writer are for its owners and the SLO reviewers',
          ),
        );
    });

    it('carries an open action item over week to week, overdue past its due date, until someone closes it', async () => {
      const app = await owner();
      for (const [due, message] of [
        ['2027-03-16', /due 2027-03-16 is in the past/],
        ['2027-02-30', /due '2027-02-30' is not a day of the calendar/],
      ] as const) {
        expect(
          (
            await request(app)
              .post('/reviews/current/notes')
              .send({
                sloKey: KEY,
                kind: 'action',
                text: 'x',
                owner: TEAM,
                due,
              })
              .expect(400)
          ).body.error.message,
        ).toMatch(message);
      }
      const item = (
        await request(app)
          .post('/reviews/current/notes')
          .send({
            sloKey: KEY,
            kind: 'action',
            text: 'Alert on replication lag',
            owner: TEAM,
            due: '2027-03-29',
          })
          .expect(201)
      ).body;
      expect(item).toMatchObject({ week: '2027-03-15', due: '2027-03-29' });

      // Two weeks later, still open: carried over, and overdue.
      clock.set('2027-03-31T09:00:00Z');
      const later = lineOf(
        (await request(app).get('/reviews/current').expect(200)).body,
      );
      expect(later.notes).toEqual([
        expect.objectContaining({
          id: item.id,
          carriedOverFrom: '2027-03-15',
          overdue: true,
          done: false,
        }),
      ]);
      // The week it fell due after (Monday 29th): carried over, not overdue yet by that Sunday.
      const nextWeek = lineOf(
        (await request(app).get('/reviews/2027-03-22').expect(200)).body,
      );
      expect(nextWeek.notes[0]).toMatchObject({
        carriedOverFrom: '2027-03-15',
      });
      expect(nextWeek.notes[0].overdue).toBeUndefined();

      const closed = await request(app)
        .patch(`/reviews/current/notes/${item.id}`)
        .send({ done: true })
        .expect(200);
      expect(closed.body).toMatchObject({
        done: true,
        closedBy: 'user:default/ada',
        closedAt: '2027-03-31T09:00:00.000Z',
      });
      // Closed this week: shown done this week, open in the weeks before, gone from the weeks after.
      expect(
        lineOf((await request(app).get('/reviews/current').expect(200)).body)
          .notes[0],
      ).toMatchObject({ done: true, carriedOverFrom: '2027-03-15' });
      expect(
        lineOf((await request(app).get('/reviews/2027-03-22').expect(200)).body)
          .notes[0],
      ).toMatchObject({ done: false });
      clock.set('2027-04-07T09:00:00Z');
      expect(
        lineOf((await request(app).get('/reviews/current').expect(200)).body)
          .notes,
      ).toEqual([]);
    });

    it("lets a team member or a reviewer sign off the team's section once, shown in the review and the export", async () => {
      expect(
        (
          await request(await outsider())
            .post('/reviews/current/sign-offs')
            .send({ team: TEAM })
            .expect(403)
        ).body.error.message,
      ).toBe(
        `The section of ${TEAM} is signed off by a member of ${TEAM} or an SLO reviewer`,
      );
      expect(
        (
          await request(await owner())
            .post('/reviews/current/sign-offs')
            .send({ team: 'group:default/fx-team' })
            .expect(404)
        ).body.error.message,
      ).toBe(
        `The review of the week of 2027-03-15 has no section of team 'group:default/fx-team'; its teams are ${TEAM}`,
      );
      // A member of the team, though the policy would not let them write notes.
      const member = await appFor({
        user: 'user:default/ada',
        groups: [TEAM],
        mayReview: false,
      });
      const signed = await request(member)
        .post('/reviews/2027-03-17/sign-offs')
        .send({ team: TEAM })
        .expect(201);
      expect(signed.body).toEqual({
        week: '2027-03-15',
        team: TEAM,
        signedBy: 'user:default/ada',
        signedAt: '2027-03-17T15:30:00.000Z',
      });
      // A reviewer from outside the team: the first sign-off stands.
      const reviewer = await appFor({
        user: 'user:default/rita',
        mayReview: true,
      });
      expect(
        (
          await request(reviewer)
            .post('/reviews/current/sign-offs')
            .send({ team: TEAM })
            .expect(409)
        ).body.error.message,
      ).toBe(
        `The section of ${TEAM} for the week of 2027-03-15 was signed off by user:default/ada at 2027-03-17T15:30:00.000Z; a sign-off stands, one per team and week`,
      );
      const review = (await request(member).get('/reviews/current').expect(200))
        .body;
      expect(review.groups.find((g: any) => g.team === TEAM).signOff).toEqual(
        signed.body,
      );
      // Last week's section is the reviewer's to sign off.
      await request(reviewer)
        .post('/reviews/2027-03-08/sign-offs')
        .send({ team: TEAM })
        .expect(201);
      // Not a future week.
      await request(reviewer)
        .post('/reviews/2027-03-22/sign-offs')
        .send({ team: TEAM })
        .expect(400);
    });

    it('exports per team the sign-off, SLO table, corrections and action items with owner, due and carry-over', async () => {
      const app = await owner();
      await request(app)
        .post('/reviews/current/notes')
        .send({
          sloKey: KEY,
          kind: 'action',
          text: 'Alert on replication lag',
          owner: TEAM,
          due: '2027-03-19',
        })
        .expect(201);
      clock.set('2027-03-23T10:00:00Z');
      await request(app)
        .post('/corrections')
        .send({
          sloKey: KEY,
          from: '2027-03-22T22:00:00Z',
          to: '2027-03-23T00:00:00Z',
          category: 'provider',
          reason: 'Cloud region | outage',
        })
        .expect(201);
      await request(app)
        .post('/reviews/current/sign-offs')
        .send({ team: TEAM })
        .expect(201);
      const markdown = (
        await request(app)
          .get('/reviews/current/export.md')
          .query({ team: TEAM })
          .expect(200)
      ).text;
      const lines = markdown.split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          '# SLO review, week of 2027-03-22',
          '## ledger - ledger-team',
          'Signed off by user:default/ada, 2027-03-23 10:00 UTC',
          '- Ledger writes availability: 2027-03-22 22:00 to 2027-03-23 00:00 UTC, provider: Cloud region \\| outage - user:default/ada',
          '- [ ] Action on Ledger writes availability: Alert on replication lag (owner: group:default/ledger-team, due: 2027-03-19, carried over from 2027-03-15, **overdue**) - user:default/ada, 2027-03-17 15:30',
        ]),
      );
      expect(
        (
          await request(app)
            .get('/reviews/current/export.md')
            .query({ team: 'group:default/fx-team' })
            .expect(200)
        ).text,
      ).toBe(
        "# SLO review, week of 2027-03-22\n\nNo SLOs of group:default/fx-team in this week's review.\n",
      );
    });
  },
);
