import type { CollectionGap, ScanSummary } from '@internal/dr-readiness-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { ChainStore } from './ChainStore';
import { ScanCalls } from './scanCalls';
import {
  insertChunked,
  parseScan,
  scanRow,
  StoredResult,
  StoredScore,
} from './rows';

/**
 * Scans (`dr_scans`): started, completed with their results, scores and latest pointers in one
 * transaction, failed or interrupted; and the scans as the API and the scanner read them.
 */
export class ScanStore {
  private readonly chain: ChainStore;

  constructor(private readonly knex: Knex) {
    this.chain = new ChainStore(knex);
  }

  /** Records a scan as running, so a process that dies mid-scan leaves a visible trace. */
  async startScan(options: {
    trigger: ScanSummary['trigger'];
    entityRef?: string;
    /** The services a targeted scan (rescan, catch-up) covers. */
    entityRefs?: string[];
    startedAt: Date;
  }): Promise<string> {
    const id = randomUUID();
    await this.knex('dr_scans').insert({
      ...scanRow(id, options.trigger, options.startedAt, options.entityRefs),
      entity_ref: options.entityRef ?? null,
    });
    return id;
  }

  /**
   * Stores a finished scan in one transaction: every result with its hash (its calls stored once
   * per scan in dr_scan_calls, the result naming them by index), every score, the
   * latest pointer per service, the scan's link in the evidence chain, and the scan's
   * bookkeeping. Either all of it lands or none.
   */
  async completeScan(options: {
    scanId: string;
    finishedAt: Date;
    calls: Record<string, number>;
    resourcesScanned: number;
    gaps: CollectionGap[];
    results: StoredResult[];
    scores: StoredScore[];
  }) {
    await this.knex.transaction(async tx => {
      const calls = new ScanCalls();
      await insertChunked(tx, 'dr_results', options.results, r => ({
        scan_id: r.scanId,
        entity_ref: r.entityRef,
        control_id: r.result.controlId,
        status: r.result.status,
        summary: r.result.summary,
        fix: r.result.fix ?? null,
        result_json: calls.resultJson(r.result),
        evidence_hash: r.evidenceHash,
        scanned_at: r.scannedAt,
      }));
      await insertChunked(
        tx,
        'dr_scan_calls',
        calls.rows(options.scanId),
        row => row,
      );
      await insertChunked(tx, 'dr_scores', options.scores, s => ({
        scan_id: s.scanId,
        entity_ref: s.entityRef,
        tier: s.tier,
        score: s.score.score,
        level: s.score.level,
        score_json: JSON.stringify(s.score),
        scanned_at: s.scannedAt,
      }));
      await this.replaceLatest(tx, options.scores);
      await this.chain.seal(tx, {
        scanId: options.scanId,
        finishedAt: options.finishedAt.toISOString(),
        results: options.results.map(r => ({
          entityRef: r.entityRef,
          controlId: r.result.controlId,
          evidenceHash: r.evidenceHash,
        })),
      });
      await tx('dr_scans')
        .where({ id: options.scanId })
        .update({
          status: 'completed',
          finished_at: options.finishedAt.toISOString(),
          calls_json: JSON.stringify(options.calls),
          services_scanned: options.scores.length,
          resources_scanned: options.resourcesScanned,
          gaps_json: JSON.stringify(options.gaps),
        });
    });
  }

  /** Points each scored service's latest results at this scan. */
  private async replaceLatest(tx: Knex.Transaction, scores: StoredScore[]) {
    const refs = scores.map(s => s.entityRef);
    for (let i = 0; i < refs.length; i += 100)
      await tx('dr_latest')
        .whereIn('entity_ref', refs.slice(i, i + 100))
        .delete();
    await insertChunked(tx, 'dr_latest', scores, s => ({
      entity_ref: s.entityRef,
      scan_id: s.scanId,
      scanned_at: s.scannedAt,
    }));
  }

  async failScan(
    scanId: string,
    finishedAt: Date,
    error: string,
    calls: Record<string, number>,
  ) {
    await this.knex('dr_scans')
      .where({ id: scanId })
      .update({
        status: 'failed',
        finished_at: finishedAt.toISOString(),
        error,
        calls_json: JSON.stringify(calls),
      });
  }

  /** A scan stopped on purpose before it finished (shutdown or timeout): nothing of it was stored. */
  async interruptScan(
    scanId: string,
    finishedAt: Date,
    error: string,
    calls: Record<string, number>,
  ) {
    await this.knex('dr_scans')
      .where({ id: scanId, status: 'running' })
      .update({
        status: 'interrupted',
        finished_at: finishedAt.toISOString(),
        error,
        calls_json: JSON.stringify(calls),
      });
  }

  /**
   * Marks scans that can no longer finish as interrupted (their process died; nothing of them was
   * stored): `running` scans of the caller's `trigger` started before `before` - the caller holds
   * that task's cluster-wide lock, so none of them is still alive - and `running` scans of other
   * triggers started before `othersBefore` (the task timeout: a rescan runs on whichever replica
   * took the request, the other task under its own lock).
   */
  async markInterrupted(options: {
    trigger: 'scheduled' | 'catch-up';
    before: Date;
    othersBefore: Date;
  }): Promise<number> {
    return this.knex('dr_scans')
      .where({ status: 'running' })
      .andWhere(query =>
        query
          .where(q =>
            q
              .where({ trigger: options.trigger })
              .andWhere('started_at', '<', options.before.toISOString()),
          )
          .orWhere(q =>
            q
              .whereNot({ trigger: options.trigger })
              .andWhere('started_at', '<', options.othersBefore.toISOString()),
          ),
      )
      .update({
        status: 'interrupted',
        error:
          'The scan did not finish (its process stopped); no partial results were stored.',
      });
  }

  async scans(limit: number): Promise<ScanSummary[]> {
    const rows = await this.knex('dr_scans')
      .orderBy('started_at', 'desc')
      .limit(limit);
    return rows.map(parseScan);
  }

  async scan(id: string): Promise<ScanSummary | undefined> {
    const row = await this.knex('dr_scans').where({ id }).first();
    return row ? parseScan(row) : undefined;
  }

  async lastScheduledScan(): Promise<ScanSummary | undefined> {
    const row = await this.knex('dr_scans')
      .where({ trigger: 'scheduled' })
      .whereNot({ status: 'running' })
      .orderBy('started_at', 'desc')
      .first();
    return row ? parseScan(row) : undefined;
  }

  /** Scans started at or after `since`, newest first (what is running or just failed). */
  async scansSince(since: Date): Promise<ScanSummary[]> {
    const rows = await this.knex('dr_scans')
      .where('started_at', '>=', since.toISOString())
      .orderBy('started_at', 'desc');
    return rows.map(parseScan);
  }

  /** Whether any scheduled scan (every service) has completed. */
  async hasCompletedScheduledScan(): Promise<boolean> {
    const row = await this.knex('dr_scans')
      .where({ status: 'completed', trigger: 'scheduled' })
      .select('id')
      .first();
    return Boolean(row);
  }
}
