import type {
  SloDefinition,
  SloIdentity,
  SloStatus,
} from '@internal/slo-common';
import {
  BurnRateEvaluation,
  ErrorBudget,
  EventCounts,
  budgetBurnDown,
  burnRateOptions,
  countSlices,
  errorBudget,
  evaluateBurnRate,
  eventQueries,
  formatPrometheusDuration,
  sliceCriterion,
  windowStart,
} from '@internal/slo-node';
import { PrometheusQueries } from '../sources/PrometheusSource';
import type { LoadedSlo } from './definitions';

const DAY_MS = 86_400_000;

export function windowLabel(slo: SloDefinition): string {
  const w = slo.window;
  if (w.kind === 'rolling') return `${w.duration} rolling`;
  return `calendar ${w.count === 1 ? w.unit : `${w.count} ${w.unit}s`}`;
}

/** Seconds from the window start to now, as a PromQL range (at least a minute). */
function sinceStart(slo: SloDefinition, now: Date): string {
  const seconds = Math.max(
    60,
    Math.floor((now.getTime() - windowStart(slo, now).getTime()) / 1000),
  );
  return formatPrometheusDuration(seconds);
}

async function ratioEvents(
  prometheus: PrometheusQueries,
  slo: SloDefinition,
  window: string,
  at?: Date,
): Promise<EventCounts | undefined> {
  if (slo.indicator.kind !== 'ratio') return undefined;
  const q = eventQueries(slo.indicator, window);
  const [total, good, bad] = await Promise.all([
    prometheus.instant(q.total, at),
    q.good ? prometheus.instant(q.good, at) : Promise.resolve(undefined),
    q.bad ? prometheus.instant(q.bad, at) : Promise.resolve(undefined),
  ]);
  if (total === undefined) return undefined;
  if (q.good) return good === undefined ? undefined : { good, total };
  return bad === undefined ? undefined : { bad, total };
}

/** Why the burn rate could not be judged, if it could not. */
function noDataMessage(burn: BurnRateEvaluation): string | undefined {
  return burn.status === 'no-data' ? burn.message : undefined;
}

export interface Evaluation {
  status: SloStatus;
  budget: ErrorBudget;
  burn: BurnRateEvaluation;
}

/**
 * One SLO against Prometheus, as the maths in slo-node defines it. Ratio SLIs: event counts over
 * the window and each burn-rate window; threshold SLIs: one-minute slices sampled over the window.
 */
export async function evaluateSlo(
  slo: SloDefinition,
  identity: SloIdentity,
  prometheus: PrometheusQueries,
  now: Date,
): Promise<Evaluation> {
  const options = burnRateOptions(slo);
  const labels = [
    ...new Set(options.windows.flatMap(w => [w.long.label, w.short.label])),
  ];
  let budget: ErrorBudget;
  const events: Record<string, EventCounts | undefined> = {};

  if (slo.indicator.kind === 'ratio') {
    const [windowEvents, ...perWindow] = await Promise.all([
      ratioEvents(prometheus, slo, sinceStart(slo, now), now),
      ...labels.map(label => ratioEvents(prometheus, slo, label, now)),
    ]);
    budget = errorBudget(windowEvents, options.target);
    labels.forEach((label, i) => (events[label] = perWindow[i]));
  } else if (slo.indicator.kind === 'threshold') {
    const criterion = sliceCriterion(slo);
    const start = windowStart(slo, now);
    // At most ~10,000 points per range query (Prometheus' limit is 11,000): coarser steps on long windows.
    const step = Math.max(
      60,
      Math.ceil((now.getTime() - start.getTime()) / 1000 / 10_000 / 60) * 60,
    );
    const points = await prometheus.range(
      slo.indicator.query,
      start,
      now,
      step,
    );
    const slices = (from: number) =>
      points.filter(p => p.time >= from).map(p => p.value);
    const all = criterion
      ? countSlices(slices(start.getTime()), criterion)
      : { good: 0, total: 0 };
    budget = errorBudget(
      all.total > 0 ? { good: all.good, total: all.total } : undefined,
      slo.objectives[0].timeSliceTarget ?? options.target,
    );
    for (const w of options.windows) {
      for (const length of [w.long, w.short]) {
        const counts = criterion
          ? countSlices(
              slices(now.getTime() - length.seconds * 1000),
              criterion,
            )
          : { good: 0, total: 0 };
        events[length.label] =
          counts.total > 0
            ? { good: counts.good, total: counts.total }
            : undefined;
      }
    }
  } else {
    budget = errorBudget(undefined, options.target);
  }
  const burn = evaluateBurnRate(events, options);
  const worst = burn.checks
    .filter(c => c.longBurnRate !== null)
    .sort((a, b) => (b.longBurnRate ?? 0) - (a.longBurnRate ?? 0))[0];
  const rates = labels.map(label => {
    const counts = events[label];
    if (!counts || counts.total === 0) return { window: label, rate: null };
    const bad = 'bad' in counts ? counts.bad! : counts.total - counts.good!;
    return {
      window: label,
      rate: Math.round((bad / counts.total / (1 - options.target)) * 100) / 100,
    };
  });
  const status: SloStatus = {
    ...identity,
    target: options.target,
    windowLabel: windowLabel(slo),
    budgetingMethod: slo.budgetingMethod,
    indicatorKind: slo.indicator.kind,
    hasData: budget.hasData,
    message: budget.hasData ? noDataMessage(burn) : budget.message,
    attainment: budget.hasData ? budget.attainment : undefined,
    budget: budget.hasData
      ? {
          remaining: budget.remaining,
          allowed: budget.allowed,
          consumed: budget.consumed,
          exhausted: budget.exhausted,
        }
      : undefined,
    burn: {
      status: burn.status,
      message: burn.message,
      worst: worst
        ? {
            window: worst.window.long.label,
            rate: Math.round(worst.longBurnRate! * 100) / 100,
          }
        : undefined,
      rates,
    },
    evaluatedAt: now.toISOString(),
  };
  return { status, budget, burn };
}

