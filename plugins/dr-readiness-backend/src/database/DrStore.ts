import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type {
  CollectionGap,
  ControlResult,
  ScanSummary,
  ServiceScore,
  Waiver,
} from '@internal/dr-readiness-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';

const MIGRATIONS = resolvePackagePath(
  '@internal/dr-readiness-backend',
  'migrations',
);

export interface StoredResult {
  scanId: string;
  entityRef: string;
  result: ControlResult;
  evidenceHash: string;
  scannedAt: string;
}

/** Why an on-demand rescan may not start now. */
export type RescanRefusal =
  | { limit: 'running'; entityRef: string }
  | { limit: 'interval'; availableAt: Date }
  | { limit: 'user'; running: number; cap: number }
  | { limit: 'cluster'; running: number; cap: number };

export interface StoredScore {
  scanId: string;
  entityRef: string;
  tier: string;
  score: ServiceScore;
  scannedAt: string;
}

/** The services a targeted scan covered (rescans stored before the column held only `entity_ref`). */
function entityRefsOf(row: any): string[] | undefined {
  if (row.entity_refs_json) return JSON.parse(row.entity_refs_json);
  return row.entity_ref ? [row.entity_ref] : undefined;
}

const parseScan = (row: any): ScanSummary => ({
  id: row.id,
  trigger: row.trigger,
  entityRef: row.entity_ref ?? undefined,
  entityRefs: entityRefsOf(row),
  startedAt: row.started_at,
  finishedAt: row.finished_at ?? undefined,
  status: row.status,
  calls: JSON.parse(row.calls_json),
  servicesScanned: Number(row.services_scanned),
  resourcesScanned: Number(row.resources_scanned),
  gaps: JSON.parse(row.gaps_json) as CollectionGap[],
  error: row.error ?? undefined,
  requestedBy: row.requested_by ?? undefined,
});

const parseWaiver = (row: any): Waiver => ({
  id: row.id,
  entityRef: row.entity_ref,
  controlId: row.control_id,
  reason: row.reason,
  status: row.approved_at ? 'approved' : 'requested',
  approver: (row.approved_at && row.approver) || undefined,
  approvedAt: row.approved_at ?? undefined,
  expiresAt: row.expires_at,
  createdBy: row.created_by,
  createdAt: row.created_at,
  revokedAt: row.revoked_at ?? undefined,
  revokedBy: row.revoked_by ?? undefined,
});

/** A scan starting now, `running`. */
function scanRow(
  id: string,
  trigger: ScanSummary['trigger'],
  startedAt: Date,
  entityRefs: string[] | undefined,
) {
  return {
    id,
    trigger,
    entity_refs_json: entityRefs ? JSON.stringify(entityRefs) : null,
    started_at: startedAt.toISOString(),
    status: 'running',
    calls_json: '{}',
    services_scanned: 0,
    resources_scanned: 0,
    gaps_json: '[]',
  };
}

/** Chunks inserts so SQLite's bound-parameter limit is never reached. */
async function insertChunked(
  tx: Knex.Transaction,
  table: string,
  rows: object[],
  size = 100,
) {
  for (let i = 0; i < rows.length; i += size)
    await tx(table).insert(rows.slice(i, i + size));
}

/** Scans, results with evidence, score history and waivers (SQLite or PostgreSQL). */
export class DrStore {
  static async create(database: DatabaseService): Promise<DrStore> {
    const knex = await database.getClient();
    return database.migrations?.skip
      ? new DrStore(knex)
      : DrStore.fromKnex(knex);
  }

  static async fromKnex(knex: Knex): Promise<DrStore> {
    await knex.migrate.latest({
      directory: MIGRATIONS,
      tableName: 'dr_knex_migrations',
    });
    return new DrStore(knex);
  }

