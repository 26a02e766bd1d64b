import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { AwsLocal, startAwsLocal } from '@internal/aws-local';
import { MONTHLY_BUDGET_ANNOTATION } from '@internal/cost-common';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import {
  AS_OF,
  costStack,
  NOW,
  organizationSource,
} from '../__testUtils__/fixtures';
import { NotificationLog } from '../database/NotificationLog';
import { OwnerNotifier } from './OwnerNotifier';

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

/** The demo catalog's FX budget, as catalog/products/fx.yaml annotates the System. */
const FX_BUDGET = fs
  .readFileSync(
    path.resolve(__dirname, '../../../../catalog/products/fx.yaml'),
    'utf8',
  )
  .match(new RegExp(`${MONTHLY_BUDGET_ANNOTATION}: '(\\d+)'`))![1];

/** The notifications service as the backend's notifications plugin receives it, or failing. */
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

describe.each(databases.eachSupportedId())(
  'owners told of budget crossings and anomalies, once per cluster, on %s',
  databaseId => {
    let aws: AwsLocal;
    let knex: Knex;
    let other: Knex;
    let stack: Awaited<ReturnType<typeof costStack>>;

    beforeAll(async () => {
      aws = await startAwsLocal({ asOf: AS_OF });
      knex = await databases.init(databaseId);
      // A second replica has its own connection pool on PostgreSQL (in-memory SQLite is one connection).
      other = databaseId.startsWith('POSTGRES')
        ? knexFactory({
            client: knex.client.config.client,
            connection: knex.client.config.connection,
          })
        : knex;
      stack = await costStack(aws, knex, [organizationSource(aws)]);
      stack.directory.systems.get('fx')!.budgetAnnotation = FX_BUDGET;
      await stack.refresh.refreshUsage();
      await stack.refresh.refreshForecast();
      await stack.refresh.refreshAnomalies();
    });
    afterAll(async () => {
      if (other !== knex) await other.destroy();
      await aws.close();
    });
    afterEach(async () => {
      await knex('cost_notifications_sent').delete();
    });

    const replica = (client: Knex, inbox: NotificationService) =>
      new OwnerNotifier({
        reader: stack.reader,
        log: new NotificationLog(client),
        notifications: inbox,
        logger: mockServices.logger.mock(),
        now: NOW,
      });

    it('tells the owning team once, with a link to the product page, however many replicas and re-runs', async () => {
      const inbox = notificationsInbox();
      const [first, second] = await Promise.all([
        replica(knex, inbox.service).run(),
        replica(other, inbox.service).run(),
      ]);
      const rerun = await replica(knex, inbox.service).run();

      const month = AS_OF.slice(0, 7);
      const budget = inbox.received.filter(
        n => n.payload.topic === 'Cost budget',
      );
      expect(budget).toEqual([
        {
          recipients: { type: 'entity', entityRef: 'group:default/fx-team' },
          payload: expect.objectContaining({
            link: '/cost/products/fx',
            severity: 'high',
            scope: `budget:fx:${month}`,
            title: expect.stringMatching(
              /^Fx is forecast over its November 2026 budget \(\d+(\.\d)?%\)$/,
            ),
            description: expect.stringMatching(
              new RegExp(
                `budget of USD ${Number(FX_BUDGET).toLocaleString(
                  'en-US',
                )}; it crossed the budget on ${month}-\\d\\d\\.$`,
              ),
            ),
          }),
        },
      ]);
      const anomalies = await stack.reader.anomalies();
      const walletAnomalies = anomalies.filter(a =>
        a.products.includes('wallet'),
      );
      expect(walletAnomalies).not.toEqual([]);
      expect(
        inbox.received
          .filter(n => n.payload.topic === 'Cost anomaly')
          .map(n => [n.recipients, n.payload.link, n.payload.scope]),
      ).toEqual(
        walletAnomalies.map(a => [
          { type: 'entity', entityRef: 'group:default/wallet-team' },
          '/cost/products/wallet',
          `anomaly:${a.id}:wallet`,
        ]),
      );
      // Each notification went out once: split between the two replicas, none on the re-run.
      const keys = inbox.received.map(n => n.payload.scope);
      expect(new Set(keys).size).toBe(keys.length);
      expect([...first.sent, ...second.sent].sort()).toEqual([...keys].sort());
      expect(first.alreadySent + second.alreadySent).toBe(keys.length);
      expect(rerun).toEqual({ sent: [], alreadySent: keys.length, failed: [] });
      expect(
        (await new NotificationLog(knex).sent()).map(s => s.key).sort(),
      ).toEqual([...keys].sort());
    });

    it('sends on the next run what the notifications backend failed to take', async () => {
      const inbox = notificationsInbox();
      inbox.fail(true);
      const failed = await replica(knex, inbox.service).run();
      expect(failed.sent).toEqual([]);
      expect(failed.failed).toContain(`budget:fx:${AS_OF.slice(0, 7)}`);
      expect(await new NotificationLog(knex).sent()).toEqual([]);

      inbox.fail(false);
      const retried = await replica(other, inbox.service).run();
      expect(retried.sent.sort()).toEqual([...failed.failed].sort());
      expect(inbox.received.map(n => n.payload.scope).sort()).toEqual(
        [...failed.failed].sort(),
      );
    });
  },
);
