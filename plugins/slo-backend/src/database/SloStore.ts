import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type {
  ReviewNote,
  SloBurnStatus,
  SloDefinitionProblem,
  SloStatus,
} from '@internal/slo-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { ReviewStore, noteOf } from './ReviewStore';
import { GateStore } from './GateStore';
import {
  migrated,
  migratedClient,
  type PluginMigrations,
} from '@internal/platform-node';

const MIGRATIONS: PluginMigrations = {
  directory: resolvePackagePath('@internal/slo-backend', 'migrations'),
  tableName: 'slo_knex_migrations',
};

/** One SLO's snapshots over a range of days: the latest one, and what the others add up to. */
export interface SnapshotSummary {
  key: string;
  /** The latest snapshot's status. */
  latest: SloStatus;
  /** The budget ran out, or a page-level burn was seen, on one of the days. */
  breached: boolean;
  /** The worst burn status of the days. */
  worstBurn: SloBurnStatus;
}

/**
 * Change counters of what the read views are computed from, bumped in the transaction of each
 * write: `evaluations` by stored evaluations and snapshots, `notes` by review notes. Every replica
 * sees another's write as a higher number.
 */
export interface DataVersions {
  evaluations: number;
  notes: number;
}

/** Burn statuses from best to worst. */
export const BURN_ORDER: SloBurnStatus[] = ['ok', 'no-data', 'ticket', 'page'];

/** Batches of rows per insert: well under SQLite's and PostgreSQL's bound-parameter limits. */
const BATCH = 100;

function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size));
  return out;
}

/** SLO evaluations, daily snapshots and review notes (SQLite or PostgreSQL). */
export class SloStore {
  static async create(database: DatabaseService): Promise<SloStore> {
    return new SloStore(await migratedClient(database, MIGRATIONS));
  }

  /** Migrates the database, then stores there. */
  static async fromKnex(knex: Knex): Promise<SloStore> {
    return new SloStore(await migrated(knex, MIGRATIONS));
  }

  constructor(private readonly knex: Knex) {}

  /** Corrections, sign-offs and action items' workflow, over the same database. */
  reviews(): ReviewStore {
    return new ReviewStore(this.knex);
  }

  /** Deploy gate calls and deploy approvals, over the same database. */
  gates(): GateStore {
    return new GateStore(this.knex);
  }

  /**
   * Stores one evaluation in a transaction: the latest status per SLO (SLOs gone from the catalog
   * are removed), that day's snapshot, and the definition problems.
   */
  async saveEvaluation(options: {
    statuses: Array<{ status: SloStatus; yaml: string; breached: boolean }>;
    problems: SloDefinitionProblem[];
    day: string;
    queries: number;
    startedAt: Date;
    finishedAt: Date;
    error?: string;
  }) {
    await this.knex.transaction(async tx => {
      await tx('slo_status').delete();
      for (const batch of chunks(options.statuses)) {
        await tx('slo_status').insert(
          batch.map(({ status, yaml }) => ({
            slo_key: status.key,
            entity_ref: status.entityRef,
            status_json: JSON.stringify(status),
            definition_yaml: yaml,
            evaluated_at: status.evaluatedAt,
          })),
        );
      }
      await this.saveSnapshots(tx, options.day, options.statuses);
      await tx('slo_problems').delete();
      for (const batch of chunks(options.problems)) {
        await tx('slo_problems').insert(
          batch.map(p => ({
            entity_ref: p.entityRef,
            source: p.source,
            message: p.message,
            severity: p.severity ?? 'error',
          })),
        );
      }
      await tx('slo_evaluations').insert({
        started_at: options.startedAt.toISOString(),
        finished_at: options.finishedAt.toISOString(),
        slos: options.statuses.length,
        queries: options.queries,
        error: options.error ?? null,
      });
      await this.bump(tx, 'evaluations');
    });
  }

