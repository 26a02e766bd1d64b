import type {
  ChainLink,
  ChainVerification,
  EvidencePack,
  ProofStep,
} from '@internal/dr-readiness-common';
import { createHash } from 'node:crypto';
import { canonicalJson, evidenceDocument, evidenceHash } from './evidence';

/*
 * The evidence chain: each completed scan's results are sealed in a manifest whose hash covers
 * the previous scan's manifest hash, so a result changed, dropped or added after the fact, or a
 * scan taken out of the history, breaks every later link. The manifest holds no result itself:
 * one leaf per result, SHA-256 of its entity, control and evidence hash, so a pack for one
 * service proves its records belong to a scan without naming the scan's other services.
 */

/** Bumped if the manifest's shape ever changes, so old chains stay checkable. */
export const EVIDENCE_CHAIN_VERSION = 1;

const sha256 = (value: unknown) =>
  createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');

/** One result's leaf: SHA-256 of `canonicalJson({ entityRef, controlId, evidenceHash })`. */
export function resultLeaf(result: {
  entityRef: string;
  controlId: string;
  evidenceHash: string;
}): string {
  return sha256({
    entityRef: result.entityRef,
    controlId: result.controlId,
    evidenceHash: result.evidenceHash,
  });
}

const pair = (left: string, right: string) =>
  createHash('sha256').update(`${left}${right}`, 'utf8').digest('hex');

/** The tree's levels from the sorted leaves up to the root; an odd node out moves up unchanged. */
function levels(leaves: string[]): string[][] {
  const all = [[...leaves].sort()];
  while (all[all.length - 1].length > 1) {
    const level = all[all.length - 1];
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(i + 1 < level.length ? pair(level[i], level[i + 1]) : level[i]);
    all.push(next);
  }
  return all;
}

/**
 * The Merkle root of a scan's leaves (sorted first, so the order results were stored in does
 * not matter): SHA-256 of the concatenated hex of each pair, level by level. No leaves: SHA-256
 * of `[]`.
 */
export function resultsRoot(leaves: string[]): string {
  if (leaves.length === 0) return sha256([]);
  const all = levels(leaves);
  return all[all.length - 1][0];
}

/**
 * Paths from leaves to the root for one scan: the tree is built once, so a pack of many records
 * of one scan costs one tree, not one per record. Undefined for a leaf not among the scan's.
 */
export function inclusionProofs(
  leaves: string[],
): (leaf: string) => ProofStep[] | undefined {
  const all = levels(leaves);
  const position = new Map(all[0].map((leaf, i) => [leaf, i]));
  return leaf => {
    let index = position.get(leaf);
    if (index === undefined) return undefined;
    const proof: ProofStep[] = [];
    for (const level of all.slice(0, -1)) {
      const sibling = index % 2 === 0 ? index + 1 : index - 1;
      if (sibling < level.length)
        proof.push({
          side: index % 2 === 0 ? 'right' : 'left',
          hash: level[sibling],
        });
      index = Math.floor(index / 2);
    }
    return proof;
  };
}

/** The path from a leaf to the root: what shows one result is in a scan without the others. */
export function inclusionProof(leaves: string[], leaf: string): ProofStep[] {
  const proof = inclusionProofs(leaves)(leaf);
  if (!proof) throw new Error(`leaf ${leaf} is not among the scan's results`);
  return proof;
}

/** The root a leaf and its proof lead to. */
export function rootFromProof(leaf: string, proof: ProofStep[]): string {
  return proof.reduce(
    (hash, step) =>
      step.side === 'right' ? pair(hash, step.hash) : pair(step.hash, hash),
    leaf,
  );
}

/** The document whose SHA-256 is the manifest hash. */
export function manifestDocument(link: Omit<ChainLink, 'manifestHash'>) {
  return {
    version: EVIDENCE_CHAIN_VERSION,
    scanId: link.scanId,
    sequence: link.sequence,
    finishedAt: link.finishedAt,
    previousManifestHash: link.previousManifestHash,
    resultsRoot: link.resultsRoot,
    resultCount: link.resultCount,
  };
}

/** The next link after `previous` (undefined: the first scan) for a scan's leaves. */
export function sealScan(
  scan: { scanId: string; finishedAt: string; leaves: string[] },
  previous: Pick<ChainLink, 'sequence' | 'manifestHash'> | undefined,
): ChainLink {
  const link = {
    scanId: scan.scanId,
    sequence: (previous?.sequence ?? 0) + 1,
    finishedAt: scan.finishedAt,
    previousManifestHash: previous?.manifestHash ?? null,
    resultsRoot: resultsRoot(scan.leaves),
    resultCount: scan.leaves.length,
  };
  return { ...link, manifestHash: sha256(manifestDocument(link)) };
}

