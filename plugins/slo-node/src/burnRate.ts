import { dropFloatNoise } from './arithmetic';
import { formatPrometheusDuration } from './duration';
import { EventCounts, readEvents } from './errorBudget';
import type { SloDefinition, SloObjective } from '@internal/slo-common';

export type AlertSeverity = 'page' | 'ticket';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One multi-window alert of the SRE workbook, for an SLO period of BURN_RATE_BASE_PERIOD_DAYS. */
export interface BurnRateAlert {
  severity: AlertSeverity;
  /** Fires when the burn rate reaches this over both windows. */
  factor: number;
  /** Share of the period's budget spent over the long window at that rate. */
  budgetSpent: number;
  longSeconds: number;
  /** 1/12 of the long window, so the alert stops soon after the burn does. */
  shortSeconds: number;
}

export const BURN_RATE_BASE_PERIOD_DAYS = 30;

/** The one table every alert window and factor comes from (SRE workbook, chapter 5, for 30 days). */
export const BURN_RATE_ALERTS: readonly BurnRateAlert[] = [
  {
    severity: 'page',
    factor: 14.4,
    budgetSpent: 0.02,
    longSeconds: HOUR,
    shortSeconds: 5 * MINUTE,
  },
  {
    severity: 'page',
    factor: 6,
    budgetSpent: 0.05,
    longSeconds: 6 * HOUR,
    shortSeconds: 30 * MINUTE,
  },
  {
    severity: 'ticket',
    factor: 3,
    budgetSpent: 0.1,
    longSeconds: DAY,
    shortSeconds: 2 * HOUR,
  },
  {
    severity: 'ticket',
    factor: 1,
    budgetSpent: 0.1,
    longSeconds: 3 * DAY,
    shortSeconds: 6 * HOUR,
  },
];

/** Below this many events in the long window a page-level burn is a ticket: one failure in ten requests is not an outage. */
export const DEFAULT_MIN_EVENTS = 100;

/** A window length with its Prometheus spelling, used in queries and rule names. */
export interface WindowLength {
  seconds: number;
  /** e.g. `5m`, `1h`, `5h36m`. */
  label: string;
}

/** One row of BURN_RATE_ALERTS, with its windows scaled to an SLO period. */
export interface BurnRateWindow {
  severity: AlertSeverity;
  factor: number;
  budgetSpent: number;
  long: WindowLength;
  short: WindowLength;
  /** From an AlertCondition's alertAfter: how long the rule holds before firing (Prometheus `for`). */
  alertAfter?: WindowLength;
  /** Where the row comes from when not the default table, e.g. `AlertPolicy x, AlertCondition y`. */
  source?: string;
}

function windowLength(seconds: number): WindowLength {
  return { seconds, label: formatPrometheusDuration(seconds) };
}

/**
 * The alert windows for an SLO period. Windows scale with the period (a 28-day SLO checks 56m
 * and 5m instead of 1h and 5m, as Pyrra does), rounded to the minute and never below one; the
 * factors stay, so each row still means the same share of the budget.
 */
export function burnRateWindows(periodDays: number): BurnRateWindow[] {
  if (!(periodDays > 0)) {
    throw new RangeError(
      `An SLO period must be a positive number of days, not ${periodDays}`,
    );
  }
  const scale = (seconds: number) =>
    windowLength(
      Math.max(
        MINUTE,
        Math.round(
          (seconds * periodDays) / BURN_RATE_BASE_PERIOD_DAYS / MINUTE,
        ) * MINUTE,
      ),
    );
  return BURN_RATE_ALERTS.map(alert => ({
    severity: alert.severity,
    factor: alert.factor,
    budgetSpent: alert.budgetSpent,
    long: scale(alert.longSeconds),
    short: scale(alert.shortSeconds),
  }));
}

/** Every distinct window the alerts read, shortest first: the windows to record or query. */
export function burnRateWindowLengths(
  windows: readonly BurnRateWindow[],
): WindowLength[] {
  const bySeconds = new Map<number, WindowLength>();
  for (const { long, short } of windows) {
    bySeconds.set(long.seconds, long);
    bySeconds.set(short.seconds, short);
  }
  return [...bySeconds.values()].sort((a, b) => a.seconds - b.seconds);
}

/**
 * How many times faster than sustainable the budget burns: (bad / total) / (1 - target).
 * 1 spends exactly the budget over the period; null when there are no events to judge.
 */
export function burnRate(
  counts: EventCounts | undefined,
  target: number,
): number | null {
  if (!(target >= 0 && target < 1)) {
    throw new RangeError(
      `An SLO target is a ratio from 0 up to (not including) 1, not ${target}`,
    );
  }
  const events = readEvents(counts);
  if (!events.hasData) return null;
  return dropFloatNoise(events.bad / events.total / (1 - target));
}

export type BurnRateStatus = 'page' | 'ticket' | 'ok' | 'no-data';

/** One row of the table, evaluated. */
export interface BurnRateCheck {
  window: BurnRateWindow;
  /** fired: both windows at or over the factor; low-traffic: fired as a page, downgraded to a ticket. */
  outcome: 'fired' | 'low-traffic' | 'quiet' | 'no-data';
  longBurnRate: number | null;
  shortBurnRate: number | null;
  longEvents: number | null;
  shortEvents: number | null;
  message: string;
}

export interface BurnRateEvaluation {
  status: BurnRateStatus;
  /** The row that set the status, when a row fired. */
  decidedBy?: BurnRateCheck;
  checks: BurnRateCheck[];
  message: string;
}

export interface BurnRateOptions {
  target: number;
  /** Defaults to the 30-day table. */
  windows?: readonly BurnRateWindow[];
  /** Events the long window needs before a page; 0 turns the guard off. Defaults to DEFAULT_MIN_EVENTS. */
  minEvents?: number;
}

