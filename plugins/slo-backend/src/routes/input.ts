import { InputError } from '@backstage/errors';
import { parseInput } from '@internal/platform-node';
import { z } from 'zod';
import { weekOf } from '../service/weeks';

/** Validates input; a 400 names each bad field and what it must be. */
export const parse = <T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> => parseInput(schema, value, what);

/** A query string with no parameters. */
export const noQuery = z.object({}).strict();

const day = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}$/,
    'must be a date written YYYY-MM-DD (any day of the week)',
  );

/** The `:week` of a review route: `current`, or the Monday of the week of the day given. */
export function week(param: string): string {
  if (param === 'current') return param;
  const date = parse(day, param, 'week');
  const time = Date.parse(`${date}T00:00:00Z`);
  // 2026-02-30 and 2026-13-01 are written right but are no days.
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== date)
    throw new InputError(
      `Invalid week: week '${param}' is not a day of the calendar; write an existing date as YYYY-MM-DD (any day of the week, e.g. 2026-02-23), or current`,
    );
  return weekOf(date);
}