  constructor(private readonly knex: Knex) {}

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
   * Starts an on-demand rescan of `entityRef` for `requestedBy` unless one of the limits says no:
   * a rescan of the service still running, one started within `minIntervalMs`, `maxPerUser`
   * rescans of this user running, or `maxConcurrent` rescans running in the whole cluster.
   * Rescans `running` since before `runningSince` belong to a replica that died and count for
   * nothing. Every replica decides under the same lock row, in one transaction, so the caps hold
   * however many replicas take requests at once.
   */
  async claimRescan(options: {
    entityRef: string;
    requestedBy: string;
    now: Date;
    minIntervalMs: number;
    maxPerUser: number;
    maxConcurrent: number;
    runningSince: Date;
  }): Promise<{ scanId: string } | { refused: RescanRefusal }> {
    const { entityRef, requestedBy, now } = options;
    return this.knex.transaction(async tx => {
      // The write takes the row lock (PostgreSQL, MySQL) or the database's write lock (SQLite)
      // until the transaction ends: one replica at a time counts and inserts.
      await tx('dr_locks')
        .where({ name: 'rescan' })
        .update({ taken_at: now.toISOString() });
      const running = await tx('dr_scans')
        .where({ trigger: 'rescan', status: 'running' })
        .andWhere('started_at', '>=', options.runningSince.toISOString())
        .select('entity_ref', 'requested_by');
      if (running.some(r => r.entity_ref === entityRef))
        return { refused: { limit: 'running' as const, entityRef } };
      const last = await tx('dr_scans')
        .where({ trigger: 'rescan', entity_ref: entityRef })
        .orderBy('started_at', 'desc')
        .select('started_at')
        .first();
      if (last) {
        const availableAt = new Date(
          Date.parse(last.started_at) + options.minIntervalMs,
        );
        if (availableAt > now)
          return { refused: { limit: 'interval' as const, availableAt } };
      }
      const mine = running.filter(r => r.requested_by === requestedBy).length;
      if (mine >= options.maxPerUser)
        return {
          refused: {
            limit: 'user' as const,
            running: mine,
            cap: options.maxPerUser,
          },
        };
      if (running.length >= options.maxConcurrent)
        return {
          refused: {
            limit: 'cluster' as const,
            running: running.length,
            cap: options.maxConcurrent,
          },
        };
      const scanId = randomUUID();
      await tx('dr_scans').insert({
        ...scanRow(scanId, 'rescan', now, [entityRef]),
        entity_ref: entityRef,
        requested_by: requestedBy,
      });
      return { scanId };
    });
  }

  /**
   * Stores a finished scan in one transaction: every result with its hash, every score, the
   * latest pointer per service, and the scan's bookkeeping. Either all of it lands or none.
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
      await insertChunked(
        tx,
        'dr_results',
        options.results.map(r => ({
          scan_id: r.scanId,
          entity_ref: r.entityRef,
          control_id: r.result.controlId,
          status: r.result.status,
          summary: r.result.summary,
          fix: r.result.fix ?? null,
          result_json: JSON.stringify(r.result),
          evidence_hash: r.evidenceHash,
          scanned_at: r.scannedAt,
        })),
      );
      await insertChunked(
        tx,
        'dr_scores',
        options.scores.map(s => ({
          scan_id: s.scanId,
          entity_ref: s.entityRef,
          tier: s.tier,
          score: s.score.score,
          level: s.score.level,
          score_json: JSON.stringify(s.score),
          scanned_at: s.scannedAt,
        })),
      );
      const refs = options.scores.map(s => s.entityRef);
      for (let i = 0; i < refs.length; i += 100)
        await tx('dr_latest')
          .whereIn('entity_ref', refs.slice(i, i + 100))
          .delete();
      await insertChunked(
        tx,
        'dr_latest',
        options.scores.map(s => ({
          entity_ref: s.entityRef,
          scan_id: s.scanId,
          scanned_at: s.scannedAt,
        })),
      );
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

  /** The services a completed scan has results for. */
  async scannedServices(): Promise<Set<string>> {
    const rows = await this.knex('dr_latest').select('entity_ref');
    return new Set(rows.map(row => row.entity_ref as string));
  }

  async lastRescan(entityRef: string): Promise<ScanSummary | undefined> {
    const row = await this.knex('dr_scans')
      .where({ trigger: 'rescan', entity_ref: entityRef })
      .orderBy('started_at', 'desc')
      .first();
    return row ? parseScan(row) : undefined;
  }