  /** A day's snapshot per SLO; `breached` stays true once seen that day. */
  async saveSnapshots(
    tx: Knex,
    day: string,
    statuses: Array<{ status: SloStatus; breached: boolean }>,
  ) {
    // One row per SLO and day (an upsert may not touch a row twice): the last status, breached if any was.
    const byKey = new Map<string, { status: SloStatus; breached: boolean }>();
    for (const { status, breached } of statuses)
      byKey.set(status.key, {
        status,
        breached: breached || Boolean(byKey.get(status.key)?.breached),
      });
    for (const batch of chunks([...byKey.values()])) {
      await tx('slo_snapshots')
        .insert(
          batch.map(({ status, breached }) => ({
            slo_key: status.key,
            day,
            status_json: JSON.stringify(status),
            breached: breached ? 1 : 0,
            burn_status: BURN_ORDER.includes(status.burn.status)
              ? status.burn.status
              : null,
            evaluated_at: status.evaluatedAt,
          })),
        )
        .onConflict(['slo_key', 'day'])
        .merge({
          status_json: tx.raw('excluded.status_json'),
          breached: tx.raw(
            'case when excluded.breached > slo_snapshots.breached then excluded.breached else slo_snapshots.breached end',
          ),
          burn_status: tx.raw('excluded.burn_status'),
          evaluated_at: tx.raw('excluded.evaluated_at'),
        });
    }
    if (byKey.size > 0)
      await tx('slo_snapshot_days').insert({ day }).onConflict('day').ignore();
  }

  async backfillSnapshots(
    day: string,
    statuses: Array<{ status: SloStatus; breached: boolean }>,
  ) {
    await this.knex.transaction(async tx => {
      await this.saveSnapshots(tx, day, statuses);
      await this.bump(tx, 'evaluations');
    });
  }

  /** Bumps a change counter in the writing transaction (see DataVersions). */
  private async bump(tx: Knex, counter: keyof DataVersions) {
    await tx('slo_versions').where({ id: 1 }).increment(counter, 1);
  }

  /** The change counters: one primary-key read, made before reading what they version. */
  async versions(): Promise<DataVersions> {
    const row = await this.knex('slo_versions')
      .where({ id: 1 })
      .first('evaluations', 'notes');
    return {
      evaluations: Number(row?.evaluations ?? 0),
      notes: Number(row?.notes ?? 0),
    };
  }

  async hasSnapshots(): Promise<boolean> {
    return Boolean(await this.knex('slo_snapshots').first('slo_key'));
  }

  async statuses(
    entityRefs?: string[],
  ): Promise<Array<{ status: SloStatus; yaml: string }>> {
    const query = this.knex('slo_status')
      .select('status_json', 'definition_yaml')
      .orderBy('slo_key');
    if (entityRefs) query.whereIn('entity_ref', entityRefs);
    return (await query).map(r => ({
      status: JSON.parse(r.status_json),
      yaml: r.definition_yaml,
    }));
  }

  /** Every SLO's latest status, by key; without the definitions. */
  async latestStatuses(): Promise<SloStatus[]> {
    return (
      await this.knex('slo_status').select('status_json').orderBy('slo_key')
    ).map(r => JSON.parse(r.status_json));
  }

