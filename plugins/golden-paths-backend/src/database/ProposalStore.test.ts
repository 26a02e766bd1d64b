import { TestDatabases } from '@backstage/backend-test-utils';
import { ProposalStore, type StoredProposal } from './ProposalStore';

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

function proposal(
  id: string,
  entityRef: string,
  createdAt: string,
  extra: Partial<StoredProposal> = {},
): StoredProposal {
  return {
    id,
    entityRef,
    kind: 'upgrade',
    title: `Upgrade ${entityRef}`,
    template: 'payment-service',
    fromVersion: '1.2.0',
    toVersion: '1.3.0',
    target: 'local',
    branch: `golden-path/upgrade-1.3.0-${id}`,
    status: 'proposed',
    files: [
      {
        path: 'Makefile',
        outcome: 'conflict',
        conflict: 'content',
        patch: '@@ -1 +1 @@',
      },
    ],
    conflicts: 1,
    answers: { name: 'refund-service', pciScope: false, tags: ['a'] },
    createdBy: 'user:default/jo',
    createdAt,
    baseCommit: 'b'.repeat(40),
    headCommit: 'c'.repeat(40),
    ...extra,
  };
}

describe.each(databases.eachSupportedId())(
  'the proposal store on %s',
  databaseId => {
    it('keeps proposals whole, newest first per service, and picks the newest (and newest merged) of each', async () => {
      const store = await ProposalStore.fromKnex(
        await databases.init(databaseId),
      );
      const refund = 'component:default/refund-service';
      const payout = 'component:default/payout-service';
      const first = proposal('p1', refund, '2026-12-07T10:00:00.000Z');
      await store.insert(first);
      await store.insert(
        proposal('p2', refund, '2026-12-07T11:00:00.000Z', {
          toVersion: '1.4.0',
        }),
      );
      await store.insert(proposal('p3', payout, '2026-12-07T09:00:00.000Z'));

      expect(await store.get('p1')).toEqual(first);
      expect((await store.forEntity(refund)).map(p => p.id)).toEqual([
        'p2',
        'p1',
      ]);
      expect((await store.openFor(refund)).map(p => p.id)).toEqual([
        'p2',
        'p1',
      ]);

      await store.update('p1', {
        status: 'merged',
        mergedAt: '2026-12-07T12:00:00.000Z',
        conflicts: 0,
        files: [],
      });
      await store.update('p2', {
        status: 'closed',
        problem: 'Closed by user:default/jo',
      });
      const newest = await store.newestPerEntity();
      expect(newest.get(refund)).toMatchObject({
        id: 'p2',
        status: 'closed',
        toVersion: '1.4.0',
      });
      expect(newest.get(payout)).toMatchObject({
        id: 'p3',
        status: 'proposed',
        conflicts: 1,
      });
      expect(await store.newestMergedPerEntity()).toEqual(
        new Map([[refund, '1.3.0']]),
      );
      expect(await store.get('p1')).toMatchObject({
        status: 'merged',
        conflicts: 0,
        files: [],
      });
      expect(await store.openFor(refund)).toEqual([]);
      await expect(store.get('nope')).rejects.toThrow(
        "No proposal with id 'nope'",
      );
      await expect(store.update('nope', { status: 'closed' })).rejects.toThrow(
        "No proposal with id 'nope'",
      );
    });
  },
);