/** Event counts per window, keyed by WindowLength.label (`5m`, `1h`, ...); undefined when the query returned nothing. */
export type WindowEvents = Readonly<Record<string, EventCounts | undefined>>;

const times = (rate: number) => `${Number(rate.toFixed(2))}x`;

function checkRow(
  window: BurnRateWindow,
  events: WindowEvents,
  target: number,
  minEvents: number,
): BurnRateCheck {
  const { long, short, factor, severity } = window;
  const longEvents = readEvents(events[long.label]);
  const shortEvents = readEvents(events[short.label]);
  const base = {
    window,
    longBurnRate: burnRate(events[long.label], target),
    shortBurnRate: burnRate(events[short.label], target),
    longEvents: longEvents.hasData ? longEvents.total : null,
    shortEvents: shortEvents.hasData ? shortEvents.total : null,
  };
  if (!longEvents.hasData) {
    return {
      ...base,
      outcome: 'no-data',
      message: `${long.label}: ${longEvents.message}`,
    };
  }
  // No events in the short window means nothing is burning right now; a missing query is unknown.
  if (!shortEvents.hasData && shortEvents.reason !== 'no-events') {
    return {
      ...base,
      outcome: 'no-data',
      message: `${short.label}: ${shortEvents.message}`,
    };
  }
  const longRate = base.longBurnRate ?? 0;
  const shortRate = base.shortBurnRate ?? 0;
  const rates = `burn rate ${times(longRate)} over ${long.label} and ${times(
    shortRate,
  )} over ${short.label}`;
  if (longRate < factor || shortRate < factor) {
    return {
      ...base,
      outcome: 'quiet',
      message: `${rates}, below ${times(factor)} (${severity})`,
    };
  }
  if (severity === 'page' && longEvents.total < minEvents) {
    return {
      ...base,
      outcome: 'low-traffic',
      message: `${rates} reaches the ${times(factor)} page level, but only ${
        longEvents.total
      } events in ${
        long.label
      } (fewer than ${minEvents}): low traffic, so a ticket instead of a page`,
    };
  }
  return {
    ...base,
    outcome: 'fired',
    message: `${rates} reaches ${times(factor)}: ${dropFloatNoise(
      window.budgetSpent * 100,
    )}% of the budget gone in ${long.label} at this rate (${severity})`,
  };
}

/**
 * The multi-window, multi-burn-rate status of the SRE workbook, from BURN_RATE_ALERTS:
 * page when a page row fires on both its windows, ticket when a ticket row does (or a page row
 * with too little traffic), no-data when no row had events to judge, ok otherwise.
 */
export function evaluateBurnRate(
  events: WindowEvents,
  options: BurnRateOptions,
): BurnRateEvaluation {
  const {
    target,
    windows = burnRateWindows(BURN_RATE_BASE_PERIOD_DAYS),
    minEvents = DEFAULT_MIN_EVENTS,
  } = options;
  const checks = windows.map(window =>
    checkRow(window, events, target, minEvents),
  );
  const page = checks.find(
    c => c.outcome === 'fired' && c.window.severity === 'page',
  );
  const ticket = checks.find(
    c =>
      (c.outcome === 'fired' && c.window.severity === 'ticket') ||
      c.outcome === 'low-traffic',
  );
  const decidedBy = page ?? ticket;
  if (decidedBy) {
    return {
      status: page ? 'page' : 'ticket',
      decidedBy,
      checks,
      message: decidedBy.message,
    };
  }
  if (checks.every(c => c.outcome === 'no-data')) {
    return {
      status: 'no-data',
      checks,
      message: `no data in any window: ${checks
        .map(c => c.message)
        .join('; ')}`,
    };
  }
  const unchecked = checks
    .filter(c => c.outcome === 'no-data')
    .map(c => c.message);
  return {
    status: 'ok',
    checks,
    message: `no burn rate at an alert level${
      unchecked.length ? ` (not judged: ${unchecked.join('; ')})` : ''
    }`,
  };
}

/**
 * The windows of the SLO's AlertPolicies' burn-rate conditions: factor = threshold, long window =
 * lookbackWindow, short = 1/12 of it; budgetSpent is what that burn costs over the long window.
 */
function policyWindows(slo: SloDefinition): BurnRateWindow[] | undefined {
  if (!slo.alertWindows?.length) return undefined;
  const periodSeconds = slo.window.days * DAY;
  return slo.alertWindows.map(w => ({
    severity: w.severity,
    factor: w.factor,
    budgetSpent: dropFloatNoise((w.factor * w.longSeconds) / periodSeconds),
    long: windowLength(w.longSeconds),
    short: windowLength(w.shortSeconds),
    ...(w.alertAfterSeconds
      ? { alertAfter: windowLength(w.alertAfterSeconds) }
      : {}),
    source: `AlertPolicy ${w.policy}, AlertCondition ${w.condition}`,
  }));
}

/**
 * The options evaluateBurnRate and the generated rules use for one SLO objective: its target,
 * the windows of its AlertPolicies' burn-rate conditions, or else the default table scaled to its
 * period, and the traffic guard only where events are counted (ratio SLIs; threshold and raw SLIs
 * have samples, not requests).
 */
export function burnRateOptions(
  slo: SloDefinition,
  objective: SloObjective = slo.objectives[0],
): Required<BurnRateOptions> {
  return {
    target: objective.target,
    windows: policyWindows(slo) ?? burnRateWindows(slo.window.days),
    minEvents: slo.indicator.kind === 'ratio' ? DEFAULT_MIN_EVENTS : 0,
  };
}
