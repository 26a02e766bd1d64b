import type {
  ChainLink,
  ControlResult,
  EvidencePack,
} from '@internal/dr-readiness-common';
import { evidenceHash, resultEvidence } from './evidence';
import {
  inclusionProof,
  resultLeaf,
  resultsRoot,
  rootFromProof,
  sealScan,
  verifyChain,
  verifyEvidencePack,
} from './evidenceChain';

const result = (controlId: string, status: ControlResult['status']) => ({
  controlId,
  status,
  summary: `${controlId} ${status}`,
  resources: [],
  facts: { tables: [controlId] },
  calls: [],
});

/** Three scans of two services, each result hashed as the scanner stores it. */
function scans() {
  const links: ChainLink[] = [];
  const stored = new Map<string, Array<ReturnType<typeof record>>>();
  const record = (scanId: string, entityRef: string, controlId: string) => {
    const scannedAt = `2027-03-0${links.length + 1}T00:00:00.000Z`;
    const r = result(controlId, 'pass');
    const doc = resultEvidence({
      entityRef,
      tier: 'tier-1',
      result: r,
      scanId,
      scannedAt,
    });
    return { ...doc, controlTitle: controlId, evidenceHash: evidenceHash(doc) };
  };
  for (const scanId of ['scan-a', 'scan-b', 'scan-c']) {
    const records = [
      record(scanId, 'component:default/wallet-api', 'dynamodb-pitr'),
      record(scanId, 'component:default/wallet-api', 'kms-multi-region'),
      record(scanId, 'component:default/ledger-writer', 'rds-multi-az'),
    ];
    stored.set(scanId, records);
    links.push(
      sealScan(
        {
          scanId,
          finishedAt: records[0].scannedAt,
          leaves: records.map(resultLeaf),
        },
        links[links.length - 1],
      ),
    );
  }
  const leavesOf = (scanId: string) => stored.get(scanId)?.map(resultLeaf);
  return { links, stored, leavesOf };
}

describe('the evidence chain', () => {
  it('links each scan to the one before and verifies untouched', () => {
    const { links, leavesOf } = scans();
    expect(links.map(l => l.sequence)).toEqual([1, 2, 3]);
    expect(links[0].previousManifestHash).toBeNull();
    expect(links[2].previousManifestHash).toBe(links[1].manifestHash);
    expect(verifyChain(links, leavesOf)).toEqual({
      ok: true,
      links: 3,
      resultsChecked: 3,
    });
  });

  it('names the scan whose result was changed after it was sealed', () => {
    const { links, stored } = scans();
    const tampered = stored.get('scan-b')!;
    tampered[1] = { ...tampered[1], evidenceHash: 'f'.repeat(64) };
    const verdict = verifyChain(links, id => stored.get(id)?.map(resultLeaf));
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toMatchObject({
      scanId: 'scan-b',
      sequence: 2,
      reason: expect.stringContaining('results root'),
    });
  });

  it('names a result removed, a scan taken out and a manifest rewritten', () => {
    const { links, stored } = scans();
    stored.get('scan-a')!.pop();
    expect(
      verifyChain(links, id => stored.get(id)?.map(resultLeaf)).firstBroken,
    ).toMatchObject({
      scanId: 'scan-a',
      reason: expect.stringContaining('sealed 3 results, 2'),
    });

    const { links: whole, leavesOf } = scans();
    const gap = verifyChain([whole[0], whole[2]], leavesOf);
    expect(gap.firstBroken).toMatchObject({
      scanId: 'scan-c',
      reason: expect.stringContaining('a scan is missing'),
    });

    // Rewriting b's manifest (say, its finish time) changes its hash, so c no longer follows it.
    const rewritten = [...whole];
    rewritten[1] = { ...whole[1], finishedAt: '2027-03-09T00:00:00.000Z' };
    expect(verifyChain(rewritten, () => undefined).firstBroken).toMatchObject({
      scanId: 'scan-b',
      reason: expect.stringContaining('the manifest was changed'),
    });
    // Re-sealing b to hide that breaks the link from c instead.
    const { manifestHash, ...rest } = rewritten[1];
    rewritten[1] = sealScan(
      {
        scanId: rest.scanId,
        finishedAt: rest.finishedAt,
        leaves: leavesOf('scan-b')!,
      },
      whole[0],
    );
    expect(manifestHash).not.toBe(rewritten[1].manifestHash);
    expect(verifyChain(rewritten, () => undefined).firstBroken).toMatchObject({
      scanId: 'scan-c',
      reason: expect.stringContaining(
        'is not the manifest hash of the scan before it',
      ),
    });
  });

  it('proves one result belongs to its scan with a path of sibling hashes, for any number of results', () => {
    for (const count of [1, 2, 3, 7, 64, 1001]) {
      const leaves = Array.from({ length: count }, (_, i) =>
        resultLeaf({
          entityRef: `e${i}`,
          controlId: 'c',
          evidenceHash: `${i}`,
        }),
      );
      const root = resultsRoot(leaves);
      for (const leaf of [leaves[0], leaves[count - 1], leaves[count >> 1]]) {
        const proof = inclusionProof(leaves, leaf);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(count)));
        expect(rootFromProof(leaf, proof)).toBe(root);
      }
      expect(
        rootFromProof('0'.repeat(64), inclusionProof(leaves, leaves[0])),
      ).not.toBe(root);
    }
  });
});

describe('an evidence pack checked offline', () => {
  function pack(): EvidencePack {
    const { links, stored } = scans();
    const records = stored
      .get('scan-b')!
      .filter(r => r.entityRef.endsWith('wallet-api'));
    const leaves = stored.get('scan-b')!.map(resultLeaf);
    return {
      generatedAt: '2027-03-04T00:00:00.000Z',
      generatedBy: 'user:default/auditor',
      scope: { entityRef: 'component:default/wallet-api' },
      hashAlgorithm: 'sha256',
      records: records.map(r => ({
        ...r,
        inclusionProof: inclusionProof(leaves, resultLeaf(r)),
      })),
      chain: { links: links.slice(1), method: 'test' },
    };
  }

  it('holds for the pack as exported, though it names no other service', () => {
    const verdict = verifyEvidencePack(pack());
    expect(verdict).toMatchObject({ ok: true, links: 2, recordsChecked: 2 });
    expect(JSON.stringify(pack())).not.toContain('ledger-writer');
  });

  it('names the record whose summary was edited, and one moved to another scan', () => {
    const edited = pack();
    edited.records[1].summary = 'dynamodb-pitr pass (all good)';
    expect(verifyEvidencePack(edited).firstBroken?.reason).toMatch(
      /^record component:default\/wallet-api kms-multi-region: its evidence hashes to/,
    );
    const moved = pack();
    moved.records[0].status = 'fail';
    // Re-hashed to hide the edit: the leaf no longer leads to the sealed root.
    const {
      evidenceHash: _old,
      controlTitle: _t,
      inclusionProof: _p,
      waiver: _w,
      ...doc
    } = moved.records[0];
    moved.records[0].evidenceHash = evidenceHash({ version: 1, ...doc });
    expect(verifyEvidencePack(moved).firstBroken?.reason).toContain(
      "inclusion proof does not lead to the scan's sealed results root",
    );
  });
});
