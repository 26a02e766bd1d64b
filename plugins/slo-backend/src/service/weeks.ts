/** Days and ISO weeks as the SLO review names them: `YYYY-MM-DD`, a week by its Monday (UTC). */
import { DAY_MS } from './evaluate';

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The Monday (UTC) of the ISO week a day falls in. */
export function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return isoDay(new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS));
}

export const addDays = (day: string, days: number) =>
  isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
