import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { FailoverDrill } from '@internal/dr-readiness-common';
import { DrStore } from './DrStore';

const databases = TestDatabases.create({
  ids: ['POSTGRES_18', 'POSTGRES_15', 'SQLITE_3'],
});
const migrations = {
  directory: resolvePackagePath('@internal/dr-readiness-backend', 'migrations'),
  tableName: 'dr_knex_migrations',
};

const LEDGER = 'component:default/ledger-writer';
const FX = 'component:default/fx-rates-service';

const drill = (
  entityRef: string,
  endedAt: string,
  overrides: Partial<FailoverDrill> = {},
): Omit<FailoverDrill, 'id'> => ({
  entityRef,
  kind: 'region-failover',
  startedAt: new Date(Date.parse(endedAt) - 12 * 60_000).toISOString(),
  endedAt,
  durationMinutes: 12,
  outcome: 'succeeded',
  recordedBy: 'user:default/maya.cohen',
  recordedAt: '2027-03-02T09:00:00.000Z',
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'the drill store on %s',
  databaseId => {
    it('records drills with who recorded them and lists them per service, newest end first', async () => {
      const store = await DrStore.fromKnex(await databases.init(databaseId));
      const older = await store.addDrill(
        drill(LEDGER, '2027-01-10T10:12:00.000Z', {
          kind: 'aurora-global-failover',
          outcome: 'failed',
          durationMinutes: 47,
          notes: 'Writer did not promote; runbook step 4 fixed',
          link: 'https://runbooks.example.com/drills/412',
        }),
      );
      const newer = await store.addDrill(
        drill(LEDGER, '2027-03-01T10:12:00.000Z'),
      );
      await store.addDrill(drill(FX, '2027-02-01T10:00:00.000Z'));

      expect(await store.drills([LEDGER])).toEqual([newer, older]);
      expect(older).toMatchObject({
        id: expect.any(String),
        entityRef: LEDGER,
        kind: 'aurora-global-failover',
        outcome: 'failed',
        durationMinutes: 47,
        notes: 'Writer did not promote; runbook step 4 fixed',
        link: 'https://runbooks.example.com/drills/412',
        recordedBy: 'user:default/maya.cohen',
      });
      expect(newer.notes).toBeUndefined();
      expect((await store.drills()).map(d => d.entityRef)).toEqual([
        LEDGER,
        FX,
        LEDGER,
      ]);
      expect(await store.drills([])).toEqual([]);
    });

    it('adds the drills table to a store migrated before drills existed, keeping its waivers', async () => {
      const knex = await databases.init(databaseId);
      // The schema as of 20261208_waiver_approval, with a waiver in it.
      for (let i = 0; i < 5; i++) await knex.migrate.up(migrations);
      expect(await knex.schema.hasTable('dr_drills')).toBe(false);
      await knex('dr_waivers').insert({
        id: 'w-1',
        entity_ref: LEDGER,
        control_id: 'dynamodb-pitr',
        reason: 'Journal replay covers it until PITR lands.',
        approver: 'user:default/oliver.grant',
        approved_at: '2027-03-01T00:00:00.000Z',
        expires_at: '2027-04-01T00:00:00.000Z',
        created_by: 'user:default/maya.cohen',
        created_at: '2027-03-01T00:00:00.000Z',
      });
      const store = await DrStore.fromKnex(knex);
      await store.addDrill(drill(LEDGER, '2027-03-01T10:12:00.000Z'));
      expect(await store.drills([LEDGER])).toHaveLength(1);
      expect((await store.waivers()).map(w => w.id)).toEqual(['w-1']);
    });
  },
);
