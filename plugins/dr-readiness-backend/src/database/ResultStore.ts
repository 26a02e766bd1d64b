import { Knex } from 'knex';
import type { StoredResult, StoredScore } from './rows';
import { callsOfScans, parseResult } from './scanCalls';

/** A point of a service's trend line: its score at one scan. */
export interface TrendPoint {
  entityRef: string;
  scannedAt: string;
  score: number | null;
}

/**
 * What completed scans stored (`dr_results` with the evidence, `dr_scores`, the `dr_latest`
 * pointers): the latest results and cells, the score history and trend lines, and retention.
 */
export class ResultStore {
  constructor(private readonly knex: Knex) {}

  /** The services a completed scan has results for. */
  async scannedServices(): Promise<Set<string>> {
    const rows = await this.knex('dr_latest').select('entity_ref');
    return new Set(rows.map(row => row.entity_ref as string));
  }

  /**
   * The latest results of the given services (all services when omitted), each with the tier it
   * was scanned against (what its evidence hash covers, whatever the tier is now).
   */
  async latestResults(
    entityRefs?: string[],
  ): Promise<Array<StoredResult & { tier?: string }>> {
    const query = this.latest()
      .leftJoin('dr_scores as s', function join() {
        this.on('s.scan_id', '=', 'r.scan_id').andOn(
          's.entity_ref',
          '=',
          'r.entity_ref',
        );
      })
      .select(
        'r.scan_id',
        'r.entity_ref',
        'r.result_json',
        'r.evidence_hash',
        'r.scanned_at',
        's.tier',
      );
    if (entityRefs) query.whereIn('r.entity_ref', entityRefs);
    const rows = await query;
    const calls = await callsOfScans(
      this.knex,
      rows.map(row => row.scan_id),
    );
    return rows.map(row => ({
      scanId: row.scan_id,
      entityRef: row.entity_ref,
      result: parseResult(row.result_json, calls.get(row.scan_id)),
      evidenceHash: row.evidence_hash,
      scannedAt: row.scanned_at,
      tier: row.tier ?? undefined,
    }));
  }

  /**
   * The latest status, summary and fix of each control of the given services (all when omitted):
   * what the scorecard shows, without reading the evidence.
   */
  async latestCells(entityRefs?: string[]): Promise<StoredResult[]> {
    const query = this.latest().select(
      'r.scan_id',
      'r.entity_ref',
      'r.control_id',
      'r.status',
      'r.summary',
      'r.fix',
      'r.evidence_hash',
      'r.scanned_at',
    );
    if (entityRefs) query.whereIn('r.entity_ref', entityRefs);
    const rows = await query;
    return rows.map(row => ({
      scanId: row.scan_id,
      entityRef: row.entity_ref,
      result: {
        controlId: row.control_id,
        status: row.status,
        summary: row.summary,
        fix: row.fix ?? undefined,
        resources: [],
        facts: null,
        calls: [],
      },
      evidenceHash: row.evidence_hash,
      scannedAt: row.scanned_at,
    }));
  }

  /** The results the latest pointers point at. */
  private latest() {
    return this.knex('dr_results as r').join('dr_latest as l', function join() {
      this.on('l.scan_id', '=', 'r.scan_id').andOn(
        'l.entity_ref',
        '=',
        'r.entity_ref',
      );
    });
  }

  /** Score history per service, oldest first, from `since`. */
  async scoreHistory(
    entityRefs: string[] | undefined,
    since: Date,
  ): Promise<StoredScore[]> {
    const query = this.knex('dr_scores')
      .where('scanned_at', '>=', since.toISOString())
      .orderBy('scanned_at', 'asc');
    if (entityRefs) query.whereIn('entity_ref', entityRefs);
    const rows = await query;
    return rows.map(row => ({
      scanId: row.scan_id,
      entityRef: row.entity_ref,
      tier: row.tier,
      score: JSON.parse(row.score_json),
      scannedAt: row.scanned_at,
    }));
  }

  /**
   * The newest `perService` scores of each service scored since `since`, oldest first per service:
   * the scorecard's trend lines, without reading the whole history window (a scan every 6 h
   * leaves 360 scores per service in 90 days); PostgreSQL hands out only each document's score.
   */
  async trendPoints(since: Date, perService: number): Promise<TrendPoint[]> {
    const from = since.toISOString();
    const rows =
      this.knex.client.dialect === 'postgresql'
        ? await this.trendRowsPostgres(from, perService)
        : await this.trendRowsRanked(from, perService);
    return rows.map(row => ({
      entityRef: row.entity_ref,
      scannedAt: row.scanned_at,
      // The score as the document holds it (the `score` column is single precision on PostgreSQL).
      score:
        row.score === null || row.score === undefined
          ? null
          : Number(row.score),
    }));
  }

  /** One index range (dr_scores_entity_idx, newest first) per service. */
  private async trendRowsPostgres(
    from: string,
    perService: number,
  ): Promise<TrendRow[]> {
    return (
      await this.knex.raw(
        `select l.entity_ref, p.scanned_at, p.score
           from dr_latest l
           cross join lateral (
             select s.scanned_at, s.score_json::json->>'score' as score
               from dr_scores s
              where s.entity_ref = l.entity_ref and s.scanned_at >= ?
              order by s.scanned_at desc
              limit ?
           ) p
          order by l.entity_ref, p.scanned_at`,
        [from, perService],
      )
    ).rows;
  }

  /** Each service's scores ranked newest first, the newest `perService` of each kept. */
  private async trendRowsRanked(
    from: string,
    perService: number,
  ): Promise<TrendRow[]> {
    const ranked = this.knex('dr_scores')
      .where('scanned_at', '>=', from)
      .select(
        'entity_ref',
        'scanned_at',
        'score_json',
        this.knex.raw(
          'row_number() over (partition by entity_ref order by scanned_at desc) as newest',
        ),
      );
    return (
      await this.knex
        .from(ranked.as('ranked'))
        .where('newest', '<=', perService)
        .orderBy(['entity_ref', 'scanned_at'])
    ).map(row => ({
      entity_ref: row.entity_ref,
      scanned_at: row.scanned_at,
      score: JSON.parse(row.score_json).score,
    }));
  }

  /** Deletes result rows (evidence) older than the retention; scores (history) are kept. */
  async pruneResults(olderThan: Date): Promise<number> {
    const pruned = () =>
      this.knex('dr_results')
        .where('scanned_at', '<', olderThan.toISOString())
        .whereNotIn('scan_id', this.knex('dr_latest').select('scan_id'));
    const scanIds = (await pruned().distinct('scan_id')).map(
      row => row.scan_id as string,
    );
    const deleted = await pruned().delete();
    // The calls those results cited (a scan's results go together: none of them is latest).
    for (let i = 0; i < scanIds.length; i += 100)
      await this.knex('dr_scan_calls')
        .whereIn('scan_id', scanIds.slice(i, i + 100))
        .delete();
    return deleted;
  }
}

interface TrendRow {
  entity_ref: string;
  scanned_at: string;
  score: unknown;
}
