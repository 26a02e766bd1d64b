import type {
  ReviewNote,
  ReviewSignOff,
  SloCorrection,
  SloCorrectionCategory,
} from '@internal/slo-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';

/** A correction's time range, as the evaluation leaves it out of the budget. */
export interface CorrectionRange {
  from: Date;
  to: Date;
}

function correctionOf(r: any): SloCorrection {
  return {
    id: r.id,
    sloKey: r.slo_key,
    from: r.from_at,
    to: r.to_at,
    category: r.category as SloCorrectionCategory,
    reason: r.reason,
    author: r.author,
    createdAt: r.created_at,
    ...(r.revoked_at
      ? { revokedBy: r.revoked_by ?? undefined, revokedAt: r.revoked_at }
      : {}),
  };
}

function signOffOf(r: any): ReviewSignOff {
  return {
    week: r.week,
    team: r.team,
    signedBy: r.signed_by,
    signedAt: r.signed_at,
  };
}

/** A review note or action item row (slo_review_notes) as the review shows it. */
export function noteOf(r: any): ReviewNote {
  return {
    id: r.id,
    sloKey: r.slo_key,
    week: r.week,
    kind: r.kind,
    text: r.text,
    owner: r.owner ?? undefined,
    done: r.kind === 'action' ? Number(r.done) > 0 : undefined,
    author: r.author,
    createdAt: r.created_at,
    due: r.due ?? undefined,
    closedBy: r.closed_by ?? undefined,
    closedAt: r.closed_at ?? undefined,
  };
}

/**
 * The review workflow's records over the SLO database (migration 20261206b_review_workflow):
 * corrections, team sign-offs and action items' due dates and closing. Every write bumps the
 * `notes` data version in its transaction, so the memoised weekly reviews of every replica see it.
 */
export class ReviewStore {
  constructor(private readonly knex: Knex) {}

  private async bump(tx: Knex) {
    await tx('slo_versions').where({ id: 1 }).increment('notes', 1);
  }

  async addCorrection(
    correction: Omit<
      SloCorrection,
      'id' | 'createdAt' | 'revokedBy' | 'revokedAt'
    >,
    now: Date,
  ): Promise<SloCorrection> {
    const stored: SloCorrection = {
      ...correction,
      id: randomUUID(),
      createdAt: now.toISOString(),
    };
    await this.knex.transaction(async tx => {
      await tx('slo_corrections').insert({
        id: stored.id,
        slo_key: stored.sloKey,
        from_at: stored.from,
        to_at: stored.to,
        category: stored.category,
        reason: stored.reason,
        author: stored.author,
        created_at: stored.createdAt,
      });
      await this.bump(tx);
    });
    return stored;
  }

  async correction(id: string): Promise<SloCorrection | undefined> {
    const row = await this.knex('slo_corrections').where({ id }).first();
    return row ? correctionOf(row) : undefined;
  }

  /**
   * Corrections, oldest first: of some SLOs (all without `sloKeys`), overlapping [from, to) when
   * given, revoked ones only with `includeRevoked`.
   */
  async corrections(
    options: {
      sloKeys?: string[];
      from?: Date;
      to?: Date;
      includeRevoked?: boolean;
    } = {},
  ): Promise<SloCorrection[]> {
    const query = this.knex('slo_corrections').orderBy([
      'from_at',
      'created_at',
    ]);
    if (options.sloKeys) query.whereIn('slo_key', options.sloKeys);
    if (options.to) query.where('from_at', '<', options.to.toISOString());
    if (options.from) query.where('to_at', '>', options.from.toISOString());
    if (!options.includeRevoked) query.whereNull('revoked_at');
    return (await query).map(correctionOf);
  }

  /** The time ranges left out of each SLO's budget (corrections not revoked), by SLO key. */
  async correctionRanges(
    sloKeys?: string[],
  ): Promise<Map<string, CorrectionRange[]>> {
    const out = new Map<string, CorrectionRange[]>();
    for (const c of await this.corrections({ sloKeys })) {
      const list = out.get(c.sloKey) ?? [];
      list.push({ from: new Date(c.from), to: new Date(c.to) });
      out.set(c.sloKey, list);
    }
    return out;
  }

  /** Revokes a correction (kept, with who and when); false when it was revoked already. */
  async revokeCorrection(id: string, by: string, now: Date): Promise<boolean> {
    return this.knex.transaction(async tx => {
      const changed = await tx('slo_corrections')
        .where({ id })
        .whereNull('revoked_at')
        .update({ revoked_by: by, revoked_at: now.toISOString() });
      if (changed > 0) await this.bump(tx);
      return changed > 0;
    });
  }

  async signOffs(week: string): Promise<ReviewSignOff[]> {
    return (
      await this.knex('slo_review_sign_offs').where({ week }).orderBy('team')
    ).map(signOffOf);
  }

  /**
   * Records a team's sign-off of a week; one per team and week: the first stands, and a second
   * returns the first (`created: false`).
   */
  async signOff(
    week: string,
    team: string,
    by: string,
    now: Date,
  ): Promise<{ signOff: ReviewSignOff; created: boolean }> {
    return this.knex.transaction(async tx => {
      const existing = await tx('slo_review_sign_offs')
        .where({ week, team })
        .first();
      if (existing) return { signOff: signOffOf(existing), created: false };
      const row = {
        week,
        team,
        signed_by: by,
        signed_at: now.toISOString(),
      };
      await tx('slo_review_sign_offs').insert(row);
      await this.bump(tx);
      return { signOff: signOffOf(row), created: true };
    });
  }

  /**
   * Action items recorded before `week` that were still open at its start: open now, or closed
   * during or after that week. They carry over into the week's review.
   */
  async carriedOver(week: string): Promise<ReviewNote[]> {
    const rows = await this.knex('slo_review_notes')
      .where({ kind: 'action' })
      .andWhere('week', '<', week)
      .andWhere(open =>
        open.where('done', 0).orWhere('closed_at', '>=', `${week}T00:00:00`),
      )
      .orderBy(['week', 'created_at']);
    return rows.map(noteOf);
  }

  /** Marks an action item done (closed by `by` at `now`) or open again. */
  async setActionDone(
    id: string,
    done: boolean,
    by: string | undefined,
    now: Date,
  ) {
    await this.knex.transaction(async tx => {
      await tx('slo_review_notes')
        .where({ id, kind: 'action' })
        .update({
          done: done ? 1 : 0,
          closed_by: done ? by ?? null : null,
          closed_at: done ? now.toISOString() : null,
        });
      await this.bump(tx);
    });
  }
}
