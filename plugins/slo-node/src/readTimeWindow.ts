/** Reading an SLO's time window: rolling, or aligned to the calendar with a start time and a time zone. */
import type {
  CalendarSloWindow,
  SloDuration,
  SloWindow,
} from '@internal/slo-common';
import { CALENDAR_UNITS } from './duration';
import { FIELDS, present, readDuration } from './openSloFields';
import { FieldPath, isMapping, ObjectCheck } from './objectCheck';

// The spec's startTime format: a local date and time in timeZone, without an offset.
const START_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function isTimeZone(zone: string): boolean {
  try {
    // Throws a RangeError for a zone the IANA database does not know.
    return Boolean(
      new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions()
        .timeZone,
    );
  } catch {
    return false;
  }
}

function isStartTime(text: string): boolean {
  const match = START_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

/** A calendar-aligned window's `calendar`: when the first window starts, and in which time zone. */
function readCalendar(
  check: ObjectCheck,
  value: unknown,
  calendarPath: FieldPath,
  { duration, days }: { duration: SloDuration; days: number },
): CalendarSloWindow | undefined {
  const calendar = check.mapping(value, calendarPath, FIELDS.calendar);
  if (!calendar) return undefined;
  const startTime = check.requiredString(
    calendar.startTime,
    [...calendarPath, 'startTime'],
    'add when the first window starts, e.g. startTime: 2024-01-01 00:00:00',
  );
  if (startTime !== undefined && !isStartTime(startTime)) {
    check.reportValue(
      [...calendarPath, 'startTime'],
      startTime,
      'type',
      "is not a date and time; write YYYY-MM-DD HH:MM:SS in the window's time zone, e.g. 2024-01-01 00:00:00",
    );
    return undefined;
  }
  const timeZone = check.requiredString(
    calendar.timeZone,
    [...calendarPath, 'timeZone'],
    'add an IANA time zone, e.g. timeZone: Europe/London',
  );
  if (timeZone !== undefined && !isTimeZone(timeZone)) {
    check.reportValue(
      [...calendarPath, 'timeZone'],
      timeZone,
      'enum',
      'is not an IANA time zone; write e.g. UTC or Europe/London',
    );
    return undefined;
  }
  if (startTime === undefined || timeZone === undefined) return undefined;
  return {
    kind: 'calendar',
    duration: duration.text,
    count: duration.count,
    unit: CALENDAR_UNITS[duration.unit],
    startTime,
    timeZone,
    days,
  };
}

/** The window of an SLO that names none, as Pyrra and Sloth default to: 28 days, rolling. */
export const DEFAULT_WINDOW: SloWindow = {
  kind: 'rolling',
  duration: '28d',
  seconds: 28 * 86400,
  days: 28,
};

/** `spec.timeWindow`: a list of exactly one window, rolling or aligned to the calendar; missing: DEFAULT_WINDOW, with a warning. */
export function readTimeWindow(
  check: ObjectCheck,
  value: unknown,
  path: FieldPath,
): SloWindow | undefined {
  if (!present(value)) {
    // The OpenSLO Go SDK accepts an SLO without one; a budget still needs a window, so say which.
    check.warn(
      path,
      'required',
      `is missing, so this SLO uses a ${DEFAULT_WINDOW.duration} rolling window; write timeWindow: [{ duration: 28d, isRolling: true }] (or the window you mean) to make it explicit`,
    );
    return DEFAULT_WINDOW;
  }
  if (isMapping(value)) {
    check.report(
      path,
      'type',
      'must be a list with exactly one window; write it as a list item: "- duration: 28d"',
    );
    return undefined;
  }
  const windows = check.list(
    value,
    path,
    '[{ duration: 28d, isRolling: true }]',
  );
  if (!windows) return undefined;
  if (windows.length !== 1) {
    check.report(
      path,
      'range',
      `has ${windows.length} windows; an SLO has exactly one`,
    );
    return undefined;
  }
  const itemPath = [...path, 0];
  const window = check.mapping(windows[0], itemPath, FIELDS.timeWindow);
  if (!window) return undefined;
  const duration = readDuration(
    check,
    window.duration,
    [...itemPath, 'duration'],
    '28d',
  );
  const isRolling = check.optionalBoolean(window.isRolling, [
    ...itemPath,
    'isRolling',
  ]);
  if (isRolling === true && present(window.calendar)) {
    check.report(
      itemPath,
      'conflict',
      'has isRolling: true and a calendar; remove calendar for a rolling window, or set isRolling: false',
    );
    return undefined;
  }
  if (isRolling !== true && !present(window.calendar)) {
    check.report(
      itemPath,
      'required',
      'needs isRolling: true (a rolling window) or a calendar with startTime and timeZone (a calendar-aligned window)',
    );
    return undefined;
  }
  if (!duration) return undefined;
  const days = duration.seconds / 86400;
  if (isRolling === true) {
    return {
      kind: 'rolling',
      duration: duration.text,
      seconds: duration.seconds,
      days,
    };
  }
  return readCalendar(check, window.calendar, [...itemPath, 'calendar'], {
    duration,
    days,
  });
}