  /** The latest results of the given services (all services when omitted). */
  async latestResults(entityRefs?: string[]): Promise<StoredResult[]> {
    const query = this.knex('dr_results as r')
      .join('dr_latest as l', function join() {
        this.on('l.scan_id', '=', 'r.scan_id').andOn(
          'l.entity_ref',
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
      );
    if (entityRefs) query.whereIn('r.entity_ref', entityRefs);
    const rows = await query;
    return rows.map(row => ({
      scanId: row.scan_id,
      entityRef: row.entity_ref,
      result: JSON.parse(row.result_json),
      evidenceHash: row.evidence_hash,
      scannedAt: row.scanned_at,
    }));
  }

  /**
   * The latest status, summary and fix of each control of the given services (all when omitted):
   * what the scorecard shows, without reading the evidence.
   */
  async latestCells(entityRefs?: string[]): Promise<StoredResult[]> {
    const query = this.knex('dr_results as r')
      .join('dr_latest as l', function join() {
        this.on('l.scan_id', '=', 'r.scan_id').andOn(
          'l.entity_ref',
          '=',
          'r.entity_ref',
        );
      })
      .select(
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
  async trendPoints(
    since: Date,
    perService: number,
  ): Promise<
    Array<{ entityRef: string; scannedAt: string; score: number | null }>
  > {
    const from = since.toISOString();
    let rows: Array<{ entity_ref: string; scanned_at: string; score: unknown }>;
    if (this.knex.client.dialect === 'postgresql') {
      // One index range (dr_scores_entity_idx, newest first) per service.
      rows = (
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
    } else {
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
      rows = (
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

  /**
   * Cheap values that change whenever what the scorecard is computed from changes, on any replica:
   * `scans`, the scans per finished status (completing a scan is what replaces results, scores and
   * the latest pointers, and a scan only ever leaves `running`), and `waivers`, the waivers requested,
   * approved and revoked. Scans and waivers are never deleted, so the counts only move on. One query.
   */
  async scorecardVersion(): Promise<{ scans: string; waivers: string }> {
    const { knex } = this;
    const scans = (status: ScanSummary['status']) =>
      knex('dr_scans').where({ status }).count('*').as(status);
    const row = await knex
      .select(
        scans('completed'),
        scans('failed'),
        scans('interrupted'),
        knex('dr_waivers').count('*').as('waivers'),
        knex('dr_waivers').count('revoked_at').as('revoked'),
        knex('dr_waivers').count('approved_at').as('approved'),
        knex('dr_waivers').max('created_at').as('created_at'),
        knex('dr_waivers').max('revoked_at').as('revoked_at'),
        knex('dr_waivers').max('approved_at').as('approved_at'),
      )
      .first();
    const join = (...values: unknown[]) =>
      values.map(v => String(v ?? '')).join('/');
    return {
      scans: join(row.completed, row.failed, row.interrupted),
      waivers: join(
        row.waivers,
        row.revoked,
        row.approved,
        row.created_at,
        row.revoked_at,
        row.approved_at,
      ),
    };
  }

  /** Deletes result rows (evidence) older than the retention; scores (history) are kept. */
  async pruneResults(olderThan: Date): Promise<number> {
    return this.knex('dr_results')
      .where('scanned_at', '<', olderThan.toISOString())
      .whereNotIn('scan_id', this.knex('dr_latest').select('scan_id'))
      .delete();
  }

  async waivers(entityRefs?: string[]): Promise<Waiver[]> {
    const query = this.knex('dr_waivers').orderBy('created_at', 'desc');
    if (entityRefs) query.whereIn('entity_ref', entityRefs);
    return (await query).map(parseWaiver);
  }

  async waiver(entityRef: string, id: string): Promise<Waiver | undefined> {
    const row = await this.knex('dr_waivers')
      .where({ id, entity_ref: entityRef })
      .first();
    return row ? parseWaiver(row) : undefined;
  }

  /** Records a waiver: `requested`, or (the demo's) already approved by its `approver`. */
  async addWaiver(
    waiver: Omit<Waiver, 'id' | 'revokedAt' | 'revokedBy'>,
  ): Promise<Waiver> {
    const id = randomUUID();
    const approved = waiver.status === 'approved';
    if (approved && !(waiver.approver && waiver.approvedAt))
      throw new Error('An approved waiver needs its approver and approvedAt');
    await this.knex('dr_waivers').insert({
      id,
      entity_ref: waiver.entityRef,
      control_id: waiver.controlId,
      reason: waiver.reason,
      approver: approved ? waiver.approver : null,
      approved_at: approved ? waiver.approvedAt : null,
      expires_at: waiver.expiresAt,
      created_by: waiver.createdBy,
      created_at: waiver.createdAt,
    });
    return (await this.waiver(waiver.entityRef, id))!;
  }

  /**
   * Approves a requested waiver as `approver` at `at`; undefined when it is no longer requested
   * (approved or revoked meanwhile, perhaps on another replica).
   */
  async approveWaiver(
    entityRef: string,
    id: string,
    approver: string,
    at: Date,
  ): Promise<Waiver | undefined> {
    const updated = await this.knex('dr_waivers')
      .where({ id, entity_ref: entityRef })
      .whereNull('approved_at')
      .whereNull('revoked_at')
      .update({ approver, approved_at: at.toISOString() });
    return updated === 1 ? this.waiver(entityRef, id) : undefined;
  }

  async revokeWaiver(
    entityRef: string,
    id: string,
    by: string,
    at: Date,
  ): Promise<Waiver | undefined> {
    await this.knex('dr_waivers')
      .where({ id, entity_ref: entityRef })
      .whereNull('revoked_at')
      .update({ revoked_at: at.toISOString(), revoked_by: by });
    const row = await this.knex('dr_waivers')
      .where({ id, entity_ref: entityRef })
      .first();
    return row ? parseWaiver(row) : undefined;
  }
}
