import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type {
  ReviewNote,
  WeeklyReview,
  WeeklySloLine,
} from '@internal/slo-common';
import type { NotificationEpisodes } from '../database/NotificationEpisodes';
import { addDays, weekOf } from './weeks';

/** When the review is announced: a time of day on Mondays, in a time zone. */
export interface ReviewAnnouncementTime {
  /** `HH:MM`, 24-hour. */
  at: string;
  /** IANA time zone, e.g. `Europe/London`. */
  timeZone: string;
}

export const DEFAULT_ANNOUNCEMENT: ReviewAnnouncementTime = {
  at: '09:00',
  timeZone: 'UTC',
};

/** Checks the config of the announcement time; an error names the key and the fix. */
export function announcementTime(
  at: string | undefined,
  timeZone: string | undefined,
): ReviewAnnouncementTime {
  const time = at ?? DEFAULT_ANNOUNCEMENT.at;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time))
    throw new Error(
      `Invalid config slo.review.announceAt: '${time}' must be a 24-hour time of day HH:MM, e.g. 09:00`,
    );
  const zone = timeZone ?? DEFAULT_ANNOUNCEMENT.timeZone;
  try {
    Intl.DateTimeFormat('en-US', { timeZone: zone }).format(0);
  } catch {
    throw new Error(
      `Invalid config slo.review.timeZone: '${zone}' is not an IANA time zone; use a name such as Europe/London or UTC`,
    );
  }
  return { at: time, timeZone: zone };
}

/** The day (`YYYY-MM-DD`), weekday and time (`HH:MM`) of an instant in a time zone. */
export function localTime(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map(p => [p.type, p.value]),
  );
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: parts.weekday as string,
    time: `${parts.hour}:${parts.minute}`,
  };
}

/** The week to announce at `instant`: its Monday when it is Monday at or after the time, else none. */
export function weekToAnnounce(
  instant: Date,
  when: ReviewAnnouncementTime,
): string | undefined {
  const local = localTime(instant, when.timeZone);
  return local.weekday === 'Mon' && local.time >= when.at
    ? weekOf(local.day)
    : undefined;
}

/** The page of a week's review in the app. */
export const reviewPath = (week: string) => `/slo/review/${week}`;

export interface ReviewAnnouncerOptions {
  /** The weekly review (ReviewReader): what the review page shows. */
  reviews: { review(week: string): Promise<WeeklyReview> };
  episodes: NotificationEpisodes;
  notifications: NotificationService;
  logger: LoggerService;
  now: () => Date;
  when: ReviewAnnouncementTime;
  teamHasMembers?: (groupRef: string) => Promise<boolean>;
}

/** A team's part of the review: its SLOs' lines and its open action items. */
interface TeamSection {
  team: string;
  lines: WeeklySloLine[];
  openItems: ReviewNote[];
}

const percent = (ratio: number) => `${Math.round(ratio * 1000) / 10}%`;

/** At most `max` entries (the review lists the least budget left first), then how many more. */
function listed<T>(items: T[], line: (item: T) => string, max = 10): string {
  const shown = items.slice(0, max).map(line);
  if (items.length > max) shown.push(`and ${items.length - max} more`);
  return shown.join('; ');
}

function sloLine(line: WeeklySloLine): string {
  const name = line.slo.displayName ?? line.slo.name;
  const budget =
    line.budgetRemaining === undefined
      ? 'no data'
      : `${percent(Math.max(line.budgetRemaining, 0))} budget left${
          line.budgetRemaining <= 0 ? ' (exhausted)' : ''
        }`;
  return `${name}: ${budget}, burn ${line.worstBurn}`;
}

