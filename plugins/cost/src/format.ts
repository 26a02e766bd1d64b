/**
 * How the cost screens write amounts, changes, months and ages. Pure, so every screen and test
 * agrees; `now` is passed in wherever time matters.
 */
import { LOCALE } from '@internal/platform-react';

/**
 * An amount in the billing currency. Whole units from 100 up (cents there are clutter);
 * smaller amounts keep their cents so $0.42 does not read as $0.
 */
export function formatAmount(amount: number, currency: string): string {
  const wholeUnits = Math.abs(amount) >= 100;
  return new Intl.NumberFormat(LOCALE, {
    style: 'currency',
    currency,
    minimumFractionDigits: wholeUnits ? 0 : 2,
    maximumFractionDigits: wholeUnits ? 0 : 2,
  }).format(amount);
}

/** Short amounts for chart axes: $12K, $1.2M. */
export function formatAxisAmount(amount: number, currency: string): string {
  return new Intl.NumberFormat(LOCALE, {
    style: 'currency',
    currency,
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(amount);
}

export function formatPercent(percent: number, fractionDigits = 1): string {
  return `${percent.toFixed(fractionDigits)}%`;
}

/** Month-over-month change: +12.3% / −4.0%; `null` (no cost the month before) reads "new". */
export function formatChange(percent: number | null): string {
  if (percent === null) {
    return 'new';
  }
  if (Math.abs(percent) < 0.05) {
    return '0.0%';
  }
  const sign = percent > 0 ? '+' : '\u2212';
  return `${sign}${Math.abs(percent).toFixed(1)}%`;
}

function monthDate(month: string): Date {
  const [year, monthNumber] = month.split('-').map(Number);
  return new Date(Date.UTC(year, monthNumber - 1, 1));
}

/** `2026-10` -> `October 2026`. */
export function formatMonth(month: string): string {
  return monthDate(month).toLocaleDateString(LOCALE, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** `2026-10` -> `Oct 2026`, for chart axes. */
export function formatShortMonth(month: string): string {
  return monthDate(month).toLocaleDateString(LOCALE, {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** `2026-11-03` -> `Nov 3`. */
export function formatDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date)).toLocaleDateString(LOCALE, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

/** A period of days, e.g. `Nov 3 – Nov 5` (one day when start = end). */
export function formatDayRange(start: string, end?: string): string {
  return end && end !== start
    ? `${formatDay(start)} \u2013 ${formatDay(end)}`
    : formatDay(start);
}

/** The `count` full months before `now`'s month, newest first, as YYYY-MM (UTC). */
export function recentFullMonths(now: Date, count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const date = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1 - index, 1),
    );
    return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(
      2,
      '0',
    )}`;
  });
}

/**
 * What "month to date" covers. On the month's 1st (UTC) nothing yet: Cost Explorer reports a day
 * once it has ended, so the figure is zero however much is being spent.
 */
export function monthToDateDetail(currentMonth: string, now: Date): string {
  return now.toISOString().slice(0, 10) === `${currentMonth}-01`
    ? `No complete day of ${formatMonth(
        currentMonth,
      )} yet: AWS reports a day once it has ended`
    : `${formatMonth(currentMonth)} so far`;
}

/** `Service` -> `service` inside a sentence, but `AWS service` stays as it is. */
export function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label)
    ? label[0].toLowerCase() + label.slice(1)
    : label;
}
