/**
 * How the SLO screens write objectives, attainment, budgets, burn rates, weeks and ages. Pure,
 * so every screen and test agrees; `now` is passed in wherever time matters. Ratios come from
 * the API as 0-1.
 */
import { SloIdentity } from '@internal/slo-common';
import { LOCALE } from '@internal/platform-react';

const MINUS = '\u2212';

/** Digits kept on attainment: 99.981% (targets like 99.95% need at least three). */
const ATTAINMENT_DIGITS = 3;

/** An objective as its owners wrote it: 0.9995 -> `99.95%`, 0.99 -> `99%`. */
export function formatTarget(target: number): string {
  return `${Number((target * 100).toFixed(4))}%`;
}

/**
 * Attainment with three decimals, rounded down so 99.99996% never reads as a perfect 100.000%
 * (and a miss of the target never reads as met).
 */
export function formatAttainment(attainment: number): string {
  const scale = 10 ** ATTAINMENT_DIGITS;
  // The small epsilon absorbs binary noise (0.99981 * 1e5 = 99980.99999...).
  const floored = Math.floor(attainment * 100 * scale + 1e-6) / scale;
  return `${floored.toFixed(ATTAINMENT_DIGITS)}%`;
}

/** Error budget left: 0.421 -> `42.1%`; overspent budgets are negative, `−35.0%`. */
export function formatBudget(remaining: number): string {
  const percent = remaining * 100;
  const text = Math.abs(percent).toFixed(1);
  return percent < 0 && text !== '0.0' ? `${MINUS}${text}%` : `${text}%`;
}

/** Change in percentage points: `+0.012 pp`, `−0.150 pp`, `0.000 pp`. */
export function formatPointsChange(points: number): string {
  const text = Math.abs(points).toFixed(ATTAINMENT_DIGITS);
  if (Number(text) === 0) {
    return `${text} pp`;
  }
  return `${points > 0 ? '+' : MINUS}${text} pp`;
}

/** A burn rate: how many times faster than "exactly on budget", `14.4×`, `0.52×`. */
export function formatBurnRate(rate: number): string {
  return `${rate >= 10 ? rate.toFixed(1) : rate.toFixed(2)}\u00D7`;
}

function weekStart(week: string): Date {
  const [year, month, day] = week.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

/** A week named by its Monday: `2026-11-02` -> `Nov 2 – Nov 8, 2026`. */
export function formatWeek(week: string): string {
  const start = weekStart(week);
  const end = new Date(start.getTime() + 6 * 86_400_000);
  const short = { month: 'short', day: 'numeric', timeZone: 'UTC' } as const;
  return `${start.toLocaleDateString(
    LOCALE,
    short,
  )} \u2013 ${end.toLocaleDateString(LOCALE, { ...short, year: 'numeric' })}`;
}

/** True for `YYYY-MM-DD` naming a real day (the weeks in review URLs). */
export function isWeek(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return false;
  }
  return weekStart(value).toISOString().slice(0, 10) === value;
}

/** What people call an SLO: its display name, else its name. */
export function sloLabel(
  slo: Pick<SloIdentity, 'name' | 'displayName'>,
): string {
  return slo.displayName || slo.name;
}
