/**
 * How the DR screens write scores, statuses, durations and times. Pure, so every screen and test
 * agrees; `now` is passed in wherever time matters.
 */
import {
  CheckStatus,
  CollectionGap,
  ReadinessLevel,
  Waiver,
} from '@internal/dr-readiness-common';
import { LOCALE } from '@internal/platform-react';

/** A score (0..1) as a whole percentage, rounded down so 99.6% never reads as a perfect 100%. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined) {
    return '\u2014';
  }
  // The small epsilon absorbs binary noise (0.29 * 100 = 28.999...).
  return `${Math.floor(score * 100 + 1e-6)}%`;
}

/** RTO and RPO in the units people say them in: `1 min`, `15 min`, `1 h`, `1 h 30 min`, `24 h`, `7 d`. */
export function formatMinutes(minutes: number): string {
  if (!Number.isFinite(minutes)) {
    return '\u2014';
  }
  if (minutes < 60) {
    return `${Number(minutes.toFixed(1))} min`;
  }
  if (minutes >= 2 * 1440 && minutes % 1440 === 0) {
    return `${minutes / 1440} d`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = Math.round(minutes - hours * 60);
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** `5:41 PM` in the reader's time zone (when a rescan may be asked for again). */
export function formatTime(time: Date): string {
  return time.toLocaleTimeString(LOCALE, {
    hour: 'numeric',
    minute: '2-digit',
  });
}

/** `Dec 31, 2026` (UTC: waivers expire on a calendar day). */
export function formatDay(isoTime: string): string {
  return new Date(isoTime).toLocaleDateString(LOCALE, {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * Evidence times as auditors compare them with CloudTrail: `2026-11-25 17:41:03 UTC`.
 * Invalid input is shown as it came.
 */
export function formatUtc(isoTime: string): string {
  const time = new Date(isoTime);
  if (Number.isNaN(time.getTime())) {
    return isoTime;
  }
  return `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** How each control status reads and how urgent it is (for "worst first"). */
export const CHECK_STATUS: Record<
  CheckStatus,
  {
    label: string;
    colour: 'success' | 'error' | 'warning' | 'default';
    severity: number;
    /** What it means, for legends and tooltips. */
    meaning: string;
  }
> = {
  fail: {
    label: 'fail',
    colour: 'error',
    severity: 3,
    meaning: 'the control is not met',
  },
  // `error` means the scan could not tell: never shown as a failure.
  error: {
    label: 'unknown',
    colour: 'warning',
    severity: 2,
    meaning: 'the scan could not read what it needs (access, AWS error)',
  },
  pass: {
    label: 'pass',
    colour: 'success',
    severity: 1,
    meaning: 'the control is met',
  },
  not_applicable: {
    label: 'n/a',
    colour: 'default',
    severity: 0,
    meaning: 'the service has no resource the control applies to',
  },
};

export const LEVEL: Record<
  ReadinessLevel,
  { label: string; colour: 'success' | 'warning' | 'error' | 'default' }
> = {
  ready: { label: 'ready', colour: 'success' },
  partial: { label: 'partial', colour: 'warning' },
  'not-ready': { label: 'not ready', colour: 'error' },
  unknown: { label: 'unknown', colour: 'default' },
};

export const LEVELS: ReadinessLevel[] = [
  'ready',
  'partial',
  'not-ready',
  'unknown',
];

/** `requested`: waiting for a DR approver; `active`: approved and counting. */
export type WaiverState = 'requested' | 'active' | 'expired' | 'revoked';

/** A waiver is revoked, expired (its expiry passed), requested (not yet approved), or active. */
export function waiverState(
  waiver: Pick<Waiver, 'expiresAt' | 'revokedAt' | 'status'>,
  now: Date,
): WaiverState {
  if (waiver.revokedAt) {
    return 'revoked';
  }
  if (new Date(waiver.expiresAt).getTime() <= now.getTime()) {
    return 'expired';
  }
  return waiver.status === 'approved' ? 'active' : 'requested';
}

/** Gaps of one account x region, with every code and step that failed there. */
export interface ScopeGap {
  accountId: string;
  region: string;
  codes: string[];
  details: string[];
}

/** Gaps grouped by account x region (a scope can fail at several steps). */
export function groupGaps(gaps: CollectionGap[]): ScopeGap[] {
  const scopes = new Map<string, ScopeGap>();
  for (const gap of gaps) {
    const key = `${gap.accountId}/${gap.region}`;
    const scope = scopes.get(key) ?? {
      accountId: gap.accountId,
      region: gap.region,
      codes: [],
      details: [],
    };
    if (!scope.codes.includes(gap.code)) {
      scope.codes.push(gap.code);
    }
    scope.details.push(`${gap.operation}: ${gap.message}`);
    scopes.set(key, scope);
  }
  return [...scopes.values()].sort(
    (a, b) =>
      a.accountId.localeCompare(b.accountId) ||
      a.region.localeCompare(b.region),
  );
}

/** "eu-west-1 in 318402765190 could not be read: AccessDenied — its controls show as unknown". */
export function gapSentence(gap: ScopeGap): string {
  return `${gap.region} in ${gap.accountId} could not be read: ${gap.codes.join(
    ', ',
  )} \u2014 its controls show as unknown`;
}

/** `1 service`, `3 services`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString(LOCALE)} ${count === 1 ? one : many}`;
}
