import type {
  DrillKind,
  DrillOutcome,
  FailoverDrill,
} from '@internal/dr-readiness-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';

/** A row of `dr_drills` as the drivers hand it out. */
interface DrillRow {
  id: string;
  entity_ref: string;
  kind: string;
  started_at: string;
  ended_at: string;
  duration_minutes: number | string;
  outcome: string;
  notes?: string | null;
  link?: string | null;
  recorded_by: string;
  recorded_at: string;
}

const parseDrill = (row: DrillRow): FailoverDrill => ({
  id: row.id,
  entityRef: row.entity_ref,
  kind: row.kind as DrillKind,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  durationMinutes: Number(row.duration_minutes),
  outcome: row.outcome as DrillOutcome,
  notes: row.notes ?? undefined,
  link: row.link ?? undefined,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at,
});

/** Failover drills (`dr_drills`): recorded, never edited or deleted. */
export class DrillStore {
  constructor(private readonly knex: Knex) {}

  /** The drills of the given services (all when omitted), newest end first. */
  async drills(entityRefs?: string[]): Promise<FailoverDrill[]> {
    const query = this.knex<DrillRow>('dr_drills')
      .orderBy('ended_at', 'desc')
      .orderBy('recorded_at', 'desc');
    if (entityRefs) query.whereIn('entity_ref', entityRefs);
    return (await query).map(parseDrill);
  }

  async addDrill(drill: Omit<FailoverDrill, 'id'>): Promise<FailoverDrill> {
    const id = randomUUID();
    await this.knex('dr_drills').insert({
      id,
      entity_ref: drill.entityRef,
      kind: drill.kind,
      started_at: drill.startedAt,
      ended_at: drill.endedAt,
      duration_minutes: drill.durationMinutes,
      outcome: drill.outcome,
      notes: drill.notes ?? null,
      link: drill.link ?? null,
      recorded_by: drill.recordedBy,
      recorded_at: drill.recordedAt,
    });
    const row = await this.knex<DrillRow>('dr_drills').where({ id }).first();
    return parseDrill(row!);
  }
}