/**
 * Recomputes a chain, oldest link first: each manifest hash from its document, each previous
 * hash against the link before, and, where the scan's leaves are given, the results root and
 * count. `leavesOf` answers undefined for a scan whose results are no longer held.
 * `startsAfter`: the manifest hash the first link must follow (a pack that starts mid-chain).
 */
export function verifyChain(
  links: ChainLink[],
  leavesOf: (scanId: string) => string[] | undefined,
  startsAfter?: string | null,
): Omit<ChainVerification, 'recordsChecked'> {
  let resultsChecked = 0;
  const broken = (
    link: ChainLink,
    reason: string,
  ): Omit<ChainVerification, 'recordsChecked'> => ({
    ok: false,
    links: links.length,
    resultsChecked,
    firstBroken: { scanId: link.scanId, sequence: link.sequence, reason },
  });
  for (let i = 0; i < links.length; i++) {
    const link = links[i];
    const before = i === 0 ? startsAfter : links[i - 1].manifestHash;
    if (i > 0 && link.sequence !== links[i - 1].sequence + 1)
      return broken(
        link,
        `sequence ${link.sequence} follows ${
          links[i - 1].sequence
        }: a scan is missing from the chain`,
      );
    if (before !== undefined && link.previousManifestHash !== before)
      return broken(
        link,
        `its previousManifestHash ${link.previousManifestHash} is not the manifest hash of the scan before it (${before})`,
      );
    const { manifestHash, ...rest } = link;
    const recomputed = sha256(manifestDocument(rest));
    if (recomputed !== manifestHash)
      return broken(
        link,
        `its manifest hashes to ${recomputed}, not the recorded ${manifestHash}: the manifest was changed`,
      );
    const leaves = leavesOf(link.scanId);
    if (leaves === undefined) continue;
    resultsChecked++;
    if (leaves.length !== link.resultCount)
      return broken(
        link,
        `it sealed ${link.resultCount} results, ${leaves.length} are held now: results were added or removed`,
      );
    if (resultsRoot(leaves) !== link.resultsRoot)
      return broken(
        link,
        'its results no longer hash to the sealed results root: a result or its evidence hash was changed',
      );
  }
  return { ok: true, links: links.length, resultsChecked };
}

export const CHAIN_METHOD =
  "leaf = SHA-256(canonicalJson({entityRef, controlId, evidenceHash})); resultsRoot = Merkle root of the sorted leaves (SHA-256 of the concatenated hex of each pair; an odd node moves up); manifestHash = SHA-256(canonicalJson({version, scanId, sequence, finishedAt, previousManifestHash, resultsRoot, resultCount})); each link's previousManifestHash is the manifest hash of the link before it";

/**
 * Checks an evidence pack offline, as an auditor does with the verify script: each record's
 * evidence hash recomputed from the record, its leaf led by its proof to its scan's results
 * root, and the chain's links recomputed in order. Names the first thing that does not hold.
 */
export function verifyEvidencePack(pack: EvidencePack): ChainVerification {
  const links = pack.chain?.links ?? [];
  const fail = (
    firstBroken: ChainVerification['firstBroken'],
    recordsChecked: number,
  ): ChainVerification => ({
    ok: false,
    links: links.length,
    resultsChecked: 0,
    recordsChecked,
    firstBroken,
  });
  if (!pack.chain)
    return fail(
      { scanId: '', sequence: 0, reason: 'the pack carries no chain' },
      0,
    );
  const linkOf = new Map(links.map(l => [l.scanId, l]));
  let recordsChecked = 0;
  for (const record of pack.records) {
    const where = `${record.entityRef} ${record.controlId}`;
    const link = linkOf.get(record.scanId);
    if (!link)
      return fail(
        {
          scanId: record.scanId,
          sequence: 0,
          reason: `record ${where} comes from a scan the chain does not hold`,
        },
        recordsChecked,
      );
    const recomputed = evidenceHash(evidenceDocument(record));
    if (recomputed !== record.evidenceHash)
      return fail(
        {
          scanId: link.scanId,
          sequence: link.sequence,
          reason: `record ${where}: its evidence hashes to ${recomputed}, not the recorded ${record.evidenceHash}`,
        },
        recordsChecked,
      );
    const leaf = resultLeaf(record);
    if (rootFromProof(leaf, record.inclusionProof ?? []) !== link.resultsRoot)
      return fail(
        {
          scanId: link.scanId,
          sequence: link.sequence,
          reason: `record ${where}: its inclusion proof does not lead to the scan's sealed results root`,
        },
        recordsChecked,
      );
    recordsChecked++;
  }
  const chain = verifyChain(links, () => undefined);
  return { ...chain, recordsChecked };
}