  /** The definitions (OpenSLO YAML) of SLOs by key. */
  async definitions(keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const batch of chunks(keys)) {
      for (const r of await this.knex('slo_status')
        .select('slo_key', 'definition_yaml')
        .whereIn('slo_key', batch))
        out.set(r.slo_key, r.definition_yaml);
    }
    return out;
  }

  /** The Component an SLO belongs to, if the SLO is known. */
  async entityOfSlo(key: string): Promise<string | undefined> {
    return (
      await this.knex('slo_status').where({ slo_key: key }).first('entity_ref')
    )?.entity_ref;
  }

  async problems(entityRefs?: string[]): Promise<SloDefinitionProblem[]> {
    const query = this.knex('slo_problems').select(
      'entity_ref',
      'source',
      'message',
      'severity',
    );
    if (entityRefs) query.whereIn('entity_ref', entityRefs);
    return (await query).map(r => ({
      entityRef: r.entity_ref,
      source: r.source,
      message: r.message,
      ...(r.severity === 'warning' ? { severity: 'warning' as const } : {}),
    }));
  }

  async lastEvaluation(): Promise<
    { finishedAt: string; queries: number; error?: string } | undefined
  > {
    const row = await this.knex('slo_evaluations')
      .orderBy('id', 'desc')
      .first();
    return row
      ? {
          finishedAt: row.finished_at,
          queries: row.queries,
          error: row.error ?? undefined,
        }
      : undefined;
  }

  /**
   * Per SLO with snapshots in [fromDay, toDay), ordered by key: the latest snapshot's status, and
   * whether any was breached and the worst burn, added up in the database from the columns.
   */
  async snapshotSummaries(
    fromDay: string,
    toDay: string,
  ): Promise<SnapshotSummary[]> {
    const rank = `case burn_status ${BURN_ORDER.map(
      (status, i) => `when '${status}' then ${i}`,
    ).join(' ')} end`;
    const days = this.knex('slo_snapshots')
      .select('slo_key')
      .max({ last_day: 'day' })
      .max({ any_breached: 'breached' })
      .max({ worst: this.knex.raw(rank) })
      .sum({
        unknown: this.knex.raw(
          'case when burn_status is null then 1 else 0 end',
        ),
      })
      .where('day', '>=', fromDay)
      .andWhere('day', '<', toDay)
      .groupBy('slo_key')
      .as('d');
    const rows = await this.knex('slo_snapshots as s')
      .join(days, join =>
        join.on('s.slo_key', 'd.slo_key').andOn('s.day', 'd.last_day'),
      )
      .select(
        's.slo_key',
        's.status_json',
        'd.any_breached',
        'd.worst',
        'd.unknown',
      )
      .orderBy('s.slo_key');
    // Snapshots written before burn_status was stored: their burn from the JSON.
    const unknownWorst = new Map<string, number>();
    if (rows.some(r => Number(r.unknown) > 0)) {
      const legacy = await this.knex('slo_snapshots')
        .select('slo_key', 'status_json')
        .where('day', '>=', fromDay)
        .andWhere('day', '<', toDay)
        .whereNull('burn_status');
      for (const r of legacy) {
        const burn = BURN_ORDER.indexOf(
          (JSON.parse(r.status_json) as SloStatus).burn.status,
        );
        unknownWorst.set(
          r.slo_key,
          Math.max(unknownWorst.get(r.slo_key) ?? -1, burn),
        );
      }
    }
    return rows.map(r => {
      const worst = Math.max(
        r.worst === null ? 0 : Number(r.worst),
        unknownWorst.get(r.slo_key) ?? 0,
      );
      return {
        key: r.slo_key,
        latest: JSON.parse(r.status_json),
        breached: Number(r.any_breached) > 0,
        worstBurn: BURN_ORDER[worst],
      };
    });
  }

  async snapshotDays(): Promise<string[]> {
    return (
      await this.knex('slo_snapshot_days').select('day').orderBy('day', 'desc')
    ).map(r => r.day);
  }

  async notes(week: string): Promise<ReviewNote[]> {
    const rows = await this.knex('slo_review_notes')
      .where({ week })
      .orderBy('created_at');
    return rows.map(noteOf);
  }

  async addNote(
    note: Omit<ReviewNote, 'id' | 'createdAt' | 'done'>,
    now: Date,
  ): Promise<ReviewNote> {
    const stored: ReviewNote = {
      ...note,
      id: randomUUID(),
      createdAt: now.toISOString(),
      done: note.kind === 'action' ? false : undefined,
    };
    await this.knex.transaction(async tx => {
      await tx('slo_review_notes').insert({
        id: stored.id,
        slo_key: stored.sloKey,
        week: stored.week,
        kind: stored.kind,
        text: stored.text,
        owner: stored.owner ?? null,
        due: stored.due ?? null,
        done: stored.kind === 'action' ? 0 : null,
        author: stored.author,
        created_at: stored.createdAt,
      });
      await this.bump(tx, 'notes');
    });
    return stored;
  }

  async note(id: string): Promise<ReviewNote | undefined> {
    const row = await this.knex('slo_review_notes').where({ id }).first();
    return row ? noteOf(row) : undefined;
  }

  async setDone(id: string, done: boolean) {
    await this.knex.transaction(async tx => {
      await tx('slo_review_notes')
        .where({ id, kind: 'action' })
        .update({ done: done ? 1 : 0 });
      await this.bump(tx, 'notes');
    });
  }
}
