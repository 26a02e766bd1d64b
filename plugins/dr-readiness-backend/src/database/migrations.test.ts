import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { DrStore } from './DrStore';

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
const migrations = {
  directory: resolvePackagePath('@internal/dr-readiness-backend', 'migrations'),
  tableName: 'dr_knex_migrations',
};

describe.each(databases.eachSupportedId())(
  'the DR store upgraded on %s',
  databaseId => {
    it('keeps a waiver recorded before approvals existed counting, approved by the approver it names', async () => {
      const knex = await databases.init(databaseId);
      // The schema as of 20261206_catch_up_scans, with a waiver recorded by a DR approver then.
      for (let i = 0; i < 3; i++) await knex.migrate.up(migrations);
      await knex('dr_waivers').insert({
        id: 'legacy-1',
        entity_ref: 'component:default/card-tokenisation-vault',
        control_id: 'dynamodb-pitr',
        reason: 'Journal replay covers the vault until PITR lands in Q1.',
        approver: 'user:default/oliver.grant',
        expires_at: '2027-04-01T00:00:00.000Z',
        created_by: 'user:default/maya.cohen',
        created_at: '2027-03-01T00:20:00.000Z',
      });

      const store = await DrStore.fromKnex(knex);
      expect(await store.waivers()).toEqual([
        expect.objectContaining({
          id: 'legacy-1',
          status: 'approved',
          approver: 'user:default/oliver.grant',
          approvedAt: '2027-03-01T00:20:00.000Z',
          createdBy: 'user:default/maya.cohen',
        }),
      ]);
      // New requests have no approver until one approves them.
      const requested = await store.addWaiver({
        entityRef: 'component:default/card-tokenisation-vault',
        controlId: 'kms-multi-region',
        reason: 'Multi-Region key migration with the Q1 HSM change.',
        status: 'requested',
        expiresAt: '2027-04-01T00:00:00.000Z',
        createdBy: 'user:default/maya.cohen',
        createdAt: '2027-03-02T00:00:00.000Z',
      });
      expect(requested).toMatchObject({ status: 'requested' });
      expect(requested.approver).toBeUndefined();
    });
  },
);
