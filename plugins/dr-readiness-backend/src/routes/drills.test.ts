import {
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import {
  drDrillCreatePermission,
  type DrillListResponse,
  type FailoverDrill,
  type ServiceDetailResponse,
} from '@internal/dr-readiness-common';
import express from 'express';
import request from 'supertest';
import { drStack, runningClock } from '../__testUtils__/fixtures';
import { createRouter } from '../router';

const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
const LEDGER = '/services/default/ledger-writer';
const RUNNER = 'user:default/sam.ops';

describe('the failover drill API', () => {
  let aws: AwsLocal;
  let stack: Awaited<ReturnType<typeof drStack>>;
  const now = runningClock('2027-03-01T00:20:00Z');

  beforeAll(async () => {
    aws = await startAwsLocal({ now });
    stack = await drStack(aws, await sqlite.init('SQLITE_3'), { now });
  }, 60_000);

  afterAll(async () => {
    await aws?.close();
  });

  /** The API as RUNNER, who may read everything and record drills unless `recorder` is false. */
  async function appFor({ recorder }: { recorder: boolean }) {
    const app = express();
    app.use(
      await createRouter({
        reader: stack.reader,
        scanner: stack.scanner,
        store: stack.store,
        settings: stack.settings,
        httpAuth: mockServices.httpAuth(),
        userInfo: mockServices.userInfo({
          userEntityRef: RUNNER,
          ownershipEntityRefs: [RUNNER],
        }),
        permissions: mockServices.permissions.mock({
          authorizeConditional: async requests =>
            requests.map(r => ({
              result:
                !recorder && r.permission.name === drDrillCreatePermission.name
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }),
        now,
      }),
    );
    app.use(mockErrorHandler());
    return app;
  }

  // One instant per test: two readings of the running clock are milliseconds apart, and a
  // duration is rounded up to the minute.
  let base = 0;
  beforeEach(() => {
    base = now().getTime();
  });
  const minutesAgo = (minutes: number) =>
    new Date(base - minutes * 60_000).toISOString();

  it('records a drill as the signed-in user (201), lists it, and shows it as the measured RTO', async () => {
    const app = await appFor({ recorder: true });
    const created: FailoverDrill = (
      await request(app)
        .post(`${LEDGER}/drills`)
        .send({
          kind: 'aurora-global-failover',
          startedAt: minutesAgo(60 * 24 + 14),
          endedAt: minutesAgo(60 * 24),
          outcome: 'succeeded',
          notes: 'Switchover to eu-west-1',
          link: 'https://runbooks.example.com/drills/1',
        })
        .expect(201)
    ).body;
    expect(created).toMatchObject({
      entityRef: 'component:default/ledger-writer',
      kind: 'aurora-global-failover',
      durationMinutes: 14,
      outcome: 'succeeded',
      recordedBy: RUNNER,
    });

    const list: DrillListResponse = (
      await request(app).get(`${LEDGER}/drills`).expect(200)
    ).body;
    expect(list.drills).toEqual([created]);

    const detail: ServiceDetailResponse = (
      await request(app).get(LEDGER).expect(200)
    ).body;
    expect(detail.measuredRto).toEqual({
      rtoMinutes: 15,
      drillWithinDays: 90,
      drillsRecorded: 1,
      drill: created,
      ageDays: 1,
      withinRto: true,
      withinWindow: true,
    });
  });

  it('never takes who ran the drill from the body', async () => {
    const app = await appFor({ recorder: true });
    const { body } = await request(app)
      .post(`${LEDGER}/drills`)
      .send({
        kind: 'region-failover',
        startedAt: minutesAgo(30),
        endedAt: minutesAgo(10),
        outcome: 'succeeded',
        recordedBy: 'user:default/someone.else',
      })
      .expect(400);
    expect(body.error.message).toContain(
      'recordedBy cannot be given: the signed-in user who records the drill is recorded as who ran it',
    );
  });

  it('answers 400 naming every bad field and its fix in one message', async () => {
    const app = await appFor({ recorder: true });
    const { body } = await request(app)
      .post(`${LEDGER}/drills`)
      .send({
        kind: 'chaos-monkey',
        startedAt: minutesAgo(10),
        endedAt: minutesAgo(30),
        outcome: 'mostly',
        colour: 'red',
      })
      .expect(400);
    const message: string = body.error.message;
    expect(message).toMatch(/^Invalid drill: /);
    expect(message).toContain('kind must be one of region-failover');
    expect(message).toContain('outcome must be one of succeeded, failed');
    expect(message).toContain('unknown field colour');
    expect(message).toContain('endedAt must be after startedAt');
  });

  it('answers 400 for a drill in the future (by the injected clock) and one of absurd length', async () => {
    const app = await appFor({ recorder: true });
    const future = (
      await request(app)
        .post(`${LEDGER}/drills`)
        .send({
          kind: 'region-failover',
          startedAt: minutesAgo(10),
          endedAt: minutesAgo(-60),
          outcome: 'succeeded',
        })
        .expect(400)
    ).body.error.message;
    expect(future).toContain(
      `endedAt is in the future (now is 2027-03-01T00:2`,
    );
    const absurd = (
      await request(app)
        .post(`${LEDGER}/drills`)
        .send({
          kind: 'region-failover',
          startedAt: minutesAgo(60 * 24 * 40),
          endedAt: minutesAgo(10),
          outcome: 'succeeded',
        })
        .expect(400)
    ).body.error.message;
    expect(absurd).toContain('endedAt is 40 days after startedAt');
    const noTimes = (
      await request(app)
        .post(`${LEDGER}/drills`)
        .send({
          kind: 'region-failover',
          outcome: 'failed',
          startedAt: 'last Tuesday',
        })
        .expect(400)
    ).body.error.message;
    expect(noTimes).toContain('startedAt is required: when the drill started');
    expect(noTimes).toContain('endedAt is required: when the drill ended');
  });

  it('answers 400 naming the service when it is not a Component with a DR tier', async () => {
    const app = await appFor({ recorder: true });
    const { body } = await request(app)
      .post('/services/default/no-such-service/drills')
      .send({
        kind: 'region-failover',
        startedAt: minutesAgo(30),
        endedAt: minutesAgo(10),
        outcome: 'succeeded',
      })
      .expect(400);
    expect(body.error.message).toContain(
      'service component:default/no-such-service is not a Component with the payments-platform/dr-tier annotation',
    );
  });

  it('answers 403 naming dr.drill.create to a user without it, and records nothing', async () => {
    const app = await appFor({ recorder: false });
    const before = (await stack.store.drills()).length;
    const { body } = await request(app)
      .post(`${LEDGER}/drills`)
      .send({
        kind: 'region-failover',
        startedAt: minutesAgo(30),
        endedAt: minutesAgo(10),
        outcome: 'succeeded',
      })
      .expect(403);
    expect(body.error.message).toBe(
      'You need the dr.drill.create permission on component:default/ledger-writer to record its failover drills',
    );
    expect(await stack.store.drills()).toHaveLength(before);
    // Reading them needs dr.read only.
    await request(app).get(`${LEDGER}/drills`).expect(200);
  });

  it('counts a recorded drill in failover-drill-within-rto from the next scan', async () => {
    await stack.scanner.scanAll();
    const detail = await stack.reader.detail('component:default/ledger-writer');
    const result = detail.results.find(
      r => r.controlId === 'failover-drill-within-rto',
    )!;
    expect(result.status).toBe('pass');
    expect(result.summary).toContain(`run by ${RUNNER}`);
    const fx = await stack.reader.detail('component:default/fx-quote-engine');
    expect(
      fx.results.find(r => r.controlId === 'failover-drill-within-rto'),
    ).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining(
        'No failover drill recorded for fx-quote-engine',
      ),
    });
  }, 60_000);
});
