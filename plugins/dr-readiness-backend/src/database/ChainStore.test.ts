import { TestDatabases } from '@backstage/backend-test-utils';
import type {
  ApiCallRecord,
  CheckStatus,
  ControlResult,
  EvidencePack,
} from '@internal/dr-readiness-common';
import {
  evidenceHash,
  resultEvidence,
  verifyEvidencePack,
} from '@internal/dr-readiness-node';
import { DrStore } from './DrStore';
import { callsOfScans, parseResult } from './scanCalls';

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

const SERVICES = [
  'component:default/ledger-writer',
  'component:default/wallet-api',
];
const CONTROLS = ['rds-multi-az', 'dynamodb-pitr', 's3-versioning'];

/**
 * One scan's results as the scanner stores them: each hashed over its evidence document, each
 * citing the vault listing every result shares (and an equal copy of it) and a call of its own.
 */
function scanResults(scanId: string, scannedAt: string, status: CheckStatus) {
  const call = (operation: string, requestId: string): ApiCallRecord => ({
    service: 'backup',
    operation,
    accountId: '318402765190',
    region: 'eu-west-2',
    at: scannedAt,
    requestId,
  });
  const shared = call('ListRecoveryPointsByBackupVault', `${scanId}-vault`);
  const results = SERVICES.flatMap(entityRef =>
    CONTROLS.map(controlId => {
      const result: ControlResult = {
        controlId,
        status,
        summary: `${controlId} ${status}`,
        resources: [],
        facts: { tier: 'tier-0', entityRef },
        calls: [
          shared,
          call('ListProtectedResources', `${scanId}-${entityRef}-${controlId}`),
          { ...shared, reused: true },
          { ...shared },
        ],
      };
      const document = resultEvidence({
        entityRef,
        tier: 'tier-0',
        result,
        scanId,
        scannedAt,
      });
      return {
        scanId,
        entityRef,
        result,
        evidenceHash: evidenceHash(document),
        scannedAt,
      };
    }),
  );
  const scores = SERVICES.map(entityRef => ({
    scanId,
    entityRef,
    tier: 'tier-0',
    scannedAt,
    score: {
      score: 1,
      level: 'ready' as const,
      reasons: [],
      weights: {
        passed: 1,
        failed: 0,
        errored: 0,
        waived: 0,
        notApplicable: 0,
      },
      incomplete: false,
    },
  }));
  return { results, scores };
}

