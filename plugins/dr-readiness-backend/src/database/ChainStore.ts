import type {
  ChainLink,
  ChainVerification,
  ProofStep,
} from '@internal/dr-readiness-common';
import {
  evidenceHash,
  inclusionProofs,
  resultEvidence,
  resultLeaf,
  sealScan,
  verifyChain,
} from '@internal/dr-readiness-node';
import { Knex } from 'knex';
import { callsOfScans, parseResult } from './scanCalls';

/** A row of `dr_evidence_chain` as the drivers hand it out. */
interface LinkRow {
  scan_id: string;
  sequence: number | string;
  finished_at: string;
  previous_manifest_hash: string | null;
  results_root: string;
  result_count: number | string;
  manifest_hash: string;
}

const parseLink = (row: LinkRow): ChainLink => ({
  scanId: row.scan_id,
  sequence: Number(row.sequence),
  finishedAt: row.finished_at,
  previousManifestHash: row.previous_manifest_hash,
  resultsRoot: row.results_root,
  resultCount: Number(row.result_count),
  manifestHash: row.manifest_hash,
});

type Leafable = { entityRef: string; controlId: string; evidenceHash: string };

/**
 * The evidence chain (`dr_evidence_chain`): a link sealed in the transaction that stores a
 * scan's results, the links and inclusion proofs an evidence pack carries, and verification
 * that recomputes every stored result's evidence hash, each scan's results root and each link.
 */
export class ChainStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Seals a completed scan after the newest link. On PostgreSQL a transaction-scoped advisory
   * lock orders replicas completing scans at the same moment; SQLite writes one at a time.
   */
  async seal(
    tx: Knex.Transaction,
    scan: { scanId: string; finishedAt: string; results: Leafable[] },
  ): Promise<ChainLink> {
    if (tx.client.config.client === 'pg')
      await tx.raw(
        `select pg_advisory_xact_lock(hashtext('dr_evidence_chain'))`,
      );
    const last = (await tx('dr_evidence_chain')
      .orderBy('sequence', 'desc')
      .first()) as LinkRow | undefined;
    const link = sealScan(
      {
        scanId: scan.scanId,
        finishedAt: scan.finishedAt,
        leaves: scan.results.map(resultLeaf),
      },
      last && parseLink(last),
    );
    await tx('dr_evidence_chain').insert({
      scan_id: link.scanId,
      sequence: link.sequence,
      finished_at: link.finishedAt,
      previous_manifest_hash: link.previousManifestHash,
      results_root: link.resultsRoot,
      result_count: link.resultCount,
      manifest_hash: link.manifestHash,
    });
    return link;
  }

  /** The links from the oldest of `scanIds` to the newest link (all links when omitted). */
  async linksSince(scanIds?: string[]): Promise<ChainLink[]> {
    const query = this.knex('dr_evidence_chain').orderBy('sequence');
    if (scanIds) {
      if (scanIds.length === 0) return [];
      const oldest = await this.knex('dr_evidence_chain')
        .whereIn('scan_id', [...new Set(scanIds)])
        .min({ sequence: 'sequence' })
        .first();
      if (oldest?.sequence === null || oldest?.sequence === undefined)
        return [];
      query.where('sequence', '>=', Number(oldest.sequence));
    }
    return ((await query) as LinkRow[]).map(parseLink);
  }

  /** Each record's path to its scan's results root (records of scans outside the chain get none). */
  async proofs(records: Array<Leafable & { scanId: string }>) {
    const byScan = new Map<string, (leaf: string) => ProofStep[] | undefined>();
    for (const scanId of new Set(records.map(r => r.scanId))) {
      // The leaves as sealed: the stored hashes, not recomputed (verify does that).
      const rows = await this.knex('dr_results')
        .where('scan_id', scanId)
        .select('entity_ref', 'control_id', 'evidence_hash');
      byScan.set(
        scanId,
        inclusionProofs(
          rows.map(row =>
            resultLeaf({
              entityRef: row.entity_ref,
              controlId: row.control_id,
              evidenceHash: row.evidence_hash,
            }),
          ),
        ),
      );
    }
    return (record: Leafable & { scanId: string }) =>
      byScan.get(record.scanId)?.(resultLeaf(record));
  }

  /**
   * Recomputes the whole chain, oldest link first: every stored result's evidence hash from its
   * stored document, each scan's results root from those results, each manifest and each link
   * to the one before. Scans whose results retention pruned are checked by their links only.
   * Stops at the first thing that does not hold and names it.
   */
  async verify(): Promise<ChainVerification> {
    const links = await this.linksSince();
    let resultsChecked = 0;
    let recordsChecked = 0;
    for (let i = 0; i < links.length; i++) {
      const link = links[i];
      const results = await this.storedResults(link.scanId);
      const tampered = results.find(r => r.recomputed !== r.evidenceHash);
      if (tampered) {
        return {
          ok: false,
          links: links.length,
          resultsChecked,
          recordsChecked,
          firstBroken: {
            scanId: link.scanId,
            sequence: link.sequence,
            reason: `the stored result ${tampered.entityRef} ${tampered.controlId} hashes to ${tampered.recomputed}, not its recorded evidence hash ${tampered.evidenceHash}: the result was changed after the scan`,
          },
        };
      }
      recordsChecked += results.length;
      const held = results.length > 0 ? results.map(r => r.leaf) : undefined;
      const verdict = verifyChain(
        [link],
        () => held,
        i === 0 ? undefined : links[i - 1].manifestHash,
      );
      if (!verdict.ok) {
        const sequenceGap =
          i > 0 && link.sequence !== links[i - 1].sequence + 1;
        return {
          ...verdict,
          links: links.length,
          resultsChecked,
          recordsChecked,
          firstBroken: sequenceGap
            ? {
                scanId: link.scanId,
                sequence: link.sequence,
                reason: `sequence ${link.sequence} follows ${
                  links[i - 1].sequence
                }: a scan is missing from the chain`,
              }
            : verdict.firstBroken,
        };
      }
      if (held) resultsChecked++;
    }
    return { ok: true, links: links.length, resultsChecked, recordsChecked };
  }

  /** A scan's stored results with their recorded hash, the hash recomputed from the stored document, and the leaf. */
  private async storedResults(scanId: string) {
    const rows = await this.knex('dr_results as r')
      .leftJoin('dr_scores as s', function on() {
        this.on('s.scan_id', '=', 'r.scan_id').andOn(
          's.entity_ref',
          '=',
          'r.entity_ref',
        );
      })
      .where('r.scan_id', scanId)
      .select(
        'r.entity_ref',
        'r.control_id',
        'r.result_json',
        'r.evidence_hash',
        'r.scanned_at',
        's.tier',
      );
    const calls = (await callsOfScans(this.knex, [scanId])).get(scanId);
    return rows.map(row => {
      const recomputed = evidenceHash(
        resultEvidence({
          entityRef: row.entity_ref,
          tier: row.tier ?? '',
          result: parseResult(row.result_json, calls),
          scanId,
          scannedAt: row.scanned_at,
        }),
      );
      const stored = {
        entityRef: row.entity_ref as string,
        controlId: row.control_id as string,
        evidenceHash: row.evidence_hash as string,
      };
      return { ...stored, recomputed, leaf: resultLeaf(stored) };
    });
  }
}