/**
 * The remaining budget along the window for the burn-down chart (ratio SLIs; 48 points), from two
 * range queries (good or bad, and total):
 * - rolling windows: at each point the budget left over the rolling window ending there, the
 *   status's own query, so the last point (at `now`) is the budget left now exactly, whatever
 *   the hour;
 * - calendar windows: spent since the period began, per-step increases summed up client-side
 *   (a step boundary between two samples is extrapolated by Prometheus' increase()).
 */
export async function burnDownOf(
  slo: SloDefinition,
  prometheus: PrometheusQueries,
  now: Date,
) {
  if (slo.indicator.kind !== 'ratio') return [];
  const target = burnRateOptions(slo).target;
  const start = windowStart(slo, now).getTime();
  const stepSeconds = Math.max(
    60,
    Math.floor((now.getTime() - start) / 1000 / 48),
  );
  const rolling = slo.window.kind === 'rolling';
  const q = eventQueries(
    slo.indicator,
    rolling ? sinceStart(slo, now) : formatPrometheusDuration(stepSeconds),
  );
  // Rolling: 48 points ending exactly at now. Calendar: one step after the period start on.
  const first = rolling
    ? new Date(now.getTime() - 47 * stepSeconds * 1000)
    : new Date(start + stepSeconds * 1000);
  const [total, part] = await Promise.all([
    prometheus.range(q.total, first, now, stepSeconds),
    prometheus.range((q.good ?? q.bad)!, first, now, stepSeconds),
  ]);
  const partAt = new Map(part.map(p => [p.time, p.value ?? 0]));
  // Rolling: each point is its own window. Calendar: the steps so far, added up.
  let sumTotal = 0;
  let sumPart = 0;
  const points = total.map(p => {
    const stepTotal = p.value ?? 0;
    const stepPart = partAt.get(p.time) ?? 0;
    const counted = rolling
      ? { total: stepTotal, part: stepPart }
      : { total: (sumTotal += stepTotal), part: (sumPart += stepPart) };
    return q.good
      ? { good: counted.part, total: counted.total, time: p.time }
      : { bad: counted.part, total: counted.total, time: p.time };
  });
  return budgetBurnDown(points, target).map(p => ({
    time: new Date(p.time).toISOString(),
    remaining: p.remaining,
  }));
}

/** An SLO that could not be evaluated (Prometheus unreachable, a query rejected): no data, with why. */
export function unevaluated(
  slo: SloDefinition,
  identity: SloIdentity,
  now: Date,
  message: string,
): Evaluation {
  const target = burnRateOptions(slo).target;
  const budget = errorBudget(undefined, target);
  const burn: BurnRateEvaluation = { status: 'no-data', checks: [], message };
  return {
    budget,
    burn,
    status: {
      ...identity,
      target,
      windowLabel: windowLabel(slo),
      budgetingMethod: slo.budgetingMethod,
      indicatorKind: slo.indicator.kind,
      hasData: false,
      message,
      burn: { status: 'no-data', message, rates: [] },
      evaluatedAt: now.toISOString(),
    },
  };
}

export const isBreached = (e: Evaluation) =>
  (e.budget.hasData && e.budget.exhausted) || e.burn.status === 'page';

/** SLOs evaluated at `at`; one SLO's failure (a bad query, a timeout) is that SLO's "no data", not the page's. */
export function evaluateEach(
  slos: LoadedSlo[],
  at: Date,
  prometheus: PrometheusQueries,
): Promise<Array<{ loaded: LoadedSlo; evaluation: Evaluation }>> {
  return Promise.all(
    slos.map(async loaded => {
      try {
        return {
          loaded,
          evaluation: await evaluateSlo(
            loaded.definition,
            loaded.identity,
            prometheus,
            at,
          ),
        };
      } catch (error) {
        return {
          loaded,
          evaluation: unevaluated(
            loaded.definition,
            loaded.identity,
            at,
            (error as Error).message,
          ),
        };
      }
    }),
  );
}
export { DAY_MS };