describe.each(databases.eachSupportedId())(
  'the evidence chain on %s',
  databaseId => {
    async function threeScans() {
      const knex = await databases.init(databaseId);
      const store = await DrStore.fromKnex(knex);
      const ids: string[] = [];
      for (const [day, status] of [
        ['01', 'pass'],
        ['02', 'fail'],
        ['03', 'pass'],
      ] as const) {
        const at = new Date(`2027-03-${day}T00:20:00.000Z`);
        const scanId = await store.startScan({
          trigger: 'scheduled',
          startedAt: at,
        });
        await store.completeScan({
          scanId,
          finishedAt: new Date(at.getTime() + 60_000),
          calls: {},
          resourcesScanned: 0,
          gaps: [],
          ...scanResults(scanId, at.toISOString(), status),
        });
        ids.push(scanId);
      }
      return { knex, store, ids };
    }

    it("stores a scan's cited calls once each, and reads every result back with its calls as they were", async () => {
      const { knex, store, ids } = await threeScans();
      const stored = await knex('dr_scan_calls')
        .where({ scan_id: ids[2] })
        .count({ n: '*' });
      // 24 citations (4 in each of 6 results) of 8 calls: the listing, its reused copy, each result's own.
      expect(Number(stored[0].n)).toBe(
        1 + 1 + SERVICES.length * CONTROLS.length,
      );
      const { results } = scanResults(
        ids[2],
        '2027-03-03T00:20:00.000Z',
        'pass',
      );
      const read = await store.latestResults();
      expect(
        read.map(r => [r.entityRef, r.result.controlId, r.result.calls]),
      ).toEqual(
        expect.arrayContaining(
          results.map(r => [r.entityRef, r.result.controlId, r.result.calls]),
        ),
      );
      expect(read).toHaveLength(results.length);
    });

    it("names the result whose cited call was taken out of the scan's calls", async () => {
      const { knex, store, ids } = await threeScans();
      await knex('dr_scan_calls')
        .where({ scan_id: ids[1], call_index: 1 })
        .delete();
      expect((await store.verifyChain()).firstBroken).toMatchObject({
        scanId: ids[1],
        reason: expect.stringContaining('hashes to'),
      });
    });

    it('prunes the calls with the results that cited them, and keeps those of the latest', async () => {
      const { knex, store, ids } = await threeScans();
      expect(
        await store.pruneResults(new Date('2027-03-03T00:00:00.000Z')),
      ).toBe(12);
      const left = await knex('dr_scan_calls').distinct('scan_id');
      expect(left.map(row => row.scan_id)).toEqual([ids[2]]);
    });

    it('seals each completed scan after the one before, and verifies every stored result', async () => {
      const { store, ids } = await threeScans();
      const links = await store.chainLinks();
      expect(links.map(l => [l.scanId, l.sequence, l.resultCount])).toEqual([
        [ids[0], 1, 6],
        [ids[1], 2, 6],
        [ids[2], 3, 6],
      ]);
      expect(links[1].previousManifestHash).toBe(links[0].manifestHash);
      expect(await store.verifyChain()).toEqual({
        ok: true,
        links: 3,
        resultsChecked: 3,
        recordsChecked: 18,
      });
    });

    it('names the first broken link when a stored result is edited, even with its hash recomputed', async () => {
      const { knex, store, ids } = await threeScans();
      const where = {
        scan_id: ids[1],
        entity_ref: SERVICES[1],
        control_id: 'dynamodb-pitr',
      };
      const row = await knex('dr_results').where(where).first();
      const calls = (await callsOfScans(knex, [ids[1]])).get(ids[1]);
      // Written back with its calls inline, as results stored before dr_scan_calls are.
      const edited: ControlResult = {
        ...parseResult(row.result_json, calls),
        status: 'pass',
        summary: 'dynamodb-pitr pass',
      };
      await knex('dr_results')
        .where(where)
        .update({ result_json: JSON.stringify(edited), status: 'pass' });
      expect((await store.verifyChain()).firstBroken).toMatchObject({
        scanId: ids[1],
        sequence: 2,
        reason: expect.stringContaining(
          `the stored result ${SERVICES[1]} dynamodb-pitr hashes to`,
        ),
      });
      // Hiding it by re-hashing the row: the scan no longer matches what was sealed.
      await knex('dr_results')
        .where(where)
        .update({
          evidence_hash: evidenceHash(
            resultEvidence({
              entityRef: SERVICES[1],
              tier: 'tier-0',
              result: edited,
              scanId: ids[1],
              scannedAt: row.scanned_at,
            }),
          ),
        });
      expect((await store.verifyChain()).firstBroken).toMatchObject({
        scanId: ids[1],
        reason: expect.stringContaining('sealed results root'),
      });
    });

    it('names a scan taken out of the chain', async () => {
      const { knex, store, ids } = await threeScans();
      await knex('dr_evidence_chain').where({ scan_id: ids[1] }).delete();
      expect((await store.verifyChain()).firstBroken).toMatchObject({
        scanId: ids[2],
        reason: expect.stringContaining('a scan is missing from the chain'),
      });
    });

    it("gives a pack's records proofs into their scan, checkable offline without the other services' results", async () => {
      const { store, ids } = await threeScans();
      const stored = (await store.latestResults([SERVICES[1]])).map(r => ({
        entityRef: r.entityRef,
        tier: r.tier!,
        controlId: r.result.controlId,
        controlTitle: r.result.controlId,
        status: r.result.status,
        summary: r.result.summary,
        scanId: r.scanId,
        scannedAt: r.scannedAt,
        calls: r.result.calls,
        facts: r.result.facts,
        evidenceHash: r.evidenceHash,
      }));
      const proofOf = await store.chainProofs(stored);
      const pack: EvidencePack = {
        generatedAt: '2027-03-04T00:00:00.000Z',
        generatedBy: 'user:default/auditor',
        scope: { entityRef: SERVICES[1] },
        hashAlgorithm: 'sha256',
        records: stored.map(r => ({ ...r, inclusionProof: proofOf(r) })),
        chain: {
          links: await store.chainLinks(stored.map(r => r.scanId)),
          method: '',
        },
      };
      expect(pack.chain!.links.map(l => l.scanId)).toEqual([ids[2]]);
      expect(verifyEvidencePack(pack)).toMatchObject({
        ok: true,
        recordsChecked: 3,
      });
    });
  },
);
