import type { CalendarSloWindow, SloDefinition } from '@internal/slo-common';

/** A wall-clock date and time, as read in one time zone. */
interface LocalTime {
  year: number;
  /** 0-based, as Date.UTC takes it. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** The wall clock in `timeZone` at the instant `ms`. */
function localTime(ms: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatIn(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year,
    month: parts.month - 1,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

const asUtc = (t: LocalTime) =>
  Date.UTC(t.year, t.month, t.day, t.hour, t.minute, t.second);

/** How far the zone's wall clock is ahead of UTC at the instant `ms`. */
const offsetAt = (ms: number, timeZone: string) =>
  asUtc(localTime(ms, timeZone)) - Math.floor(ms / 1000) * 1000;

/**
 * The instant the zone's wall clock reads `local`. Across a DST change the offset differs on
 * either side, so it is read again at the first guess; a wall time skipped by a spring-forward
 * gap becomes the first instant after the gap.
 */
function instantOf(local: LocalTime, timeZone: string): number {
  const wall = asUtc(local);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  if (second === first) return first;
  // Two candidates: keep one whose wall clock reads `local`, else (a gap) the later.
  if (asUtc(localTime(second, timeZone)) === wall) return second;
  return Math.max(first, second);
}

const START_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** The calendar's startTime (the parser checked its format); midnight on 2024-01-01, a Monday, if unreadable. */
function anchorOf(w: CalendarSloWindow): LocalTime {
  const match = START_TIME.exec(w.startTime);
  if (!match)
    return { year: 2024, month: 0, day: 1, hour: 0, minute: 0, second: 0 };
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  return { year, month: month - 1, day, hour, minute, second };
}

const MONTHS = { month: 1, quarter: 3, year: 12 } as const;
const DAYS = { day: 1, week: 7 } as const;
const SECONDS = { minute: 60, hour: 3600 } as const;

const floorDiv = (a: number, b: number) => Math.floor(a / b);
const daysInMonth = (year: number, month: number) =>
  new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** The `periods`-th window from the anchor, on the wall clock (months keep the anchor's day, or the month's last). */
function shiftMonths(anchor: LocalTime, months: number): LocalTime {
  const index = anchor.year * 12 + anchor.month + months;
  const year = floorDiv(index, 12);
  const month = index - year * 12;
  return {
    ...anchor,
    year,
    month,
    day: Math.min(anchor.day, daysInMonth(year, month)),
  };
}

function shiftDays(anchor: LocalTime, days: number): LocalTime {
  const date = new Date(Date.UTC(anchor.year, anchor.month, anchor.day + days));
  return {
    ...anchor,
    year: date.getUTCFullYear(),
    month: date.getUTCMonth(),
    day: date.getUTCDate(),
  };
}

/**
 * The start of the calendar window holding `now`: windows of `count` units follow one another from
 * `startTime` on the wall clock of `timeZone` (a 1M window from 2026-01-01 00:00 starts at local
 * midnight on each 1st; a 1w window from a Monday on each Monday), so a month in New York starts
 * at 05:00 UTC in winter and 04:00 UTC in summer.
 */
function calendarStart(w: CalendarSloWindow, now: Date): Date {
  const anchor = anchorOf(w);
  const { timeZone } = w;
  const nowMs = now.getTime();
  const local = localTime(nowMs, timeZone);
  if (w.unit in MONTHS) {
    const span = MONTHS[w.unit as keyof typeof MONTHS] * w.count;
    const elapsed =
      local.year * 12 + local.month - (anchor.year * 12 + anchor.month);
    // The month count can overshoot by one when now is before the anchor's day or time in its month.
    for (let k = floorDiv(elapsed, span); ; k--) {
      const start = instantOf(shiftMonths(anchor, k * span), timeZone);
      if (start <= nowMs) return new Date(start);
    }
  }
  if (w.unit in DAYS) {
    const span = DAYS[w.unit as keyof typeof DAYS] * w.count;
    const elapsed = Math.round(
      (Date.UTC(local.year, local.month, local.day) -
        Date.UTC(anchor.year, anchor.month, anchor.day)) /
        86_400_000,
    );
    for (let k = floorDiv(elapsed, span); ; k--) {
      const start = instantOf(shiftDays(anchor, k * span), timeZone);
      if (start <= nowMs) return new Date(start);
    }
  }
  // Minutes and hours are the same length in every zone: count them from the anchor's instant.
  const span = SECONDS[w.unit as keyof typeof SECONDS] * w.count * 1000;
  const first = instantOf(anchor, timeZone);
  return new Date(first + floorDiv(nowMs - first, span) * span);
}

/**
 * When the SLO's current window began at `now`: `now` minus the length for rolling windows, the
 * start of the calendar period in the window's time zone for calendar ones. The backend's
 * evaluation and the demo's story checks share it, so both count the same events.
 */
export function windowStart(slo: SloDefinition, now: Date): Date {
  const w = slo.window;
  if (w.kind === 'rolling') return new Date(now.getTime() - w.seconds * 1000);
  return calendarStart(w, now);
}
