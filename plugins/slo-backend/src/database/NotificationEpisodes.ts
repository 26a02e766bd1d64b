import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** What an owner is told about: a fast burn (page) of an SLO, or an objective's budget exhausted. */
export type EpisodeCondition = 'page' | 'exhausted';

/** One condition of one SLO (and objective) whose episodes are followed from evaluation to evaluation. */
export interface EpisodeTrack {
  /** `<slo key>|page` or `<slo key>|exhausted|<objective target>`. */
  key: string;
  sloKey: string;
  entityRef: string;
  team?: string;
  condition: EpisodeCondition;
  /** The objective's target (`0.999`), or `slo` for the SLO as a whole. */
  objective: string;
}

/** An episode: from the evaluation that saw the condition start until one that saw it end. */
export interface Episode {
  id: string;
  trackKey: string;
  sloKey: string;
  team?: string;
  condition: EpisodeCondition;
  objective: string;
  startedAt: string;
  endedAt?: string;
  /** Set once a run took the start notification on (sent, or being sent). */
  notifyClaimed: boolean;
  notifiedAt?: string;
  title?: string;
  recoveredAt?: string;
}

const episodeOf = (r: any): Episode => ({
  id: r.id,
  trackKey: r.track_key,
  sloKey: r.slo_key,
  team: r.team ?? undefined,
  condition: r.condition,
  objective: r.objective,
  startedAt: r.started_at,
  endedAt: r.ended_at ?? undefined,
  notifyClaimed: Boolean(r.notify_claim),
  notifiedAt: r.notified_at ?? undefined,
  title: r.title ?? undefined,
  recoveredAt: r.recovered_at ?? undefined,
});

/**
 * The episodes of fast burns and exhausted budgets, and the owner notifications the cluster sent
 * for them. Opening an episode and sending its notification are claims in the database: the
 * first evaluation (replica, retried task) wins, any other finds it taken. A failed send gives its
 * claim back, so the next evaluation that still sees the episode open sends it.
 */
export class NotificationEpisodes {
  constructor(private readonly knex: Knex) {}

  /** Every open episode, by track key: one read per evaluation. */
  async open(): Promise<Map<string, Episode>> {
    const rows = await this.knex('slo_notification_episodes').whereNotNull(
      'open_key',
    );
    return new Map(rows.map(r => [r.track_key, episodeOf(r)]));
  }

  /** Opens an episode on the track at `at` (`opened`), or returns the one another run opened first. */
  async start(
    track: EpisodeTrack,
    at: Date,
  ): Promise<{ episode: Episode; opened: boolean }> {
    const id = randomUUID();
    await this.knex('slo_notification_episodes')
      .insert({
        id,
        track_key: track.key,
        open_key: track.key,
        slo_key: track.sloKey,
        entity_ref: track.entityRef,
        team: track.team ?? null,
        condition: track.condition,
        objective: track.objective,
        started_at: at.toISOString(),
      })
      .onConflict('open_key')
      .ignore();
    const row = await this.knex('slo_notification_episodes')
      .where({ open_key: track.key })
      .first();
    return { episode: episodeOf(row), opened: row.id === id };
  }

  /** Ends an open episode at `at`: true for the one run that ended it. */
  async end(id: string, at: Date): Promise<boolean> {
    const changed = await this.knex('slo_notification_episodes')
      .where({ id })
      .whereNotNull('open_key')
      .update({ open_key: null, ended_at: at.toISOString() });
    return Number(changed) === 1;
  }

  /** Claims the sending of an episode's start (`start`) or recovery (`recovered`) notification. */
  async claim(
    id: string,
    which: 'start' | 'recovered',
  ): Promise<string | undefined> {
    const column = which === 'start' ? 'notify_claim' : 'recovered_claim';
    const claim = randomUUID();
    const changed = await this.knex('slo_notification_episodes')
      .where({ id })
      .whereNull(column)
      .update({ [column]: claim });
    return Number(changed) === 1 ? claim : undefined;
  }

  /** Records a claimed notification as sent. */
  async sent(
    id: string,
    which: 'start' | 'recovered',
    at: Date,
    title: string,
  ): Promise<void> {
    await this.knex('slo_notification_episodes')
      .where({ id })
      .update(
        which === 'start'
          ? { notified_at: at.toISOString(), title }
          : { recovered_at: at.toISOString() },
      );
  }

  /** Gives a claim back (its send failed). */
  async release(
    id: string,
    which: 'start' | 'recovered',
    claim: string,
  ): Promise<void> {
    const column = which === 'start' ? 'notify_claim' : 'recovered_claim';
    await this.knex('slo_notification_episodes')
      .where({ id, [column]: claim })
      .update({ [column]: null });
  }

  /** Every episode of an SLO, oldest first: for tests and support. */
  async episodes(sloKey?: string): Promise<Episode[]> {
    const query = this.knex('slo_notification_episodes').orderBy([
      'started_at',
      'track_key',
    ]);
    if (sloKey) query.where({ slo_key: sloKey });
    return (await query).map(episodeOf);
  }

  /** Claims the announcement of `week`'s review to `team`: the claim when this run is the one to send it. */
  async claimAnnouncement(
    team: string,
    week: string,
    openItems: number,
    at: Date,
  ): Promise<string | undefined> {
    const claim = randomUUID();
    await this.knex('slo_review_announcements')
      .insert({
        team,
        week,
        claim,
        claimed_at: at.toISOString(),
        open_items: openItems,
      })
      .onConflict(['team', 'week'])
      .ignore();
    const row = await this.knex('slo_review_announcements')
      .where({ team, week })
      .first('claim');
    return row?.claim === claim ? claim : undefined;
  }

  async releaseAnnouncement(team: string, week: string, claim: string) {
    await this.knex('slo_review_announcements')
      .where({ team, week, claim })
      .delete();
  }

  /** The teams told of a week's review. */
  async announced(week: string): Promise<string[]> {
    return (
      await this.knex('slo_review_announcements')
        .where({ week })
        .orderBy('team')
        .select('team')
    ).map(r => r.team);
  }
}