function itemLine(note: ReviewNote): string {
  // Owner, due date and overdue as the review workflow records them (absent on older notes).
  const item = note as ReviewNote & { due?: string; overdue?: boolean };
  const extra = [
    item.owner ? `owner ${item.owner}` : undefined,
    item.due ? `due ${item.due}` : undefined,
    item.overdue ? 'overdue' : undefined,
  ].filter(Boolean);
  return `"${item.text}"${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
}

/** The teams of a week's review with their lines, and the open action items of this week and last. */
function sections(current: WeeklyReview, previous: WeeklyReview) {
  const byTeam = new Map<string, TeamSection>();
  const seen = new Set<string>();
  const add = (review: WeeklyReview, withLines: boolean) => {
    for (const group of review.groups) {
      if (!group.team) continue;
      const section = byTeam.get(group.team) ?? {
        team: group.team,
        lines: [],
        openItems: [],
      };
      if (!withLines && !byTeam.has(group.team)) continue;
      if (withLines) section.lines.push(...group.lines);
      for (const note of group.lines.flatMap(l => l.notes)) {
        // Open items carried over into this week's review are the same notes: told once.
        if (note.kind !== 'action' || note.done || seen.has(note.id)) continue;
        seen.add(note.id);
        section.openItems.push(note);
      }
      byTeam.set(group.team, section);
    }
  };
  add(current, true);
  add(previous, false);
  return [...byTeam.values()];
}

/**
 * Announces Monday's SLO review to each team (one notification per team and week, claimed in the
 * database): its SLOs' state and its open action items, linking to the week's review. Runs on the
 * scheduler every few minutes and sends only on Mondays from the configured time of day, in the
 * configured time zone, by the plugin's clock.
 */
export class ReviewAnnouncer {
  constructor(private readonly options: ReviewAnnouncerOptions) {}

  async run(
    signal?: AbortSignal,
  ): Promise<{ week?: string; sent: string[]; failed: string[] }> {
    const { reviews, now, when, logger } = this.options;
    const week = weekToAnnounce(now(), when);
    if (!week) return { sent: [], failed: [] };
    const [current, previous] = await Promise.all([
      reviews.review(week),
      reviews.review(addDays(week, -7)),
    ]);
    const sent: string[] = [];
    const failed: string[] = [];
    for (const section of sections(current, previous)) {
      signal?.throwIfAborted();
      const outcome = await this.announce(week, section);
      if (outcome === 'sent') sent.push(section.team);
      if (outcome === 'failed') failed.push(section.team);
    }
    if (sent.length > 0)
      logger.info(
        `SLO review of ${week} announced to ${sent.length} team(s): ${sent.join(
          ', ',
        )}`,
      );
    return { week, sent, failed };
  }

  private async announce(
    week: string,
    section: TeamSection,
  ): Promise<'sent' | 'already' | 'failed'> {
    const { episodes, notifications, now, logger, teamHasMembers } =
      this.options;
    if (teamHasMembers && !(await teamHasMembers(section.team)))
      return 'failed';
    const claim = await episodes.claimAnnouncement(
      section.team,
      week,
      section.openItems.length,
      now(),
    );
    if (!claim) return 'already';
    const items = section.openItems.length;
    const slos = section.lines.length;
    try {
      await notifications.send({
        recipients: { type: 'entity', entityRef: section.team },
        payload: {
          title: `SLO review, week of ${week}: ${slos} SLO${
            slos === 1 ? '' : 's'
          }, ${items} open action item${items === 1 ? '' : 's'}`,
          description: [
            `SLOs: ${listed(section.lines, sloLine)}.`,
            items > 0
              ? `Open action items: ${listed(section.openItems, itemLine)}.`
              : 'No open action items.',
            "Review the week and sign off your team's section.",
          ].join(' '),
          link: reviewPath(week),
          severity: section.lines.some(l => l.breached) ? 'high' : 'normal',
          topic: 'SLO weekly review',
          scope: `slo-review:${section.team}:${week}`,
        },
      });
      return 'sent';
    } catch (error) {
      await episodes.releaseAnnouncement(section.team, week, claim);
      logger.warn(
        `SLO: could not announce the review of ${week} to ${section.team}, the next run retries: ${error}`,
      );
      return 'failed';
    }
  }
}
