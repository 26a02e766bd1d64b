import { hashString } from './random';

/** How often each resource of the estate changes: every 6 days, at a moment of its own. */
export const CHANGE_PERIOD_MS = 6 * 86_400_000;

const phaseOf = (key: string) =>
  hashString(`${key}:capture`) % CHANGE_PERIOD_MS;

/**
 * When the resource (keyed by its ARN) last changed at or before `at`, never before it was
 * created: what AWS Config records as the capture time of its item.
 */
export function lastChange(key: string, at: number, created?: Date): Date {
  const phase = phaseOf(key);
  const offset =
    (((at - phase) % CHANGE_PERIOD_MS) + CHANGE_PERIOD_MS) % CHANGE_PERIOD_MS;
  const t = at - offset;
  return new Date(created ? Math.max(t, created.getTime()) : t);
}

/**
 * How many times the resource has changed by `at` (counted from the epoch): the revision its
 * changing fields are made of, so the describe APIs and Config's item agree at every moment.
 * What changes is never a DR fact: a table's item count and size, a secret's description, a
 * bucket's lifecycle rules.
 */
export function revisionOf(key: string, at: number): number {
  return Math.floor((at - phaseOf(key)) / CHANGE_PERIOD_MS);
}
