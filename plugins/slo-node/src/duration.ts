import type {
  CalendarUnit,
  DurationUnit,
  SloDuration,
} from '@internal/slo-common';

const DAY = 86400;

const UNIT_SECONDS: Record<DurationUnit, number> = {
  m: 60,
  h: 3600,
  d: DAY,
  w: 7 * DAY,
  M: 30 * DAY,
  Q: 90 * DAY,
  Y: 365 * DAY,
};

export const CALENDAR_UNITS: Record<DurationUnit, CalendarUnit> = {
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  M: 'month',
  Q: 'quarter',
  Y: 'year',
};

const SHORTHAND = /^([1-9][0-9]*)([mhdwMQY])$/;

/** Reads a duration shorthand (`5m`, `28d`, `1M`); undefined when it is not one. */
export function parseDuration(text: string): SloDuration | undefined {
  const match = SHORTHAND.exec(text);
  if (!match) return undefined;
  const count = Number(match[1]);
  const unit = match[2] as DurationUnit;
  return { text, count, unit, seconds: count * UNIT_SECONDS[unit] };
}

const PROMETHEUS_UNITS: Array<[string, number]> = [
  ['d', DAY],
  ['h', 3600],
  ['m', 60],
  ['s', 1],
];

/**
 * Seconds as a Prometheus duration, largest units first: 3600 -> `1h`, 20160 -> `5h36m`.
 * Used both in rule names and in range selectors, so one window has one spelling.
 */
export function formatPrometheusDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new RangeError(
      `A Prometheus window must be a whole, positive number of seconds, not ${seconds}`,
    );
  }
  let rest = seconds;
  let text = '';
  for (const [unit, size] of PROMETHEUS_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text;
}
