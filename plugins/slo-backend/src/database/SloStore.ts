import { DatabaseService, resolvePackagePath } from '@backstage/backend-plugin-api';
import type { ReviewNote, SloDefinitionProblem, SloStatus } from '@internal/slo-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';

const MIGRATIONS = resolvePackagePath('@internal/slo-backend', 'migrations');

export interface Snapshot {
  key: string;
  day: string;
  status: SloStatus;
  breached: boolean;
}

/** SLO evaluations, daily snapshots and review notes (SQLite or PostgreSQL). */
export class SloStore {
  static async create(database: DatabaseService): Promise<SloStore> {
    const knex = await database.getClient();
    return database.migrations?.skip ? new SloStore(knex) : SloStore.fromKnex(knex);
  }

  static async fromKnex(knex: Knex): Promise<SloStore> {
    await knex.migrate.latest({ directory: MIGRATIONS, tableName: 'slo_knex_migrations' });
    return new SloStore(knex);
  }

  constructor(private readonly knex: Knex) {}

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
      for (const { status, yaml } of options.statuses) {
        await tx('slo_status').insert({
          slo_key: status.key,
          entity_ref: status.entityRef,
          status_json: JSON.stringify(status),
          definition_yaml: yaml,
          evaluated_at: status.evaluatedAt,
        });
      }
      await this.saveSnapshots(tx, options.day, options.statuses);
      await tx('slo_problems').delete();
      if (options.problems.length > 0) {
        await tx('slo_problems').insert(options.problems.map(p => ({ entity_ref: p.entityRef, source: p.source, message: p.message })));
      }
      await tx('slo_evaluations').insert({
        started_at: options.startedAt.toISOString(),
        finished_at: options.finishedAt.toISOString(),
        slos: options.statuses.length,
        queries: options.queries,
        error: options.error ?? null,
      });
    });
  }

  /** A day's snapshot per SLO; `breached` stays true once seen that day. */
  async saveSnapshots(tx: Knex, day: string, statuses: Array<{ status: SloStatus; breached: boolean }>) {
    for (const { status, breached } of statuses) {
      const existing = await tx('slo_snapshots').where({ slo_key: status.key, day }).first('breached');
      const row = {
        slo_key: status.key,
        day,
        status_json: JSON.stringify(status),
        breached: breached || Number(existing?.breached ?? 0) > 0 ? 1 : 0,
        evaluated_at: status.evaluatedAt,
      };
      if (existing) await tx('slo_snapshots').where({ slo_key: status.key, day }).update(row);
      else await tx('slo_snapshots').insert(row);
    }
  }

  async backfillSnapshots(day: string, statuses: Array<{ status: SloStatus; breached: boolean }>) {
    await this.knex.transaction(tx => this.saveSnapshots(tx, day, statuses));
  }

  async hasSnapshots(): Promise<boolean> {
    return Boolean(await this.knex('slo_snapshots').first('slo_key'));
  }

  async statuses(entityRefs?: string[]): Promise<Array<{ status: SloStatus; yaml: string }>> {
    const query = this.knex('slo_status').select('status_json', 'definition_yaml').orderBy('slo_key');
    if (entityRefs) query.whereIn('entity_ref', entityRefs);
    return (await query).map(r => ({ status: JSON.parse(r.status_json), yaml: r.definition_yaml }));
  }

  async problems(entityRefs?: string[]): Promise<SloDefinitionProblem[]> {
    const query = this.knex('slo_problems').select('entity_ref', 'source', 'message');
    if (entityRefs) query.whereIn('entity_ref', entityRefs);
    return (await query).map(r => ({ entityRef: r.entity_ref, source: r.source, message: r.message }));
  }

  async lastEvaluation(): Promise<{ finishedAt: string; queries: number; error?: string } | undefined> {
    const row = await this.knex('slo_evaluations').orderBy('id', 'desc').first();
    return row ? { finishedAt: row.finished_at, queries: row.queries, error: row.error ?? undefined } : undefined;
  }

  async snapshots(fromDay: string, toDay: string): Promise<Snapshot[]> {
    const rows = await this.knex('slo_snapshots').where('day', '>=', fromDay).andWhere('day', '<', toDay).orderBy(['slo_key', 'day']);
    return rows.map(r => ({ key: r.slo_key, day: r.day, status: JSON.parse(r.status_json), breached: Number(r.breached) > 0 }));
  }

  async snapshotDays(): Promise<string[]> {
    return (await this.knex('slo_snapshots').distinct('day').orderBy('day', 'desc')).map(r => r.day);
  }

  async notes(week: string): Promise<ReviewNote[]> {
    const rows = await this.knex('slo_review_notes').where({ week }).orderBy('created_at');
    return rows.map(r => ({
      id: r.id,
      sloKey: r.slo_key,
      week: r.week,
      kind: r.kind,
      text: r.text,
      owner: r.owner ?? undefined,
      done: r.kind === 'action' ? Number(r.done) > 0 : undefined,
      author: r.author,
      createdAt: r.created_at,
    }));
  }

  async addNote(note: Omit<ReviewNote, 'id' | 'createdAt' | 'done'>, now: Date): Promise<ReviewNote> {
    const stored: ReviewNote = { ...note, id: randomUUID(), createdAt: now.toISOString(), done: note.kind === 'action' ? false : undefined };
    await this.knex('slo_review_notes').insert({
      id: stored.id,
      slo_key: stored.sloKey,
      week: stored.week,
      kind: stored.kind,
      text: stored.text,
      owner: stored.owner ?? null,
      done: stored.kind === 'action' ? 0 : null,
      author: stored.author,
      created_at: stored.createdAt,
    });
    return stored;
  }

  async note(id: string): Promise<ReviewNote | undefined> {
    const row = await this.knex('slo_review_notes').where({ id }).first();
    return row ? (await this.notes(row.week)).find(n => n.id === id) : undefined;
  }

  async setDone(id: string, done: boolean) {
    await this.knex('slo_review_notes').where({ id, kind: 'action' }).update({ done: done ? 1 : 0 });
  }
}
