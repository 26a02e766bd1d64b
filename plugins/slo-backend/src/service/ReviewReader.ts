import type {
  DeployApproval,
  ReviewNote,
  ReviewSignOff,
  SloCorrection,
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
  /** Open action items of earlier weeks, carried over into this one. */
  carried: ReviewNote[];
  signOffs: ReviewSignOff[];
  /** Corrections overlapping the week. */
  corrections: SloCorrection[];
  /** The day an open action item is overdue after: today, or the week's Sunday for past weeks. */
  dueBy: string;
  /** Deploy approvals and exceptions recorded in the week (error-budget policy). */
  approvals: DeployApproval[];
}

function byKey<T extends { sloKey: string }>(items: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.sloKey);
    if (list) list.push(item);
    else out.set(item.sloKey, [item]);
  }
  return out;
}

/** The week's notes and the action items carried over into it, with whether each open one is overdue. */
function notesOfWeek(data: ReviewData): ReviewNote[] {
  const overdue = (note: ReviewNote) =>
    note.kind === 'action' && !note.done && !!note.due && note.due < data.dueBy;
  return [
    ...data.carried.map(note => ({
      ...note,
      carriedOverFrom: note.week,
      // Closed after this week: it was open during it.
      done:
        note.done && !!note.closedAt && note.closedAt < addDays(data.week, 7),
    })),
    ...data.notes,
  ].map(note => (overdue(note) ? { ...note, overdue: true } : note));
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
  const notesOf = byKey(notesOfWeek(data));
  const correctionsOf = byKey(data.corrections);
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
        corrections: correctionsOf.get(key) ?? [],
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
  const signOffs = new Map(data.signOffs.map(s => [s.team, s]));
  for (const group of groups.values()) {
    const signOff = group.team ? signOffs.get(group.team) : undefined;
    if (signOff) group.signOff = signOff;
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
    approvals: data.approvals,
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
    private readonly context: Pick<
      SloContext,
      'store' | 'latest' | 'now' | 'reviewStore' | 'gateStore'
    >,
  ) {}

  /** A week's review (`current`: this week), with its JSON body for the API; shared by the requests of one data version. */
  async reviewView(
    requested: string | 'current',
  ): Promise<JsonView<WeeklyReview>> {
    const today = isoDay(this.context.now());
    const currentWeek = weekOf(today);
    const week = requested === 'current' ? currentWeek : weekOf(requested);
    const versions = await this.context.store.versions();
    // Open action items become overdue as days pass: the day is part of the version.
    return this.reviews.get(
      `${versions.evaluations}.${versions.notes} ${week} ${today}`,
      this.context.now().getTime(),
      async () =>
        new JsonView(
          await this.computeReview(week, currentWeek, today, versions),
        ),
    );
  }

  /** A week's review (read-only: shared). */
  async review(requested: string | 'current'): Promise<WeeklyReview> {
    return (await this.reviewView(requested)).value;
  }

  /** The week's review as Markdown, for the meeting notes (see reviewMarkdown); one team's section with `team`. */
  async markdown(week: string, team?: string): Promise<string> {
    return reviewMarkdown(await this.review(week), { team });
  }

  /**
   * The week's snapshots against the week before's, per SLO: the latest of each week, and the week's
   * breaches and worst burn, added up by the database. This week's review also lists SLOs with no
   * snapshot yet, from the latest evaluation.
   */
  private async computeReview(
    week: string,
    currentWeek: string,
    today: string,
    versions: DataVersions,
  ): Promise<WeeklyReview> {
    const previousWeek = addDays(week, -7);
    const nextWeek = addDays(week, 7);
    const { store, latest, reviewStore } = this.context;
    const [thisWeek, lastWeek, notes, days, current] = await Promise.all([
      store.snapshotSummaries(week, nextWeek),
      store.snapshotSummaries(previousWeek, week),
      store.notes(week),
      store.snapshotDays(),
      week === currentWeek ? latest.view(versions).then(v => v.statuses) : [],
    ]);
    const [carried, signOffs, corrections, approvals] = await Promise.all([
      reviewStore.carriedOver(week),
      reviewStore.signOffs(week),
      reviewStore.corrections({
        from: new Date(`${week}T00:00:00Z`),
        to: new Date(`${nextWeek}T00:00:00Z`),
      }),
      this.context.gateStore.approvals({
        from: new Date(`${week}T00:00:00Z`),
        to: new Date(`${nextWeek}T00:00:00Z`),
      }),
    ]);
    const sunday = addDays(week, 6);
    return weeklyReview({
      carried,
      signOffs,
      corrections,
      approvals,
      dueBy: today < sunday ? today : sunday,
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
