import type {
  ReviewNote,
  SloStatus,
  WeeklyReview,
  WeeklySloLine,
} from '@internal/slo-common';
import { JsonView, VersionedMemo } from '@internal/platform-node';
import type { DataVersions, SnapshotSummary } from '../database/SloStore';
import type { SloContext } from './context';
import { reviewMarkdown } from './markdown';
import { addDays, isoDay, weekOf } from './weeks';

/** What one week's review is made of, as read from the store. */
interface ReviewData {
  week: string;
  previousWeek: string;
  currentWeek: string;
  thisWeek: SnapshotSummary[];
  lastWeek: SnapshotSummary[];
  notes: ReviewNote[];
  /** Days with snapshots. */
  days: string[];
  /** The latest evaluation's statuses, for this week's review only. */
  current: SloStatus[];
}

const change = (a?: number, b?: number, scale = 100) =>
  a === undefined || b === undefined
    ? undefined
    : Math.round((a - b) * scale * 1000) / 1000;

/** The week's line per SLO: the latest of each week, the week's breaches and worst burn, its notes. */
function reviewLines(data: ReviewData): WeeklySloLine[] {
  const now = new Map(data.thisWeek.map(s => [s.key, s]));
  const before = new Map(data.lastWeek.map(s => [s.key, s.latest]));
  const latest = new Map(data.current.map(s => [s.key, s]));
  const notesOf = new Map<string, ReviewNote[]>();
  for (const note of data.notes) {
    const list = notesOf.get(note.sloKey);
    if (list) list.push(note);
    else notesOf.set(note.sloKey, [note]);
  }
  const keys = new Set([...now.keys(), ...data.current.map(c => c.key)]);
  return [...keys].flatMap(key => {
    const week0 = now.get(key);
    const status = week0?.latest ?? latest.get(key);
    if (!status) return [];
    const end = week0?.latest;
    const prev = before.get(key);
    return [
      {
        slo: {
          key,
          name: status.name,
          displayName: status.displayName,
          entityRef: status.entityRef,
          product: status.product,
          team: status.team,
          source: status.source,
          target: status.target,
          windowLabel: status.windowLabel,
        },
        attainment: end?.attainment,
        budgetRemaining: end?.budget?.remaining,
        attainmentChange: change(end?.attainment, prev?.attainment),
        budgetRemainingChange: change(
          end?.budget?.remaining,
          prev?.budget?.remaining,
        ),
        breached: week0?.breached ?? false,
        worstBurn: week0?.worstBurn ?? 'no-data',
        notes: notesOf.get(key) ?? [],
      },
    ];
  });
}

/** The lines grouped by product and team, least budget left first, and the weeks to pick from. */
function weeklyReview(data: ReviewData): WeeklyReview {
  const groups = new Map<string, WeeklyReview['groups'][number]>();
  for (const line of reviewLines(data).sort(
    (a, b) => (a.budgetRemaining ?? 2) - (b.budgetRemaining ?? 2),
  )) {
    const id = `${line.slo.product ?? ''}|${line.slo.team ?? ''}`;
    const group = groups.get(id) ?? {
      product: line.slo.product,
      team: line.slo.team,
      lines: [],
    };
    group.lines.push(line);
    groups.set(id, group);
  }
  const weeks = [...new Set([data.currentWeek, ...data.days.map(weekOf)])]
    .sort()
    .reverse();
  return {
    week: data.week,
    previousWeek: data.previousWeek,
    weeks,
    groups: [...groups.values()].sort((a, b) =>
      `${a.product}${a.team}`.localeCompare(`${b.product}${b.team}`),
    ),
  };
}

/**
 * The weekly review: each SLO's week from the stored daily snapshots against the week before, with
 * the review notes. Changes only when an evaluation (or a snapshot) or a note is stored, by any
 * replica: computed once per version of the data and week, not per request.
 */
export class ReviewReader {
  private readonly reviews = new VersionedMemo<JsonView<WeeklyReview>>(16);

  constructor(
    private readonly context: Pick<SloContext, 'store' | 'latest' | 'now'>,
  ) {}

  /** A week's review (`current`: this week), with its JSON body for the API; shared by the requests of one data version. */
  async reviewView(
    requested: string | 'current',
  ): Promise<JsonView<WeeklyReview>> {
    const currentWeek = weekOf(isoDay(this.context.now()));
    const week = requested === 'current' ? currentWeek : weekOf(requested);
    const versions = await this.context.store.versions();
    return this.reviews.get(
      `${versions.evaluations}.${versions.notes} ${week} ${currentWeek}`,
      this.context.now().getTime(),
      async () =>
        new JsonView(await this.computeReview(week, currentWeek, versions)),
    );
  }

  /** A week's review (read-only: shared). */
  async review(requested: string | 'current'): Promise<WeeklyReview> {
    return (await this.reviewView(requested)).value;
  }

  /** The week's review as Markdown, for the meeting notes (see reviewMarkdown). */
  async markdown(week: string): Promise<string> {
    return reviewMarkdown(await this.review(week));
  }

  /**
   * The week's snapshots against the week before's, per SLO: the latest of each week, and the week's
   * breaches and worst burn, added up by the database. This week's review also lists SLOs with no
   * snapshot yet, from the latest evaluation.
   */
  private async computeReview(
    week: string,
    currentWeek: string,
    versions: DataVersions,
  ): Promise<WeeklyReview> {
    const previousWeek = addDays(week, -7);
    const { store, latest } = this.context;
    const [thisWeek, lastWeek, notes, days, current] = await Promise.all([
      store.snapshotSummaries(week, addDays(week, 7)),
      store.snapshotSummaries(previousWeek, week),
      store.notes(week),
      store.snapshotDays(),
      week === currentWeek ? latest.view(versions).then(v => v.statuses) : [],
    ]);
    return weeklyReview({
      week,
      previousWeek,
      currentWeek,
      thisWeek,
      lastWeek,
      notes,
      days,
      current,
    });
  }
}
