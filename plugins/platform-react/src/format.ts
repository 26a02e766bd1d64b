/**
 * How every page writes the things they all show: ages, entity names, times. Pure, so every
 * screen and test agrees; `now` is passed in wherever time matters.
 */

/** The locale of every figure and date on the pages. */
export const LOCALE = 'en-US';

/** How long ago, in the largest unit that fits: `just now`, `12 min ago`, `3 h ago`, `2 d ago`. */
export function formatAge(isoTime: string, now: Date): string {
  const minutes = Math.floor(
    (now.getTime() - new Date(isoTime).getTime()) / 60_000,
  );
  if (minutes < 1) {
    return 'just now';
  }
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return `${hours} h ago`;
  }
  return `${Math.floor(hours / 24)} d ago`;
}

/** `group:default/ledger-team` -> `ledger-team`; a plain name stays as it is. */
export function entityName(entityRef: string): string {
  return entityRef
    .slice(entityRef.lastIndexOf('/') + 1)
    .replace(/^[a-z]+:/i, '');
}

/** A catalog ref from a name or a ref, e.g. `ledger-team` -> `group:default/ledger-team`. */
export function asEntityRef(value: string, kind: string): string {
  if (value.includes(':')) {
    return value;
  }
  return `${kind}:${value.includes('/') ? value : `default/${value}`}`;
}

/** `Nov 25, 5:41 PM` in the reader's time zone (when a note was written, a scan started). */
export function formatDateTime(isoTime: string): string {
  return new Date(isoTime).toLocaleString(LOCALE, {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
}

/** `2026-11-03T10:00:00Z` -> `Nov 3`, for chart axes (UTC, as the backends evaluate). */
export function formatShortDay(isoTime: string): string {
  return new Date(isoTime).toLocaleDateString(LOCALE, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
}
